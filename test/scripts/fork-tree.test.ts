// scripts/fork-tree.sh: export writes only our patch commits to patches/,
// never the generated deps or sync commits, and a re-export is stable; no
// command loses work held in node-fork/ (uncommitted edits, unexported
// commits, untracked files) or in patches/.
import t, { type Test } from 'tap';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, run, scratchDir } from '../lib/run.ts';

const forkTree = path.join(repoRoot, 'scripts', 'fork-tree.sh');

function git(cwd: string, ...args: string[]): string {
  const r = run('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function commitFile(fork: string, file: string, text: string, msg: string): void {
  fs.mkdirSync(path.dirname(path.join(fork, file)), { recursive: true });
  fs.writeFileSync(path.join(fork, file), text);
  git(fork, 'add', '-A');
  git(fork, 'commit', '-q', '-m', msg);
}

// A stand-in node-fork/ under a scratch repo: a pristine commit (tag
// upstream) and a generated deps commit (tag deps), as fork-tree.sh lays it.
function makeFork(t: Test, prefix: string): { repo: string; fork: string } {
  const repo = scratchDir(prefix);
  t.teardown(() => fs.rmSync(repo, { recursive: true, force: true }));
  const fork = path.join(repo, 'node-fork');
  fs.mkdirSync(fork);
  git(fork, 'init', '-q', '-b', 'main');
  commitFile(fork, 'src/a.cc', 'int a;\n', 'upstream: pristine');
  git(fork, 'tag', 'upstream');
  commitFile(fork, 'deps/x/x.c', 'int x;\n', 'node-coro-generated: deps: restore');
  git(fork, 'tag', 'deps');
  return { repo, fork };
}

t.test('export writes the patch commits and nothing generated', async (t) => {
  const { repo, fork } = makeFork(t, 'forktree');
  commitFile(fork, 'src/a.cc', 'int a = 1;\n', 'src: first concern\n\nWhy it exists.');
  commitFile(fork, 'src/coro/t.h', '// owned\n', 'node-coro-generated: sync owned files');
  commitFile(fork, 'lib/fs.js', 'x\n', 'lib: second concern');

  const r = run('bash', [forkTree, 'export'], { cwd: repo, env: { ...process.env, FORK: fork } });
  t.equal(r.status, 0, 'exit status', { stderr: r.stderr });
  t.match(r.stdout, 'exported 2 patches');
  const files = fs.readdirSync(path.join(repo, 'patches')).sort();
  t.same(files, ['0001-src-first-concern.patch', '0002-lib-second-concern.patch']);
  const first = fs.readFileSync(path.join(repo, 'patches', files[0] ?? ''), 'utf8');
  t.match(first, 'Why it exists.');
  t.notMatch(first, 'src/coro/t.h');

  // Exporting again gives byte-identical files: no spurious diffs in review.
  const before = files.map((f) => fs.readFileSync(path.join(repo, 'patches', f), 'utf8'));
  const again = run('bash', [forkTree, 'export'], { cwd: repo, env: { ...process.env, FORK: fork } });
  t.equal(again.status, 0, 'exit status', { stderr: again.stderr });
  const after = files.map((f) => fs.readFileSync(path.join(repo, 'patches', f), 'utf8'));
  t.same(after, before);
});

t.test('fresh refuses to drop patch commits that are not in patches/', async (t) => {
  const { repo, fork } = makeFork(t, 'forkfresh');
  const env = { ...process.env, FORK: fork };
  // Export the (empty) series, which records it as applied, then add a
  // patch commit nobody exported.
  t.equal(run('bash', [forkTree, 'export'], { cwd: repo, env }).status, 0);
  commitFile(fork, 'src/a.cc', 'int a = 2;\n', 'src: unexported work');

  const r = run('bash', [forkTree, 'fresh'], { cwd: repo, env });
  t.not(r.status, 0);
  t.match(r.stderr, 'not in patches/');
  t.ok(fs.existsSync(path.join(fork, 'src', 'a.cc')), 'the tree is still there');
  t.equal(fs.readFileSync(path.join(fork, 'src', 'a.cc'), 'utf8'), 'int a = 2;\n');
});

// --- helpers for the tests below ----------------------------------------

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}
const read = (file: string): string => fs.readFileSync(file, 'utf8');

