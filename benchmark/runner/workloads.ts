// The workloads the runner knows (defined in ../workload/ops.mjs, the core
// ones mirrored by ../floor/uv-floor.c) and their warm-up counts.

/** The workloads of `quick`, `full` and `proof`; the floor mirrors every one. */
export const CORE_WORKLOADS = [
  'stat', 'access', 'open-close',
  'readfile-1k-buffer', 'readfile-1k-utf8', 'readfile-64k-buffer', 'readfile-64k-utf8',
  'readfile-1m-buffer', 'readfile-1m-utf8', 'writefile-1k', 'readdir-100',
];

/**
 * The `fs-extra` preset's workloads: FileHandle read and write, recursive
 * readdir, rm and cp of a tree, copyFile. The floor does not implement them
 * (n/a for `floor` and `one-hop-ref`).
 */
export const FS_EXTRA_WORKLOADS = [
  'fh-read-4k', 'fh-write-4k', 'readdir-recursive', 'readdir-recursive-types',
  'rm-tree', 'copyfile-64k', 'cp-tree',
];

/** Every workload of ../workload/ops.mjs. */
export const ALL_WORKLOADS = [...CORE_WORKLOADS, ...FS_EXTRA_WORKLOADS];

/** The workloads ../floor/uv-floor.c implements. */
export const FLOOR_WORKLOADS: readonly string[] = CORE_WORKLOADS;

/**
 * Warm-up operations per workload, the same for every contender (at least
 * 2,000, except rm-tree: each of its operations needs a fresh tree made
 * before the warm-up starts). The warm-up ends earlier when two consecutive
 * 100 ms windows agree within 5%, or at the preset's time cap.
 */
export const WARMUP_OPS: Record<string, number> = {
  'stat': 30000, 'access': 30000, 'open-close': 15000,
  'readfile-1k-buffer': 15000, 'readfile-1k-utf8': 15000,
  'readfile-64k-buffer': 5000, 'readfile-64k-utf8': 5000,
  'readfile-1m-buffer': 2000, 'readfile-1m-utf8': 2000,
  'writefile-1k': 5000, 'readdir-100': 5000,
  'fh-read-4k': 15000, 'fh-write-4k': 5000,
  'readdir-recursive': 2000, 'readdir-recursive-types': 2000,
  'rm-tree': 300, 'copyfile-64k': 5000, 'cp-tree': 2000,
};
export const MIN_WARMUP_OPS = 2000;
