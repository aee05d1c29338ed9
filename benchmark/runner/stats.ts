// Medians, spreads and ratios over the timed samples.

import type { MemoryAtLoad, Sample, Summary } from './types.js';

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const hi = s[mid] as number;
  return s.length % 2 === 1 ? hi : ((s[mid - 1] as number) + hi) / 2;
}

export function configKey(contender: string, workload: string, concurrency: number): string {
  return `${contender}|${workload}|${concurrency}`;
}

/**
 * One Summary per (contender, workload, concurrency) that was planned, in the
 * order given; `notes` holds the reason for configurations that never ran.
 */
export function summarize(
  samples: readonly Sample[],
  planned: readonly { contender: string; workload: string; concurrency: number }[],
  notes: ReadonlyMap<string, string>,
  baseline: string | null,
): Summary[] {
  const byKey = new Map<string, Sample[]>();
  for (const s of samples) {
    if (s.phase !== 'timed') continue;
    const k = configKey(s.contender, s.workload, s.concurrency);
    const list = byKey.get(k) ?? [];
    list.push(s);
    byKey.set(k, list);
  }
  const out: Summary[] = planned.map(({ contender, workload, concurrency }) => {
    const k = configKey(contender, workload, concurrency);
    const runs = byKey.get(k) ?? [];
    const ok = runs.flatMap((s) => (s.result ? [s.result] : []));
    const us = ok.map((r) => r.us_per_op);
    const med = median(us);
    const failed = runs.length - ok.length;
    const firstError = runs.find((s) => s.error !== null)?.error ?? null;
    return {
      contender, workload, concurrency,
      runs: ok.length,
      failed,
      us_per_op_median: med,
      us_per_op_min: us.length ? Math.min(...us) : null,
      us_per_op_max: us.length ? Math.max(...us) : null,
      ops_per_sec_median: median(ok.map((r) => r.ops_per_sec)),
      cpu_us_per_op_median: median(ok.map((r) => r.cpu_us_per_op)),
      spread_pct: med !== null && us.length > 1 ? ((Math.max(...us) - Math.min(...us)) / med) * 100 : null,
      speed_vs_baseline: null,
      note: notes.get(k) ?? (ok.length === 0 && firstError ? `failed: ${firstError}` : null),
    };
  });
  if (baseline !== null) {
    const base = new Map<string, number>();
    for (const s of out) {
      if (s.contender === baseline && s.us_per_op_median !== null) {
        base.set(`${s.workload}|${s.concurrency}`, s.us_per_op_median);
      }
    }
    for (const s of out) {
      const b = base.get(`${s.workload}|${s.concurrency}`);
      if (b !== undefined && s.us_per_op_median !== null) s.speed_vs_baseline = b / s.us_per_op_median;
    }
  }
  return out;
}

/**
 * Memory during a steady run at `concurrency` in flight: the median over the
 * runs of each run's peak and average RSS and V8 heap.
 */
export function memoryAtLoad(samples: readonly Sample[], concurrency: number): MemoryAtLoad[] {
  const groups = new Map<string, Sample[]>();
  for (const s of samples) {
    if (s.concurrency !== concurrency || !s.result) continue;
    const k = `${s.contender}|${s.workload}`;
    const list = groups.get(k) ?? [];
    list.push(s);
    groups.set(k, list);
  }
  const out: MemoryAtLoad[] = [];
  for (const list of groups.values()) {
    const first = list[0] as Sample;
    const mems = list.flatMap((s) => (s.result ? [s.result.memory] : []));
    const pick = (f: (m: (typeof mems)[number]) => number | null): number | null =>
      median(mems.flatMap((m) => { const v = f(m); return v === null ? [] : [v]; }));
    out.push({
      contender: first.contender,
      workload: first.workload,
      concurrency,
      rss_max: pick((m) => m.rss_max),
      rss_avg: pick((m) => m.rss_avg),
      heap_used_max: pick((m) => m.heap_used_max),
      heap_used_avg: pick((m) => m.heap_used_avg),
      source: `${mems.length} ${first.phase} run(s)`,
    });
  }
  return out;
}
