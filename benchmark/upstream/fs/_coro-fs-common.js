'use strict';

// Shared by the coro-*.js benchmarks: fixtures and one driver for the three
// API styles, so that fs.promises, callbacks and sync calls are measured the
// same way (`concurrency` operations in flight, `n` operations in all).
//
// Stock path vs fast path: when the fork's `--no-fs-coro` switch exists, run
// the same files with NODE_BENCHMARK_FLAGS=--no-fs-coro (benchmark/common.js
// passes it to every child), or give compare.js the same binary as --old and
// --new with the flag in NODE_BENCHMARK_FLAGS on one side.

const fs = require('fs');
const path = require('path');
const tmpdir = require('../../test/common/tmpdir');

function fixtures(concurrency) {
  tmpdir.refresh();
  const root = tmpdir.path;
  const file = (len) => {
    const name = path.join(root, `file-${len}`);
    fs.writeFileSync(name, Buffer.alloc(len, 'abcdefghijklmnopqrstuvwxyz'));
    return name;
  };
  const dir = path.join(root, 'dir-100');
  fs.mkdirSync(dir);
  for (let i = 0; i < 100; i++)
    fs.writeFileSync(path.join(dir, `entry-${String(i).padStart(3, '0')}`), '');
  const targets = [];
  for (let i = 0; i < concurrency; i++) targets.push(path.join(root, `write-${i}`));
  return { file, dir, targets };
}

// ops: { promises(slot) -> Promise, callback(slot, cb), sync(slot) }
function run(bench, api, concurrency, n, ops) {
  if (api === 'sync') {
    const op = ops.sync;
    bench.start();
    for (let i = 0; i < n; i++) op(0);
    bench.end(n);
    return;
  }
  let started = 0;
  let finished = 0;
  if (api === 'promises') {
    const op = ops.promises;
    const loop = async (slot) => {
      while (started < n) {
        started++;
        await op(slot);
        finished++;
      }
    };
    bench.start();
    const loops = [];
    for (let s = 0; s < concurrency; s++) loops.push(loop(s));
    Promise.all(loops).then(() => bench.end(finished), (err) => { throw err; });
    return;
  }
  const op = ops.callback;
  const next = (slot) => {
    started++;
    op(slot, (err) => {
      if (err) throw err;
      if (++finished === n) bench.end(n);
      else if (started < n) next(slot);
    });
  };
  bench.start();
  for (let s = 0; s < concurrency && s < n; s++) next(s);
}

// The sync API has no operations in flight: run it at concurrency 1 only.
function onlyUsefulCombinations({ api, concurrency }) {
  return api !== 'sync' || concurrency === 1;
}

module.exports = { fixtures, run, onlyUsefulCombinations };
