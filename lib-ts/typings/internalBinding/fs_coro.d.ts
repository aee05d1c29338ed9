// internalBinding('fs_coro') (coro/node/fs_binding.cc): fs operations served
// by tracked C++ coroutines, one per call, each returning a promise.
// Arguments are validated by lib, as for the stock fs binding (the binding
// CHECKs the types it relies on). Rejections are UVExceptions as stock's
// (an Error with errno, code, syscall and, where stock has one, path),
// and ERR_ACCESS_DENIED under the permission model. readFile rejects a
// file over 2 GiB with its size (a number): lib makes the error.

import type { Buffer } from 'buffer';

/** A path as lib hands it to a binding: getValidatedPath()'s result. */
type PathLike = string | Uint8Array;

/**
 * A stat(2) family call: the stock binding's stats array (18 fields, the
 * FsStatsOffset layout), read with getStatsFromBinding(). BigInt64Array
 * when `useBigint` is true, Float64Array otherwise.
 */
interface StatCall<Target> {
  (target: Target, useBigint: true): Promise<BigInt64Array>;
  (target: Target, useBigint: false): Promise<Float64Array>;
  (target: Target, useBigint: boolean): Promise<Float64Array | BigInt64Array>;
}

interface FrameSizeClassStats {
  blockSize: number;
  cachedFrames: number;
  cachedBytes: number;
}

interface TaskKindStats {
  started: number;
  finished: number;
  live: number;
}

/** getStats(): the calling thread's coroutine counters (for node:coro). */
export interface CoroStats {
  frames: {
    live: number;
    liveBytes: number;
    allocations: number;
    reuses: number;
    frees: number;
    released: number;
    oversize: number;
    cachedFrames: number;
    cachedBytes: number;
    capacity: number;
    /** Only the size classes holding frames. */
    classes: FrameSizeClassStats[];
  };
  tasks: {
    live: number;
    kinds: Record<string, TaskKindStats>;
  };
}

export interface FsCoroBinding {
  stat: StatCall<PathLike>;
  lstat: StatCall<PathLike>;
  /** `fd` an int32. */
  fstat: StatCall<number>;

  /** access(2) with `mode` (an int32, F_OK/R_OK/W_OK/X_OK). */
  access(path: PathLike, mode: number): Promise<void>;

  /**
   * The whole file: open(path, flags, 0o666), fstat, reads, close, with
   * the sizes and errors of stock fs.promises.readFile(path). `flags` is
   * an int32 (stringToFlags()'s result).
   */
  readFile(path: PathLike, flags: number, abortId?: number): Promise<Buffer>;

  /**
   * Aborts the readFile started with `abortId` (a uint32 >= 1, unique
   * among running operations) if it still runs: a queued job is not run,
   * what follows is not started; it then rejects (lib turns that into the
   * signal's AbortError). An id whose operation ended is ignored.
   */
  cancel(abortId: number): void;

  /**
   * open(path, flags, mode), write all of `data` (lib turns strings into
   * Buffers first, as stock does), fsync when `flush`, close.
   */
  writeFile(
    path: PathLike,
    data: ArrayBufferView,
    flags: number,
    mode: number,
    flush: boolean,
  ): Promise<void>;

  /** open 'r+', ftruncate to `len` (an integer >= 0, lib clamps), close. */
  truncate(path: PathLike, len: number): Promise<void>;

  getStats(): CoroStats;
}
