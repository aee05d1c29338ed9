// The presets: which configurations (workload × in-flight count) a run
// times, with which contenders, which the headline shows, and which it
// counts allocations for.

import { STOCK, SUBJECT } from './contenders.js';
import type { Config } from './plan.js';
import { CORE_WORKLOADS, FS_EXTRA_WORKLOADS } from './workloads.js';

/** The headline configurations (and the proof preset's). */
export const HEADLINE: Config[] = [
  { workload: 'stat', concurrency: 1 },
  { workload: 'stat', concurrency: 64 },
  { workload: 'readfile-1k-buffer', concurrency: 16 },
  { workload: 'readfile-1k-buffer', concurrency: 64 },
  { workload: 'readfile-64k-buffer', concurrency: 16 },
  { workload: 'writefile-1k', concurrency: 16 },
];

export function crossConfigs(ws: readonly string[], ks: readonly number[]): Config[] {
  return ws.flatMap((workload) => ks.map((concurrency) => ({ workload, concurrency })));
}

export interface Preset {
  runs: number;
  duration: number;
  /** Warm-up time cap, seconds. */
  warmupMax: number;
  /** Explicit configurations; else the cross product below. */
  configs: Config[] | null;
  workloads: string[];
  concurrency: number[];
  /** Contenders run by default (others are listed as skipped); null: all. */
  contenders: string[] | null;
  /** The configurations the headline shows (those that run). */
  headline: Config[];
  /** Allocation configurations: explicit, or workloads × in-flight counts. */
  allocConfigs: Config[] | null;
  allocWorkloads: string[];
  allocConcurrency: number[];
  allocOps: number;
  allocRepeats: number;
  allocWarmup: number;
  /** Where the fixtures go unless --tmpdir says otherwise; null: $TMPDIR or /tmp. */
  tmpdir: string | null;
}

export const PRESETS: Record<string, Preset> = {
  quick: {
    runs: 3, duration: 0.5, warmupMax: 0.5, configs: null,
    workloads: ['stat', 'readfile-1k-buffer'],
    concurrency: [1, 16, 64],
    contenders: null,
    headline: HEADLINE,
    allocConfigs: null,
    allocWorkloads: ['stat', 'readfile-1k-buffer'],
    allocConcurrency: [1],
    allocOps: 4000, allocRepeats: 3, allocWarmup: 0.3,
    tmpdir: null,
  },
  full: {
    runs: 3, duration: 1, warmupMax: 1, configs: null,
    workloads: CORE_WORKLOADS,
    concurrency: [1, 16, 64],
    contenders: null,
    headline: HEADLINE,
    allocConfigs: null,
    allocWorkloads: CORE_WORKLOADS,
    allocConcurrency: [1, 64],
    allocOps: 4000, allocRepeats: 3, allocWarmup: 0.5,
    tmpdir: null,
  },
  // At least 10 paired runs of each headline configuration, for intervals
  // that can carry a claim; the contenders the headline compares.
  proof: {
    runs: 15, duration: 1, warmupMax: 1, configs: HEADLINE,
    workloads: [], concurrency: [],
    contenders: [SUBJECT, STOCK, 'fork-callback', 'floor', 'one-hop-ref', 'bun-promises', 'deno-promises'],
    headline: HEADLINE,
    allocConfigs: HEADLINE,
    allocWorkloads: [], allocConcurrency: [],
    allocOps: 4000, allocRepeats: 3, allocWarmup: 0.5,
    tmpdir: null,
  },
  // The fast path against the stock path on the fs-extra workloads, every
  // one a headline configuration; 5 runs of 0.5 s: under 10 minutes on 2
  // cores. Fixtures on tmpfs: on this machine's ext4 root creating an inode
  // takes about 1 ms, so rm-tree's fresh trees (made before the timed phase)
  // would take longer to make than the timed work, and cp-tree would measure
  // ext4's inode creation more than either path.
  'fs-extra': {
    runs: 5, duration: 0.5, warmupMax: 0.5, configs: null,
    workloads: FS_EXTRA_WORKLOADS,
    concurrency: [1, 16, 64],
    contenders: [SUBJECT, STOCK],
    headline: crossConfigs(FS_EXTRA_WORKLOADS, [1, 16, 64]),
    allocConfigs: null,
    allocWorkloads: FS_EXTRA_WORKLOADS,
    allocConcurrency: [1],
    allocOps: 4000, allocRepeats: 2, allocWarmup: 0.3,
    tmpdir: '/dev/shm',
  },
};

/**
 * The timed configurations: the preset's, or the cross product of
 * --workloads and --concurrency, each defaulting to the preset's.
 */
export function resolveConfigs(p: Preset, workloads?: readonly string[], concurrency?: readonly number[]): Config[] {
  if (workloads === undefined && concurrency === undefined && p.configs !== null) return p.configs;
  return crossConfigs(
    workloads ?? (p.configs ? [...new Set(p.configs.map((c) => c.workload))] : p.workloads),
    concurrency ?? (p.configs ? [...new Set(p.configs.map((c) => c.concurrency))] : p.concurrency));
}

/**
 * The allocation configurations among the timed workloads: the preset's, or
 * its allocation workloads × --alloc-concurrency (default the preset's).
 */
export function resolveAllocConfigs(p: Preset, workloads: readonly string[], allocConcurrency?: readonly number[]): Config[] {
  if (allocConcurrency === undefined && p.allocConfigs !== null) {
    return p.allocConfigs.filter((c) => workloads.includes(c.workload));
  }
  return crossConfigs(
    p.allocConfigs ? [...new Set(p.allocConfigs.map((c) => c.workload))].filter((w) => workloads.includes(w))
      : workloads.filter((w) => p.allocWorkloads.includes(w)),
    allocConcurrency ?? p.allocConcurrency);
}

/** The headline configurations of this run: the preset's that run. */
export function headlineConfigs(p: Preset, configs: readonly Config[]): Config[] {
  return p.headline.filter((h) => configs.some((c) => c.workload === h.workload && c.concurrency === h.concurrency));
}
