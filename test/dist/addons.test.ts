// make install: native addons built from source against the installed
// include/node/ load and run on the fork. A classic V8/libuv addon
// (NODE_MODULE, bound to NODE_MODULE_VERSION 127) built by `npm install`
// through the installed npm's own node-gyp, and an N-API addon built by
// node-gyp from tools/fork-deps with --nodedir=<prefix>.
import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { run, scratchDir } from '../lib/run.ts';
import { fixtures, need, nodeGyp, nodeVersion, output, prefix, treeEnv } from './dist-env.ts';

need(path.join(prefix, 'bin', 'node'), 'install');
need(nodeGyp, 'fork-tools');
const node = path.join(prefix, 'bin', 'node');
const npm = path.join(prefix, 'bin', 'npm');
const work = scratchDir('dist-addons');
t.teardown(() => fs.rmSync(work, { recursive: true, force: true }));
const env = treeEnv(prefix, path.join(work, 'npm-cache'));

function copyFixture(name: string): string {
  const dir = path.join(work, name);
  fs.cpSync(path.join(fixtures, name), dir, { recursive: true });
  return dir;
}

// Load an addon in a fresh fork process and report what it returns.
function load(file: string, expr: string): unknown {
  const r = run(node, ['-e', `const a = require(${JSON.stringify(file)}); ` +
    `process.stdout.write(JSON.stringify(${expr}))`], { env });
  if (r.status !== 0) throw new Error(`loading ${file}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function builtAgainst(dir: string): string | undefined {
  const cfg = fs.readFileSync(path.join(dir, 'build', 'config.gypi'), 'utf8');
  return cfg.match(/"nodedir": "([^"]+)"/)?.[1];
}

t.test('node-gyp addon on V8 and libuv, built by the installed npm', async (t) => {
  const dir = copyFixture('addon-v8');
  const r = run(npm, ['install', '--foreground-scripts'], { env, cwd: dir });
  t.equal(r.status, 0, 'npm install runs node-gyp rebuild', output(r));
  t.equal(builtAgainst(dir), prefix, 'compiled against the installed headers');
  const file = path.join(dir, 'build', 'Release', 'addon_v8.node');
  const got = load(file, '{ hello: a.hello(), sum: a.add(2, 3), modules: a.moduleVersion, ' +
    'uv: a.uvVersion, runtime: process.versions }') as {
      hello: string; sum: number; modules: number; uv: string; runtime: Record<string, string>;
    };
  t.equal(got.hello, 'hello from a node-gyp addon');
  t.equal(got.sum, 5);
  t.equal(String(got.modules), got.runtime['modules'], 'NODE_MODULE_VERSION matches the binary');
  t.equal(got.modules, 127);
  t.equal(got.uv, got.runtime['uv'], 'libuv symbols resolve to the binary\'s libuv');
});

t.test('N-API addon, built by node-gyp --nodedir', async (t) => {
  const dir = copyFixture('addon-napi');
  const r = run(node, [nodeGyp, 'rebuild', `--nodedir=${prefix}`], { env, cwd: dir });
  t.equal(r.status, 0, 'node-gyp rebuild --nodedir', output(r));
  t.equal(builtAgainst(dir), prefix, 'compiled against the installed headers');
  const file = path.join(dir, 'build', 'Release', 'addon_napi.node');
  const got = load(file, '{ hello: a.hello(), sum: a.add(2, 3), runtime: a.runtime(), ' +
    'napi: process.versions.napi }') as {
      hello: string; sum: number; runtime: { node: string; napi: number; builtFor: number };
      napi: string;
    };
  t.equal(got.hello, 'hello from an N-API addon');
  t.equal(got.sum, 5);
  t.equal(got.runtime.node, nodeVersion, 'napi_get_node_version');
  t.equal(String(got.runtime.napi), got.napi, 'napi_get_version is process.versions.napi');
  t.equal(got.runtime.builtFor, 8, 'built for node_api.h\'s default NAPI_VERSION');
});
