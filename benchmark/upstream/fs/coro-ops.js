'use strict';

// Small fs operations through fs.promises, callbacks and sync calls, with
// 1, 16 or 64 in flight: the per-call overhead the coroutine fast path
// targets. See _coro-fs-common.js for the stock/fast path switch.

const common = require('../common.js');
const fs = require('fs');
const fsp = require('fs/promises');
const { fixtures, run, onlyUsefulCombinations } = require('./_coro-fs-common.js');

const bench = common.createBenchmark(main, {
  op: ['stat', 'access', 'open-close', 'writefile-1k', 'readdir-100'],
  api: ['promises', 'callback', 'sync'],
  concurrency: [1, 16, 64],
  n: [2e4],
}, { combinationFilter: onlyUsefulCombinations });

function makeOps(op, fx) {
  const file = fx.file(1024);
  switch (op) {
    case 'stat':
      return {
        promises: () => fsp.stat(file),
        callback: (_, cb) => fs.stat(file, cb),
        sync: () => fs.statSync(file),
      };
    case 'access':
      return {
        promises: () => fsp.access(file),
        callback: (_, cb) => fs.access(file, cb),
        sync: () => fs.accessSync(file),
      };
    case 'open-close':
      return {
        promises: async () => (await fsp.open(file, 'r')).close(),
        callback: (_, cb) => fs.open(file, 'r', (err, fd) => (err ? cb(err) : fs.close(fd, cb))),
        sync: () => fs.closeSync(fs.openSync(file, 'r')),
      };
    case 'writefile-1k': {
      const data = Buffer.alloc(1024, 'x');
      return {
        promises: (slot) => fsp.writeFile(fx.targets[slot], data),
        callback: (slot, cb) => fs.writeFile(fx.targets[slot], data, cb),
        sync: (slot) => fs.writeFileSync(fx.targets[slot], data),
      };
    }
    case 'readdir-100':
      return {
        promises: () => fsp.readdir(fx.dir),
        callback: (_, cb) => fs.readdir(fx.dir, cb),
        sync: () => fs.readdirSync(fx.dir),
      };
    default:
      throw new Error(`unknown op ${op}`);
  }
}

function main({ op, api, concurrency, n }) {
  run(bench, api, concurrency, n, makeOps(op, fixtures(concurrency)));
}
