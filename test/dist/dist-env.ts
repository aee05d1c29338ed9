// What the test/dist tests run on, as `make test-dist` passes it: the
// installed tree (DIST_PREFIX), the tarball (DIST_TARBALL), node-gyp from
// tools/fork-deps (NODE_GYP). Run by hand, the defaults are make's.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, run, type RunResult } from '../lib/run.ts';

// A command's output as an assertion's diagnostics: shown when it fails.
export function output(r: RunResult): { stdout: string; stderr: string } {
  return { stdout: r.stdout, stderr: r.stderr };
}

export const fixtures = path.join(repoRoot, 'test', 'dist', 'fixtures');

function readMake(name: string): string {
  const m = fs.readFileSync(path.join(repoRoot, 'mk', 'common.mk'), 'utf8')
    .match(new RegExp(`^${name}\\s*:=\\s*(\\S+)`, 'm'));
  if (!m?.[1]) throw new Error(`no ${name} in mk/common.mk`);
  return m[1];
}

export const nodeVersion = readMake('NODE_VERSION');

const versionH = fs.readFileSync(path.join(repoRoot, 'coro', 'node', 'version.h'), 'utf8');
export const coroVersion = versionH.match(/^#define NODE_CORO_VERSION "([^"]+)"/m)?.[1] ?? '';

const distDeps = JSON.parse(
  fs.readFileSync(path.join(repoRoot, 'tools', 'dist-deps', 'package.json'), 'utf8'),
) as { devDependencies: Record<string, string> };
export const npmVersion = distDeps.devDependencies['npm'] ?? '';

export const distName = `node-coro-v${nodeVersion}-${coroVersion}-linux-x64`;
export const prefix = process.env['DIST_PREFIX'] ?? path.join(repoRoot, 'build', 'install');
export const tarball = process.env['DIST_TARBALL'] ??
  path.join(repoRoot, 'build', 'dist', `${distName}.tar.xz`);
export const forkNode = process.env['FORK_NODE'] ??
  path.join(repoRoot, 'node-fork', 'out', 'Release', 'node');
export const nodeGyp = process.env['NODE_GYP'] ??
  path.join(repoRoot, 'tools', 'fork-deps', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');

export function need(file: string, make: string): void {
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run make ${make}`);
}

// The CA the machine's npm trusts, for an npm that does not read the
// machine's global npmrc (the tree's npm reads <prefix>/etc/npmrc): only
// needed when NODE_EXTRA_CA_CERTS does not already say it.
let machineCafile: string | undefined;
function cafile(): string | undefined {
  if (machineCafile === undefined) {
    machineCafile = '';
    try {
      const r = run('npm', ['config', 'get', 'cafile'], { env: process.env });
      const f = r.stdout.trim();
      if (r.status === 0 && f && f !== 'null' && fs.existsSync(f)) machineCafile = f;
    } catch { /* no machine npm: nothing to add */ }
  }
  return machineCafile || undefined;
}

// The environment a user of the tree has: its bin/ first on PATH (npm's
// scripts run `node` from there), addons built against its headers, and a
// fresh npm cache so packages come from the registry, not from a cache.
export function treeEnv(root: string, cache: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${path.join(root, 'bin')}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
    npm_config_cache: cache,
    npm_config_nodedir: root,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  if (!env['NODE_EXTRA_CA_CERTS'] && !env['npm_config_cafile']) {
    const ca = cafile();
    if (ca) env['npm_config_cafile'] = ca;
  }
  return env;
}
