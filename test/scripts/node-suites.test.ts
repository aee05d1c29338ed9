// scripts/node-suites.py: Node's own suites are held against the
// known-failures list; an unlisted failure fails the run.
import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, run, scratchDir } from '../lib/run.ts';

const runner = path.join(repoRoot, 'scripts', 'node-suites.py');

// A stand-in tree whose tools/test.py prints the TAP lines it is given and
// exits as the real one does (1 when a test failed), or with `exit`, or
// sleeps (a hang) after printing.
function fakeTree(tap: string, opts: { exit?: number; sleep?: number } = {}): string {
  const dir = scratchDir('suites');
  fs.mkdirSync(path.join(dir, 'tools'));
  const exit = opts.exit ?? (/^not ok /m.test(tap) ? 1 : 0);
  fs.writeFileSync(path.join(dir, 'tools', 'test.py'), [
    'import sys, time',
    `sys.stdout.write(${JSON.stringify(tap)})`,
    'sys.stdout.flush()',
    `time.sleep(${opts.sleep ?? 0})`,
    `sys.exit(${exit})`, '',
  ].join('\n'));
  return dir;
}

function suites(tree: string, known: string, extra: string[] = []) {
  const knownFile = path.join(tree, 'known.txt');
  fs.writeFileSync(knownFile, known);
  return run('python3', [runner, '--node', process.execPath, '--tree', tree,
    '--known', knownFile, '--mode', 'stock', ...extra, 'parallel/test-fs-*']);
}

const tap = [
  'TAP version 13', '1..4',
  'ok 1 parallel/test-fs-a', '  ---', '  ...',
  'not ok 2 parallel/test-fs-b', '  ---', '  ...',
  'ok 3 parallel/test-fs-c # skip no root', '  ---', '  ...',
  'not ok 4 parallel/test-fs-d', '  ---', '  ...', '',
].join('\n');

