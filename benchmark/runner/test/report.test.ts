import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { markdown, fmtUs, fmtRatio } from '../report-md.js';
import { svg } from '../report-svg.js';
import { summarize } from '../stats.js';
import { results } from './fixture.js';

function withSummaries() {
  const r = results();
  const planned = ['a', 'b', 'c'].map((contender) => ({ contender, workload: 'stat', concurrency: 1 }));
  return { ...r, summaries: summarize(r.samples, planned, new Map(), 'a') };
}

test('number formats', () => {
  assert.equal(fmtUs(1.234), '1.23 µs');
  assert.equal(fmtUs(12.34), '12.3 µs');
  assert.equal(fmtUs(1234), '1.23 ms');
  assert.equal(fmtUs(null), '—');
  assert.equal(fmtRatio(2), '×2.00');
  assert.equal(fmtRatio(26.2), '×26.2');
});

test('the report names missing contenders with their reason and shows ratios', () => {
  const md = markdown(withSummaries());
  assert.match(md, /\*\*MISSING\*\*: not installed/);
  assert.match(md, /11\.0 µs ±18% \(×1\.00\)/);
  assert.match(md, /5\.50 µs ±18% \(×2\.00\)/);
  assert.match(md, /## CPU time per operation[\s\S]*\| stat @1 \| 11\.0 µs \| 5\.50 µs \|/);
});

test('a stand-in run says so at the top of the report and the chart', () => {
  const r = { ...withSummaries(), stand_in: 'NOT the fork' };
  assert.match(markdown(r).split('\n').slice(0, 3).join('\n'), /NOT the fork/);
  assert.match(svg(r), /NOT the fork/);
});

test('the chart is one escaped svg with a bar per present contender', () => {
  const s = svg(withSummaries());
  assert.match(s, /^<svg [^>]*>/);
  assert.match(s, /<\/svg>\n$/);
  assert.match(s, /test run &lt;&amp;&gt;/);
  assert.equal((s.match(/<rect [^>]*><title>/g) ?? []).length, 2);
  assert.match(s, /c: MISSING — not installed/);
});
