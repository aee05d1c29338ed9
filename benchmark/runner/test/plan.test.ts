import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { blockOrder, schedule, units } from '../plan.js';
import { deriveSeed, mulberry32, shuffle } from '../prng.js';

const IDS = ['p', 'q', 'c', 'f', 'o', 'b1', 'b2', 'd1', 'd2'];
const pairOf = (id: string) => (id === 'p' ? 'q' : id === 'q' ? 'p' : null);

test('the PRNG and the shuffle are deterministic for a seed and differ across seeds', () => {
  const r1 = mulberry32(7);
  const r2 = mulberry32(7);
  const xs = Array.from({ length: 5 }, () => r1());
  assert.deepEqual(xs, Array.from({ length: 5 }, () => r2()));
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const a = shuffle(IDS, mulberry32(1));
  assert.deepEqual(a, shuffle(IDS, mulberry32(1)));
  assert.notDeepEqual(a, shuffle(IDS, mulberry32(2)));
  assert.deepEqual([...a].sort(), [...IDS].sort());
  assert.notEqual(deriveSeed(1, 'timed'), deriveSeed(1, 'alloc'));
  assert.equal(deriveSeed(1, 'timed'), deriveSeed(1, 'timed'));
});

test('pairs form one unit when both partners are present', () => {
  assert.deepEqual(units(['p', 'c', 'q'], pairOf), [['p', 'q'], ['c']]);
  assert.deepEqual(units(['c', 'q'], pairOf), [['c'], ['q']]);
});

test('every block runs each contender once, pairs adjacent, in varying orders', () => {
  const configs = [{ workload: 'stat', concurrency: 1 }, { workload: 'stat', concurrency: 64 }];
  const plan = schedule(configs, 12, () => IDS, pairOf, mulberry32(99));
  assert.equal(plan.length, 12 * 2 * IDS.length);
  const blocks = new Map<number, string[]>();
  for (const p of plan) blocks.set(p.block, [...(blocks.get(p.block) ?? []), p.contender]);
  assert.equal(blocks.size, 24);
  const firsts = new Set<string>();
  const pairOrders = new Set<string>();
  for (const order of blocks.values()) {
    assert.deepEqual([...order].sort(), [...IDS].sort());
    const i = order.indexOf('p');
    const j = order.indexOf('q');
    assert.equal(Math.abs(i - j), 1, `p and q adjacent in ${order.join(',')}`);
    pairOrders.add(i < j ? 'pq' : 'qp');
    firsts.add(order[0] as string);
  }
  assert.equal(pairOrders.size, 2, 'both orders within the pair occur');
  assert.ok(firsts.size >= 4, `the first contender varies across blocks: ${[...firsts].join(',')}`);
  // Positions and run numbers are recorded.
  assert.ok(plan.every((p) => p.position >= 0 && p.position < IDS.length && p.run >= 1 && p.run <= 12));
  // The same seed gives the same plan.
  assert.deepEqual(schedule(configs, 12, () => IDS, pairOf, mulberry32(99)), plan);
  assert.notDeepEqual(schedule(configs, 12, () => IDS, pairOf, mulberry32(100)), plan);
});

test('a block without the partner keeps the other contender on its own', () => {
  const order = blockOrder(['p', 'c', 'f'], pairOf, mulberry32(3));
  assert.deepEqual([...order].sort(), ['c', 'f', 'p']);
});
