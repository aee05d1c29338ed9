// scripts/test-all.sh: the tier summary never calls a tier passed that did
// not run, and only a failure in a tier that ran fails the whole run.
// A stand-in `make` plays each target; the real one is not involved.
import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, run, scratchDir } from '../lib/run.ts';

const testAll = path.join(repoRoot, 'scripts', 'test-all.sh');

// A fake make: every test target reports one pass (or a failure when its
// name is in FAIL, or hangs when it is in HANG), `build` sleeps
// BUILD_SECONDS and fails when FAIL names it.
function fakeMake(dir: string): string {
  const file = path.join(dir, 'fake-make.sh');
  fs.writeFileSync(file, `#!/usr/bin/env bash
for target in "$@"; do
  case "$target" in
    --*|*=*) ;;
    build|build-cctest)
       sleep "\${BUILD_SECONDS:-0}"
       if [[ " $FAIL " == *" $target "* ]]; then
         echo "ninja: build stopped: subcommand failed."; exit 1
       fi
       echo "built $target" ;;
    *) if [[ " $HANG " == *" $target "* ]]; then
         echo "$target: started"; sleep 600
       fi
       if [[ " $FAIL " == *" $target "* ]]; then
         echo "$target: 0 passed, 1 failed"; exit 1
       fi
       echo "$target: 1 passed, 0 failed" ;;
  esac
done
`);
  fs.chmodSync(file, 0o755);
  return file;
}

function tiers(env: Record<string, string>) {
  const dir = scratchDir('tiers');
  const r = run('bash', [testAll], {
    env: { ...process.env, MAKE: fakeMake(dir), TEST_LOGDIR: path.join(dir, 'logs'), ...env },
  });
  fs.rmSync(dir, { recursive: true, force: true });
  return r;
}

const now = () => Math.floor(Date.now() / 1000);

t.test('every tier runs and passes', async (t) => {
  const r = tiers({});
  t.equal(r.status, 0, 'exit status', { stdout: r.stdout });
  t.match(r.stdout, /^T1: PASSED\./m);
  t.match(r.stdout, /^T2: PASSED\. fork and cctest built/m);
  t.match(r.stdout, /^T3: PASSED\./m);
  t.match(r.stdout, /^tests: 13 passed, 0 failed, 0 skipped$/m);
});

t.test('no time for the build: T2 and T3 did not run, the run passes on T1', async (t) => {
  const r = tiers({ DEADLINE: String(now() + 1200 + 10) });
  t.equal(r.status, 0, 'exit status', { stdout: r.stdout });
  t.match(r.stdout, /^T2: DID NOT RUN\./m);
  t.match(r.stdout, /^T3: DID NOT RUN\. needs the fork binary/m);
  t.notMatch(r.stdout, /^T[23]: PASSED/m);
  t.match(r.stdout, /^tests: 6 passed, 0 failed, 0 skipped$/m);
});

t.test('a build stopped at the deadline: did not finish, T3 did not run', async (t) => {
  const r = tiers({
    DEADLINE: String(now() + 1200 + 3), T2_MIN_BUDGET: '1', BUILD_SECONDS: '30',
  });
  t.equal(r.status, 0, 'exit status', { stdout: r.stdout });
  t.match(r.stdout, /^T2: DID NOT FINISH\. stopped after/m);
  t.match(r.stdout, /^T3: DID NOT RUN\./m);
});

t.test('a T1 failure fails the run, even when T2 could not run', async (t) => {
  const r = tiers({ DEADLINE: String(now() + 1200 + 10), FAIL: 'typecheck' });
  t.equal(r.status, 1, 'exit status', { stdout: r.stdout });
  t.match(r.stdout, /^T1: FAILED\. .*typecheck FAILED/m);
  t.match(r.stdout, /^tests: 5 passed, 1 failed, 0 skipped$/m);
});

t.test('a T3 failure fails the run', async (t) => {
  const r = tiers({ FAIL: 'test-node-suites' });
  t.equal(r.status, 1, 'exit status', { stdout: r.stdout });
  t.match(r.stdout, /^T3: FAILED\. .*node-suites FAILED/m);
});

t.test('a failing build (not a timeout): T2 FAILED, T3 did not run, the run fails', async (t) => {
  const r = tiers({ FAIL: 'build' });
  t.equal(r.status, 1, 'exit status', { stdout: r.stdout });
  t.match(r.stdout, /^T2: FAILED\. build failed/m);
  t.match(r.stdout, /^T3: DID NOT RUN\./m);
  t.notMatch(r.stdout, /^T2: DID NOT FINISH/m);
});

t.test('cctest is built in T2: its failure is a build failure', async (t) => {
  const r = tiers({ FAIL: 'build-cctest' });
  t.equal(r.status, 1, 'exit status', { stdout: r.stdout });
  t.match(r.stdout, /^T2: FAILED\./m);
  t.match(r.stdout, /^T3: DID NOT RUN\./m);
});

t.test('a hung T3 step is killed at the deadline and the summary is still printed', async (t) => {
  const started = Date.now();
  // T3_RESERVE 0: T2 may use the whole budget; the fake build is instant.
  const r = tiers({
    DEADLINE: String(now() + 8), T3_RESERVE: '0', T2_MIN_BUDGET: '1',
    SUMMARY_RESERVE: '2', HANG: 'test-node-suites',
  });
  t.ok(Date.now() - started < 60_000, 'did not wait for the hang');
  t.equal(r.status, 1, 'exit status', { stdout: r.stdout });
  t.match(r.stdout, /^T2: PASSED\./m);
  t.match(r.stdout, /^T3: FAILED\. .*node-suites KILLED AT THE DEADLINE/m);
  t.match(r.stdout, /^=== summary$/m);
  t.match(r.stdout, /^tests: \d+ passed, [1-9]\d* failed/m);
});
