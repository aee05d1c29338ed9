// Smoke check of a freshly built fork binary: the features the build has to
// get right (full ICU, shared OpenSSL, zlib/brotli, sqlite, llhttp, the
// embedded amaro for type stripping). Run by `make` after the build and by
// T3 of `make test`. Exits non-zero on the first failed check.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

const checks = [];
const check = (name, fn) => checks.push({ name, fn });

check('version is v22.22.2', () => {
  assert.equal(process.version, 'v22.22.2');
});

check('full ICU: German date formatting', () => {
  const d = new Date(Date.UTC(2026, 10, 22, 12));
  const s = new Intl.DateTimeFormat('de-DE', {
    dateStyle: 'full', timeZone: 'UTC',
  }).format(d);
  assert.equal(s, 'Sonntag, 22. November 2026');
  assert.equal(process.versions.icu, '76.1');
});

check('crypto.randomUUID()', () => {
  const id = crypto.randomUUID();
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(id, crypto.randomUUID());
});

check('http server and client on 127.0.0.1', async () => {
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'text/plain');
    res.end(`hello ${req.method} ${req.url}`);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address();
    const body = await new Promise((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path: '/smoke' }, (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c) => { data += c; });
        res.on('end', () => resolve(`${res.statusCode} ${data}`));
      }).on('error', reject);
    });
    assert.equal(body, '200 hello GET /smoke');
  } finally {
    server.close();
  }
});

check('zlib brotli round trip', () => {
  const input = Buffer.from('node-coro '.repeat(1000));
  const packed = zlib.brotliCompressSync(input);
  assert.ok(packed.length < input.length / 10);
  assert.deepEqual(zlib.brotliDecompressSync(packed), input);
});

check('node:sqlite', async () => {
  const { DatabaseSync } = await import('node:sqlite');
  const db = new DatabaseSync(':memory:');
  db.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)');
  db.prepare('INSERT INTO t (v) VALUES (?)').run('coro');
  assert.deepEqual({ ...db.prepare('SELECT k, v FROM t').get() }, { k: 1, v: 'coro' });
  db.close();
});

check('running a .ts file with type stripping', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'node-coro-smoke-'));
  try {
    const file = path.join(dir, 'typed.ts');
    fs.writeFileSync(file,
      'interface P { n: number }\n' +
      'const p: P = { n: 21 };\n' +
      'console.log(String(p.n * 2));\n');
    const r = spawnSync(process.execPath, [file], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), '42');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

let failed = 0;
for (const { name, fn } of checks) {
  try {
    await fn();
    console.log(`ok   ${name}`);
  } catch (err) {
    failed++;
    console.log(`FAIL ${name}\n     ${String(err?.message ?? err).split('\n').join('\n     ')}`);
  }
}
console.log(`smoke: ${checks.length - failed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
