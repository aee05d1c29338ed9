// scripts/fork-tree.sh export: only our patch commits become patches/,
// never the generated deps or sync commits, and a re-export is stable.
import t, { type Test } from 'tap';
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
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, 'exported 2 patches');
  const files = fs.readdirSync(path.join(repo, 'patches')).sort();
  t.same(files, ['0001-src-first-concern.patch', '0002-lib-second-concern.patch']);
  const first = fs.readFileSync(path.join(repo, 'patches', files[0] ?? ''), 'utf8');
  t.match(first, 'Why it exists.');
  t.notMatch(first, 'src/coro/t.h');

  // Exporting again gives byte-identical files: no spurious diffs in review.
  const before = files.map((f) => fs.readFileSync(path.join(repo, 'patches', f), 'utf8'));
  const again = run('bash', [forkTree, 'export'], { cwd: repo, env: { ...process.env, FORK: fork } });
  t.equal(again.status, 0, again.stderr);
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
