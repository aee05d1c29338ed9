// Shapes shared by the runner's modules. The JSON lines printed by
// ../workload/fs-workload.mjs, ../workload/alloc.mjs and ../floor/uv-floor.c
// are parsed into WorkloadLine and AllocLine.

import type { Noise } from './noise.js';

export type Api = 'promises' | 'callback' | 'sync' | 'libuv';

export interface WarmupInfo {
  ops: number;
  ns: number;
  /** What ended the warm-up: the operation count, two steady windows, or the time cap. */
  ended_by: 'ops' | 'stable' | 'time-cap';
  max_ops: number;
  max_s: number;
  windows: number;
}

export interface WorkloadLine {
  tool: 'fs-workload' | 'fs-latency';
  runtime: { name: string; version: string };
  /** The runtime flags the process saw (process.execArgv; the floor's own flags). */
  exec_argv?: string[];
  mode?: 'throughput' | 'latency';
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
  minflt_per_op?: number | null;
  /** Operations per clock read in the timed phase. */
  batch?: number;
  warmup_ops: number;
  warmup?: WarmupInfo;
  uv_threadpool_size?: string | null;
  memory: {
    samples: number;
    rss_max: number;
    rss_avg: number;
    heap_used_max: number | null;
    heap_used_avg: number | null;
    heap_total_max: number | null;
    external_max: number | null;
    threads_max?: number | null;
  };
  /**
   * Consumable fixtures (rm-tree's fresh trees): made before the timed phase
   * (made_s seconds, not timed), `ready` at its start, `used` by it;
   * ended_early when they ran out before the deadline (the figures are then
   * over a shorter phase, still operations ÷ elapsed time).
   */
  pool?: { ready: number; used: number; ended_early: boolean; made_s: number; factor: number; max: number };
  latency_us?: { count: number; p50: number | null; p90: number | null; p99: number | null; p999: number | null; max: number | null };
  pid: number;
}

export interface AllocLine {
  tool: 'fs-alloc';
  runtime: { name: string; version: string };
  exec_argv?: string[];
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
  /** Frees from the batch's start to after two forced full GCs. */
  frees_after_gc_per_op?: number | null;
  malloc_counter: string;
}

/** The environment around one child process. */
export interface Load {
  loadavg1: number;
  build_processes: number;
}

export interface Sample {
  contender: string;
  workload: string;
  concurrency: number;
  run: number;
  phase: 'timed' | 'latency';
  /** Block (run x configuration) and position in its shuffled order. */
  block: number;
  position: number;
  load: Load;
  /** CPU other processes used while this child ran. */
  noise: Noise | null;
  result: WorkloadLine | null;
  error: string | null;
}

export interface AllocSample {
  contender: string;
  workload: string;
  concurrency: number;
  repeat: number;
  load: Load;
  noise: Noise | null;
  result: AllocLine | null;
  error: string | null;
}

/** A median with its 95% bootstrap interval over n runs. */
export interface Interval {
  median: number;
  lo: number;
  hi: number;
  n: number;
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
  /** baseline us/op / this us/op (medians): above 1 is faster than the baseline. */
  speed_vs_baseline: number | null;
  /** The same from paired runs: median of per-run ratios with its interval. */
  speed_vs_baseline_ci: Interval | null;
  minflt_per_op_median: number | null;
  threads_max: number | null;
  /** How the runs' warm-ups ended, e.g. { stable: 2, ops: 1 }. */
  warmup_ended_by: Record<string, number>;
  /** Why the configuration has no figure (missing contender, n/a). */
  note: string | null;
}

/**
 * A paired comparison of the subject with another contender in one
 * configuration, over the runs where both have a result (same block).
 * speed = other's time / subject's time (above 1: the subject is faster);
 * times = subject's time / other's time; diff = subject's - other's, µs.
 */
export interface Comparison {
  workload: string;
  concurrency: number;
  subject: string;
  other: string;
  n: number;
  wall: { speed: Interval; times: Interval; diff_us: Interval } | null;
  cpu: { speed: Interval; times: Interval; diff_us: Interval } | null;
}

/** Allocation counts of one configuration over its repeats. */
export interface AllocSummary {
  contender: string;
  workload: string;
  concurrency: number;
  repeats: number;
  failed: number;
  /** Median and (max - min) over the repeats, raw. */
  heap_bytes_per_op: Spread | null;
  external_bytes_per_op: Spread | null;
  mallocs_per_op: Spread | null;
  malloc_bytes_per_op: Spread | null;
  frees_per_op: Spread | null;
  frees_after_gc_per_op: Spread | null;
  /** Net of the driver loop: this minus the same contender's noop median. */
  net_heap_bytes_per_op: number | null;
  net_mallocs_per_op: number | null;
  /** What was subtracted, in words. */
  net_note: string;
  batch_ops: number | null;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

export interface MemoryAtLoad {
  contender: string;
  workload: string;
  concurrency: number;
  rss_max: number | null;
  rss_avg: number | null;
  heap_used_max: number | null;
  heap_used_avg: number | null;
  threads_max: number | null;
  source: string;
}