// fork-tree.sh run from `repo` on the stand-in tree, with a stand-in
// restore-deps (restoreStub) and vendor directory (makeVendor) when the
// test made them.
function runForkTree(repo: string, cmd: string, env: Record<string, string> = {}) {
  return run('bash', [forkTree, cmd], {
    cwd: repo,
    env: {
      ...process.env,
      FORK: path.join(repo, 'node-fork'),
      VENDOR_DIR: path.join(repo, 'vendor'),
      RESTORE_DEPS: path.join(repo, 'restore-deps-stub.sh'),
      FORCE: '',
      ...env,
    },
  });
}

// The pinned tarball's name and top directory, as fork-tree.sh expects
// them, holding a two-file stand-in of the Node.js tree.
const tarball = 'nodejs_22.22.2+dfsg+~cs22.19.15.orig.tar.xz';
function makeVendor(repo: string): void {
  const src = path.join(repo, 'vendor-src');
  write(path.join(src, 'node-v22.22.2', 'src', 'a.cc'), 'int a;\n');
  write(path.join(src, 'node-v22.22.2', 'lib', 'fs.js'), 'upstream fs\n');
  const vendor = path.join(repo, 'vendor');
  fs.mkdirSync(vendor, { recursive: true });
  const r = run('tar', ['-C', src, '-cJf', path.join(vendor, tarball), 'node-v22.22.2']);
  if (r.status !== 0) throw new Error(r.stderr);
  fs.rmSync(src, { recursive: true });
  const sum = createHash('sha256').update(fs.readFileSync(path.join(vendor, tarball))).digest('hex');
  fs.writeFileSync(path.join(vendor, 'SHA256SUMS'), `${sum}  ${tarball}\n`);
}

// A restore-deps stand-in: deps/x/x.c gets the content of
// tools/fork-deps/package-lock.json, so a change there shows in the deps
// commit. With fail, it writes half its output and fails.
function restoreStub(repo: string, opts: { fail?: boolean } = {}): void {
  const lock = path.join(repo, 'tools', 'fork-deps', 'package-lock.json');
  if (!fs.existsSync(lock)) write(lock, '{"lock": 1}\n');
  write(path.join(repo, 'restore-deps-stub.sh'), [
    '#!/bin/sh', 'set -e',
    'mkdir -p "$1/deps/x"',
    `cp '${lock}' "$1/deps/x/x.c"`,
    opts.fail ? 'exit 1' : 'exit 0', '',
  ].join('\n'));
  fs.chmodSync(path.join(repo, 'restore-deps-stub.sh'), 0o755);
}

// A scratch repo with a stand-in tarball and restore-deps, and
// node-fork/ laid from them by `create`.
function makeCreated(t: Test, prefix: string): { repo: string; fork: string } {
  const repo = scratchDir(prefix);
  t.teardown(() => fs.rmSync(repo, { recursive: true, force: true }));
  makeVendor(repo);
  restoreStub(repo);
  const r = runForkTree(repo, 'create');
  if (r.status !== 0) throw new Error(`create: ${r.stderr}`);
  return { repo, fork: path.join(repo, 'node-fork') };
}

const subjects = (fork: string, range: string): string[] =>
  git(fork, 'log', '--reverse', '--format=%s', range).split('\n').filter(Boolean);
const status = (fork: string): string => git(fork, 'status', '--porcelain');

