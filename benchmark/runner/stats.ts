// Medians, spreads, paired ratios with bootstrap intervals, allocation
// summaries and memory at load, over the samples of one harness run.

import { type Rng, deriveSeed, below, mulberry32 } from './prng.js';
import type {
  AllocSample, AllocSummary, Comparison, Interval, MemoryAtLoad, Sample, Spread, Summary, WorkloadLine,
} from './types.js';

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const hi = s[mid] as number;
  return s.length % 2 === 1 ? hi : ((s[mid - 1] as number) + hi) / 2;
}

/** The q-quantile of sorted values, linear interpolation (type 7). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return a + (h - lo) * (b - a);
}

export const BOOTSTRAP_RESAMPLES = 4000;
/** Intervals from fewer paired runs are shown but support no claim. */
export const MIN_RUNS_FOR_CLAIM = 10;

/**
 * Medians of several columns of paired values (one row per run) with 95%
 * percentile-bootstrap intervals: each resample draws n rows with
 * replacement, the same rows for every column.
 */
export function bootstrapMedians(columns: readonly (readonly number[])[], rng: Rng,
  resamples = BOOTSTRAP_RESAMPLES, level = 0.95): Interval[] {
  const n = columns[0]?.length ?? 0;
  if (n === 0) return [];
  const meds: number[][] = columns.map(() => []);
  const pick = new Array<number>(n);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) pick[i] = below(rng, n);
    columns.forEach((col, c) => {
      (meds[c] as number[]).push(median(pick.map((i) => col[i] as number)) as number);
    });
  }
  const alpha = (1 - level) / 2;
  return columns.map((col, c) => {
    const s = (meds[c] as number[]).sort((x, y) => x - y);
    return { median: median(col) as number, lo: quantile(s, alpha), hi: quantile(s, 1 - alpha), n };
  });
}

export function bootstrapMedian(xs: readonly number[], rng: Rng, resamples = BOOTSTRAP_RESAMPLES): Interval | null {
  return bootstrapMedians([xs], rng, resamples)[0] ?? null;
}

export function configKey(contender: string, workload: string, concurrency: number): string {
  return `${contender}|${workload}|${concurrency}`;
}

function timedResults(samples: readonly Sample[], contender: string, workload: string, concurrency: number): Map<number, WorkloadLine> {
  const m = new Map<number, WorkloadLine>();
  for (const s of samples) {
    if (s.phase === 'timed' && s.result && s.contender === contender && s.workload === workload && s.concurrency === concurrency) {
      m.set(s.run, s.result);
    }
  }
  return m;
}

/**
 * The subject against another contender in one configuration, paired by run
 * (both ran in the same shuffled block). The bootstrap is seeded from `seed`
 * and the comparison's names, so the interval does not depend on the order
 * comparisons are computed in.
 */
export function compare(samples: readonly Sample[], workload: string, concurrency: number,
  subject: string, other: string, seed: number, resamples = BOOTSTRAP_RESAMPLES): Comparison {
  const a = timedResults(samples, subject, workload, concurrency);
  const b = timedResults(samples, other, workload, concurrency);
  const runs = [...a.keys()].filter((r) => b.has(r)).sort((x, y) => x - y);
  const pairs = runs.map((r) => [a.get(r) as WorkloadLine, b.get(r) as WorkloadLine] as const);
  const base = { workload, concurrency, subject, other, n: pairs.length };
  if (pairs.length === 0) return { ...base, wall: null, cpu: null };
  const rng = mulberry32(deriveSeed(seed, `${workload}|${concurrency}|${subject}|${other}`));
  const cols = (f: (x: WorkloadLine) => number) => [
    pairs.map(([s, o]) => f(o) / f(s)),
    pairs.map(([s, o]) => f(s) / f(o)),
    pairs.map(([s, o]) => f(s) - f(o)),
  ];
  const [ws, wt, wd, cs, ct, cd] = bootstrapMedians(
    [...cols((x) => x.us_per_op), ...cols((x) => x.cpu_us_per_op)], rng, resamples);
  return {
    ...base,
    wall: { speed: ws as Interval, times: wt as Interval, diff_us: wd as Interval },
    cpu: { speed: cs as Interval, times: ct as Interval, diff_us: cd as Interval },
  };
}

function countBy(xs: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
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
  seed = 1,
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
    const threads = ok.flatMap((r) => (typeof r.memory.threads_max === 'number' ? [r.memory.threads_max] : []));
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
      speed_vs_baseline_ci: null,
      minflt_per_op_median: median(ok.flatMap((r) => (typeof r.minflt_per_op === 'number' ? [r.minflt_per_op] : []))),
      threads_max: threads.length ? Math.max(...threads) : null,
      warmup_ended_by: countBy(ok.flatMap((r) => (r.warmup ? [r.warmup.ended_by] : []))),
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
      if (b !== undefined && s.us_per_op_median !== null) {
        s.speed_vs_baseline = b / s.us_per_op_median;
        s.speed_vs_baseline_ci = compare(samples, s.workload, s.concurrency, s.contender, baseline, seed).wall?.speed ?? null;
      }
    }
  }
  return out;
}

