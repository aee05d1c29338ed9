// Failing loudly: the runner exits non-zero, naming each cause, when a
// requested contender is missing or any run failed.

import type { ContenderStatus } from './results.js';
import type { AllocSample, Sample } from './types.js';

/** Whether `id` matches one of the --allow-missing patterns (`*` wildcards). */
export function allowed(id: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => new RegExp(`^${p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(id));
}

/** Every reason to fail, in words; empty when the run is good. */
export function failures(
  statuses: readonly ContenderStatus[],
  samples: readonly Sample[],
  allocs: readonly AllocSample[],
  allowMissing: readonly string[],
): string[] {
  const out: string[] = [];
  for (const s of statuses) {
    if (s.state === 'missing' && !allowed(s.id, allowMissing)) out.push(`contender ${s.id} is MISSING: ${s.detail}`);
  }
  for (const s of samples) {
    if (s.error !== null || !s.result) {
      out.push(`run failed: ${s.contender} ${s.workload} @${s.concurrency} run ${s.run}${s.phase === 'latency' ? ' (latency)' : ''}: ${s.error ?? 'no result'}`);
    }
  }
  for (const a of allocs) {
    if (a.error !== null || !a.result) {
      out.push(`allocation run failed: ${a.contender} ${a.workload} @${a.concurrency} repeat ${a.repeat}: ${a.error ?? 'no result'}`);
    }
  }
  if (samples.length === 0 && allocs.length === 0) out.push('nothing ran: no contender was available');
  return out;
}

export function exitCode(f: readonly string[]): number {
  return f.length === 0 ? 0 : 1;
}
