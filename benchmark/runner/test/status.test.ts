import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { allowed, exitCode, failures } from '../status.js';
import { results, status } from './fixture.js';

test('a missing contender fails the run unless allowed; one waiting for a flag does not', () => {
  const r = results();
  const f = failures(r.contenders, r.samples, r.allocs, []);
  assert.deepEqual(f, ['contender c is MISSING: not installed']);
  assert.equal(exitCode(f), 1);
  assert.deepEqual(failures(r.contenders, r.samples, r.allocs, ['c']), []);
  assert.equal(exitCode([]), 0);
  assert.ok(allowed('sysnode-promises', ['sysnode-*']));
  assert.ok(!allowed('fork-promises', ['sysnode-*']));
  assert.ok(!allowed('fork-promises-no-coro', ['fork-promises']));
});

test('any failed run or allocation repeat fails the run, named', () => {
  const r = results();
  const ok = [status('a', 'A')];
  const bad = { ...r.samples[0]!, result: null, error: 'exit 1: boom' };
  const badAlloc = { ...r.allocs[0]!, result: null, error: 'timed out' };
  assert.deepEqual(failures(ok, [bad], [], []), ['run failed: a stat @1 run 1: exit 1: boom']);
  assert.deepEqual(failures(ok, [], [badAlloc], []), ['allocation run failed: a stat @1 repeat 1: timed out']);
  assert.deepEqual(failures(ok, [], [], []), ['nothing ran: no contender was available']);
});

// The runner itself, end to end, with stand-in binaries: no timing involved.
const mainJs = fileURLToPath(new URL('../main.js', import.meta.url));

