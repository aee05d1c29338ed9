// scripts/vendor.sh: every archive is checked against SHA256SUMS before
// anything is unpacked, and a failure names the file.
import t from 'tap';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, run, scratchDir } from '../lib/run.ts';

const vendorSh = path.join(repoRoot, 'scripts', 'vendor.sh');

// A vendor directory with one small tar archive and its checksum.
function makeVendor(): { dir: string; name: string } {
  const dir = scratchDir('vendor');
  const src = path.join(dir, 'src');
  fs.mkdirSync(path.join(src, 'pkg-1.0'), { recursive: true });
  fs.writeFileSync(path.join(src, 'pkg-1.0', 'hello.txt'), 'hello\n');
  const name = 'pkg_1.0.orig.tar.gz';
  const r = run('tar', ['-C', src, '-czf', path.join(dir, name), 'pkg-1.0']);
  if (r.status !== 0) throw new Error(r.stderr);
  fs.rmSync(src, { recursive: true });
  const sum = createHash('sha256').update(fs.readFileSync(path.join(dir, name))).digest('hex');
  fs.writeFileSync(path.join(dir, 'SHA256SUMS'), `${sum}  ${name}\n`);
  return { dir, name };
}

const vendor = (dir: string, ...args: string[]) =>
  run('bash', [vendorSh, ...args], { env: { ...process.env, VENDOR_DIR: dir } });

t.test('verify accepts an archive that matches', async (t) => {
  const { dir, name } = makeVendor();
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const r = vendor(dir, 'verify', name);
  t.equal(r.status, 0, r.stderr);
});

t.test('a changed archive is refused, by name, and nothing is unpacked', async (t) => {
  const { dir, name } = makeVendor();
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.appendFileSync(path.join(dir, name), 'x');
  const dest = path.join(dir, 'out');
  const r = vendor(dir, 'extract', name, dest);
  t.not(r.status, 0);
  t.match(r.stderr, `checksum mismatch for ${name}`);
  t.notOk(fs.existsSync(path.join(dest, 'pkg-1.0')), 'nothing unpacked');
});

t.test('a missing archive stops with its path', async (t) => {
  const { dir } = makeVendor();
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const r = vendor(dir, 'verify', 'gone_2.0.orig.tar.gz');
  t.not(r.status, 0);
  t.match(r.stderr, `missing archive ${path.join(dir, 'gone_2.0.orig.tar.gz')}`);
});

t.test('an archive with no checksum entry is refused', async (t) => {
  const { dir, name } = makeVendor();
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.copyFileSync(path.join(dir, name), path.join(dir, 'other_1.0.orig.tar.gz'));
  const r = vendor(dir, 'verify', 'other_1.0.orig.tar.gz');
  t.not(r.status, 0);
  t.match(r.stderr, 'other_1.0.orig.tar.gz has no entry');
});

t.test('extract unpacks a verified archive', async (t) => {
  const { dir, name } = makeVendor();
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const dest = path.join(dir, 'out');
  const r = vendor(dir, 'extract', name, dest);
  t.equal(r.status, 0, r.stderr);
  t.equal(fs.readFileSync(path.join(dest, 'pkg-1.0', 'hello.txt'), 'utf8'), 'hello\n');
});

const realVendor = process.env['VENDOR_DIR'] ?? path.resolve(repoRoot, '..', 'shared', 'vendor');
const haveVendor = fs.existsSync(path.join(realVendor, 'SHA256SUMS'));
t.test('the real vendor directory verifies', {
  skip: haveVendor ? false : `no vendor directory at ${realVendor}`,
}, async (t) => {
  const dir = realVendor;
  const names = fs.readFileSync(path.join(dir, 'SHA256SUMS'), 'utf8')
    .split('\n').filter(Boolean).map((l) => l.split(/\s+/)[1] ?? '');
  const r = vendor(dir, 'verify', ...names);
  t.equal(r.status, 0, r.stderr);
});
