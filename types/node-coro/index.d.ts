// What node-coro adds to Node.js v22, for TypeScript users of the fork.
// Augments @types/node@22; reference it with
//   /// <reference types="@node-coro/types" />
// or list it in tsconfig's "types".

declare module 'node:coro' {
  /** The coroutine frame allocator of the calling thread. */
  interface FrameStats {
    /** Frames allocated and not yet freed (in flight). */
    readonly live: number;
    /** Bytes those frames occupy. */
    readonly liveBytes: number;
    /** Frames allocated since the thread started. */
    readonly allocations: number;
    /** Allocations served from the free-list (no malloc). */
    readonly reuses: number;
    /** Frames freed. */
    readonly frees: number;
    /** Frees that went back to the system (the free-list was full). */
    readonly released: number;
    /** Allocations above the largest pooled size. */
    readonly oversize: number;
    /** Frames held on the free-list. */
    readonly cachedFrames: number;
    /** Bytes held on the free-list. */
    readonly cachedBytes: number;
    /** Frames each size class keeps at most. */
    readonly capacity: number;
    /** Size classes holding frames. */
    readonly classes: ReadonlyArray<{
      readonly blockSize: number;
      readonly cachedFrames: number;
      readonly cachedBytes: number;
    }>;
  }

  /** Tracked coroutine tasks (one per fs.promises operation on the fast path). */
  interface TaskStats {
    /** Tasks of this thread's Environment not yet finished. */
    readonly live: number;
    /** Per operation kind ('stat', 'readFile', ...). */
    readonly kinds: Readonly<Record<string, {
      readonly started: number;
      readonly finished: number;
      readonly live: number;
    }>>;
  }

  interface CoroStats {
    readonly frames: FrameStats;
    readonly tasks: TaskStats;
  }

  /** The calling thread's counters; each worker has its own. */
  function getStats(): CoroStats;

  /** Whether fs.promises runs on coroutines in this process (false with --no-fs-coro). */
  const fsCoro: boolean;

  /** The node-coro version, as process.versions.node_coro. */
  const version: string;
}

declare namespace NodeJS {
  interface ProcessVersions {
    /** The node-coro version (node-coro only). */
    readonly node_coro: string;
  }
}
