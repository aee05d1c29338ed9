// A small synthetic Results for the report and statistics tests.
//
// Every figure is chosen so that a wrong implementation gives a different
// answer: per-run peaks differ (median 50 MiB; max 60, min and first 40),
// CPU time differs from wall time (and ranks the runs differently), and the
// allocation repeats differ from one another and from the noop runs.

import type { ContenderStatus, Results } from '../results.js';
import { compare, summarize, allocSummaries } from '../stats.js';
import type { AllocLine, AllocSample, Sample } from '../types.js';

export const MiB = 2 ** 20;

export function sample(contender: string, workload: string, concurrency: number, run: number, us: number,
  cpu = us, rssMiB = 50): Sample {
  return {
    contender, workload, concurrency, run, phase: 'timed', block: run - 1, position: 0,
    load: { loadavg1: 0.5, build_processes: 0 },
    noise: { wall_s: 1.5, other_cpu_s: 0.015, steal_s: 0, kernel_cpu_s: 0.01, other_cores: 0.01 },
    error: null,
    result: {
      tool: 'fs-workload', runtime: { name: 'node', version: 'v0' }, exec_argv: [], mode: 'throughput',
      workload, api: 'promises',
      concurrency, ops: 1000, elapsed_ns: us * 1000 * 1000, ops_per_sec: 1e6 / us, us_per_op: us,
      cpu_user_us: cpu * 1000, cpu_sys_us: 0, cpu_us_per_op: cpu, minflt_per_op: 0.25,
      batch: 10, warmup_ops: 2000,
      warmup: { ops: 2000, ns: 2e8, ended_by: run === 1 ? 'stable' : 'ops', max_ops: 2000, max_s: 1, windows: 2 },
      pid: 1,
      memory: { samples: 2, rss_max: rssMiB * MiB, rss_avg: (rssMiB - 2) * MiB, heap_used_max: 5 * MiB,
        heap_used_avg: 4 * MiB, heap_total_max: 8 * MiB, external_max: 0, threads_max: 10 + run },
    },
  };
}

export function alloc(contender: string, workload: string, concurrency: number, repeat: number,
  heap: number | null, mallocs: number, frees = mallocs / 2, freesAfterGc = mallocs): AllocSample {
  const result: AllocLine = {
    tool: 'fs-alloc', runtime: { name: 'node', version: 'v0' }, exec_argv: ['--expose-gc'], workload,
    api: 'promises', concurrency, ops: 1000, gcs_during_batch: 0, heap_bytes_per_op: heap,
    external_bytes_per_op: heap === null ? null : 0, mallocs_per_op: mallocs, malloc_bytes_per_op: mallocs * 100,
    frees_per_op: frees, frees_after_gc_per_op: freesAfterGc, malloc_counter: 'LD_PRELOAD malloc-count',
  };
  return { contender, workload, concurrency, repeat, load: { loadavg1: 0.5, build_processes: 0 }, noise: null, result, error: null };
}

export function status(id: string, label: string, over: Partial<ContenderStatus> = {}): ContenderStatus {
  return {
    id, label, runtime: 'node', api: 'promises', binary: `/${id}`, flags: [], fork: true, available: true,
    state: 'ok', detail: 'v1', pair_with: null, pool: 'libuv pool, 4', versions: { node: '1' }, exec_argv: [],
    exec_path: `/${id}`, sha256: 'ab'.repeat(32), binary_mtime: null, differences: [], ...over,
  };
}

