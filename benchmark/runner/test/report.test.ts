import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { claims, fmtDiffCI, fmtRatio, fmtRatioCI, fmtUs, markdown } from '../report-md.js';
import { svg } from '../report-svg.js';
import { compare } from '../stats.js';
import { results, sample } from './fixture.js';

test('number formats', () => {
  assert.equal(fmtUs(1.234), '1.23 µs');
  assert.equal(fmtUs(12.34), '12.3 µs');
  assert.equal(fmtUs(1234), '1.23 ms');
  assert.equal(fmtUs(null), '—');
  assert.equal(fmtRatio(2), '×2.00');
  assert.equal(fmtRatio(26.2), '×26.2');
  assert.equal(fmtRatioCI({ median: 2, lo: 1.5, hi: 12.34, n: 10 }), '×2.00 [1.50, 12.3]');
  assert.equal(fmtDiffCI({ median: 8, lo: -1.5, hi: 9.5, n: 3 }), '+8.00 µs [−1.50 µs, +9.50 µs]');
});

test('the report names missing and unavailable contenders with their reason and shows ratios', () => {
  const md = markdown(results());
  assert.match(md, /\*\*MISSING\*\*: not installed/);
  assert.match(md, /\| `s` \| A --no-flag \| not available: the binary has no --no-flag \|/);
  assert.match(md, /\| A \| 11\.0 µs ±18% \(×1\.00\) \|/);
  assert.match(md, /\| B \| 5\.50 µs ±18% \(×2\.00\) \|/);
});

