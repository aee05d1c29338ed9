'use strict';
// First speed reading of node-coro's tracked tasks (issue 9): the internal
// binding's stat and readFile, each one tracked coroutine, against stock
// fs.promises.stat and fs.promises.readFile, at 1 and 16 operations in
// flight, with no async hooks and with an AsyncLocalStorage in use (which
// enables an init hook, so every resource gets a resource object).
//
//   out/Release/node --expose-internals benchmark/tracked/binding-vs-stock.cjs
//
// Each configuration runs in a child process of its own (AsyncLocalStorage
// cannot be switched off again), warms up with 3,000 operations, then
// times 5 rounds and prints the median. A reading, not a proof: the paired,
// repeated runs with intervals are the benchmark runner's (benchmark/).

const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROUNDS = 5;
const WARMUP = 3000;

async function child(op, impl, inflight, als, ops) {
  const { internalBinding } = require('internal/test/binding');
  const binding = internalBinding('fs_coro');
  const fsp = fs.promises;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coro-bench-'));
  const file = path.join(dir, 'data');
  fs.writeFileSync(file, Buffer.alloc(1024, 'x'));
  const { O_RDONLY } = fs.constants;
  const call = {
    'stat/coro': () => binding.stat(file, false),
    'stat/stock': () => fsp.stat(file),
    'readFile/coro': () => binding.readFile(file, O_RDONLY),
    'readFile/stock': () => fsp.readFile(file),
  }[`${op}/${impl}`];

  async function batch(n) {
    let next = 0;
    async function lane() {
      while (next++ < n) await call();
    }
    await Promise.all(Array.from({ length: inflight }, lane));
  }

  async function main() {
    await batch(WARMUP);
    const times = [];
    for (let r = 0; r < ROUNDS; r++) {
      const t0 = process.hrtime.bigint();
      await batch(ops);
      times.push(Number(process.hrtime.bigint() - t0) / ops / 1e3);
    }
    times.sort((a, b) => a - b);
    fs.rmSync(dir, { recursive: true, force: true });
    process.stdout.write(JSON.stringify({ usPerOp: times[ROUNDS >> 1] }));
  }

  if (als) {
    const { AsyncLocalStorage } = require('async_hooks');
    const storage = new AsyncLocalStorage();
    await storage.run({ request: 1 }, main);
  } else {
    await main();
  }
}

function parent() {
  const ops = Number(process.env.OPS || 20000);
  const rows = [];
  for (const als of [false, true]) {
    for (const op of ['stat', 'readFile']) {
      for (const inflight of [1, 16]) {
        const result = {};
        for (const impl of ['stock', 'coro']) {
          const r = spawnSync(process.execPath, [
            '--expose-internals', __filename, 'child',
            op, impl, String(inflight), als ? 'als' : 'plain', String(ops),
          ], { encoding: 'utf8' });
          if (r.status !== 0) {
            process.stderr.write(r.stderr);
            throw new Error(`${op}/${impl} @${inflight} failed`);
          }
          result[impl] = JSON.parse(r.stdout).usPerOp;
        }
        rows.push({ op, inflight, als, ...result });
      }
    }
  }
  console.log(`node ${process.version}, ${ops} ops x ${ROUNDS} rounds, ` +
              'median us/op (lower is better)');
  console.log('| operation | in flight | AsyncLocalStorage | stock fs.promises ' +
              '| fs_coro binding | stock / coro |');
  console.log('| --- | ---: | --- | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(`| ${r.op} 1 KiB | ${r.inflight} | ${r.als ? 'in use' : 'no'} ` +
                `| ${r.stock.toFixed(2)} | ${r.coro.toFixed(2)} ` +
                `| x${(r.stock / r.coro).toFixed(2)} |`);
  }
}

if (process.argv[2] === 'child') {
  const [, , , op, impl, inflight, als, ops] = process.argv;
  child(op, impl, Number(inflight), als === 'als', Number(ops));
} else {
  parent();
}
