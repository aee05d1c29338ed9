import { test } from 'node:test';
import { availableParallelism } from 'node:os';
import * as assert from 'node:assert/strict';
import { between, othersBetween, parsePidStat, parseProcStat, verdict, type CpuReading } from '../noise.js';

test('/proc/stat: busy excludes idle, iowait and steal', () => {
  const s = parseProcStat('cpu  100 5 50 1000 30 2 3 7 0 0\ncpu0 1 2 3\n');
  assert.deepEqual(s, { busy: 100 + 5 + 50 + 2 + 3, steal: 7 });
});

test('/proc/<pid>/stat: utime + stime + cutime + cstime, whatever the command name', () => {
  // Fields 14-17 are 11, 12, 13, 14 here; the name holds spaces and a ')'.
  const line = '123 (node (x) y) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17';
  assert.equal(parsePidStat(line), 11 + 12 + 13 + 14);
});

function rd(t: number, busy: number, own: number, kernel = 0, steal = 0): CpuReading {
  return { t, busy, own, kernel, steal };
}

test('other processes\' CPU is the machine\'s busy time minus the own tree and kernel threads', () => {
  const n = between(rd(0, 10, 3, 1), rd(2, 14, 5, 1.5, 0.1));
  assert.ok(n !== null);
  assert.ok(Math.abs(n.other_cpu_s - 1.5) < 1e-9);
  assert.ok(Math.abs(n.other_cores - 0.75) < 1e-9);
  assert.ok(Math.abs(n.kernel_cpu_s - 0.5) < 1e-9);
  assert.ok(Math.abs(n.steal_s - 0.1) < 1e-9);
  // Accounting jitter never makes it negative.
  assert.equal(between(rd(0, 10, 3), rd(1, 11, 4.2))?.other_cpu_s, 0);
  assert.equal(between(null, rd(1, 1, 1)), null);
});

test('the verdict: quiet, one disturbed run in many, steady background load', () => {
  const quiet = (o: number) => ({ wall_s: 1, other_cpu_s: o, steal_s: 0, kernel_cpu_s: 0, other_cores: o });
  assert.equal(verdict(Array.from({ length: 40 }, () => quiet(0.01))).noisy, false);
  const one = verdict([...Array.from({ length: 39 }, () => quiet(0.01)), quiet(0.5)]);
  assert.equal(one.disturbed, 1);
  assert.equal(one.noisy, false);
  const three = verdict([...Array.from({ length: 37 }, () => quiet(0.01)), quiet(0.5), quiet(0.5), quiet(0.5)]);
  assert.equal(three.noisy, true, 'three of forty runs disturbed');
  assert.equal(verdict(Array.from({ length: 40 }, () => quiet(0.08))).noisy, true, 'a steady 0.08 cores');
  assert.equal(verdict([]).noisy, true, 'no readings is no evidence of quiet');
});

test('the per-process scan counts others, not the runner\'s tree or kernel threads', () => {
  const t = (ppid: number, self: number, children = 0, kernel = false) => ({ ppid, self, children, kernel });
  const a = new Map([[10, t(1, 100)], [20, t(10, 50)], [30, t(1, 500, 40)], [40, t(2, 9, 0, true)]]);
  const b = new Map([
    [10, t(1, 130)], // the runner: own
    [20, t(10, 80)], // its child: own
    [30, t(1, 520, 70)], // another process: +20 own, +30 reaped
    [40, t(2, 90, 0, true)], // a kernel thread: apart
    [50, t(30, 15)], // appeared meanwhile: all of it
  ]);
  assert.equal(othersBetween(a, b, 10, 100), (20 + 30 + 15) / 100);
});

test('each run is judged by the larger of /proc/stat\'s figure and the scan\'s', () => {
  const run = (stat: number, scan: number) => between(
    { t: 0, busy: 0, own: 0, kernel: 0, steal: 0, pid: 1, procs: new Map([[1, { ppid: 0, self: 0, children: 0, kernel: false }], [7, { ppid: 1 + 1, self: 0, children: 0, kernel: false }]]) },
    { t: 1, busy: stat, own: 0, kernel: 0, steal: 0, pid: 1, procs: new Map([[1, { ppid: 0, self: 0, children: 0, kernel: false }], [7, { ppid: 2 + 1, self: scan * 100, children: 0, kernel: false }]]) },
  );
  const hidden = run(0, 0.5);
  assert.equal(hidden?.other_cpu_s, 0);
  assert.ok(Math.abs((hidden?.others_scanned_cpu_s ?? 0) - 0.5) < 1e-9);
  assert.ok(Math.abs((hidden?.other_cores ?? 0) - 0.5) < 1e-9);
  const v = verdict(Array.from({ length: 10 }, () => hidden));
  assert.equal(v.noisy, true);
  assert.equal(v.basis, 'max');
  assert.ok(Math.abs(v.other_cores_avg - 0.5) < 1e-9);
});

test('the scan is capped at what the cores could give others (a reaped child lands at once)', () => {
  const procs = (children: number) => new Map([[1, { ppid: 0, self: 0, children: 0, kernel: false }], [9, { ppid: 0, self: 0, children, kernel: false }]]);
  const n = between({ t: 0, busy: 0, own: 0, kernel: 0, steal: 0, pid: 1, procs: procs(0) },
    { t: 1, busy: 0, own: 0.5, kernel: 0, steal: 0, pid: 1, procs: procs(100 * 100) });
  assert.equal(n?.others_scanned_cpu_s, availableParallelism() - 0.5);
});
