// Patch 0002 adapts src/node_modules.cc, which reads package.json, to the
// simdjson the fork builds with. These pin what that reader feeds the
// module loader: "name" (self-reference), "main", "type", "exports" and
// "imports" kept as raw JSON (objects, arrays and strings), and the error
// for a package.json that is not valid.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'node-coro-pkgjson-'));
t.teardown(() => fs.rmSync(root, { recursive: true, force: true }));

function write(rel: string, text: string): void {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

function node(cwd: string, source: string, ext = 'cjs') {
  const file = path.join(cwd, `entry-${Math.random().toString(36).slice(2)}.${ext}`);
  fs.writeFileSync(file, source);
  const r = spawnSync(process.execPath, [file], { cwd, encoding: 'utf8' });
  fs.rmSync(file);
  return r;
}

// A package with conditional exports (an object), an array fallback,
// subpath imports, a "main" and a "name" for self-reference.
write('app/package.json', JSON.stringify({
  name: 'coro-app',
  main: './lib/main.js',
  exports: {
    '.': { require: './lib/main.js', default: './lib/main.js' },
    './feature': ['./lib/feature.js'],
    './plain': './lib/plain.js',
  },
  imports: { '#internal': './lib/internal.js', '#alt': { default: './lib/plain.js' } },
}));
write('app/lib/main.js', "module.exports = 'main:' + require('#internal');\n");
write('app/lib/internal.js', "module.exports = 'internal';\n");
write('app/lib/feature.js', "module.exports = 'feature';\n");
write('app/lib/plain.js', "module.exports = 'plain';\n");
write('app/lib/hidden.js', "module.exports = 'hidden';\n");

t.test('exports object, exports array, string exports, imports, self-reference', async (t) => {
  const r = node(path.join(root, 'app'), `
    const out = [
      require('coro-app'),
      require('coro-app/feature'),
      require('coro-app/plain'),
      require('#alt'),
    ];
    let blocked = '';
    try { require('coro-app/lib/hidden.js'); } catch (e) { blocked = e.code; }
    console.log(JSON.stringify({ out, blocked }));
  `);
  t.equal(r.status, 0, 'exit status', { stderr: r.stderr });
  t.same(JSON.parse(r.stdout), {
    out: ['main:internal', 'feature', 'plain', 'plain'],
    blocked: 'ERR_PACKAGE_PATH_NOT_EXPORTED',
  });
});

t.test('"type": "module" makes .js files ES modules', async (t) => {
  write('esm/package.json', JSON.stringify({ name: 'coro-esm', type: 'module' }));
  const r = node(path.join(root, 'esm'), 'console.log(typeof require, import.meta.url.startsWith("file:"));', 'js');
  t.equal(r.status, 0, 'exit status', { stderr: r.stderr });
  t.equal(r.stdout.trim(), 'undefined true');
});

t.test('"main" alone, without exports', async (t) => {
  write('node_modules/legacy/package.json', JSON.stringify({ name: 'legacy', main: 'entry.js' }));
  write('node_modules/legacy/entry.js', "module.exports = 'legacy-main';\n");
  const r = node(root, "console.log(require('legacy'));");
  t.equal(r.status, 0, 'exit status', { stderr: r.stderr });
  t.equal(r.stdout.trim(), 'legacy-main');
});

t.test('an invalid package.json is reported as such', async (t) => {
  write('node_modules/broken/package.json', '{ "name": "broken", "exports": ');
  write('node_modules/broken/index.js', "module.exports = 1;\n");
  const r = node(root, `
    try { require('broken'); console.log('loaded'); }
    catch (e) { console.log(e.code); }
  `);
  t.equal(r.status, 0, 'exit status', { stderr: r.stderr });
  t.equal(r.stdout.trim(), 'ERR_INVALID_PACKAGE_CONFIG');
});
