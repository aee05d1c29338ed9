'use strict';

// Whole-file reads of small to medium files through fs.promises.readFile,
// fs.readFile and fs.readFileSync, as a Buffer or a utf-8 string, with 1, 16
// or 64 in flight. fs.promises.readFile is open + fstat + read + close: the
// composition the coroutine fast path keeps in native code. See
// _coro-fs-common.js for the stock/fast path switch.

const common = require('../common.js');
const fs = require('fs');
const fsp = require('fs/promises');
const { fixtures, run, onlyUsefulCombinations } = require('./_coro-fs-common.js');

const bench = common.createBenchmark(main, {
  len: [1024, 64 * 1024, 1024 * 1024],
  encoding: ['buffer', 'utf-8'],
  api: ['promises', 'callback', 'sync'],
  concurrency: [1, 16, 64],
  n: [1e4],
}, { combinationFilter: onlyUsefulCombinations });

function main({ len, encoding, api, concurrency, n }) {
  const file = fixtures(concurrency).file(len);
  const enc = encoding === 'buffer' ? undefined : encoding;
  run(bench, api, concurrency, n, {
    promises: () => fsp.readFile(file, enc),
    callback: (_, cb) => fs.readFile(file, enc, cb),
    sync: () => fs.readFileSync(file, enc),
  });
}
