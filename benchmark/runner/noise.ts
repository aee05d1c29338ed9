// Noise: how much CPU other processes took while a child ran. Instead of a
// load average at the start, every child run is bracketed by two readings:
//
// - /proc/stat (CPU time the whole machine spent busy, and stolen by the
//   hypervisor) and /proc/self/stat (CPU time of this runner and of every
//   child it has reaped: utime + stime + cutime + cstime). The machine's busy
//   time minus the runner's own tree is what other processes consumed.
// - /proc/<pid>/stat of every process: the sum of what each process other
//   than this runner's tree used (utime + stime, plus cutime + cstime for the
//   children they reaped meanwhile). /proc/stat is sampled at clock ticks
//   and on this VM counts less busy time than the processes' own times
//   during runs full of short thread-pool bursts, which can hide a little
//   other work; the scan counts a reaped child's whole life, which can count
//   too much. The verdict judges, per run, the larger of the two.
//
// Kernel threads (children of kthreadd: writeback, kworkers, ksoftirqd...)
// are summed apart: much of their time is work for the run itself (the
// writeback after writeFile), so they are reported but not judged as noise.

import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';

export interface ProcTimes {
  ppid: number;
  /** utime + stime, jiffies. */
  self: number;
  /** cutime + cstime, jiffies. */
  children: number;
  kernel: boolean;
}

export interface CpuReading {
  /** Monotonic time, seconds. */
  t: number;
  /** Machine-wide busy CPU (user, nice, system, irq, softirq), seconds. */
  busy: number;
  /** Machine-wide CPU stolen by the hypervisor, seconds. */
  steal: number;
  /** This process and its reaped children, seconds. */
  own: number;
  /** Kernel threads (children of kthreadd), seconds. */
  kernel: number;
  /** Every process by pid (jiffies); absent when /proc could not be listed. */
  procs?: Map<number, ProcTimes>;
  /** This runner's pid. */
  pid?: number;
}

export interface Noise {
  wall_s: number;
  /** CPU seconds other processes used during the run, from /proc/stat (never below 0). */
  other_cpu_s: number;
  /** The same summed over the other processes' own times. */
  others_scanned_cpu_s?: number;
  steal_s: number;
  /** Kernel threads' CPU seconds (in neither figure above). */
  kernel_cpu_s: number;
  /** The judged figure (the larger of the two) over wall_s: how many cores' worth of other work ran. */
  other_cores: number;
}

let hz: number | null = null;

function cores(): number {
  return availableParallelism();
}

function clockTicks(): number {
  if (hz === null) {
    try {
      hz = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      hz = 100;
    }
  }
  return hz;
}

/** Busy and steal jiffies from the first line of /proc/stat. */
export function parseProcStat(text: string): { busy: number; steal: number } | null {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return null;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = f;
  return { busy: user + nice + system + irq + softirq, steal };
}

/** ppid and times (jiffies) from /proc/<pid>/stat. */
export function parseProc(text: string): ProcTimes | null {
  // The command name (field 2) may hold spaces and parentheses: split after
  // the last ')'. Fields from there start at field 3 (state), so field n is
  // rest[n - 3]: ppid 4, utime 14, stime 15, cutime 16, cstime 17.
  const rest = text.slice(text.lastIndexOf(')') + 2).trim().split(/\s+/).map(Number);
  const v = [rest[1], rest[11], rest[12], rest[13], rest[14]];
  if (v.some((x) => x === undefined || Number.isNaN(x))) return null;
  const [ppid, ut, st, cut, cst] = v as number[];
  return { ppid: ppid as number, self: (ut as number) + (st as number), children: (cut as number) + (cst as number), kernel: false };
}

/** utime + stime + cutime + cstime jiffies from /proc/<pid>/stat. */
export function parsePidStat(text: string): number | null {
  const p = parseProc(text);
  return p === null ? null : p.self + p.children;
}

function scan(): Map<number, ProcTimes> {
  const m = new Map<number, ProcTimes>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const p = parseProc(readFileSync(`/proc/${d}/stat`, 'utf8'));
      if (p) m.set(Number(d), { ...p, kernel: d === '2' || p.ppid === 2 });
    } catch {
      // the process ended meanwhile
    }
  }
  return m;
}

export function reading(): CpuReading | null {
  try {
    const sys = parseProcStat(readFileSync('/proc/stat', 'utf8'));
    const own = parsePidStat(readFileSync('/proc/self/stat', 'utf8'));
    if (!sys || own === null) return null;
    const k = clockTicks();
    const procs = scan();
    let kernel = 0;
    for (const p of procs.values()) if (p.kernel) kernel += p.self;
    return { t: Number(process.hrtime.bigint()) / 1e9, busy: sys.busy / k, steal: sys.steal / k, own: own / k,
      kernel: kernel / k, procs, pid: process.pid };
  } catch {
    return null;
  }
}

/**
 * CPU seconds the processes outside `pid`'s tree (and outside the kernel's
 * threads) used between two scans: their own times' growth, what they reaped
 * meanwhile, and all of a process that appeared in between.
 */
