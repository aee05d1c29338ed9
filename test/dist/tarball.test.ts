// make dist: the tarball, unpacked into an empty directory anywhere, is a
// Node installation in the layout of upstream's node-vX-linux-x64.tar.xz:
// node runs, npm and npx run on it, and npm ci installs from the registry.
import t from 'tap';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { run, scratchDir } from '../lib/run.ts';
import {
  coroVersion, distName, fixtures, forkNode, need, nodeVersion, npmVersion, output, tarball, treeEnv,
} from './dist-env.ts';

need(tarball, 'dist');
const shasums = path.join(path.dirname(tarball), 'SHASUMS256.txt');
const dir = scratchDir('dist-unpack');
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
const top = path.join(dir, distName);

t.test('SHASUMS256.txt holds the tarball\'s sha256', async (t) => {
  const sum = createHash('sha256').update(fs.readFileSync(tarball)).digest('hex');
  t.equal(fs.readFileSync(shasums, 'utf8'), `${sum}  ${distName}.tar.xz\n`);
  t.equal(path.basename(tarball), `${distName}.tar.xz`);
});

t.test('unpacks into one directory of the tarball\'s name', async (t) => {
  const r = run('tar', ['-xJf', tarball, '-C', dir]);
  t.equal(r.status, 0, r.stderr);
  t.same(fs.readdirSync(dir), [distName]);
});

t.test('the layout of upstream\'s binary tarball', async (t) => {
  for (const f of [
    'bin/node', 'include/node/node.h', 'include/node/node_api.h',
    'include/node/js_native_api.h', 'include/node/node_version.h', 'include/node/v8.h',
    'include/node/uv.h', 'include/node/common.gypi', 'include/node/config.gypi',
    'lib/node_modules/npm/package.json', 'lib/node_modules/npm/bin/npm-cli.js',
    'lib/node_modules/npm/bin/npx-cli.js', 'share/doc/node/gdbinit',
    'share/doc/node/lldb_commands.py', 'share/man/man1/node.1',
    'README.md', 'LICENSE', 'CHANGELOG.md', 'NODE-CORO.md',
  ]) t.ok(fs.statSync(path.join(top, f)).isFile(), f);
  t.equal(fs.readlinkSync(path.join(top, 'bin/npm')), '../lib/node_modules/npm/bin/npm-cli.js');
  t.equal(fs.readlinkSync(path.join(top, 'bin/npx')), '../lib/node_modules/npm/bin/npx-cli.js');
  t.match(fs.readFileSync(path.join(top, 'CHANGELOG.md'), 'utf8'), `Version ${nodeVersion} `);
  t.match(fs.readFileSync(path.join(top, 'NODE-CORO.md'), 'utf8'), `# node-coro ${coroVersion}`);
  const npmPkg = JSON.parse(fs.readFileSync(
    path.join(top, 'lib/node_modules/npm/package.json'), 'utf8')) as { version: string };
  t.equal(npmPkg.version, npmVersion, 'npm at the pinned version');

  // Relocatable: every symlink relative and inside the tree; and, as
  // install.py installs deps/npm, no test directories.
  const outside: string[] = [];
  const testDirs: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isSymbolicLink()) {
        const to = fs.readlinkSync(p);
        const abs = path.resolve(d, to);
        if (path.isAbsolute(to) || !abs.startsWith(top + path.sep) || !fs.existsSync(abs)) {
          outside.push(`${path.relative(top, p)} -> ${to}`);
        }
      } else if (e.isDirectory()) {
        if (e.name === 'test' && p.includes(`${path.sep}node_modules${path.sep}`)) {
          testDirs.push(path.relative(top, p));
        }
        walk(p);
      }
    }
  };
  walk(top);
  t.same(outside, [], 'no symlink leaves the tree or dangles');
  t.same(testDirs, [], 'no test/ directories under lib/node_modules');
});

t.test('node -p process.versions: Node 22\'s ABI', async (t) => {
  const r = run(path.join(top, 'bin/node'), ['-p', 'JSON.stringify(process.versions)']);
  t.equal(r.status, 0, r.stderr);
  const v = JSON.parse(r.stdout) as Record<string, string>;
  t.equal(v['node'], nodeVersion);
  t.equal(v['modules'], '127', 'NODE_MODULE_VERSION of Node 22');
  const h = fs.readFileSync(path.join(top, 'include/node/node_version.h'), 'utf8');
  t.equal(v['modules'], h.match(/^#define NODE_MODULE_VERSION (\d+)/m)?.[1], 'as the headers say');
  t.equal(v['napi'], h.match(/^#define NODE_API_SUPPORTED_VERSION_MAX (\d+)/m)?.[1],
    'N-API version as the headers say');
  if (v['node_coro'] !== undefined) t.equal(v['node_coro'], coroVersion);
  const fork = run(forkNode, ['-p', 'JSON.stringify(process.versions)']);
  t.same(v, JSON.parse(fork.stdout), 'the same binary as node-fork/out/Release/node');
});

const cache = scratchDir('dist-npm-cache');
t.teardown(() => fs.rmSync(cache, { recursive: true, force: true }));
const env = treeEnv(top, cache);
const bin = (name: string) => path.join(top, 'bin', name);

t.test('npm --version and npx --version', async (t) => {
  const npm = run(bin('npm'), ['--version'], { env, cwd: dir });
  t.equal(npm.status, 0, npm.stderr);
  t.equal(npm.stdout.trim(), npmVersion);
  const npx = run(bin('npx'), ['--version'], { env, cwd: dir });
  t.equal(npx.status, 0, npx.stderr);
  t.equal(npx.stdout.trim(), npmVersion);
  // npm runs on the tree's node, and finds its global prefix from it.
  const vs = run(bin('npm'), ['version', '--json'], { env, cwd: dir });
  t.equal(vs.status, 0, vs.stderr);
  t.equal((JSON.parse(vs.stdout) as Record<string, string>)['node'], nodeVersion);
  const g = run(bin('npm'), ['prefix', '-g'], { env: { ...env, PREFIX: '' }, cwd: dir });
  t.equal(g.stdout.trim(), top, 'the global prefix is the unpacked tree');
});

t.test('npm ci of a project with a lockfile, from the registry', async (t) => {
  const proj = path.join(dir, 'project');
  fs.cpSync(path.join(fixtures, 'npm-ci'), proj, { recursive: true });
  const r = run(bin('npm'), ['ci'], { env, cwd: proj });
  t.equal(r.status, 0, 'npm ci', output(r));
  const ms = JSON.parse(fs.readFileSync(
    path.join(proj, 'node_modules/ms/package.json'), 'utf8')) as { version: string };
  t.equal(ms.version, '2.1.3');
  t.ok(fs.readdirSync(cache).length > 0, 'fetched into the fresh cache');
  const use = run(bin('node'), ['-p', 'require("ms")("2h")'], { env, cwd: proj });
  t.equal(use.stdout.trim(), '7200000', use.stderr);
});
