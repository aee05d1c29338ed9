// The fs-extra workloads end to end on the machine's node (the runner's):
// every API gives a JSON line whose results were checked during the warm-up,
// the FileHandle is opened before and closed after, and rm-tree's fresh trees
// are made outside the timed phase, which ends early when they run out.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AllocLine, WorkloadLine } from '../types.js';
import { FS_EXTRA_WORKLOADS } from '../workloads.js';

const workloadDir = fileURLToPath(new URL('../../../../benchmark/workload/', import.meta.url));
// tmpfs when there is one: creating an inode on this machine's ext4 takes about 1 ms.
const base = existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();

function run(script: string, args: string[], nodeFlags: string[] = []): { line: unknown; stderr: string; status: number | null } {
  const tmp = mkdtempSync(path.join(base, 'bench-workload-test-'));
  try {
    const r = spawnSync(process.execPath, [...nodeFlags, path.join(workloadDir, script), `--tmpdir=${tmp}`, ...args],
      { encoding: 'utf8', timeout: 120_000 });
    const last = r.stdout.trim().split('\n').pop() ?? '';
    // Every fixture is removed before exit.
    assert.deepEqual(readdirSync(tmp), [], `${args.join(' ')} left fixtures behind`);
    return { line: last.startsWith('{') ? JSON.parse(last) : null, stderr: r.stderr, status: r.status };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const SHORT = ['--duration=0.05', '--warmup-max=0.05', '--warmup-ops=40'];

test('every fs-extra workload runs on every API, results checked in the warm-up', () => {
  for (const workload of FS_EXTRA_WORKLOADS) {
    for (const [api, k] of [['promises', 4], ['callback', 4], ['sync', 1]] as const) {
      const r = run('fs-workload.mjs', [`--workload=${workload}`, `--api=${api}`, `--concurrency=${k}`, ...SHORT]);
      assert.equal(r.status, 0, `${workload} ${api}: ${r.stderr}`);
      const l = r.line as WorkloadLine;
      assert.equal(l.workload, workload);
      assert.equal(l.api, api);
      assert.ok(l.ops >= k && l.us_per_op > 0 && (l.warmup?.ops ?? 0) >= k, `${workload} ${api}: ${JSON.stringify(l)}`);
      assert.equal(l.pool !== undefined, workload === 'rm-tree', `${workload}: pool only for rm-tree`);
    }
  }
});

test('rm-tree: trees are made before the timed phase, and it ends early when they run out', () => {
  const ok = run('fs-workload.mjs', ['--workload=rm-tree', '--concurrency=4', ...SHORT]);
  assert.equal(ok.status, 0, ok.stderr);
  const p = (ok.line as WorkloadLine).pool;
  assert.ok(p, 'a pool line');
  assert.equal(p.factor, 2);
  assert.ok(p.made_s >= 0);
  assert.equal(p.used, (ok.line as WorkloadLine).ops, 'one tree per operation');
  assert.ok(p.used <= p.ready);
  // At most one tree a slot more than --pool-max: the timed phase runs dry.
  const dry = run('fs-workload.mjs', ['--workload=rm-tree', '--concurrency=2', '--pool-max=3', '--duration=5',
    '--warmup-max=0.05', '--warmup-ops=40']);
  assert.equal(dry.status, 0, dry.stderr);
  const d = dry.line as WorkloadLine;
  assert.equal(d.pool?.ended_early, true);
  assert.equal(d.pool?.used, d.pool?.ready);
  assert.equal(d.ops, d.pool?.used);
  assert.ok(d.elapsed_ns < 5e9, 'did not wait for the deadline');
});

test('allocation counts run on the fs-extra workloads, rm-tree with its trees made first', () => {
  for (const workload of ['fh-read-4k', 'rm-tree', 'cp-tree']) {
    const r = run('alloc.mjs', [`--workload=${workload}`, '--concurrency=2', '--warmup=0.05', '--batch-seconds=0.02', '--ops=50'],
      ['--expose-gc']);
    assert.equal(r.status, 0, `${workload}: ${r.stderr}`);
    const l = r.line as AllocLine;
    assert.equal(l.tool, 'fs-alloc');
    assert.ok(l.ops >= 2 && l.ops <= 50, `${workload}: ${l.ops} ops`);
  }
});