test('the CPU table shows CPU time, not wall time', () => {
  const md = markdown(results());
  // a: wall 11, CPU 15; b: wall 5.5, CPU 7; f: wall 2.5, CPU 3.
  assert.match(md, /## CPU time per operation[\s\S]*\| stat @1 \| 15\.0 µs; 0\.25 flt \| 7\.00 µs; 0\.25 flt \| 3\.00 µs; 0\.25 flt \|/);
});

test('the headline table gives the subject, each comparison with its interval, and allocations', () => {
  const md = markdown(results());
  const head = md.slice(md.indexOf('## Headline'), md.indexOf('## Claims'));
  assert.match(head, /### stat/);
  assert.match(head, /\| `a` wall µs\/op \| 11\.0 µs \[10\.0 µs, 12\.0 µs\] \|/);
  assert.match(head, /\| `a` CPU µs\/op \| 15\.0 µs \[14\.0 µs, 20\.0 µs\] \|/);
  assert.match(head, /\| speed vs stock path \(`s`\), wall \| not available: the binary has no --no-flag \|/);
  // b/a per run: wall 0.5, 0.458, 0.545; CPU 0.429, 0.35, 0.6.
  assert.match(head, /\| speed vs callback API \(`b`\), wall \| ×0\.50 \[0\.46, 0\.55\] \(n=3\) \|/);
  assert.match(head, /\| speed vs callback API \(`b`\), CPU \| ×0\.43 \[0\.35, 0\.60\] \(n=3\) \|/);
  // a - f per run: 8, 9.5, 8; a / f: 5, 4.8, 3.67.
  assert.match(head, /\| distance to libuv floor \(`f`\), wall \| \+8\.00 µs \[\+8\.00 µs, \+9\.50 µs\]; ×4\.80 \[3\.67, 5\.00\] \(n=3\) \|/);
  assert.match(head, /\| V8 heap B\/op, net of noop \| 1615 \(raw 1725, 1700–1750 over 3\) \|/);
  assert.match(head, /\| mallocs\/op, net of noop \| 11\.5 \(raw 12\.6, 12\.5–12\.7 over 3\) \|/);
});

test('allocation lines show median, range, net of noop and frees after GC', () => {
  const md = markdown(results());
  assert.match(md, /\| A \| stat \| 1 \| 1725 \(1700–1750\) \| 1615 \| 0 \(0–0\) \| 12\.60 \(12\.50–12\.70\) \| 11\.50 \| 1260 \(1250–1270\) \| 6\.30 \(6\.25–6\.35\) \| 12\.60 \(12\.50–12\.70\) \| 1000 ops × 3 \|/);
  assert.match(md, /\| A \| noop \| 1 \| 110 \(100–120\) \| — \|/);
  assert.match(md, /\| F \| stat \| 1 \| — \| — \| — \| 2\.00 \(2\.00–2\.00\) \| 2\.00 \|/);
  // noop rows come first.
  assert.ok(md.indexOf('| A | noop |') < md.indexOf('| A | stat |'));
});

test('three runs support no claim', () => {
  const text = claims(results()).join('\n');
  assert.match(text, /No claims: the intervals rest on fewer than 10 paired runs \(this run: 3\)/);
});

test('twelve paired runs support "at least" claims from the interval\'s lower bound', () => {
  const samples = [];
  for (let run = 1; run <= 12; run++) {
    const a = 10 + (run % 3) * 0.1;
    samples.push(sample('a', 'stat', 1, run, a, a));
    samples.push(sample('b', 'stat', 1, run, a * (2.1 + (run % 4) * 0.02), a * 3)); // b 2.1-2.16x slower
    samples.push(sample('f', 'stat', 1, run, a / (4 + (run % 2) * 0.1), a / 5)); // the floor 4-4.1x faster
    samples.push(sample('d', 'stat', 1, run, a * (0.97 + (run % 5) * 0.015), a)); // d: no difference
  }
  const base = results();
  const r = {
    ...base, samples, settings: { ...base.settings, runs: 12 },
    headline: [{ workload: 'stat', concurrency: 1, subject: 'a', rows: [
      { role: 'callback API', other: 'b', kind: 'speed' as const, note: null, comparison: compare(samples, 'stat', 1, 'a', 'b', 1) },
      { role: 'Deno', other: 'd', kind: 'speed' as const, note: null, comparison: compare(samples, 'stat', 1, 'a', 'd', 1) },
      { role: 'libuv floor', other: 'f', kind: 'floor' as const, note: null, comparison: compare(samples, 'stat', 1, 'a', 'f', 1) },
    ] }],
  };
  const text = claims(r).join('\n');
  assert.match(text, /`stat` @1, wall time: `a` is at least ×2\.(09|1\d) as fast as callback API — ×2\.\d+ \[2\.\d+, 2\.\d+\], n=12\./);
  assert.match(text, /`stat` @1, CPU time: `a` is at least ×3\.00 as fast as callback API/);
  assert.match(text, /`stat` @1, wall time: `a` is no difference from Deno shown \(the interval spans ×1\)/);
  assert.match(text, /`stat` @1, wall time: `a` takes at most ×4\.1\d the time of the libuv floor \(at least ×(3\.99|4\.\d\d)\)/);
  assert.doesNotMatch(text, /No claims/);
});

test('a failed run is announced at the top of the report', () => {
  const md = markdown(results({ failures: ['contender c is MISSING: not installed'], exit_code: 1 }));
  assert.match(md.split('\n').slice(0, 5).join('\n'), /This run FAILED \(exit 1\)[\s\S]*contender c is MISSING/);
});

test('the noise line quotes the measure, and "noisy" only when the measure says so', () => {
  const quiet = markdown(results());
  assert.match(quiet, /other processes used 0\.010 cores on average during the 9 timed runs/);
  assert.match(quiet, /Not noisy by this report's measure/);
  const base = results();
  const noisy = markdown(results({ conditions: { ...base.conditions, noisy: true, noise: { ...base.conditions.noise, noisy: true, other_cores_avg: 0.4 } } }));
  assert.match(noisy, /\*\*Noisy\*\* by this report's measure/);
});

test('work differences are marked in the cells and explained', () => {
  const base = results();
  const contenders = base.contenders.map((c) => (c.id === 'b' ? { ...c, differences: [{ workload: '^stat$', note: 'skips O_TRUNC' }] } : c));
  const md = markdown({ ...base, contenders });
  assert.match(md, /\| B \| 5\.50 µs ±18% \(×2\.00\) ‡ \|/);
  assert.match(md, /### Work differences[\s\S]*- `b` in `stat`: skips O_TRUNC/);
});

test('a stand-in run says so at the top of the report and the chart', () => {
  const r = results({ stand_in: 'NOT the fork' });
  assert.match(markdown(r).split('\n').slice(0, 3).join('\n'), /NOT the fork/);
  assert.match(svg(r), /NOT the fork/);
});

test('the chart is one escaped svg with a bar per present contender', () => {
  const s = svg(results());
  assert.match(s, /^<svg [^>]*>/);
  assert.match(s, /<\/svg>\n$/);
  assert.match(s, /test run &lt;&amp;&gt;/);
  assert.equal((s.match(/<rect [^>]*><title>/g) ?? []).length, 3);
  assert.match(s, /c: MISSING — not installed/);
  assert.match(s, /s: not available: the binary has no --no-flag/);
});

test('fresh fixtures: how many were made outside the clock, used, and whether they ran out', () => {
  const base = results();
  assert.doesNotMatch(markdown(base), /## Fresh fixtures/, 'no section without such a workload');
  const pooled = (run: number, used: number, early: boolean) => {
    const s = sample('a', 'rm-tree', 16, run, 1000);
    return { ...s, result: { ...s.result!, workload: 'rm-tree', pool: { ready: 600, used, ended_early: early, made_s: 0.5 + run / 10, factor: 2, max: 20000 } } };
  };
  const md = markdown({ ...base, samples: [...base.samples, pooled(1, 300, false), pooled(2, 600, true), pooled(3, 320, false)] });
  assert.match(md, /## Fresh fixtures[\s\S]*never inside it/);
  assert.match(md, /\| A \| rm-tree @16 \| 600 \| 320 \| 0\.70 \| 1 of 3 \|/);
});

test('a comparison that does not apply shows why in the headline and supports no claim', () => {
  const base = results();
  const r = {
    ...base,
    settings: { ...base.settings, runs: 12 },
    headline: [{ workload: 'rm-tree', concurrency: 1, subject: 'a', rows: [
      { role: 'libuv floor', other: 'f', kind: 'floor' as const, note: 'n/a: the floor does not implement this workload', comparison: null },
    ] }],
  };
  assert.match(markdown(r), /\| distance to libuv floor \(`f`\), wall \| n\/a: the floor does not implement this workload \|/);
  assert.doesNotMatch(claims(r).join('\n'), /libuv floor/);
});

test('"what the floors are" only when a floor was in the run', () => {
  const base = results();
  assert.match(markdown(base), /## What the floors are and are not/);
  const contenders = base.contenders.map((c) => (c.id === 'f' ? { ...c, available: false, state: 'skipped' as const, detail: 'skipped: not in the fs-extra preset' } : c));
  assert.doesNotMatch(markdown({ ...base, contenders }), /## What the floors are and are not/);
});