/** `a` is the subject, `b` a callback-like contender, `f` a floor, `c` missing, `s` waiting for a flag. */
export function results(over: Partial<Results> = {}): Results {
  const samples = [
    // wall 10, 12, 11 (median 11); CPU 14, 20, 15 (median 15); peaks 40, 60, 50 MiB (median 50).
    sample('a', 'stat', 1, 1, 10, 14, 40), sample('a', 'stat', 1, 2, 12, 20, 60), sample('a', 'stat', 1, 3, 11, 15, 50),
    // wall 5, 5.5, 6 (median 5.5); CPU 6, 7, 9 (median 7).
    sample('b', 'stat', 1, 1, 5, 6, 30), sample('b', 'stat', 1, 2, 5.5, 7, 34), sample('b', 'stat', 1, 3, 6, 9, 32),
    // wall 2, 2.5, 3; CPU 2.5, 3, 3.5.
    sample('f', 'stat', 1, 1, 2, 2.5, 2), sample('f', 'stat', 1, 2, 2.5, 3, 2), sample('f', 'stat', 1, 3, 3, 3.5, 2),
  ];
  const allocs = [
    alloc('a', 'stat', 1, 1, 1700, 12.5), alloc('a', 'stat', 1, 2, 1750, 12.7), alloc('a', 'stat', 1, 3, 1725, 12.6),
    alloc('a', 'noop', 1, 1, 100, 1.0), alloc('a', 'noop', 1, 2, 120, 1.2), alloc('a', 'noop', 1, 3, 110, 1.1),
    alloc('f', 'stat', 1, 1, null, 2), alloc('f', 'stat', 1, 2, null, 2), alloc('f', 'stat', 1, 3, null, 2),
  ];
  const contenders = [
    status('a', 'A'),
    status('s', 'A --no-flag', { available: false, state: 'unavailable', detail: 'not available: the binary has no --no-flag', flags: ['--no-flag'] }),
    status('b', 'B', { api: 'callback' }),
    status('f', 'F', { runtime: 'floor', api: 'libuv', fork: false }),
    status('c', 'C', { runtime: 'bun', fork: false, available: false, state: 'missing', detail: 'not installed' }),
  ];
  const planned = ['a', 's', 'b', 'f', 'c'].map((contender) => ({ contender, workload: 'stat', concurrency: 1 }));
  const notes = new Map([['s|stat|1', 'not available: the binary has no --no-flag'], ['c|stat|1', 'missing: not installed']]);
  const seed = 42;
  const base: Results = {
    schema: 2, preset: 'quick', title: 'test run <&>', stand_in: null,
    started_at: '2026-01-01T00:00:00Z', finished_at: '2026-01-01T00:01:00Z', duration_s: 60,
    machine: { cpus: 2, nproc: 2, model: 'cpu', memory_gib: 24, kernel: 'k', os: 'os', host_node: 'v20',
      uv_threadpool_size: '4', tmpdir: '/tmp' },
    source: { repo_commit: 'abc', fork_commit: null },
    seed,
    conditions: {
      load_start: { loadavg1: 0.1, build_processes: 0 }, load_end: { loadavg1: 0.2, build_processes: 0 },
      loadavg1_max: 0.2, build_processes_max: 0,
      noise: { runs: 9, wall_s: 13.5, other_cpu_s: 0.135, steal_s: 0, kernel_cpu_s: 0.09, others_scanned_cpu_s: 0.1, basis: 'max', other_cores_avg: 0.01, other_cores_max: 0.01,
        disturbed: 0, noisy: false, rule: 'the rule' },
      noisy: false,
    },
    settings: { runs: 3, duration_s: 1, warmup: { ops: { stat: 2000 }, max_s: 1, window_ms: 100, stable_pct: 5 },
      workloads: ['stat'], concurrency: [1], configs: [{ workload: 'stat', concurrency: 1 }], load_concurrency: 1,
      alloc_workloads: ['stat'], alloc_concurrency: [1], alloc_ops: 100, alloc_repeats: 3, latency: false,
      uv_threadpool_size: '4', allow_missing: [] },
    baseline: { requested: 'a', used: 'a', note: null },
    subject: 'a',
    contenders,
    summaries: summarize(samples, planned, notes, 'a', seed),
    headline: [{
      workload: 'stat', concurrency: 1, subject: 'a',
      rows: [
        { role: 'stock path', other: 's', kind: 'speed', note: 'not available: the binary has no --no-flag', comparison: null },
        { role: 'callback API', other: 'b', kind: 'speed', note: null, comparison: compare(samples, 'stat', 1, 'a', 'b', seed) },
        { role: 'Bun', other: 'c', kind: 'speed', note: 'not available: not installed', comparison: null },
        { role: 'libuv floor', other: 'f', kind: 'floor', note: null, comparison: compare(samples, 'stat', 1, 'a', 'f', seed) },
      ],
    }],
    memory_at_load: [],
    alloc_summaries: allocSummaries(allocs, new Set(['f'])),
    allocs, samples,
    failures: [], exit_code: 0,
    ...over,
  };
  return base;
}
