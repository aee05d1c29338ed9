import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mulberry32 } from '../prng.js';
import {
  allocSummaries, bootstrapMedian, bootstrapMedians, compare, configKey, median, memoryAtLoad, quantile, summarize,
} from '../stats.js';
import { MiB, alloc, results, sample } from './fixture.js';

test('median of odd, even and empty lists', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([]), null);
});

test('quantiles interpolate between order statistics', () => {
  assert.equal(quantile([1, 2, 3, 4, 5], 0.5), 3);
  assert.equal(quantile([1, 2, 3, 4, 5], 0.25), 2);
  assert.equal(quantile([10, 20], 0.75), 17.5);
});

test('summaries carry median, spread, CPU and speed against the baseline', () => {
  const r = results();
  const planned = ['a', 'b', 'c'].map((contender) => ({ contender, workload: 'stat', concurrency: 1 }));
  const notes = new Map([[configKey('c', 'stat', 1), 'missing: not installed']]);
  const [a, b, c] = summarize(r.samples, planned, notes, 'a', 7);
  assert.equal(a?.us_per_op_median, 11);
  assert.equal(a?.cpu_us_per_op_median, 15); // not the wall median (11), not the mean (16.3)
  assert.equal(a?.speed_vs_baseline, 1);
  assert.ok(Math.abs((a?.spread_pct ?? 0) - (2 / 11) * 100) < 1e-9);
  assert.equal(b?.us_per_op_median, 5.5);
  assert.equal(b?.cpu_us_per_op_median, 7);
  assert.equal(b?.speed_vs_baseline, 2);
  // Paired: per run a/b = 2, 2.18, 1.83: median 2, interval within [1.83, 2.18].
  assert.equal(b?.speed_vs_baseline_ci?.median, 2);
  assert.ok((b?.speed_vs_baseline_ci?.lo ?? 0) >= 11 / 6 - 1e-9 && (b?.speed_vs_baseline_ci?.hi ?? 9) <= 12 / 5.5 + 1e-9);
  assert.equal(b?.threads_max, 13);
  assert.deepEqual(b?.warmup_ended_by, { stable: 1, ops: 2 });
  assert.equal(c?.us_per_op_median, null);
  assert.equal(c?.note, 'missing: not installed');
});

test('a configuration whose runs all failed reports the first error', () => {
  const r = results();
  const failed = { ...r.samples[0]!, contender: 'x', result: null, error: 'exit 1: boom' };
  const [x] = summarize([failed], [{ contender: 'x', workload: 'stat', concurrency: 1 }], new Map(), null);
  assert.equal(x?.failed, 1);
  assert.equal(x?.note, 'failed: exit 1: boom');
});

test('memory at load takes the median of the per-run peaks', () => {
  // a's peaks are 40, 60 and 50 MiB: max would say 60, min and first 40.
  const m = memoryAtLoad(results().samples, 1);
  const a = m.find((x) => x.contender === 'a');
  assert.equal(a?.rss_max, 50 * MiB);
  assert.equal(a?.rss_avg, 48 * MiB);
  assert.equal(a?.threads_max, 13);
  assert.equal(m.find((x) => x.contender === 'b')?.rss_max, 32 * MiB);
});

test('the bootstrap is reproducible from its seed and moves with it', () => {
  const xs = [3.1, 2.9, 3.4, 3.0, 2.7, 3.8, 3.3, 2.95, 3.05, 3.6, 3.2, 2.8];
  const a = bootstrapMedian(xs, mulberry32(123));
  const b = bootstrapMedian(xs, mulberry32(123));
  const c = bootstrapMedian(xs, mulberry32(124), 200);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.equal(a?.median, median(xs));
  assert.equal(a?.n, 12);
  assert.ok(a !== null && a.lo < a.median && a.median < a.hi, JSON.stringify(a));
  assert.ok(a !== null && a.lo >= Math.min(...xs) && a.hi <= Math.max(...xs));
});

