// The run order. Each block is one (run, workload, in-flight count): every
// contender that applies runs once in it, in an order shuffled afresh for the
// block with the run's seeded PRNG. Paired contenders (the same binary with
// and without a flag) form one unit in the shuffle and run back to back, in a
// random order within the pair, so that the ratio between them is taken under
// the same conditions.

import { type Rng, below, shuffle } from './prng.js';

export interface Config {
  workload: string;
  concurrency: number;
}

export interface PlannedRun extends Config {
  contender: string;
  run: number;
  /** Index of the block (0-based, in execution order). */
  block: number;
  /** Position within the block (0-based). */
  position: number;
}

/**
 * The units to shuffle: pairs where both partners are present (in the order
 * given), single contenders otherwise. `pairOf` names a contender's partner.
 */
export function units(ids: readonly string[], pairOf: (id: string) => string | null): string[][] {
  const out: string[][] = [];
  const taken = new Set<string>();
  for (const id of ids) {
    if (taken.has(id)) continue;
    const partner = pairOf(id);
    if (partner !== null && partner !== id && ids.includes(partner) && !taken.has(partner)) {
      out.push([id, partner]);
      taken.add(partner);
    } else {
      out.push([id]);
    }
    taken.add(id);
  }
  return out;
}

/** One block's order: shuffled units, each pair in a random internal order. */
export function blockOrder(ids: readonly string[], pairOf: (id: string) => string | null, rng: Rng): string[] {
  return shuffle(units(ids, pairOf), rng).flatMap((u) => (u.length === 2 && below(rng, 2) === 1 ? [u[1] as string, u[0] as string] : u));
}

/**
 * Every timed run: `runs` rounds over the configurations, a shuffled block
 * per (round, configuration). `applies(config)` lists the contenders that run
 * in that configuration.
 */
export function schedule(
  configs: readonly Config[],
  runs: number,
  applies: (c: Config) => string[],
  pairOf: (id: string) => string | null,
  rng: Rng,
): PlannedRun[] {
  const out: PlannedRun[] = [];
  let block = 0;
  for (let run = 1; run <= runs; run++) {
    for (const c of configs) {
      const order = blockOrder(applies(c), pairOf, rng);
      order.forEach((contender, position) => {
        out.push({ contender, workload: c.workload, concurrency: c.concurrency, run, block, position });
      });
      if (order.length) block++;
    }
  }
  return out;
}
