// make ccache-seed / make ccache-export / make verify-icu, on stand-in seed
// and vendor folders: the seed is unpacked by what was unpacked (stamps),
// not by whether the cache is empty; every listed archive is verified and
// unpacked in order; the export is a delta on top of the seed; the ICU
// archive handed to configure.py is verified like every other archive.
import t, { type Test } from 'tap';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, run, scratchDir } from '../lib/run.ts';

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

// Packs `files` (cache-relative path -> content) as a tar in `dir`.
function pack(dir: string, name: string, files: Record<string, string>): string {
  const src = fs.mkdtempSync(path.join(dir, 'src-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(src, rel)), { recursive: true });
    fs.writeFileSync(path.join(src, rel), text);
  }
  const r = run('tar', ['-C', src, '-cf', path.join(dir, name), '.']);
  if (r.status !== 0) throw new Error(r.stderr);
  fs.rmSync(src, { recursive: true });
  return `${sha256(path.join(dir, name))}  ${name}\n`;
}

interface Setup { root: string; seed: string; cache: string }

// A seed folder with a base and a delta, as ../shared/ccache-seed has.
function setup(t: Test, withDelta = true): Setup {
  const root = scratchDir('ccache');
  t.teardown(() => fs.rmSync(root, { recursive: true, force: true }));
  const seed = path.join(root, 'seed');
  fs.mkdirSync(seed);
  let sums = pack(seed, 'base.ccache.tar', {
    '0/0/aaM': 'base manifest', '0/1/abR': 'base result', 'CACHEDIR.TAG': 'tag',
  });
  if (withDelta) sums += pack(seed, 'delta.ccache.tar', { '1/0/baR': 'delta result' });
  fs.writeFileSync(path.join(seed, 'SHA256SUMS'), sums);
  return { root, seed, cache: path.join(root, 'cache') };
}

function make(s: Setup, ...targets: string[]) {
  return run('make', ['--no-print-directory', '-C', repoRoot, ...targets,
    `CCACHE_DIR=${s.cache}`, `CCACHE_SEED_DIR=${s.seed}`]);
}

t.test('an empty cache gets every listed archive, in order, with stamps', async (t) => {
  const s = setup(t);
  const r = make(s, 'ccache-seed');
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /unpacking base\.ccache\.tar[\s\S]*unpacking delta\.ccache\.tar/);
  t.equal(fs.readFileSync(path.join(s.cache, '0/1/abR'), 'utf8'), 'base result');
  t.equal(fs.readFileSync(path.join(s.cache, '1/0/baR'), 'utf8'), 'delta result');
  t.equal(fs.readFileSync(path.join(s.cache, 'node-coro-seed/delta.ccache.tar.sha256'), 'utf8').trim(),
    sha256(path.join(s.seed, 'delta.ccache.tar')));
});

t.test('a cache that compiled something first is still seeded', async (t) => {
  // What `make test` on a brand-new machine did: T1 compiled through ccache
  // into the directory before T2 looked, and the seed was never unpacked.
  const s = setup(t);
  fs.mkdirSync(path.join(s.cache, 'f/f'), { recursive: true });
  fs.writeFileSync(path.join(s.cache, 'f/f/ffR'), 'coro test object');
  const r = make(s, 'ccache-seed');
  t.equal(r.status, 0, r.stderr);
  t.ok(fs.existsSync(path.join(s.cache, '0/1/abR')), 'base unpacked');
  t.ok(fs.existsSync(path.join(s.cache, '1/0/baR')), 'delta unpacked');
  t.equal(fs.readFileSync(path.join(s.cache, 'f/f/ffR'), 'utf8'), 'coro test object', 'own files kept');
});

t.test('a second run unpacks nothing; a delta added later is unpacked alone', async (t) => {
  const s = setup(t, false);
  t.equal(make(s, 'ccache-seed').status, 0);
  // A file the base holds, changed since: proof the base is not re-unpacked.
  fs.writeFileSync(path.join(s.cache, '0/0/aaM'), 'manifest extended by a build');
  let r = make(s, 'ccache-seed');
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, 'base.ccache.tar already unpacked');
  t.match(r.stdout, '1 archive(s) listed, 0 unpacked now');

  fs.appendFileSync(path.join(s.seed, 'SHA256SUMS'),
    pack(s.seed, 'delta.ccache.tar', { '1/0/baR': 'delta result' }));
  r = make(s, 'ccache-seed');
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, 'unpacking delta.ccache.tar');
  t.match(r.stdout, '2 archive(s) listed, 1 unpacked now');
  t.equal(fs.readFileSync(path.join(s.cache, '0/0/aaM'), 'utf8'), 'manifest extended by a build');
});