function spread(xs: readonly (number | null | undefined)[]): Spread | null {
  const v = xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  if (v.length === 0) return null;
  return { median: median(v) as number, min: Math.min(...v), max: Math.max(...v), n: v.length };
}

/**
 * Allocation counts per (contender, workload, concurrency) over the repeats:
 * median and range, and for runtimes with a JavaScript driver loop the
 * figure net of the `noop` workload (the loop alone) at the same in-flight
 * count. The floor's loop is C and allocates nothing; its figures are net
 * already.
 */
export function allocSummaries(allocs: readonly AllocSample[], driverless: ReadonlySet<string>): AllocSummary[] {
  const groups = new Map<string, AllocSample[]>();
  for (const a of allocs) {
    const k = configKey(a.contender, a.workload, a.concurrency);
    const list = groups.get(k) ?? [];
    list.push(a);
    groups.set(k, list);
  }
  const raw = [...groups.values()].map((list): AllocSummary => {
    const first = list[0] as AllocSample;
    const ok = list.flatMap((a) => (a.result ? [a.result] : []));
    return {
      contender: first.contender,
      workload: first.workload,
      concurrency: first.concurrency,
      repeats: ok.length,
      failed: list.length - ok.length,
      heap_bytes_per_op: spread(ok.map((r) => r.heap_bytes_per_op)),
      external_bytes_per_op: spread(ok.map((r) => r.external_bytes_per_op)),
      mallocs_per_op: spread(ok.map((r) => r.mallocs_per_op)),
      malloc_bytes_per_op: spread(ok.map((r) => r.malloc_bytes_per_op)),
      frees_per_op: spread(ok.map((r) => r.frees_per_op)),
      frees_after_gc_per_op: spread(ok.map((r) => r.frees_after_gc_per_op)),
      net_heap_bytes_per_op: null,
      net_mallocs_per_op: null,
      net_note: '',
      batch_ops: median(ok.map((r) => r.ops)),
    };
  });
  const find = (c: string, w: string, k: number) => raw.find((x) => x.contender === c && x.workload === w && x.concurrency === k);
  for (const s of raw) {
    if (s.workload === 'noop') {
      s.net_note = 'the driver loop itself';
      continue;
    }
    if (driverless.has(s.contender)) {
      s.net_heap_bytes_per_op = s.heap_bytes_per_op?.median ?? null;
      s.net_mallocs_per_op = s.mallocs_per_op?.median ?? null;
      s.net_note = 'C driver loop: nothing to subtract';
      continue;
    }
    const noop = find(s.contender, 'noop', s.concurrency);
    if (!noop) {
      s.net_note = `no noop run at ${s.concurrency} in flight: not net`;
      continue;
    }
    const h = s.heap_bytes_per_op?.median;
    const nh = noop.heap_bytes_per_op?.median;
    const m = s.mallocs_per_op?.median;
    const nm = noop.mallocs_per_op?.median;
    s.net_heap_bytes_per_op = h !== undefined && nh !== undefined ? h - nh : null;
    s.net_mallocs_per_op = m !== undefined && nm !== undefined ? m - nm : null;
    s.net_note = `minus noop at ${s.concurrency} in flight (${nh === undefined ? '—' : nh.toFixed(0)} B, ${nm === undefined ? '—' : nm.toFixed(2)} mallocs)`;
  }
  return raw;
}

/**
 * Memory during a steady run at `concurrency` in flight: the median over the
 * runs of each run's peak and average RSS and V8 heap, and the most threads
 * seen in any run.
 */
export function memoryAtLoad(samples: readonly Sample[], concurrency: number): MemoryAtLoad[] {
  const groups = new Map<string, Sample[]>();
  for (const s of samples) {
    if (s.phase !== 'timed' || s.concurrency !== concurrency || !s.result) continue;
    const k = `${s.contender}|${s.workload}`;
    const list = groups.get(k) ?? [];
    list.push(s);
    groups.set(k, list);
  }
  const out: MemoryAtLoad[] = [];
  for (const list of groups.values()) {
    const first = list[0] as Sample;
    const mems = list.flatMap((s) => (s.result ? [s.result.memory] : []));
    const pick = (f: (m: (typeof mems)[number]) => number | null | undefined): number | null =>
      median(mems.flatMap((m) => { const v = f(m); return typeof v === 'number' ? [v] : []; }));
    const threads = mems.flatMap((m) => (typeof m.threads_max === 'number' ? [m.threads_max] : []));
    out.push({
      contender: first.contender,
      workload: first.workload,
      concurrency,
      rss_max: pick((m) => m.rss_max),
      rss_avg: pick((m) => m.rss_avg),
      heap_used_max: pick((m) => m.heap_used_max),
      heap_used_avg: pick((m) => m.heap_used_avg),
      threads_max: threads.length ? Math.max(...threads) : null,
      source: `${mems.length} timed run(s)`,
    });
  }
  return out;
}
