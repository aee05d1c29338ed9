import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { configKey, median, memoryAtLoad, summarize } from '../stats.js';
import { results } from './fixture.js';

test('median of odd, even and empty lists', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([]), null);
});

test('summaries carry median, spread and speed against the baseline', () => {
  const r = results();
  const planned = ['a', 'b', 'c'].map((contender) => ({ contender, workload: 'stat', concurrency: 1 }));
  const notes = new Map([[configKey('c', 'stat', 1), 'missing: not installed']]);
  const [a, b, c] = summarize(r.samples, planned, notes, 'a');
  assert.equal(a?.us_per_op_median, 11);
  assert.equal(a?.speed_vs_baseline, 1);
  assert.ok(Math.abs((a?.spread_pct ?? 0) - (2 / 11) * 100) < 1e-9);
  assert.equal(b?.us_per_op_median, 5.5);
  assert.equal(b?.speed_vs_baseline, 2);
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
  const m = memoryAtLoad(results().samples, 1);
  assert.equal(m.length, 2);
  assert.equal(m[0]?.rss_max, 50 * 2 ** 20);
});