// The patches/ of a pull that brought a new series: the tree's series plus
// one more patch, made in a clone of the tree.
function pullNewSeries(t: Test, repo: string, fork: string, file: string, text: string): void {
  const clone = scratchDir('forkclone');
  t.teardown(() => fs.rmSync(clone, { recursive: true, force: true }));
  git(clone, 'clone', '-q', fork, 'c');
  const c = path.join(clone, 'c');
  // Drop the generated sync commit at the tip, as export would skip it.
  const tip = git(c, 'log', '-1', '--format=%s').trim();
  if (tip.startsWith('node-coro-generated: sync')) git(c, 'reset', '-q', '--hard', 'HEAD~1');
  commitFile(c, file, text, 'src: work from the pull');
  for (const f of fs.readdirSync(path.join(repo, 'patches'))) fs.rmSync(path.join(repo, 'patches', f));
  git(c, 'format-patch', '-q', '--zero-commit', '--no-signature', '--no-numbered',
    '-o', path.join(repo, 'patches'), 'deps..HEAD');
}

// --- 1. sync commits only what it owns ---------------------------------

t.test('sync commits only the owned files and leaves every other change uncommitted', async (t) => {
  const { repo, fork } = makeFork(t, 'forksync');
  t.equal(runForkTree(repo, 'export').status, 0, 'the empty series, recorded as applied');
  write(path.join(repo, 'coro', 'x.h'), '// coro v1\n');
  // Work in progress in the tree: an unstaged edit, a staged edit, a new file.
  write(path.join(fork, 'src', 'a.cc'), 'int a = 42;  // wip\n');
  write(path.join(fork, 'deps', 'x', 'x.c'), 'int x = 1;\n');
  git(fork, 'add', 'deps/x/x.c');
  write(path.join(fork, 'notes.txt'), 'todo\n');

  for (const version of ['v1', 'v2']) {
    write(path.join(repo, 'coro', 'x.h'), `// coro ${version}\n`);
    const r = runForkTree(repo, 'sync');
    t.equal(r.status, 0, `sync ${version}: exit status`, { stderr: r.stderr });
    t.same(subjects(fork, 'deps..HEAD').map((s) => s.split(' ')[0]), ['node-coro-generated:'],
      'one sync commit above deps');
    t.same(git(fork, 'show', '--format=', '--name-only', 'HEAD').trim().split('\n'), ['src/coro/x.h'],
      'the sync commit holds only the owned file');
    t.equal(git(fork, 'show', 'HEAD:src/coro/x.h'), `// coro ${version}\n`);
    t.equal(read(path.join(fork, 'src', 'a.cc')), 'int a = 42;  // wip\n');
    t.equal(git(fork, 'show', 'HEAD:src/a.cc'), 'int a;\n', 'the upstream file is not committed');
    t.match(status(fork), /^ M src\/a\.cc$/m, 'unstaged edit stays unstaged');
    t.match(status(fork), /^M  deps\/x\/x\.c$/m, 'staged edit stays staged');
    t.match(status(fork), /^\?\? notes\.txt$/m, 'new file stays untracked');
  }
});

// --- 2. edits to owned files in node-fork are refused --------------------

t.test('sync refuses a committed edit to an owned file, after the sync commit', async (t) => {
  const { repo, fork } = makeFork(t, 'forkowned');
  t.equal(runForkTree(repo, 'export').status, 0);
  write(path.join(repo, 'coro', 'x.h'), '// from the repo\n');
  t.equal(runForkTree(repo, 'sync').status, 0);
  commitFile(fork, 'src/coro/x.h', '// edited in the fork\n', 'coro: tweak in the fork');

  const r = runForkTree(repo, 'sync');
  t.not(r.status, 0, 'refused');
  t.match(r.stderr, 'node-fork/src/coro/x.h was edited in node-fork; coro/x.h in the repo is the source: move the change there');
  t.equal(read(path.join(fork, 'src', 'coro', 'x.h')), '// edited in the fork\n', 'not overwritten');
  t.equal(subjects(fork, '-1')[0], 'coro: tweak in the fork');
});

