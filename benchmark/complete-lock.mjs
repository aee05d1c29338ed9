// Completes benchmark/package-lock.json for `npm ci`.
//
// The npm registry this project reaches serves @deno/linux-x64-glibc@2.9.6
// but not the other platforms' @deno/*@2.9.6 packages, so `npm install`
// leaves them out of the lock and `npm ci` then refuses the lock as out of
// sync ("Missing: @deno/darwin-arm64@ from lock file"). This adds an entry
// (version, os, cpu, optional) for every optional dependency the lock lacks;
// npm ci skips them on this platform, as it does for every other platform's
// binary. Run by `make bench-lock` after `npm install --package-lock-only`.

import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('./package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const pkgs = lock.packages;
const added = [];
for (const [key, entry] of Object.entries(pkgs)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const at = `node_modules/${name}`;
    if (pkgs[at]) continue;
    const m = /(darwin|linux|win32|freebsd)-(x64|arm64|aarch64)(?:-(glibc|musl))?/.exec(name);
    if (!m) throw new Error(`${name} (optional dependency of ${key}): cannot tell its platform`);
    // Keys in npm's own order: version first, then alphabetical.
    pkgs[at] = {
      version,
      cpu: [m[2] === 'aarch64' ? 'arm64' : m[2]],
      ...(entry.dev === true ? { dev: true } : {}),
      ...(m[3] ? { libc: [m[3]] } : {}),
      optional: true,
      os: [m[1]],
    };
    added.push(`${name}@${version}`);
  }
}
lock.packages = Object.fromEntries(Object.entries(pkgs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(added.length ? `complete-lock: added ${added.join(', ')}` : 'complete-lock: nothing missing');
