'use strict';
// Flags: --expose-internals
// node-coro: internalBinding('fs_coro') gives the results and the error
// objects of the stock binding: stat's array reads as the same Stats through
// lib's getStatsFromBinding(), readFile's bytes are the file's, and errors are
// UVExceptions with the same keys (in order), code, errno, syscall, path and
// message as fs.promises'.

const common = require('../common');
const assert = require('assert');
const fs = require('fs');
const fsp = fs.promises;
const path = require('path');
const tmpdir = require('../common/tmpdir');
const { internalBinding } = require('internal/test/binding');
const { getStatsFromBinding } = require('internal/fs/utils');

const binding = internalBinding('fs_coro');
const { O_RDONLY } = fs.constants;
tmpdir.refresh();

function errorShape(err) {
  return { keys: Object.keys(err), message: err.message, name: err.name,
           code: err.code, errno: err.errno, syscall: err.syscall,
           path: err.path, dest: err.dest };
}

async function sameError(coroPromise, stockPromise) {
  const [coro, stock] = await Promise.allSettled([coroPromise, stockPromise]);
  assert.strictEqual(coro.status, 'rejected');
  assert.strictEqual(stock.status, 'rejected');
  assert.deepStrictEqual(errorShape(coro.reason), errorShape(stock.reason));
}

const files = {
  empty: Buffer.alloc(0),
  small: Buffer.from('hello, coroutine\n'),
  // Just over one chunk (kReadFileBufferLength, 512 KiB): two reads.
  chunked: Buffer.alloc(512 * 1024 + 17, 'abc'),
  big: Buffer.alloc(3 * 1024 * 1024 + 5, 'xyz'),
};
for (const [name, data] of Object.entries(files))
  fs.writeFileSync(tmpdir.resolve(name), data);

(async () => {
  // stat and lstat-free paths: files, a directory, bigint.
  for (const p of [tmpdir.resolve('small'), tmpdir.path, __filename]) {
    for (const bigint of [false, true]) {
      const array = await binding.stat(p, bigint);
      assert.ok(bigint ? array instanceof BigInt64Array :
        array instanceof Float64Array);
      const coro = getStatsFromBinding(array);
      const stock = await fsp.stat(p, { bigint });
      assert.deepStrictEqual(coro, stock);
    }
  }
  // A Buffer path works as in stock.
  assert.deepStrictEqual(
    getStatsFromBinding(await binding.stat(Buffer.from(__filename), false)),
    await fsp.stat(__filename));

  // stat errors.
  const missing = tmpdir.resolve('missing');
  await sameError(binding.stat(missing, false), fsp.stat(missing));
  const notDir = path.join(tmpdir.resolve('small'), 'x');
  await sameError(binding.stat(notDir, false), fsp.stat(notDir));

  // readFile contents.
  for (const [name, data] of Object.entries(files)) {
    const got = await binding.readFile(tmpdir.resolve(name), O_RDONLY);
    assert.ok(Buffer.isBuffer(got));
    assert.strictEqual(got.length, data.length, name);
    assert.ok(got.equals(data), name);
  }
  // Unknown size (st_size 0): read until a read returns 0.
  for (const p of ['/proc/self/status', '/proc/version']) {
    if (!fs.existsSync(p)) continue;
    const got = (await binding.readFile(p, O_RDONLY)).toString();
    assert.match(got, p.endsWith('version') ? /Linux/ : /^Name:/);
  }

  // readFile errors: missing (open, with path), a directory (read, no path).
  await sameError(binding.readFile(missing, O_RDONLY), fsp.readFile(missing));
  await sameError(binding.readFile(tmpdir.path, O_RDONLY),
                  fsp.readFile(tmpdir.path));

  // lstat sees the link, fstat the open file; errors name lstat/fstat.
  const link = tmpdir.resolve('link');
  fs.symlinkSync(tmpdir.resolve('small'), link);
  for (const bigint of [false, true]) {
    assert.deepStrictEqual(getStatsFromBinding(await binding.lstat(link, bigint)),
                           await fsp.lstat(link, { bigint }));
    const fh = await fsp.open(tmpdir.resolve('small'));
    assert.deepStrictEqual(getStatsFromBinding(await binding.fstat(fh.fd, bigint)),
                           await fh.stat({ bigint }));
    await fh.close();
  }
  await sameError(binding.lstat(missing, false), fsp.lstat(missing));
  {
    const fh = await fsp.open(tmpdir.resolve('small'));
    const fd = fh.fd;
    await fh.close();
    await sameError(binding.fstat(fd, false), (async () => {
      // Stock's fstat on a closed fd, through the callback API's error.
      const { promisify } = require('util');
      return promisify(fs.fstat)(fd);
    })());
  }

  // access.
  const { R_OK, W_OK, X_OK } = fs.constants;
  assert.strictEqual(await binding.access(tmpdir.resolve('small'), R_OK | W_OK),
                     undefined);
  await sameError(binding.access(missing, R_OK), fsp.access(missing, R_OK));
  if (!common.isIBMi && process.getuid?.() !== 0) {
    await sameError(binding.access(tmpdir.resolve('small'), X_OK),
                    fsp.access(tmpdir.resolve('small'), X_OK));
  }

  // writeFile: flags and modes as stock, chunked past 512 KiB, flush,
  // and the bytes land.
  const { O_WRONLY, O_CREAT, O_TRUNC, O_APPEND } = fs.constants;
  const w = O_WRONLY | O_CREAT | O_TRUNC;
  const out = tmpdir.resolve('out');
  for (const data of [files.empty, files.small, files.chunked, files.big]) {
    for (const flush of [false, true]) {
      assert.strictEqual(await binding.writeFile(out, data, w, 0o644, flush),
                         undefined);
      assert.ok(fs.readFileSync(out).equals(data));
    }
  }
  await binding.writeFile(out, Buffer.from('a'), w, 0o644, false);
  await binding.writeFile(out, new Uint8Array([98, 99]).subarray(1), O_WRONLY | O_CREAT | O_APPEND,
                          0o644, false);
  assert.strictEqual(fs.readFileSync(out, 'latin1'), 'ac');
  const fresh = tmpdir.resolve('fresh-mode');
  await binding.writeFile(fresh, files.small, w, 0o600, false);
  assert.strictEqual(fs.statSync(fresh).mode & 0o777, 0o600 & ~process.umask());
  await sameError(binding.writeFile(path.join(missing, 'x'), files.small, w, 0o666, false),
                  fsp.writeFile(path.join(missing, 'x'), files.small));
  await sameError(binding.writeFile(tmpdir.path, files.small, w, 0o666, false),
                  fsp.writeFile(tmpdir.path, files.small));

  // truncate.
  fs.writeFileSync(out, 'hello world');
  assert.strictEqual(await binding.truncate(out, 5), undefined);
  assert.strictEqual(fs.readFileSync(out, 'latin1'), 'hello');
  await binding.truncate(out, 0);
  assert.strictEqual(fs.statSync(out).size, 0);
  await sameError(binding.truncate(missing, 0), fsp.truncate(missing, 0));
  await sameError(binding.truncate(tmpdir.path, 0), fsp.truncate(tmpdir.path, 0));

  // Many at once, on one loop, each with its own result.
  const many = await Promise.all(Array.from({ length: 200 }, (_, i) =>
    binding.readFile(tmpdir.resolve(i % 2 ? 'small' : 'chunked'), O_RDONLY)));
  many.forEach((buf, i) =>
    assert.ok(buf.equals(files[i % 2 ? 'small' : 'chunked'])));
})().then(common.mustCall());