t.test('an unlisted failure fails the run', async (t) => {
  const tree = fakeTree(tap);
  t.teardown(() => fs.rmSync(tree, { recursive: true, force: true }));
  const r = suites(tree, 'parallel/test-fs-b  # removed fixture\n');
  t.equal(r.status, 1);
  t.match(r.stdout, /FAILED\s+parallel\/test-fs-d/);
  t.match(r.stdout, /known failure\s+parallel\/test-fs-b\s+# removed fixture/);
  t.match(r.stdout, /^stock: 1 passed, 1 failed, 1 skipped$/m);
});

t.test('listed failures only: the run passes, stale entries are named', async (t) => {
  const tree = fakeTree(tap);
  t.teardown(() => fs.rmSync(tree, { recursive: true, force: true }));
  const r = suites(tree, [
    '# comment lines are ignored',
    'parallel/test-fs-b  # removed fixture',
    'parallel/test-fs-d  # needs network',
    'parallel/test-fs-a  # fixed upstream',
  ].join('\n'));
  t.equal(r.status, 0, 'exit status', { stdout: r.stdout });
  t.match(r.stdout, /stale entry\s+parallel\/test-fs-a passed/);
  t.match(r.stdout, /^stock: 1 passed, 0 failed, 1 skipped$/m);
});

t.test('a known failure without a reason is refused', async (t) => {
  const tree = fakeTree(tap);
  t.teardown(() => fs.rmSync(tree, { recursive: true, force: true }));
  const r = suites(tree, 'parallel/test-fs-b\n');
  t.not(r.status, 0);
  t.match(r.stderr, 'needs a reason');
});

t.test('a run that executes no test is a failure', async (t) => {
  const tree = fakeTree('TAP version 13\n1..0\n');
  t.teardown(() => fs.rmSync(tree, { recursive: true, force: true }));
  const r = suites(tree, '');
  t.equal(r.status, 1);
  t.match(r.stdout, 'ran no test');
});

// tools/test.py killed or crashed half-way prints fewer results than its
// plan: that must fail even when every printed line is `ok`.
const shortTap = [
  'TAP version 13', '1..4',
  'ok 1 parallel/test-fs-a', '  ---', '  ...',
  'ok 2 parallel/test-fs-b', '  ---', '  ...', '',
].join('\n');

t.test('a run shorter than its TAP plan fails', async (t) => {
  const tree = fakeTree(shortTap, { exit: 0 });
  t.teardown(() => fs.rmSync(tree, { recursive: true, force: true }));
  const r = suites(tree, '');
  t.equal(r.status, 1, 'exit status', { stdout: r.stdout });
  t.match(r.stdout, /BROKEN RUN\s+TAP plan 1\.\.4 but 2 results/);
  t.match(r.stdout, /^stock: 2 passed, 1 failed, 0 skipped$/m);
});

t.test('a crash of tools/test.py (status other than 0 or 1) fails', async (t) => {
  const tree = fakeTree(tap.replace(/^not ok/gm, 'ok'), { exit: 134 });
  t.teardown(() => fs.rmSync(tree, { recursive: true, force: true }));
  const r = suites(tree, '');
  t.equal(r.status, 1, 'exit status', { stdout: r.stdout });
  t.match(r.stdout, /BROKEN RUN\s+tools\/test\.py exited with status 134/);
});

t.test('exit 1 with every printed test passing fails', async (t) => {
  const tree = fakeTree(tap.replace(/^not ok/gm, 'ok'), { exit: 1 });
  t.teardown(() => fs.rmSync(tree, { recursive: true, force: true }));
  const r = suites(tree, '');
  t.equal(r.status, 1);
  t.match(r.stdout, /BROKEN RUN\s+tools\/test\.py exited 1 with no failed test/);
});

t.test('a hung tools/test.py is killed at --timeout and fails', async (t) => {
  const tree = fakeTree(shortTap, { exit: 0, sleep: 60 });
  t.teardown(() => fs.rmSync(tree, { recursive: true, force: true }));
  const started = Date.now();
  const r = suites(tree, '', ['--timeout', '2']);
  t.ok(Date.now() - started < 30_000, 'did not wait for the hang');
  t.equal(r.status, 1);
  t.match(r.stdout, /BROKEN RUN\s+tools\/test\.py killed after 2s/);
});

// --node-options is how the stock-mode run reaches the children a test
// starts: it arrives as NODE_CORO_TEST_NODE_OPTIONS, which the fork's
// tools/test.py turns into every test's NODE_OPTIONS; without it nothing
// is passed, and an outer NODE_OPTIONS never leaks in.
function envTree(): string {
  const dir = scratchDir('suites-env');
  fs.mkdirSync(path.join(dir, 'tools'));
  fs.writeFileSync(path.join(dir, 'tools', 'test.py'), [
    'import os, sys',
    "v = os.environ.get('NODE_CORO_TEST_NODE_OPTIONS', '<unset>')",
    "o = os.environ.get('NODE_OPTIONS', '<unset>')",
    "sys.stdout.write('TAP version 13\\n1..1\\nok 1 parallel/test-fs-a # skip ' + v + ' ' + o + '\\n')", '',
  ].join('\n'));
  return dir;
}

t.test('--node-options reaches the tests, NODE_OPTIONS does not', async (t) => {
  const tree = envTree();
  t.teardown(() => fs.rmSync(tree, { recursive: true, force: true }));
  const known = path.join(tree, 'known.txt');
  fs.writeFileSync(known, '');
  const args = [runner, '--node', process.execPath, '--tree', tree, '--known', known,
    '--mode', 'stock', '--tap-out', path.join(tree, 'out.tap')];
  const env = { ...process.env, NODE_OPTIONS: '--outer', NODE_CORO_TEST_NODE_OPTIONS: '--stale' };
  let r = run('python3', [...args, '--node-options=--no-fs-coro', 'parallel/test-fs-*'], { env });
  t.equal(r.status, 0, 'the run passes');
  t.match(fs.readFileSync(path.join(tree, 'out.tap'), 'utf8'), /# skip --no-fs-coro <unset>/);
  r = run('python3', [...args, 'parallel/test-fs-*'], { env });
  t.equal(r.status, 0, 'the run passes');
  t.match(fs.readFileSync(path.join(tree, 'out.tap'), 'utf8'), /# skip <unset> <unset>/);
});
