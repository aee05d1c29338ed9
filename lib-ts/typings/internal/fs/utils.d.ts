// lib/internal/fs/utils.js, as far as lib-ts uses it.

declare module 'internal/fs/utils' {
  /** A falsy encoding option: no encoding (NaN, also falsy, has no type). */
  type NoEncoding = undefined | null | false | 0 | 0n | '';

  /**
   * getOptions()'s result. `encoding` passed assertEncoding(): a name
   * Buffer.isEncoding() accepts, 'buffer' (not checked), or falsy;
   * `signal` passed validateAbortSignal(). Other options are the caller's.
   */
  interface Options {
    readonly encoding?: string | NoEncoding;
    readonly signal?: AbortSignal | undefined;
    readonly flag?: unknown;
    readonly [option: string]: unknown;
  }

  /**
   * An fs function's options argument, validated: `defaultOptions` itself
   * when `options` is null, undefined or a function; a copy of it with
   * `encoding: options` when `options` is a string; `options` itself when
   * it is an object. Throws ERR_INVALID_ARG_TYPE for any other type,
   * ERR_INVALID_ARG_VALUE for an unknown encoding, and
   * validateAbortSignal()'s errors.
   */
  export function getOptions(options: unknown, defaultOptions?: Options): Options;

  /**
   * A path argument: a string or Uint8Array as given, a file: URL as its
   * path string. Throws ERR_INVALID_ARG_TYPE (other types, other URLs:
   * ERR_INVALID_URL_SCHEME) or ERR_INVALID_ARG_VALUE (a NUL byte).
   */
  export function getValidatedPath(
    fileURLOrPath: unknown,
    propName?: string,
  ): string | Uint8Array;

  /**
   * An open() flags argument as an int32: a number as it is (validated as
   * int32), null or undefined as O_RDONLY, 'r', 'w+', 'ax'... as their
   * O_* combination. Throws ERR_INVALID_ARG_VALUE for any other string or
   * type, ERR_OUT_OF_RANGE/ERR_INVALID_ARG_TYPE from validateInt32.
   */
  export function stringToFlags(flags: unknown, name?: string): number;

  /**
   * ERR_INVALID_ARG_TYPE unless a string (the message names the Buffer,
   * TypedArray and DataView types too).
   */
  export function validateStringAfterArrayBufferView(value: unknown, name: string): void;


  interface StatsBase<T extends number | bigint> {
    dev: T;
    mode: T;
    nlink: T;
    uid: T;
    gid: T;
    rdev: T;
    blksize: T;
    ino: T;
    size: T;
    blocks: T;
    atimeMs: T;
    mtimeMs: T;
    ctimeMs: T;
    birthtimeMs: T;
    atime: Date;
    mtime: Date;
    ctime: Date;
    birthtime: Date;
    isBlockDevice(): boolean;
    isCharacterDevice(): boolean;
    isDirectory(): boolean;
    isFIFO(): boolean;
    isFile(): boolean;
    isSocket(): boolean;
    isSymbolicLink(): boolean;
  }

  /** fs.Stats. */
  interface Stats extends StatsBase<number> {}

  /** fs.BigIntStats: bigint fields, plus nanosecond times. */
  interface BigIntStats extends StatsBase<bigint> {
    atimeNs: bigint;
    mtimeNs: bigint;
    ctimeNs: bigint;
    birthtimeNs: bigint;
  }

  /**
   * The Stats of a binding's stats array (FsStatsOffset layout, 18 fields
   * from `offset`): BigIntStats for a BigInt64Array, Stats otherwise.
   */
  export function getStatsFromBinding(stats: Float64Array, offset?: number): Stats;
  export function getStatsFromBinding(stats: BigInt64Array, offset?: number): BigIntStats;
  export function getStatsFromBinding(
    stats: Float64Array | BigInt64Array,
    offset?: number,
  ): Stats | BigIntStats;
}
