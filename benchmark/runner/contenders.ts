// The contenders: who runs the workloads, and how each is started.
//
// To add a contender, add one line to the list in contenders().

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import type { Api } from './types.js';
import { FLOOR_WORKLOADS } from './workloads.js';

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
  probeScript: string;
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
  /** The partner it runs back to back with (same binary, one flag apart). */
  pairWith: string | null;
  /**
   * A runtime flag that the binary may not have yet: when the probe fails
   * with "bad option" for it, the contender is "not available" (expected
   * until the feature lands), not MISSING.
   */
  pendingFlag: string | null;
  /** The thread pool it uses, and what the runner sets. */
  pool: string;
  /** Workloads where it does not do the same work as the others: why. */
  differences: { workload: RegExp; note: string }[];
}

export type State = 'ok' | 'missing' | 'unavailable' | 'skipped';

export interface Availability {
  state: State;
  /** Version string when ok, the reason otherwise. */
  detail: string;
  /** From the probe, run with the contender's flags. */
  versions: Record<string, string> | null;
  exec_argv: string[] | null;
  exec_path: string | null;
  sha256: string | null;
  binary_mtime: string | null;
}

/** UV_THREADPOOL_SIZE given to every child (Node and Bun honour it). */
export const THREADPOOL_SIZE = '4';

const NODE_POOL = `libuv thread pool, UV_THREADPOOL_SIZE=${THREADPOOL_SIZE} (set by the runner)`;

function node(id: string, label: string, binary: string, api: Api,
  flags: string[] = [], fork = true, more: Partial<Contender> = {}): Contender {
  return {
    id, label, runtime: 'node', api, binary, flags, fork, allocs: true, extraArgs: [],
    pairWith: null, pendingFlag: null, pool: NODE_POOL, differences: [], ...more,
  };
}

const BUN_WRITE = {
  workload: /^writefile-/,
  note: 'Bun opens the target without O_TRUNC, writes, then ftruncate()s it (strace): ext4 then skips the ' +
    'writeback it starts on close after a truncating open (auto_da_alloc). Not the same work as the O_TRUNC rows.',
};

function peer(id: string, label: string, runtime: 'bun' | 'deno', binary: string,
  api: Api): Contender {
  const flags = runtime === 'deno' ? ['run', '-A'] : [];
  const pool = runtime === 'bun'
    ? `"Bun Pool" threads, UV_THREADPOOL_SIZE=${THREADPOOL_SIZE} (set by the runner and honoured; without it Bun started 2 on this 2-core machine)`
    : 'tokio blocking pool, grows on demand (tokio allows up to 512 threads); Deno honours no size setting (UV_THREADPOOL_SIZE has no effect)';
  return {
    id, label, runtime, api, binary, flags, fork: false, allocs: false, extraArgs: [],
    pairWith: null, pendingFlag: null, pool, differences: runtime === 'bun' ? [BUN_WRITE] : [],
  };
}

function floor(id: string, label: string, binary: string, hops: 'each' | 'one'): Contender {
  return {
    id, label, runtime: 'floor', api: 'libuv', binary, flags: [], fork: false,
    allocs: true, extraArgs: [`--hops=${hops}`], pairWith: null, pendingFlag: null,
    pool: NODE_POOL, differences: [],
  };
}

export interface ContenderOptions {
  /** Add the machine's node as a stand-in, clearly labelled as not the fork. */
  systemNode: boolean;
  systemNodeVersion: string;
}

/** The contender whose figures the headline is about. */
export const SUBJECT = 'fork-promises';
/** The stock path of the same binary: the default baseline once it exists. */
export const STOCK = 'fork-promises-no-coro';
export const NO_CORO_FLAG = '--no-fs-coro';

