// A small synthetic Results for the report tests.

import type { Results } from '../results.js';
import type { Sample } from '../types.js';

export function sample(contender: string, workload: string, concurrency: number, run: number, us: number): Sample {
  return {
    contender, workload, concurrency, run, phase: 'timed',
    load: { loadavg1: 0.5, build_processes: 0 },
    error: null,
    result: {
      tool: 'fs-workload', runtime: { name: 'node', version: 'v0' }, workload, api: 'promises',
      concurrency, ops: 1000, elapsed_ns: us * 1000 * 1000, ops_per_sec: 1e6 / us, us_per_op: us,
      cpu_user_us: us * 1000, cpu_sys_us: 0, cpu_us_per_op: us,
      warmup_ops: 10, pid: 1,
      memory: { samples: 2, rss_max: 50 * 2 ** 20, rss_avg: 48 * 2 ** 20, heap_used_max: 5 * 2 ** 20,
        heap_used_avg: 4 * 2 ** 20, heap_total_max: 8 * 2 ** 20, external_max: 0 },
    },
  };
}

export function results(over: Partial<Results> = {}): Results {
  const samples = [
    sample('a', 'stat', 1, 1, 10), sample('a', 'stat', 1, 2, 12), sample('a', 'stat', 1, 3, 11),
    sample('b', 'stat', 1, 1, 5), sample('b', 'stat', 1, 2, 5.5), sample('b', 'stat', 1, 3, 6),
  ];
  return {
    schema: 1, preset: 'quick', title: 'test run <&>', stand_in: null,
    started_at: '2026-01-01T00:00:00Z', finished_at: '2026-01-01T00:01:00Z', duration_s: 60,
    machine: { cpus: 2, nproc: 2, model: 'cpu', memory_gib: 24, kernel: 'k', os: 'os', host_node: 'v20',
      uv_threadpool_size: 'default (4)', tmpdir: '/tmp' },
    source: { repo_commit: 'abc', fork_commit: null },
    conditions: { load_start: { loadavg1: 0.1, build_processes: 0 }, load_end: { loadavg1: 0.2, build_processes: 0 },
      loadavg1_max: 0.2, build_processes_max: 0, noisy: false },
    settings: { runs: 3, duration_s: 1, warmup_s: 0.3, workloads: ['stat'], concurrency: [1], load_concurrency: 1,
      alloc_workloads: [], alloc_concurrency: [1], alloc_ops: 100 },
    baseline: { requested: 'a', used: 'a', note: null },
    contenders: [
      { id: 'a', label: 'A', runtime: 'node', api: 'promises', binary: '/a', flags: [], fork: true, available: true, detail: 'v1' },
      { id: 'b', label: 'B', runtime: 'node', api: 'callback', binary: '/b', flags: [], fork: true, available: true, detail: 'v1' },
      { id: 'c', label: 'C', runtime: 'bun', api: 'promises', binary: '/c', flags: [], fork: false, available: false, detail: 'not installed' },
    ],
    summaries: [], memory_at_load: [], allocs: [], samples,
    ...over,
  };
}
