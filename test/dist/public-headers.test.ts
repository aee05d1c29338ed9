// The fork keeps Node 22's ABI: scripts/check-public-headers.sh fails when
// a patch touches a header tools/install.py installs (or install.py itself)
// without a 'Public header: <reason>' line in its message; and the headers
// make install put into include/node/ are upstream's, byte for byte.
import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, run, scratchDir } from '../lib/run.ts';
import { output, prefix } from './dist-env.ts';

const check = path.join(repoRoot, 'scripts', 'check-public-headers.sh');
const lister = path.join(repoRoot, 'scripts', 'public-headers.py');
const work = scratchDir('public-headers');
t.teardown(() => fs.rmSync(work, { recursive: true, force: true }));

// A format-patch file touching FILES, its message ending with MESSAGE.
function patch(name: string, files: string[], message = '', body = ''): string {
  const diffs = files.map((f) => [
    `diff --git a/${f} b/${f}`, 'index 1111111..2222222 100644', `--- a/${f}`, `+++ b/${f}`,
    '@@ -1 +1,2 @@', ' x', `+y${body}`,
  ].join('\n')).join('\n');
  const text = [
    'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001',
    'From: test <test@localhost>', 'Date: Mon, 23 Nov 2026 21:05:43 +0000',
    `Subject: [PATCH] ${name}`, '', 'Why this patch exists.', message, '---',
    ...files.map((f) => ` ${f} | 1 +`), '', diffs, '-- ', '2.39.5', '',
  ].join('\n');
  const file = path.join(work, `${name}.patch`);
  fs.writeFileSync(file, text);
  return file;
}

const checkOf = (...args: string[]) => run('bash', [check, ...args]);

t.test('the series in patches/ passes', async (t) => {
  const r = checkOf();
  t.equal(r.status, 0, 'check passes', output(r));
  t.match(r.stdout, /^check-public-headers: \d+ passed, 0 failed$/m);
});

t.test('a patch to src/ internals passes', async (t) => {
  const r = checkOf(patch('internals', ['src/env.cc', 'src/env.h', 'src/node_internals.h', 'node.gyp']));
  t.equal(r.status, 0, 'check passes', output(r));
  t.match(r.stdout, 'check-public-headers: 1 passed, 0 failed');
});

for (const file of [
  'src/node.h', 'src/node_api.h', 'src/js_native_api.h', 'src/js_native_api_types.h',
  'src/node_version.h', 'src/node_buffer.h', 'common.gypi', 'deps/v8/include/v8-isolate.h',
  'deps/uv/include/uv.h', 'deps/uv/include/uv/new-in-this-patch.h', 'tools/install.py',
]) {
  t.test(`a patch to ${file} without a reason fails, naming both`, async (t) => {
    const p = patch('touches-public', ['src/env.cc', file]);
    const r = checkOf(p);
    t.equal(r.status, 1, r.stdout);
    t.match(r.stderr, `touches-public.patch touches ${file}`);
    t.match(r.stderr, "add a line 'Public header: <reason>'");
    t.match(r.stdout, 'check-public-headers: 0 passed, 1 failed');
  });
}

t.test('a patch that says why passes, and the reason is printed', async (t) => {
  const p = patch('explained', ['src/node.h'],
    'Public header: adds node::Foo, additive only, NODE_MODULE_VERSION unchanged');
  const r = checkOf(p);
  t.equal(r.status, 0, 'check passes', output(r));
  t.match(r.stdout, 'says why: adds node::Foo, additive only');
});

t.test('an empty reason, or one only inside the diff, does not count', async (t) => {
  const empty = checkOf(patch('empty-reason', ['src/node_api.h'], 'Public header:   '));
  t.equal(empty.status, 1, empty.stdout);
  const inDiff = checkOf(patch('reason-in-diff', ['src/node_api.h'], '',
    '\n+Public header: smuggled in the diff'));
  t.equal(inDiff.status, 1, inDiff.stdout);
});

t.test('one failing patch among passing ones fails the run', async (t) => {
  const r = checkOf(patch('ok-a', ['src/env.cc']), patch('bad', ['src/node.h']),
    patch('ok-b', ['lib/fs.js']));
  t.equal(r.status, 1);
  t.match(r.stdout, 'check-public-headers: 2 passed, 1 failed');
});

// The pristine tree: what check-public-headers.sh --pristine unpacks.
const vendor = process.env['VENDOR_DIR'] ?? path.resolve(repoRoot, '..', 'shared', 'vendor');
const haveVendor = fs.existsSync(path.join(vendor, 'SHA256SUMS'));
const pristine = path.join(repoRoot, 'build', 'public-headers',
  `node-v${fs.readFileSync(path.join(repoRoot, 'mk', 'common.mk'), 'utf8')
    .match(/^NODE_VERSION\s*:=\s*(\S+)/m)?.[1] ?? ''}`);

t.test('against the pristine tarball\'s install.py too', {
  skip: haveVendor ? false : `no vendor directory at ${vendor}`,
}, async (t) => {
  const r = checkOf('--pristine');
  t.equal(r.status, 0, 'check passes', output(r));
  t.match(r.stdout, /\d+ passed, 0 failed/);
  const fork = path.join(repoRoot, 'node-fork');
  if (fs.existsSync(path.join(fork, 'tools', 'install.py'))) {
    const a = run('python3', [lister, pristine]);
    const b = run('python3', [lister, fork]);
    t.equal(b.stdout, a.stdout, 'the series leaves install.py\'s header list as upstream\'s');
  }
});

t.test('make install\'s include/node/ is upstream\'s, byte for byte', {
  skip: !haveVendor ? `no vendor directory at ${vendor}`
    : !fs.existsSync(path.join(prefix, 'include', 'node')) ? `nothing installed at ${prefix}`
    : false,
}, async (t) => {
  if (!fs.existsSync(path.join(pristine, 'tools', 'install.py'))) checkOf('--pristine');
  const map = run('python3', [lister, '--map', pristine]);
  t.equal(map.status, 0, map.stderr);
  let compared = 0;
  const differ: string[] = [];
  for (const line of map.stdout.split('\n').filter(Boolean)) {
    const [src = '', dest = ''] = line.split('\t');
    if (src === 'config.gypi') continue; // written by configure, not a source
    const upstream = path.join(pristine, src);
    const installed = path.join(prefix, dest);
    if (!fs.existsSync(upstream)) continue; // OpenSSL, zlib: removed by the repack
    t.ok(fs.existsSync(installed), `${dest} installed`);
    if (!fs.readFileSync(upstream).equals(fs.readFileSync(installed))) differ.push(dest);
    compared++;
  }
  t.ok(compared > 100, `${compared} headers compared`);
  t.same(differ, [], 'no installed header differs from upstream v22.22.2');
});