export function contenders(p: Paths, o: ContenderOptions): Contender[] {
  const list: Contender[] = [
    node(SUBJECT, 'fork fs.promises, default flags (the fast path, once the binary has it)', p.forkNode, 'promises', [], true,
      { pairWith: STOCK }),
    node(STOCK, `fork fs.promises ${NO_CORO_FLAG} (the stock path)`, p.forkNode, 'promises', [NO_CORO_FLAG], true,
      { pairWith: SUBJECT, pendingFlag: NO_CORO_FLAG }),
    node('fork-callback', 'fork callback API', p.forkNode, 'callback'),
    node('fork-sync', 'fork sync API', p.forkNode, 'sync'),
    floor('floor', 'libuv floor: a pool hop per syscall, as Node does', p.floor, 'each'),
    floor('one-hop-ref', 'one-hop reference: one pool job per operation (not a lower bound)', p.floor, 'one'),
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
export function notApplicable(c: Contender, workload: string, concurrency: number): string | null {
  if (c.api === 'sync' && concurrency !== 1) return 'n/a: the sync API runs one operation at a time';
  if (c.runtime === 'floor' && workload !== 'noop' && !FLOOR_WORKLOADS.includes(workload)) {
    return 'n/a: the floor does not implement this workload';
  }
  return null;
}

/** Why a contender does not do the same work in a workload, or null. */
export function workDifference(c: Contender, workload: string): string | null {
  return c.differences.find((d) => d.workload.test(workload))?.note ?? null;
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

/** The probe: the workload's runtime with the contender's own flags. */
export function probeCommand(c: Contender, p: Paths): string[] {
  if (c.runtime === 'floor') return [c.binary, ...c.extraArgs, '--probe'];
  return [c.binary, ...c.flags, p.probeScript];
}

function firstLine(s: string): string {
  return (s.split('\n').find((l) => l.trim() !== '') ?? '').trim();
}

const hashes = new Map<string, string>();

/** The file's sha256 (cached per real path unless `fresh`). */
export function sha256File(path: string, fresh = false): string {
  const real = realpathSync(path);
  let h = fresh ? undefined : hashes.get(real);
  if (h === undefined) {
    h = createHash('sha256').update(readFileSync(real)).digest('hex');
    hashes.set(real, h);
  }
  return h;
}

interface ProbeLine {
  tool: 'probe';
  runtime: { name: string; version: string };
  versions?: Record<string, string>;
  exec_argv?: string[];
  exec_path?: string;
}

function none(state: State, detail: string): Availability {
  return { state, detail, versions: null, exec_argv: null, exec_path: null, sha256: null, binary_mtime: null };
}

/**
 * Checks that a contender starts with its flags: runs the probe script (or
 * the floor's --probe) with exactly the flags the workload will get, and
 * records what the process reports (process.versions, process.execArgv, the
 * real binary) and the binary's sha256.
 */
export function probe(c: Contender, p: Paths, env: NodeJS.ProcessEnv): Availability {
  if (!existsSync(c.binary)) {
    const why = c.id.startsWith('fork-')
      ? 'the fork binary is not built yet'
      : c.runtime === 'floor'
        ? 'the floor is not built (make bench-deps)'
        : c.runtime === 'bun' || c.runtime === 'deno'
          ? 'the peer is not installed (make bench-deps runs npm ci in benchmark/)'
          : 'not found';
    return none('missing', `${why}: ${c.binary} does not exist`);
  }
  const [cmd, ...args] = probeCommand(c, p);
  let out: string;
  try {
    out = execFileSync(cmd as string, args, {
      encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'], env,
    });
  } catch (e) {
    const err = e as { message?: string; stderr?: string };
    const stderr = err.stderr ?? '';
    if (c.pendingFlag !== null && stderr.includes(`bad option: ${c.pendingFlag}`)) {
      return none('unavailable', `not available: the binary has no ${c.pendingFlag}`);
    }
    const why = firstLine(stderr) || firstLine(err.message ?? '') || 'unknown error';
    return none('missing', `${[c.binary, ...c.flags].join(' ')} failed to start: ${why}`);
  }
  let line: ProbeLine;
  try {
    line = JSON.parse(out.trim().split('\n').filter((l) => l.startsWith('{')).pop() ?? '') as ProbeLine;
  } catch {
    return none('missing', `the probe printed no JSON: ${firstLine(out)}`);
  }
  const real = line.exec_path ?? c.binary;
  let sha: string | null = null;
  let mtime: string | null = null;
  try {
    sha = sha256File(real);
    mtime = statSync(real).mtime.toISOString();
  } catch {
    // keep null: recorded as unknown
  }
  const version = c.runtime === 'floor' ? `libuv ${line.runtime.version}` : line.runtime.version;
  return {
    state: 'ok',
    detail: version,
    versions: line.versions ?? null,
    exec_argv: line.exec_argv ?? null,
    exec_path: real,
    sha256: sha,
    binary_mtime: mtime,
  };
}
