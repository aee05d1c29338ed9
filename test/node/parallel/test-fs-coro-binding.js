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

  // Many at once, on one loop, each with its own result.
  const many = await Promise.all(Array.from({ length: 200 }, (_, i) =>
    binding.readFile(tmpdir.resolve(i % 2 ? 'small' : 'chunked'), O_RDONLY)));
  many.forEach((buf, i) =>
    assert.ok(buf.equals(files[i % 2 ? 'small' : 'chunked'])));
})().then(common.mustCall());