export function othersBetween(a: Map<number, ProcTimes>, b: Map<number, ProcTimes>, pid: number, hzValue: number): number {
  const ownTree = (p: number): boolean => {
    for (let q = p, hops = 0; q > 1 && hops < 64; hops++) {
      if (q === pid) return true;
      q = b.get(q)?.ppid ?? a.get(q)?.ppid ?? 0;
    }
    return false;
  };
  let sum = 0;
  for (const [p, t] of b) {
    if (t.kernel || ownTree(p)) continue;
    const prev = a.get(p);
    sum += prev ? Math.max(0, t.self - prev.self) + Math.max(0, t.children - prev.children) : t.self + t.children;
  }
  return sum / hzValue;
}

export function between(a: CpuReading | null, b: CpuReading | null): Noise | null {
  if (!a || !b) return null;
  const wall = b.t - a.t;
  const kernel = Math.max(0, b.kernel - a.kernel);
  const other = Math.max(0, (b.busy - a.busy) - (b.own - a.own) - kernel);
  // A reaped child's whole life lands in its parent's cutime at once: cap the
  // scan at what the machine's cores could have given others meanwhile.
  const room = Math.max(0, cores() * wall - (b.own - a.own));
  const scanned = a.procs && b.procs && b.pid !== undefined
    ? Math.min(room, othersBetween(a.procs, b.procs, b.pid, clockTicks())) : null;
  const judged = scanned === null ? other : Math.max(other, scanned);
  return {
    wall_s: wall,
    other_cpu_s: other,
    ...(scanned === null ? {} : { others_scanned_cpu_s: scanned }),
    steal_s: Math.max(0, b.steal - a.steal),
    kernel_cpu_s: kernel,
    other_cores: wall > 0 ? judged / wall : 0,
  };
}

/** A run is disturbed when others used more than this many cores during it. */
export const DISTURBED_CORES = 0.1;
/** The whole harness run is noisy above either of these. */
export const NOISY_CORES_AVG = 0.05;
export const NOISY_DISTURBED_FRACTION = 0.05;

export interface NoiseVerdict {
  runs: number;
  wall_s: number;
  other_cpu_s: number;
  steal_s: number;
  /** Kernel threads over all runs (reported, not judged). */
  kernel_cpu_s: number;
  /** The per-process scan's total (null when /proc could not be scanned). */
  others_scanned_cpu_s: number | null;
  /** Which figure was judged: /proc/stat's, or per run the larger of it and the scan's. */
  basis: 'stat' | 'max';
  /** Over all runs: other CPU seconds / wall seconds. */
  other_cores_avg: number;
  other_cores_max: number;
  /** Runs above DISTURBED_CORES. */
  disturbed: number;
  noisy: boolean;
  rule: string;
}

export function verdict(noises: readonly (Noise | null)[]): NoiseVerdict {
  const ns = noises.filter((n): n is Noise => n !== null);
  const wall = ns.reduce((s, n) => s + n.wall_s, 0);
  const other = ns.reduce((s, n) => s + n.other_cpu_s, 0);
  const steal = ns.reduce((s, n) => s + n.steal_s, 0);
  const kernel = ns.reduce((s, n) => s + (n.kernel_cpu_s ?? 0), 0);
  const scanned = ns.every((n) => typeof n.others_scanned_cpu_s === 'number')
    ? ns.reduce((s, n) => s + (n.others_scanned_cpu_s ?? 0), 0) : null;
  // The larger of the two per run: /proc/stat is sampled at clock ticks and,
  // on this VM, counts less busy time than the processes' own precise times
  // during a run full of short thread-pool bursts (so it can hide a little
  // other work); the scan counts a reaped child's whole life (so it can
  // count too much). Neither hides noise from the other.
  const judged = ns.reduce((s, n) => s + Math.max(n.other_cpu_s, n.others_scanned_cpu_s ?? 0), 0);
  const disturbed = ns.filter((n) => n.other_cores > DISTURBED_CORES).length;
  const avg = wall > 0 ? judged / wall : 0;
  const noisy = ns.length === 0 || avg > NOISY_CORES_AVG || disturbed > ns.length * NOISY_DISTURBED_FRACTION;
  return {
    runs: ns.length,
    wall_s: wall,
    other_cpu_s: other,
    steal_s: steal,
    kernel_cpu_s: kernel,
    others_scanned_cpu_s: scanned,
    basis: scanned === null ? 'stat' : 'max',
    other_cores_avg: avg,
    other_cores_max: ns.reduce((m, n) => Math.max(m, n.other_cores), 0),
    disturbed,
    noisy,
    rule: `noisy when other processes (kernel threads apart) used more than ${NOISY_CORES_AVG} cores on average over the timed runs, ` +
      `or more than ${NOISY_DISTURBED_FRACTION * 100}% of the runs had others above ${DISTURBED_CORES} cores` +
      (ns.length === 0 ? ' (no readings: /proc unavailable, counted as noisy)' : ''),
  };
}