function runner(dir: string, args: string[]) {
  const r = spawnSync(process.execPath, [mainJs, `--bench-dir=${dir}`, `--out=${dir}/out`, '--tag=t',
    `--fork-node=${dir}/no-node`, `--floor=${dir}/no-floor`, `--bun=${dir}/no-bun`, `--deno=${dir}/no-deno`,
    `--malloc-count=${dir}/no-malloc`, '--runs=1', '--workloads=stat', '--concurrency=1', '--no-alloc', ...args],
  { encoding: 'utf8', timeout: 60_000 });
  const outs = readdirSync(`${dir}/out`, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const json = JSON.parse(readFileSync(`${dir}/out/${outs[outs.length - 1]}/results.json`, 'utf8'));
  return { status: r.status, stderr: r.stderr, stdout: r.stdout, json };
}

function script(p: string, body: string): string {
  writeFileSync(p, `#!/bin/sh\n${body}\n`);
  chmodSync(p, 0o755);
  return p;
}

const WORKLOAD_LINE = '{"tool":"fs-workload","runtime":{"name":"libuv-floor","version":"0"},"exec_argv":["--hops=each"],' +
  '"workload":"stat","api":"libuv","concurrency":1,"ops":100,"elapsed_ns":1000000,"ops_per_sec":100000,"us_per_op":10,' +
  '"cpu_user_us":500,"cpu_sys_us":500,"cpu_us_per_op":10,"warmup_ops":2000,' +
  '"warmup":{"ops":2000,"ns":1,"ended_by":"ops","max_ops":2000,"max_s":1,"windows":0},' +
  '"memory":{"samples":1,"rss_max":1,"rss_avg":1,"heap_used_max":null,"heap_used_avg":null,"heap_total_max":null,"external_max":null},"pid":1}';

test('the runner exits 1 when every contender is missing, and names them', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-status-'));
  try {
    const r = runner(dir, []);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /FAILED \(exit 1\)/);
    assert.match(r.stderr, /contender fork-promises is MISSING: the fork binary is not built yet/);
    assert.match(r.stderr, /contender floor is MISSING/);
    assert.match(r.stderr, /contender bun-promises is MISSING/);
    assert.equal(r.json.exit_code, 1);
    assert.ok(r.json.failures.length >= 8);
    // Allowing them all still fails: nothing ran.
    const r2 = runner(dir, ['--allow-missing=*']);
    assert.equal(r2.status, 1);
    assert.match(r2.stderr, /nothing ran/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the runner exits 1 when a run fails, 0 when every requested run succeeds', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-status-'));
  try {
    const probeLine = `{"tool":"probe","runtime":{"name":"libuv-floor","version":"0"},"exec_argv":[],"versions":{"uv":"0"},"exec_path":"${dir}/floor"}`;
    const floor = script(`${dir}/floor`, `case " $* " in *" --probe "*) echo '${probeLine}'; exit 0;; esac\necho boom >&2; exit 3`);
    const bad = runner(dir, [`--floor=${floor}`, '--contenders=floor']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /run failed: floor stat @1 run 1: exit 3: boom/);
    script(floor, `case " $* " in *" --probe "*) echo '${probeLine}'; exit 0;; esac\necho '${WORKLOAD_LINE}'`);
    const good = runner(dir, [`--floor=${floor}`, '--contenders=floor,one-hop-ref']);
    assert.equal(good.status, 0, good.stderr);
    assert.deepEqual(good.json.failures, []);
    const st = good.json.contenders.find((c: { id: string }) => c.id === 'floor');
    assert.equal(st.state, 'ok');
    assert.match(st.sha256, /^[0-9a-f]{64}$/);
    assert.deepEqual(good.json.samples.map((s: { contender: string }) => s.contender).sort(), ['floor', 'one-hop-ref']);
    assert.equal(typeof good.json.seed, 'number');
    // A binary rebuilt during the run fails it: its figures would be a mix.
    script(floor, `case " $* " in *" --probe "*) echo '${probeLine}'; exit 0;; esac\necho "# $$" >> "$0"\necho '${WORKLOAD_LINE}'`);
    const rebuilt = runner(dir, [`--floor=${floor}`, '--contenders=floor']);
    assert.equal(rebuilt.status, 1);
    assert.match(rebuilt.stderr, /the binary of floor changed during the run/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('fs-extra: the floor is n/a for its workloads, fixtures go to the preset\'s tmpdir, --tmpdir must exist', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-status-'));
  try {
    const probeLine = `{"tool":"probe","runtime":{"name":"libuv-floor","version":"0"},"exec_argv":[],"versions":{"uv":"0"},"exec_path":"${dir}/floor"}`;
    const floor = script(`${dir}/floor`, `case " $* " in *" --probe "*) echo '${probeLine}'; exit 0;; esac\necho "$*" >> "${dir}/floor-args"\necho '${WORKLOAD_LINE}'`);
    const r = runner(dir, [`--floor=${floor}`, '--preset=fs-extra', '--workloads=stat,rm-tree', '--contenders=floor']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.json.samples.map((s: { workload: string }) => s.workload), ['stat']);
    const na = r.json.summaries.find((s: { contender: string; workload: string }) => s.contender === 'floor' && s.workload === 'rm-tree');
    assert.equal(na.note, 'n/a: the floor does not implement this workload');
    const tmp = existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
    assert.equal(r.json.machine.tmpdir, tmp);
    assert.match(readFileSync(`${dir}/floor-args`, 'utf8'), new RegExp(`--tmpdir=${tmp}( |$)`, 'm'));
    // --tmpdir overrides the preset's, and must exist.
    const own = runner(dir, [`--floor=${floor}`, '--preset=fs-extra', '--workloads=stat', '--contenders=floor', `--tmpdir=${dir}`]);
    assert.equal(own.status, 0, own.stderr);
    assert.equal(own.json.machine.tmpdir, dir);
    const bad = spawnSync(process.execPath, [mainJs, `--bench-dir=${dir}`, `--out=${dir}/out`, `--floor=${floor}`,
      '--contenders=floor', `--tmpdir=${dir}/nowhere`], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--tmpdir: .*nowhere does not exist/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the probe runs with the contender\'s flags: a binary without --no-fs-coro', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-status-'));
  try {
    // A node that rejects --no-fs-coro like the real one, and runs scripts otherwise.
    const node = script(`${dir}/node`, `for a in "$@"; do [ "$a" = --no-fs-coro ] && { echo "$0: bad option: --no-fs-coro" >&2; exit 9; }; done\nexec "${process.execPath}" "$@"`);
    const bench = fileURLToPath(new URL('../../../../benchmark', import.meta.url));
    const args = [`--fork-node=${node}`, `--bench-dir=${bench}`];
    // Not asked for by name: listed as not available, no failure from it.
    const r = spawnSync(process.execPath, [mainJs, ...args, `--out=${dir}/out`, '--tag=t', '--contenders=fork-promises,fork-promises-no-coro',
      '--runs=1', '--workloads=stat', '--concurrency=1', '--no-alloc', '--duration=0.05', '--warmup=0.05'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 1, 'asked for by name, the unavailable contender is missing');
    assert.match(r.stderr, /contender fork-promises-no-coro is MISSING: not available: the binary has no --no-fs-coro/);
    const r2 = spawnSync(process.execPath, [mainJs, ...args, `--out=${dir}/out2`, '--tag=t', '--allow-missing=fork-callback,fork-sync,floor,one-hop-ref,bun-*,deno-*',
      `--floor=${dir}/none`, `--bun=${dir}/none`, `--deno=${dir}/none`,
      '--runs=1', '--workloads=stat', '--concurrency=1', '--no-alloc', '--duration=0.05', '--warmup=0.05'], { encoding: 'utf8', timeout: 60_000 });
    assert.match(r2.stderr, /not available fork-promises-no-coro: not available: the binary has no --no-fs-coro/);
    assert.match(r2.stderr, /baseline: fork-promises-no-coro is not available \(the binary has no --no-fs-coro\), so the baseline is fork-promises/);
    assert.equal(r2.status, 0, r2.stderr);
    const out = readdirSync(`${dir}/out2`)[0] as string;
    const json = JSON.parse(readFileSync(`${dir}/out2/${out}/results.json`, 'utf8'));
    const fp = json.contenders.find((c: { id: string }) => c.id === 'fork-promises');
    assert.match(fp.detail, /measures the stock path/);
    assert.ok(Array.isArray(fp.exec_argv));
    assert.equal(fp.versions.node, process.versions.node);
    // Every timed process records its execArgv.
    assert.ok(json.samples.every((s: { result: { exec_argv: unknown } }) => Array.isArray(s.result.exec_argv)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