test('the bootstrap interval is of the median, not the mean', () => {
  // One wild run among ten: the median's interval stays at 1, a mean's would not.
  const iv = bootstrapMedian([1, 1, 1, 1, 1, 1, 1, 1, 1, 100], mulberry32(5));
  assert.deepEqual([iv?.median, iv?.lo, iv?.hi], [1, 1, 1]);
});

test('the bootstrap resamples the same runs for every column (paired)', () => {
  const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const [p, q] = bootstrapMedians([x, x.map((v) => 2 * v)], mulberry32(9));
  assert.ok(p && q);
  assert.equal(q.lo, 2 * p.lo);
  assert.equal(q.hi, 2 * p.hi);
  // A 95% interval of the median of 1..11 is strictly inside the range.
  assert.ok(p.lo > 1 && p.hi < 11 && p.lo <= 6 && p.hi >= 6, JSON.stringify(p));
});

test('comparisons pair runs by block and give wall and CPU apart', () => {
  const r = results();
  const c = compare(r.samples, 'stat', 1, 'a', 'b', 42);
  assert.equal(c.n, 3);
  // b/a per run: wall 0.5, 0.458, 0.545; CPU 0.429, 0.35, 0.6.
  assert.equal(c.wall?.speed.median, 0.5);
  assert.ok(Math.abs((c.cpu?.speed.median ?? 0) - 6 / 14) < 1e-12);
  // a/b per run is not 1/median(b/a) in general; here: 2, 2.18, 1.83 -> 2.
  assert.equal(c.wall?.times.median, 2);
  // a - b per run: 5, 6.5, 5 -> 5.
  assert.equal(c.wall?.diff_us.median, 5);
  assert.equal(c.cpu?.diff_us.median, 8);
  // Only runs where both have a result are paired.
  const partial = r.samples.filter((s) => !(s.contender === 'b' && s.run === 2));
  assert.equal(compare(partial, 'stat', 1, 'a', 'b', 42).n, 2);
  // The same seed gives the same interval whatever else was computed first.
  assert.deepEqual(compare(r.samples, 'stat', 1, 'a', 'b', 42), c);
});

test('allocation summaries: median over repeats, range, and net of the noop loop', () => {
  const s = results().alloc_summaries;
  const a = s.find((x) => x.contender === 'a' && x.workload === 'stat');
  assert.deepEqual(a?.heap_bytes_per_op, { median: 1725, min: 1700, max: 1750, n: 3 });
  assert.equal(a?.mallocs_per_op?.median, 12.6);
  assert.equal(a?.net_heap_bytes_per_op, 1725 - 110);
  assert.ok(Math.abs((a?.net_mallocs_per_op ?? 0) - (12.6 - 1.1)) < 1e-9);
  assert.match(a?.net_note ?? '', /minus noop at 1 in flight/);
  assert.equal(a?.frees_after_gc_per_op?.median, 12.6);
  assert.equal(a?.frees_per_op?.median, 6.3);
  // The floor has no JavaScript driver: nothing subtracted.
  const f = s.find((x) => x.contender === 'f');
  assert.equal(f?.net_mallocs_per_op, 2);
  assert.equal(f?.net_heap_bytes_per_op, null);
  // Without a noop run at that in-flight count, no net figure.
  const lone = allocSummaries([alloc('z', 'stat', 16, 1, 500, 5)], new Set());
  assert.equal(lone[0]?.net_mallocs_per_op, null);
  assert.match(lone[0]?.net_note ?? '', /no noop run at 16/);
});

test('a failed allocation repeat is counted apart from the good ones', () => {
  const bad = { ...alloc('a', 'stat', 1, 4, 0, 0), result: null, error: 'exit 1' };
  const s = allocSummaries([alloc('a', 'stat', 1, 1, 1000, 10), bad], new Set());
  assert.equal(s[0]?.repeats, 1);
  assert.equal(s[0]?.failed, 1);
  assert.equal(s[0]?.heap_bytes_per_op?.median, 1000);
});

test('sample helper keeps wall and CPU apart', () => {
  const s = sample('q', 'stat', 1, 1, 10, 30);
  assert.equal(s.result?.us_per_op, 10);
  assert.equal(s.result?.cpu_us_per_op, 30);
});
