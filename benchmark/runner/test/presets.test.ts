import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { type Contender, STOCK, SUBJECT, contenders, notApplicable } from '../contenders.js';
import { HEADLINE, PRESETS, crossConfigs, headlineConfigs, resolveAllocConfigs, resolveConfigs } from '../presets.js';
import {
  ALL_WORKLOADS, CORE_WORKLOADS, FLOOR_WORKLOADS, FS_EXTRA_WORKLOADS, MIN_WARMUP_OPS, WARMUP_OPS,
} from '../workloads.js';

const opsUrl = new URL('../../../../benchmark/workload/ops.mjs', import.meta.url);

test('the runner knows exactly the workloads ops.mjs defines, and the floor\'s', async () => {
  const ops = await import(opsUrl.href) as { WORKLOADS: Record<string, string>; FLOOR_WORKLOADS: string[] };
  assert.deepEqual([...ALL_WORKLOADS].sort(), Object.keys(ops.WORKLOADS).sort());
  assert.deepEqual([...FLOOR_WORKLOADS].sort(), [...ops.FLOOR_WORKLOADS].sort());
  assert.deepEqual([...FLOOR_WORKLOADS], CORE_WORKLOADS);
  assert.equal(new Set(ALL_WORKLOADS).size, ALL_WORKLOADS.length);
});

test('every workload has a warm-up count, at least the minimum but for rm-tree', () => {
  for (const w of ALL_WORKLOADS) {
    const n = WARMUP_OPS[w];
    assert.equal(typeof n, 'number', w);
    if (w !== 'rm-tree') assert.ok((n as number) >= MIN_WARMUP_OPS, `${w}: ${n}`);
  }
  // rm-tree's warm-up needs that many trees made first: keep it small.
  assert.ok((WARMUP_OPS['rm-tree'] as number) <= 500);
});

test('every preset names known workloads and has a headline among its configurations', () => {
  for (const [name, p] of Object.entries(PRESETS)) {
    const configs = resolveConfigs(p);
    assert.ok(configs.length > 0, name);
    for (const c of [...configs, ...p.headline, ...resolveAllocConfigs(p, configs.map((x) => x.workload))]) {
      assert.ok(ALL_WORKLOADS.includes(c.workload), `${name}: ${c.workload}`);
    }
    const h = headlineConfigs(p, configs);
    assert.ok(h.length > 0, name);
    assert.ok(h.every((x) => configs.some((c) => c.workload === x.workload && c.concurrency === x.concurrency)), name);
  }
  // quick runs part of the headline; proof and fs-extra all of theirs.
  assert.deepEqual(headlineConfigs(PRESETS['quick']!, resolveConfigs(PRESETS['quick']!)),
    HEADLINE.filter((x) => x.workload === 'stat' || x.workload === 'readfile-1k-buffer'));
  for (const name of ['full', 'proof', 'fs-extra']) {
    assert.deepEqual(headlineConfigs(PRESETS[name]!, resolveConfigs(PRESETS[name]!)), PRESETS[name]!.headline, name);
  }
});

test('quick, full and proof keep their configurations', () => {
  const quick = PRESETS['quick']!;
  const full = PRESETS['full']!;
  const proof = PRESETS['proof']!;
  assert.deepEqual(resolveConfigs(quick), crossConfigs(['stat', 'readfile-1k-buffer'], [1, 16, 64]));
  assert.deepEqual(resolveConfigs(full), crossConfigs(CORE_WORKLOADS, [1, 16, 64]));
  assert.deepEqual(resolveConfigs(proof), HEADLINE);
  assert.deepEqual(resolveAllocConfigs(full, CORE_WORKLOADS), crossConfigs(CORE_WORKLOADS, [1, 64]));
  assert.deepEqual(resolveAllocConfigs(proof, ['stat', 'readfile-1k-buffer', 'readfile-64k-buffer', 'writefile-1k']), HEADLINE);
  for (const p of [quick, full, proof]) assert.equal(p.tmpdir, null);
});

