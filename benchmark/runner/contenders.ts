// The contenders: who runs the workloads, and how each is started.
//
// To add a contender, add one line to the list in contenders(). The fast
// path's two entries are already written there, commented out, for the day
// the fork grows the `--no-fs-coro` switch.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Api } from './types.js';

export type Runtime = 'node' | 'bun' | 'deno' | 'floor';

export interface Paths {
  forkNode: string;
  systemNode: string;
  bun: string;
  deno: string;
  floor: string;
  mallocCount: string;
  workloadScript: string;
  allocScript: string;
}

export interface Contender {
  id: string;
  label: string;
  runtime: Runtime;
  api: Api;
  binary: string;
  /** Arguments before the script (runtime flags, `run -A` for deno). */
  flags: string[];
  /** true for the fork's own entries: the subject of the benchmark. */
  fork: boolean;
  /** Heap and malloc counts per op are measured (node contenders, floor). */
  allocs: boolean;
  /** Extra workload arguments (the floor's --hops). */
  extraArgs: string[];
}

export interface Availability {
  ok: boolean;
  /** Version string when ok, the reason it cannot run otherwise. */
  detail: string;
}

function node(id: string, label: string, binary: string, api: Api,
  flags: string[] = [], fork = true): Contender {
  return { id, label, runtime: 'node', api, binary, flags, fork, allocs: true, extraArgs: [] };
}

function peer(id: string, label: string, runtime: 'bun' | 'deno', binary: string,
  api: Api): Contender {
  const flags = runtime === 'deno' ? ['run', '-A'] : [];
  return { id, label, runtime, api, binary, flags, fork: false, allocs: false, extraArgs: [] };
}

function floor(id: string, label: string, binary: string, hops: 'each' | 'one'): Contender {
  return {
    id, label, runtime: 'floor', api: 'libuv', binary, flags: [], fork: false,
    allocs: true, extraArgs: [`--hops=${hops}`],
  };
}

export interface ContenderOptions {
  /** Add the machine's node as a stand-in, clearly labelled as not the fork. */
  systemNode: boolean;
  systemNodeVersion: string;
}

export function contenders(p: Paths, o: ContenderOptions): Contender[] {
  const list: Contender[] = [
    node('fork-promises', 'fork fs.promises', p.forkNode, 'promises'),
    // When the fast path lands (one line each):
    // node('fork-promises-coro', 'fork fs.promises (fast path)', p.forkNode, 'promises', ['--fs-coro']),
    // node('fork-promises-no-coro', 'fork fs.promises --no-fs-coro', p.forkNode, 'promises', ['--no-fs-coro']),
    node('fork-callback', 'fork callback API', p.forkNode, 'callback'),
    node('fork-sync', 'fork sync API', p.forkNode, 'sync'),
    floor('floor', 'libuv floor (a pool hop per syscall)', p.floor, 'each'),
    floor('floor-one-hop', 'libuv floor (one pool hop per op)', p.floor, 'one'),
    peer('bun-promises', 'Bun node:fs/promises', 'bun', p.bun, 'promises'),
    peer('bun-callback', 'Bun node:fs callbacks', 'bun', p.bun, 'callback'),
    peer('deno-promises', 'Deno node:fs/promises', 'deno', p.deno, 'promises'),
    peer('deno-callback', 'Deno node:fs callbacks', 'deno', p.deno, 'callback'),
  ];
  if (o.systemNode) {
    const v = o.systemNodeVersion;
    list.push(
      node('sysnode-promises', `system node ${v} fs.promises (NOT the fork)`, p.systemNode, 'promises', [], false),
      node('sysnode-callback', `system node ${v} callback API (NOT the fork)`, p.systemNode, 'callback', [], false),
      node('sysnode-sync', `system node ${v} sync API (NOT the fork)`, p.systemNode, 'sync', [], false),
    );
  }
  return list;
}

/** Why a configuration does not apply to a contender, or null if it does. */
export function notApplicable(c: Contender, concurrency: number): string | null {
  if (c.api === 'sync' && concurrency !== 1) return 'n/a: the sync API runs one operation at a time';
  return null;
}

export function workloadCommand(c: Contender, p: Paths, args: string[]): string[] {
  if (c.runtime === 'floor') return [c.binary, ...c.extraArgs, ...args];
  return [c.binary, ...c.flags, p.workloadScript, `--api=${c.api}`, ...args];
}

export const ALLOC_NODE_FLAGS = ['--expose-gc', '--min-semi-space-size=64', '--max-semi-space-size=64'];

export function allocCommand(c: Contender, p: Paths, args: string[]): string[] {
  if (c.runtime === 'floor') return [c.binary, ...c.extraArgs, ...args];
  return [c.binary, ...c.flags, ...ALLOC_NODE_FLAGS, p.allocScript, `--api=${c.api}`, ...args];
}

function firstLine(s: string): string {
  return (s.split('\n').find((l) => l.trim() !== '') ?? '').trim();
}

/** Checks that a contender's binary exists and starts. */
export function probe(c: Contender, p: Paths): Availability {
  if (!existsSync(c.binary)) {
    const why = c.id.startsWith('fork-')
      ? 'the fork binary is not built yet'
      : c.runtime === 'floor'
        ? 'the floor is not built (make bench-deps)'
        : c.runtime === 'bun' || c.runtime === 'deno'
          ? 'the peer is not installed (make bench-deps runs npm ci in benchmark/)'
          : 'not found';
    return { ok: false, detail: `${why}: ${c.binary} does not exist` };
  }
  if (c.runtime === 'floor') {
    if (!existsSync(p.mallocCount) && c.allocs) {
      return { ok: true, detail: 'libuv (malloc counter missing: no malloc counts)' };
    }
    return { ok: true, detail: 'libuv' };
  }
  try {
    const out = execFileSync(c.binary, ['--version'], {
      encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { ok: true, detail: firstLine(out) };
  } catch (e) {
    const err = e as { message?: string; stderr?: string };
    const why = firstLine(err.stderr ?? '') || firstLine(err.message ?? '') || 'unknown error';
    return { ok: false, detail: `${c.binary} --version failed: ${why}` };
  }
}
