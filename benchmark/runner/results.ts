// The results file: everything one harness run measured, with the conditions.

import type { State } from './contenders.js';
import type { NoiseVerdict } from './noise.js';
import type { Config } from './plan.js';
import type { Machine } from './sysinfo.js';
import type {
  AllocSample, AllocSummary, Api, Comparison, Load, MemoryAtLoad, Sample, Summary,
} from './types.js';

export interface ContenderStatus {
  id: string;
  label: string;
  runtime: string;
  api: Api;
  binary: string;
  flags: string[];
  fork: boolean;
  /** state === 'ok'. */
  available: boolean;
  /**
   * ok; missing (requested but cannot run: a failure); unavailable (waits
   * for a feature, e.g. the binary has no --no-fs-coro yet); skipped (not
   * requested).
   */
  state: State;
  /** The version when available, the reason otherwise. */
  detail: string;
  /** The partner it runs back to back with, if any. */
  pair_with: string | null;
  /** The thread pool it uses and what the runner sets. */
  pool: string;
  /** From the probe, run with the contender's flags. */
  versions: Record<string, string> | null;
  exec_argv: string[] | null;
  exec_path: string | null;
  sha256: string | null;
  binary_mtime: string | null;
  /** Workloads where it does not do the same work, and why. */
  differences: { workload: string; note: string }[];
}

/** One headline configuration: the comparisons the headline table shows. */
export interface Headline {
  workload: string;
  concurrency: number;
  subject: string;
  /** Each comparison's role: stock path, callback API, Bun, Deno, a floor. */
  rows: { role: string; other: string; kind: 'speed' | 'floor'; note: string | null; comparison: Comparison | null }[];
}

export interface Results {
  schema: 2;
  preset: string;
  title: string;
  /** Set when the fork binary was missing and another node stood in for it. */
  stand_in: string | null;
  started_at: string;
  finished_at: string;
  duration_s: number;
  machine: Machine;
  /** Commits of the trees (null when not a git checkout); see contenders[].sha256 for the binaries measured. */
  source: { repo_commit: string | null; fork_commit: string | null };
  /** Seeds the run order's shuffles and the bootstrap. */
  seed: number;
  conditions: {
    load_start: Load;
    load_end: Load;
    loadavg1_max: number;
    build_processes_max: number;
    /** CPU other processes used during the timed runs: the noise measure. */
    noise: NoiseVerdict;
    noisy: boolean;
  };
  settings: {
    runs: number;
    duration_s: number;
    /** Warm-up: operations per workload (the same for every contender), time cap, window rule. */
    warmup: { ops: Record<string, number>; max_s: number; window_ms: number; stable_pct: number };
    workloads: string[];
    concurrency: number[];
    configs: Config[];
    load_concurrency: number;
    alloc_workloads: string[];
    alloc_concurrency: number[];
    alloc_ops: number;
    alloc_repeats: number;
    latency: boolean;
    uv_threadpool_size: string;
    allow_missing: string[];
  };
  baseline: { requested: string; used: string | null; note: string | null };
  subject: string | null;
  contenders: ContenderStatus[];
  summaries: Summary[];
  headline: Headline[];
  memory_at_load: MemoryAtLoad[];
  alloc_summaries: AllocSummary[];
  allocs: AllocSample[];
  samples: Sample[];
  /** Why the runner exits non-zero; empty when it exits 0. */
  failures: string[];
  exit_code: number;
}