t.test('sync refuses a patch commit that edits an owned file', async (t) => {
  const { repo, fork } = makeFork(t, 'forkownedpatch');
  t.equal(runForkTree(repo, 'export').status, 0);
  write(path.join(repo, 'build', 'lib-ts', 'lib', 'fs.js'), '// compiled from lib-ts\n');
  commitFile(fork, 'lib/fs.js', '// patched in the fork\n', 'lib: patch fs');

  const r = runForkTree(repo, 'sync');
  t.not(r.status, 0, 'refused');
  t.match(r.stderr, 'node-fork/lib/fs.js was edited in node-fork; build/lib-ts/lib/fs.js');
  t.match(r.stderr, 'move the change there');
  t.equal(read(path.join(fork, 'lib', 'fs.js')), '// patched in the fork\n', 'not overwritten');
});

t.test('sync refuses to overwrite an uncommitted edit to an owned file', async (t) => {
  const { repo, fork } = makeFork(t, 'forkdirty');
  t.equal(runForkTree(repo, 'export').status, 0);
  write(path.join(repo, 'coro', 'x.h'), '// v1\n');
  t.equal(runForkTree(repo, 'sync').status, 0);
  write(path.join(repo, 'coro', 'x.h'), '// v2\n');
  write(path.join(fork, 'src', 'coro', 'x.h'), '// edited in the fork\n');

  const r = runForkTree(repo, 'sync');
  t.not(r.status, 0, 'refused');
  t.match(r.stderr, 'node-fork/src/coro/x.h');
  t.match(r.stderr, 'coro/x.h in the repo is the source');
  t.equal(read(path.join(fork, 'src', 'coro', 'x.h')), '// edited in the fork\n', 'not overwritten');

  // A new file in an owned directory, which sync would delete, likewise.
  write(path.join(fork, 'src', 'coro', 'x.h'), '// v1\n');
  write(path.join(fork, 'src', 'coro', 'new.h'), '// only in the fork\n');
  const again = runForkTree(repo, 'sync');
  t.not(again.status, 0, 'refused');
  t.match(again.stderr, 'node-fork/src/coro/new.h');
  t.equal(read(path.join(fork, 'src', 'coro', 'new.h')), '// only in the fork\n', 'not deleted');
});

// --- 3. fresh refuses over any work, unless FORCE=1 ----------------------

t.test('fresh refuses over an unexported commit even when patches/ changed', async (t) => {
  const { repo, fork } = makeFork(t, 'forkfreshchanged');
  t.equal(runForkTree(repo, 'export').status, 0);
  commitFile(fork, 'src/a.cc', 'int a = 2;\n', 'src: unexported work');
  write(path.join(repo, 'patches', '0001-other.patch'), 'a patch from a pull\n');

  const r = runForkTree(repo, 'fresh');
  t.not(r.status, 0, 'refused');
  t.match(r.stderr, 'src: unexported work');
  t.match(r.stderr, 'FORCE=1');
  t.equal(read(path.join(fork, 'src', 'a.cc')), 'int a = 2;\n', 'the tree is still there');
});

t.test('fresh refuses over untracked files and uncommitted changes, not over build output', async (t) => {
  const { repo, fork } = makeCreated(t, 'forkfreshdirty');
  write(path.join(fork, 'out', 'Release', 'obj.o'), 'build output\n');
  write(path.join(fork, 'notes.txt'), 'mine\n');

  const r = runForkTree(repo, 'fresh');
  t.not(r.status, 0, 'refused over an untracked file');
  t.match(r.stderr, 'notes.txt');
  t.notMatch(r.stderr, 'obj.o', 'excluded build output is not work');
  t.ok(fs.existsSync(path.join(fork, 'notes.txt')), 'the tree is still there');

  fs.rmSync(path.join(fork, 'notes.txt'));
  write(path.join(fork, 'src', 'a.cc'), 'int a = 3;\n');
  const dirty = runForkTree(repo, 'fresh');
  t.not(dirty.status, 0, 'refused over an uncommitted change');
  t.match(dirty.stderr, 'src/a.cc');

  git(fork, 'checkout', '-q', '--', 'src/a.cc');
  const clean = runForkTree(repo, 'fresh');
  t.equal(clean.status, 0, 'a tree with only build output is laid anew', { stderr: clean.stderr });
  t.notOk(fs.existsSync(path.join(fork, 'out')), 'out/ went with the old tree');
  t.same(subjects(fork, 'HEAD').map((s) => s.split(':')[0]), ['upstream', 'node-coro-generated']);
});

