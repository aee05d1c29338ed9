// Shapes shared by the runner's modules. The JSON lines printed by
// ../workload/fs-workload.mjs, ../workload/alloc.mjs and ../floor/uv-floor.c
// are parsed into WorkloadLine and AllocLine.

export type Api = 'promises' | 'callback' | 'sync' | 'libuv';

export interface WorkloadLine {
  tool: 'fs-workload';
  runtime: { name: string; version: string };
  workload: string;
  api: Api;
  concurrency: number;
  ops: number;
  elapsed_ns: number;
  ops_per_sec: number;
  us_per_op: number;
  /** CPU time of the whole process (every thread) over the timed phase. */
  cpu_user_us: number;
  cpu_sys_us: number;
  cpu_us_per_op: number;
  warmup_ops: number;
  memory: {
    samples: number;
    rss_max: number;
    rss_avg: number;
    heap_used_max: number | null;
    heap_used_avg: number | null;
    heap_total_max: number | null;
    external_max: number | null;
  };
  pid: number;
}

export interface AllocLine {
  tool: 'fs-alloc';
  runtime: { name: string; version: string };
  workload: string;
  api: Api;
  concurrency: number;
  ops: number;
  gcs_during_batch: number;
  heap_bytes_per_op: number | null;
  external_bytes_per_op: number | null;
  mallocs_per_op: number | null;
  malloc_bytes_per_op: number | null;
  frees_per_op: number | null;
  malloc_counter: string;
}

/** The environment around one child process: load and competing builds. */
export interface Load {
  loadavg1: number;
  build_processes: number;
}

export interface Sample {
  contender: string;
  workload: string;
  concurrency: number;
  run: number;
  phase: 'timed' | 'load-memory';
  load: Load;
  result: WorkloadLine | null;
  error: string | null;
}

export interface AllocSample {
  contender: string;
  workload: string;
  concurrency: number;
  load: Load;
  result: AllocLine | null;
  error: string | null;
}

/** Median and spread of one configuration's timed runs. */
export interface Summary {
  contender: string;
  workload: string;
  concurrency: number;
  runs: number;
  failed: number;
  us_per_op_median: number | null;
  us_per_op_min: number | null;
  us_per_op_max: number | null;
  ops_per_sec_median: number | null;
  /** Median CPU time (user + system, all threads) per operation. */
  cpu_us_per_op_median: number | null;
  /** (max - min) / median of us/op, in percent. */
  spread_pct: number | null;
  /** baseline us/op / this us/op: above 1 is faster than the baseline. */
  speed_vs_baseline: number | null;
  /** Why the configuration has no figure (missing contender, n/a). */
  note: string | null;
}

export interface MemoryAtLoad {
  contender: string;
  workload: string;
  concurrency: number;
  rss_max: number | null;
  rss_avg: number | null;
  heap_used_max: number | null;
  heap_used_avg: number | null;
  source: string;
}
