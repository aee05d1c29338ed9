// The results file: everything one harness run measured, with the conditions.

import type { Machine } from './sysinfo.js';
import type { AllocSample, Load, MemoryAtLoad, Sample, Summary } from './types.js';
import type { Api } from './types.js';

export interface ContenderStatus {
  id: string;
  label: string;
  runtime: string;
  api: Api;
  binary: string;
  flags: string[];
  fork: boolean;
  available: boolean;
  /** The version when available, the reason it is missing otherwise. */
  detail: string;
}

export interface Results {
  schema: 1;
  preset: string;
  title: string;
  /** Set when the fork binary was missing and another node stood in for it. */
  stand_in: string | null;
  started_at: string;
  finished_at: string;
  duration_s: number;
  machine: Machine;
  /** Commits the figures belong to (null when not a git checkout). */
  source: { repo_commit: string | null; fork_commit: string | null };
  conditions: {
    load_start: Load;
    load_end: Load;
    loadavg1_max: number;
    build_processes_max: number;
    noisy: boolean;
  };
  settings: {
    runs: number;
    duration_s: number;
    warmup_s: number;
    workloads: string[];
    concurrency: number[];
    load_concurrency: number;
    alloc_workloads: string[];
    alloc_concurrency: number[];
    alloc_ops: number;
  };
  baseline: { requested: string; used: string | null; note: string | null };
  contenders: ContenderStatus[];
  summaries: Summary[];
  memory_at_load: MemoryAtLoad[];
  allocs: AllocSample[];
  samples: Sample[];
}