t.test('FORCE=1 makes fresh discard the tree\'s work', async (t) => {
  const { repo, fork } = makeCreated(t, 'forkforce');
  write(path.join(fork, 'src', 'a.cc'), 'int a = 3;\n');
  commitFile(fork, 'lib/fs.js', 'patched\n', 'lib: unexported');
  write(path.join(fork, 'notes.txt'), 'mine\n');

  const r = runForkTree(repo, 'fresh', { FORCE: '1' });
  t.equal(r.status, 0, 'exit status', { stderr: r.stderr });
  t.equal(read(path.join(fork, 'src', 'a.cc')), 'int a;\n');
  t.equal(read(path.join(fork, 'lib', 'fs.js')), 'upstream fs\n');
  t.notOk(fs.existsSync(path.join(fork, 'notes.txt')));
});

// --- 4. a changed series is re-applied, or refused over work -------------

t.test('sync re-applies a changed series when the tree holds no unexported work', async (t) => {
  const { repo, fork } = makeFork(t, 'forkreapply');
  write(path.join(repo, 'coro', 'x.h'), '// coro\n');
  commitFile(fork, 'src/a.cc', 'int a = 1;\n', 'src: first');
  t.equal(runForkTree(repo, 'export').status, 0);
  t.equal(runForkTree(repo, 'sync').status, 0);
  pullNewSeries(t, repo, fork, 'src/b.cc', 'int b;\n');
  t.equal(fs.readdirSync(path.join(repo, 'patches')).length, 2);

  const r = runForkTree(repo, 'sync');
  t.equal(r.status, 0, 'exit status', { stderr: r.stderr });
  t.same(subjects(fork, 'deps..HEAD').map((s) => s.split(' ')[0]),
    ['src:', 'src:', 'node-coro-generated:'], 'the new series, then the sync commit');
  t.equal(read(path.join(fork, 'src', 'b.cc')), 'int b;\n');
  t.equal(read(path.join(fork, 'src', 'coro', 'x.h')), '// coro\n');
  t.equal(status(fork), '', 'nothing left uncommitted');

  // The series now counts as applied: a second sync changes nothing.
  const head = git(fork, 'rev-parse', 'HEAD');
  t.equal(runForkTree(repo, 'sync').status, 0);
  t.equal(git(fork, 'rev-parse', 'HEAD'), head);
});

t.test('sync refuses a changed series over unexported work and names both ways out', async (t) => {
  const { repo, fork } = makeFork(t, 'forkreapplyrefused');
  commitFile(fork, 'src/a.cc', 'int a = 1;\n', 'src: first');
  t.equal(runForkTree(repo, 'export').status, 0);
  pullNewSeries(t, repo, fork, 'src/b.cc', 'int b;\n');
  commitFile(fork, 'src/c.cc', 'int c;\n', 'src: unexported work');

  const r = runForkTree(repo, 'sync');
  t.not(r.status, 0, 'refused');
  t.match(r.stderr, 'src: unexported work');
  t.match(r.stderr, 'make export-patches');
  t.match(r.stderr, 'make node-fork-fresh FORCE=1');
  t.equal(subjects(fork, '-1')[0], 'src: unexported work', 'the tree is as it was');
  t.equal(fs.readdirSync(path.join(repo, 'patches')).length, 2, 'patches/ is as it was');
});

// --- 5. export replaces patches/ only on success -------------------------

t.test('export fails without the deps tag and leaves patches/ alone', async (t) => {
  const { repo, fork } = makeFork(t, 'forkexportnotag');
  commitFile(fork, 'src/a.cc', 'int a = 1;\n', 'src: first');
  t.equal(runForkTree(repo, 'export').status, 0);
  const before = fs.readdirSync(path.join(repo, 'patches'));
  t.equal(before.length, 1);
  git(fork, 'tag', '-d', 'deps');

  const r = runForkTree(repo, 'export');
  t.not(r.status, 0, 'failed');
  t.match(r.stderr, 'deps');
  t.same(fs.readdirSync(path.join(repo, 'patches')), before, 'patches/ untouched');
});

