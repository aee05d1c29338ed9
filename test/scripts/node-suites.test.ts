// scripts/node-suites.py: Node's own suites are held against the
// known-failures list; an unlisted failure fails the run.
import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, run, scratchDir } from '../lib/run.ts';

const runner = path.join(repoRoot, 'scripts', 'node-suites.py');

// A stand-in tree whose tools/test.py prints the TAP lines it is given.
function fakeTree(tap: string): string {
  const dir = scratchDir('suites');
  fs.mkdirSync(path.join(dir, 'tools'));
  fs.writeFileSync(path.join(dir, 'tools', 'test.py'),
    `import sys\nsys.stdout.write(${JSON.stringify(tap)})\n`);
  return dir;
}

function suites(tree: string, known: string) {
  const knownFile = path.join(tree, 'known.txt');
  fs.writeFileSync(knownFile, known);
  return run('python3', [runner, '--node', process.execPath, '--tree', tree,
    '--known', knownFile, '--mode', 'stock', 'parallel/test-fs-*']);
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