t.test('the make targets that compile through ccache seed first', async (t) => {
  // Dry runs: the seed step comes before the first compile of the tests.
  const s = setup(t);
  for (const target of ['test-coro', 'build']) {
    const r = make(s, '-n', target);
    t.equal(r.status, 0, r.stderr);
    const seedAt = r.stdout.indexOf('ccache-seed.sh');
    t.ok(seedAt >= 0, `${target} runs ccache-seed.sh`);
    const firstCompile = r.stdout.search(/ccache (g\+\+|gcc)|\bninja\b/);
    if (firstCompile >= 0) t.ok(seedAt < firstCompile, `${target}: seed before the first compile`);
  }
  const r = make(s, '-n', 'test');
  t.match(r.stdout, /ccache-seed\.sh[\s\S]*test-all\.sh/, 'make test seeds before the tiers');
});

t.test('a changed archive is refused by name and leaves no stamp', async (t) => {
  const s = setup(t);
  fs.appendFileSync(path.join(s.seed, 'delta.ccache.tar'), 'x');
  const r = make(s, 'ccache-seed');
  t.not(r.status, 0);
  t.match(r.stderr, /checksum mismatch for delta\.ccache\.tar/);
  t.notOk(fs.existsSync(path.join(s.cache, 'node-coro-seed/delta.ccache.tar.sha256')));
  t.notOk(fs.existsSync(path.join(s.cache, '1/0/baR')), 'nothing of it unpacked');
});

t.test('ccache-export writes a delta of what the seed lacks, with sums for all', async (t) => {
  const s = setup(t);
  t.equal(make(s, 'ccache-seed').status, 0);
  fs.mkdirSync(path.join(s.cache, '2/0'), { recursive: true });
  fs.writeFileSync(path.join(s.cache, '2/0/caR'), 'new object');
  fs.writeFileSync(path.join(s.cache, '0/0/aaM'), 'base manifest, extended');
  fs.writeFileSync(path.join(s.cache, '2/stats'), 'counters');
  const out = path.join(s.root, 'out');
  const r = run('bash', [path.join(repoRoot, 'scripts/ccache-export.sh'), out],
    { env: { ...process.env, CCACHE_DIR: s.cache, CCACHE_SEED_DIR: s.seed } });
  t.equal(r.status, 0, r.stderr);
  const tars = fs.readdirSync(out).filter((f) => f.endsWith('.tar'));
  t.equal(tars.length, 1);
  const delta = tars[0] ?? '';
  t.match(delta, /^node-v22\.22\.2-gcc12-delta-\d{8}-\w+\.ccache\.tar$/);
  t.not(delta, 'node-v22.22.2-gcc12.ccache.tar', 'never the base name');
  const members = run('tar', ['-tf', path.join(out, delta)]).stdout.split('\n').filter(Boolean).sort();
  t.same(members, ['./0/0/aaM', './2/0/caR'], 'new and changed files only');
  const sums = fs.readFileSync(path.join(out, 'SHA256SUMS'), 'utf8').trim().split('\n');
  t.same(sums.map((l) => l.split(/\s+/)[1]), ['base.ccache.tar', 'delta.ccache.tar', delta]);
  t.equal(sums[2]?.split(/\s+/)[0], sha256(path.join(out, delta)));

  // Dropped into the seed folder, it seeds a new cache to the same files.
  fs.copyFileSync(path.join(out, delta), path.join(s.seed, delta));
  fs.copyFileSync(path.join(out, 'SHA256SUMS'), path.join(s.seed, 'SHA256SUMS'));
  const fresh = { ...s, cache: path.join(s.root, 'cache2') };
  t.equal(make(fresh, 'ccache-seed').status, 0);
  t.equal(fs.readFileSync(path.join(fresh.cache, '2/0/caR'), 'utf8'), 'new object');
  t.equal(fs.readFileSync(path.join(fresh.cache, '0/0/aaM'), 'utf8'), 'base manifest, extended');
});

t.test('verify-icu (run by configure) refuses an altered ICU archive', async (t) => {
  const dir = scratchDir('icu');
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const name = 'icu_76.1.orig.tar.gz';
  fs.writeFileSync(path.join(dir, name), 'icu');
  fs.writeFileSync(path.join(dir, 'SHA256SUMS'), `${sha256(path.join(dir, name))}  ${name}\n`);
  const icu = () => run('make', ['--no-print-directory', '-C', repoRoot, 'verify-icu', `VENDOR_DIR=${dir}`]);
  t.equal(icu().status, 0);
  fs.appendFileSync(path.join(dir, name), 'x');
  const r = icu();
  t.not(r.status, 0);
  t.match(r.stderr, `checksum mismatch for ${name}`);
  const dry = run('make', ['--no-print-directory', '-C', repoRoot, '-n', 'configure', `VENDOR_DIR=${dir}`]);
  t.match(dry.stdout, /vendor\.sh verify icu_76\.1\.orig\.tar\.gz/, 'configure verifies it');
});