test('fs-extra: the new workloads at 1, 16 and 64, fast path against stock, all in the headline', () => {
  const p = PRESETS['fs-extra']!;
  const configs = resolveConfigs(p);
  assert.deepEqual(configs, crossConfigs(FS_EXTRA_WORKLOADS, [1, 16, 64]));
  assert.equal(configs.length, 21);
  assert.deepEqual(p.contenders, [SUBJECT, STOCK]);
  assert.deepEqual(headlineConfigs(p, configs), configs);
  assert.deepEqual(resolveAllocConfigs(p, FS_EXTRA_WORKLOADS), crossConfigs(FS_EXTRA_WORKLOADS, [1]));
  assert.ok(p.runs < 10, 'fewer runs than proof: it supports no claim, and says so');
  assert.equal(p.tmpdir, '/dev/shm');
  // Under 10 minutes: 42 processes a run of at most warm-up cap + duration
  // (plus start-up and fixtures, about a second).
  assert.ok(p.runs * configs.length * 2 * (p.warmupMax + p.duration + 1) < 600);
});

test('--workloads and --concurrency override a preset; the headline keeps what runs', () => {
  const p = PRESETS['fs-extra']!;
  const configs = resolveConfigs(p, ['rm-tree', 'cp-tree'], [1, 64]);
  assert.deepEqual(configs, crossConfigs(['rm-tree', 'cp-tree'], [1, 64]));
  assert.deepEqual(headlineConfigs(p, configs), configs);
  assert.deepEqual(resolveAllocConfigs(p, ['rm-tree', 'cp-tree']), crossConfigs(['rm-tree', 'cp-tree'], [1]));
  assert.deepEqual(resolveAllocConfigs(p, ['rm-tree'], [16, 64]), crossConfigs(['rm-tree'], [16, 64]));
  // The proof preset with --concurrency: its workloads, crossed.
  const proof = PRESETS['proof']!;
  const pc = resolveConfigs(proof, undefined, [16]);
  assert.deepEqual(pc, crossConfigs(['stat', 'readfile-1k-buffer', 'readfile-64k-buffer', 'writefile-1k'], [16]));
  assert.deepEqual(headlineConfigs(proof, pc), HEADLINE.filter((h) => h.concurrency === 16));
  // A quick run of fs-extra workloads has no headline configuration.
  assert.deepEqual(headlineConfigs(PRESETS['quick']!, resolveConfigs(PRESETS['quick']!, FS_EXTRA_WORKLOADS)), []);
});

test('the floors do not apply to the fs-extra workloads; the sync API only at 1 in flight', () => {
  const paths = { forkNode: '/n', systemNode: '/s', bun: '/b', deno: '/d', floor: '/f', mallocCount: '/m',
    workloadScript: '/w', allocScript: '/a', probeScript: '/p' };
  const all = contenders(paths, { systemNode: false, systemNodeVersion: '' });
  const byId = (id: string) => all.find((c) => c.id === id) as Contender;
  for (const w of FS_EXTRA_WORKLOADS) {
    assert.match(notApplicable(byId('floor'), w, 1) ?? '', /floor does not implement/);
    assert.match(notApplicable(byId('one-hop-ref'), w, 64) ?? '', /floor does not implement/);
    for (const id of [SUBJECT, STOCK, 'fork-callback', 'bun-promises', 'deno-callback']) {
      assert.equal(notApplicable(byId(id), w, 16), null, `${id} ${w}`);
    }
    assert.equal(notApplicable(byId('fork-sync'), w, 1), null);
    assert.match(notApplicable(byId('fork-sync'), w, 16) ?? '', /sync API/);
  }
  for (const w of CORE_WORKLOADS) assert.equal(notApplicable(byId('floor'), w, 64), null, w);
  assert.equal(notApplicable(byId('floor'), 'noop', 1), null);
});
