// A prebuilt N-API addon from the npm registry, built by its authors for
// stock Node, installs with the installed npm and runs on the fork
// unchanged. bufferutil ships prebuilds/linux-x64/bufferutil.node inside the
// npm package; its install script (node-gyp-build) loads it with the `node`
// on PATH, the fork's, and would compile from source (into build/) only if
// that failed.
import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { run, scratchDir } from '../lib/run.ts';
import { fixtures, need, output, prefix, treeEnv } from './dist-env.ts';

need(path.join(prefix, 'bin', 'node'), 'install');
const node = path.join(prefix, 'bin', 'node');
const npm = path.join(prefix, 'bin', 'npm');
const work = scratchDir('dist-prebuilt');
t.teardown(() => fs.rmSync(work, { recursive: true, force: true }));
const env = treeEnv(prefix, path.join(work, 'npm-cache'));
const proj = path.join(work, 'project');
fs.cpSync(path.join(fixtures, 'prebuilt'), proj, { recursive: true });
const pkg = path.join(proj, 'node_modules', 'bufferutil');
const binary = path.join(pkg, 'prebuilds', 'linux-x64', 'bufferutil.node');

t.test('npm ci installs it without compiling', async (t) => {
  const r = run(npm, ['ci', '--foreground-scripts'], { env, cwd: proj });
  t.equal(r.status, 0, 'npm ci', output(r));
  t.ok(fs.existsSync(binary), 'the package shipped its linux-x64 binary');
  t.notOk(fs.existsSync(path.join(pkg, 'build')), 'nothing was built from source');
});

t.test('the binary is N-API only: no V8 or Node C++ symbols', async (t) => {
  const r = run('nm', ['-D', '--undefined-only', binary]);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /\bnapi_/, 'imports napi_* functions');
  t.notMatch(r.stdout, /_ZN(2v8|4node)/, 'imports nothing from v8:: or node::');
});

t.test('it loads and runs on the fork', async (t) => {
  // index.js falls back to pure JS when the binary does not load: check
  // that what require('bufferutil') returns is the binary itself.
  const script = `
    const native = require(${JSON.stringify(binary)});
    const bu = require('bufferutil');
    const buf = Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const mask = Buffer.from([0x0f, 0xf0, 0xaa, 0x55]);
    const want = Buffer.from(buf.map((b, i) => b ^ mask[i % 4]));
    bu.unmask(buf, mask);
    const out = Buffer.alloc(9);
    bu.mask(want, mask, out, 0, 9);
    process.stdout.write(JSON.stringify({
      native: bu === native, unmask: buf.equals(want), mask: out.equals(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9])),
      modules: process.versions.modules,
    }));`;
  const r = run(node, ['-e', script], { env, cwd: proj });
  t.equal(r.status, 0, r.stderr);
  t.same(JSON.parse(r.stdout), { native: true, unmask: true, mask: true, modules: '127' });
});