// --- 6. create lays the tree aside and renames it at the end -------------

t.test('an interrupted create leaves no half tree, and the next create lays it', async (t) => {
  const repo = scratchDir('forkcreate');
  t.teardown(() => fs.rmSync(repo, { recursive: true, force: true }));
  const fork = path.join(repo, 'node-fork');
  makeVendor(repo);
  restoreStub(repo, { fail: true });

  const r = runForkTree(repo, 'create');
  t.not(r.status, 0, 'create failed');
  t.notOk(fs.existsSync(fork), 'no half-laid node-fork/');

  restoreStub(repo);
  write(path.join(repo, 'node-fork.tmp-4242', 'junk'), 'left by a killed create\n');
  const again = runForkTree(repo, 'create');
  t.equal(again.status, 0, 'exit status', { stderr: again.stderr });
  t.ok(fs.existsSync(path.join(fork, '.git')));
  t.same(subjects(fork, 'HEAD').map((s) => s.split(':')[0]), ['upstream', 'node-coro-generated']);
  t.same(fs.readdirSync(repo).filter((f) => f.startsWith('node-fork.')), [], 'leftovers removed');
});

// --- 7. a change to what restore-deps reads reaches an existing tree -----

t.test('sync re-runs restore-deps when tools/fork-deps changed, under the patch commits', async (t) => {
  const { repo, fork } = makeCreated(t, 'forkdeps');
  write(path.join(repo, 'coro', 'x.h'), '// coro\n');
  commitFile(fork, 'src/a.cc', 'int a = 1;\n', 'src: first');
  t.equal(runForkTree(repo, 'export').status, 0);
  t.equal(runForkTree(repo, 'sync').status, 0);
  const oldDeps = git(fork, 'rev-parse', 'deps');
  write(path.join(repo, 'tools', 'fork-deps', 'package-lock.json'), '{"lock": 2}\n');

  const r = runForkTree(repo, 'sync');
  t.equal(r.status, 0, 'exit status', { stderr: r.stderr });
  t.not(git(fork, 'rev-parse', 'deps'), oldDeps, 'a new deps commit');
  t.equal(git(fork, 'show', 'deps:deps/x/x.c'), '{"lock": 2}\n');
  t.same(subjects(fork, 'upstream..HEAD').map((s) => s.split(' ').slice(0, 2).join(' ')),
    ['node-coro-generated: deps:', 'src: first', 'node-coro-generated: sync'],
    'deps, the series on top of it, then the sync commit');
  t.equal(read(path.join(fork, 'src', 'a.cc')), 'int a = 1;\n');
  t.equal(status(fork), '');

  // Recorded: the next sync lays nothing anew.
  const head = git(fork, 'rev-parse', 'HEAD');
  const again = runForkTree(repo, 'sync');
  t.equal(again.status, 0, 'exit status', { stderr: again.stderr });
  t.notMatch(again.stdout, 'restor');
  t.equal(git(fork, 'rev-parse', 'HEAD'), head);
});

t.test('sync refuses a tools/fork-deps change over unexported work', async (t) => {
  const { repo, fork } = makeCreated(t, 'forkdepsrefused');
  commitFile(fork, 'src/a.cc', 'int a = 1;\n', 'src: unexported work');
  write(path.join(repo, 'tools', 'fork-deps', 'package-lock.json'), '{"lock": 2}\n');

  const r = runForkTree(repo, 'sync');
  t.not(r.status, 0, 'refused');
  t.match(r.stderr, 'tools/fork-deps');
  t.match(r.stderr, 'src: unexported work');
  t.match(r.stderr, 'make node-fork-fresh FORCE=1');
  t.equal(subjects(fork, '-1')[0], 'src: unexported work', 'the tree is as it was');
});
