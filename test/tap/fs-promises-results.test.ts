// fs.promises results that the fast path has to reproduce exactly.
import t from 'tap';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'node-coro-results-'));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));

t.test('readFile: buffers, encodings, sizes across the read chunk', async (t) => {
  for (const size of [0, 1, 1024, 64 * 1024, 512 * 1024 + 7]) {
    const data = Buffer.alloc(size);
    for (let i = 0; i < size; i++) data[i] = (i * 31 + 7) & 0xff;
    const f = path.join(dir, `r${size}`);
    fs.writeFileSync(f, data);
    const got = await fsp.readFile(f);
    t.ok(Buffer.isBuffer(got), `${size}: a Buffer`);
    t.ok(got.equals(data), `${size}: same bytes`);
    t.equal(await fsp.readFile(f, 'latin1'), data.toString('latin1'), `${size}: latin1`);
    t.equal(await fsp.readFile(f, { encoding: 'base64' }), data.toString('base64'), `${size}: base64`);
  }
  const text = path.join(dir, 'text');
  fs.writeFileSync(text, 'h\u00e9llo \u{1f600}');
  t.equal(await fsp.readFile(text, 'utf8'), 'h\u00e9llo \u{1f600}');
});

t.test('stat agrees with statSync, plain and bigint', async (t) => {
  const f = path.join(dir, 'stat-me');
  fs.writeFileSync(f, 'abc');
  const a = await fsp.stat(f);
  const b = fs.statSync(f);
  t.ok(a instanceof fs.Stats);
  for (const k of ['dev', 'ino', 'mode', 'nlink', 'uid', 'gid', 'size', 'blocks', 'mtimeMs'] as const) {
    t.equal(a[k], b[k], k);
  }
  t.ok(a.isFile());
  const big = await fsp.stat(f, { bigint: true });
  t.equal(typeof big.size, 'bigint');
  t.equal(big.size, 3n);
  t.equal(big.mtimeNs, fs.statSync(f, { bigint: true }).mtimeNs);
});

t.test('readdir: names, withFileTypes, encoding', async (t) => {
  const d = path.join(dir, 'listing');
  fs.mkdirSync(d);
  for (let i = 0; i < 100; i++) fs.writeFileSync(path.join(d, `f${i}`), '');
  fs.mkdirSync(path.join(d, 'sub'));
  const names = (await fsp.readdir(d)).sort();
  t.equal(names.length, 101);
  t.same(names, fs.readdirSync(d).sort());
  const ents = await fsp.readdir(d, { withFileTypes: true });
  t.equal(ents.filter((e) => e.isDirectory()).map((e) => e.name).join(), 'sub');
  const bufs = await fsp.readdir(d, { encoding: 'buffer' });
  t.ok(bufs.every((b) => Buffer.isBuffer(b)));
});

t.test('writeFile, appendFile, access, unlink', async (t) => {
  const f = path.join(dir, 'w');
  await fsp.writeFile(f, 'one');
  await fsp.appendFile(f, '-two');
  t.equal(fs.readFileSync(f, 'utf8'), 'one-two');
  t.equal(await fsp.access(f, fs.constants.R_OK), undefined);
  await fsp.unlink(f);
  t.notOk(fs.existsSync(f));
});
