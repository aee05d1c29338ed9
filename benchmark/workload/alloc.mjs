// Allocation cost per operation, for Node-based contenders only (needs
// node:v8 and --expose-gc):
//
//   LD_PRELOAD=libmalloc-count.so MALLOC_COUNT_OUT=FILE \
//   node --expose-gc --min-semi-space-size=64 --max-semi-space-size=64 \
//       alloc.mjs --workload=stat --api=promises --concurrency=1 [--ops=4000]
//       [--warmup=0.5] [--batch-seconds=0.3]
//
// After a time-bounded warm-up (--warmup seconds, default 0.5), one batch runs
// between a full GC and the end of the batch. The batch is sized to last about
// --batch-seconds (default 0.3) at the warm-up's rate, at most --ops (default
// 4000) operations and at most 16 MiB of file data, and at least --concurrency
// operations:
// - V8 heap bytes/op: growth of v8.getHeapStatistics().used_heap_size over the
//   batch. Valid only if no GC ran inside it (the semi-space flags above make
//   room); a batch that saw a GC is retried with half as many operations (not
//   below --concurrency), and the result says how many GCs the kept batch saw.
// - external bytes/op: growth of external memory (ArrayBuffer backing stores,
//   off the V8 heap) over the same batch.
// - mallocs/op: allocating libc calls from every thread (main and thread pool),
//   counted by the LD_PRELOAD library between two in-band markers
//   (fs.accessSync on /.malloc-count/reset and /.malloc-count/report), minus
//   the cost of an empty marker pair. Omitted when the library is not loaded.
// - frees after GC/op: frees from the start of the batch to after two forced
//   full GCs that follow it (weak callbacks of request objects, ArrayBuffer
//   backing stores released at GC), so frees that GC defers are counted too.
// The workload "noop" measures the driver loop alone (an operation that does
// nothing), so its cost can be told apart from the operation's.
//
// Prints one JSON line.

import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import { PerformanceObserver } from 'node:perf_hooks';
import {
  WORKLOADS, READ_SIZES, createFixtures, removeFixtures, makeOps, drive, parseArgs,
  runtimeInfo,
} from './ops.mjs';

const args = parseArgs(process.argv.slice(2));
const workload = args.workload ?? 'stat';
const api = args.api ?? 'promises';
const concurrency = Number(args.concurrency ?? 1);
const maxOps = Number(args.ops ?? 4000);
const warmupNs = BigInt(Math.round(Number(args.warmup ?? 0.5) * 1e9));
const batchSeconds = Number(args['batch-seconds'] ?? 0.3);
// Consumable fixtures ready for the warm-up (at least 4 per slot).
const WARMUP_POOL = 200;
if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc');
if (workload !== 'noop' && !(workload in WORKLOADS)) throw new Error(`unknown workload ${workload}`);

const countFile = process.env.MALLOC_COUNT_OUT;
const counting = countFile !== undefined && /malloc-count/.test(process.env.LD_PRELOAD ?? '');

let gcs = 0;
new PerformanceObserver((list) => { gcs += list.getEntries().length; })
  .observe({ entryTypes: ['gc'] });
// GC entries are delivered asynchronously; a short timer lets them arrive.
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

function noopOps() {
  return {
    expect: () => {},
    promises: () => Promise.resolve(),
    callback: (_, cb) => queueMicrotask(cb),
    sync: () => undefined,
  };
}

function readCounts() {
  const lines = fs.readFileSync(countFile, 'utf8').trim().split('\n');
  const m = /calls=(\d+) frees=(\d+) bytes=(\d+)/.exec(lines[lines.length - 1] ?? '');
  if (!m) throw new Error(`no malloc-count line in ${countFile}`);
  return { calls: Number(m[1]), frees: Number(m[2]), bytes: Number(m[3]) };
}

// Runs exactly n operations.
function runCount(ops, n) {
  let left = n - concurrency; // every loop runs at least once
  if (left < 0) throw new Error('a batch must be >= concurrency');
  return drive(api, ops, concurrency, () => left-- > 0);
}

const fx = createFixtures(concurrency, args.tmpdir);
let ops = null;
try {
  ops = workload === 'noop' ? noopOps() : makeOps(workload, fx);
  if (ops.setup) await ops.setup(api);
  // Consumable fixtures (rm-tree's trees) are made before the warm-up and
  // before each batch, never inside one; the warm-up also stops when they
  // run out.
  if (ops.ensure) ops.ensure(Math.max(WARMUP_POOL, 4 * concurrency));
  // Warm-up (and JIT), time-bounded; its rate sizes the batch.
  const t0 = process.hrtime.bigint();
  const deadline = t0 + warmupNs;
  const warm = await drive(api, ops, concurrency,
    () => process.hrtime.bigint() < deadline && (!ops.left || ops.left() > 0), ops.expect);
  const rate = warm / (Number(process.hrtime.bigint() - t0) / 1e9);
  const size = READ_SIZES[/^readfile-(1k|64k|1m)-/.exec(workload)?.[1]] ?? 0;
  let batch = Math.min(maxOps, Math.ceil(rate * batchSeconds));
  if (size > 0) batch = Math.min(batch, Math.floor((16 * 1024 * 1024) / size));
  batch = Math.max(batch, concurrency);

  let empty = null;
  if (counting) {
    fs.accessSync('/.malloc-count/reset');
    fs.accessSync('/.malloc-count/report');
    empty = readCounts();
  }

  let result = null;
  for (let attempt = 0; attempt < 6; attempt++) {
    if (ops.ensure) ops.ensure(batch);
    globalThis.gc();
    globalThis.gc();
    await settle();
    const gc0 = gcs;
    const h0 = v8.getHeapStatistics();
    if (counting) fs.accessSync('/.malloc-count/reset');
    const done = await runCount(ops, batch);
    if (counting) fs.accessSync('/.malloc-count/report');
    const h1 = v8.getHeapStatistics();
    const batchCounts = counting ? readCounts() : null;
    await settle();
    const gcsIn = gcs - gc0;
    // Frees that wait for GC: two full GCs, let weak callbacks and the
    // deferred ArrayBuffer frees run, then the cumulative counters again.
    let afterGc = null;
    if (counting) {
      globalThis.gc();
      globalThis.gc();
      await settle();
      fs.accessSync('/.malloc-count/report');
      afterGc = readCounts();
    }
    result = { ops: done, gcs: gcsIn, h0, h1, batchCounts, afterGc };
    if (gcsIn === 0 || batch / 2 < concurrency) break;
    batch = Math.floor(batch / 2);
  }

  const { ops: n, gcs: gcsIn, h0, h1, batchCounts, afterGc } = result;
  const out = {
    tool: 'fs-alloc',
    runtime: runtimeInfo(),
    exec_argv: process.execArgv,
    workload,
    api,
    concurrency,
    ops: n,
    warmup_ops: warm,
    gcs_during_batch: gcsIn,
    heap_bytes_per_op: gcsIn === 0 ? (h1.used_heap_size - h0.used_heap_size) / n : null,
    external_bytes_per_op: (h1.external_memory - h0.external_memory) / n,
    mallocs_per_op: null,
    malloc_bytes_per_op: null,
    frees_per_op: null,
    frees_after_gc_per_op: null,
    malloc_counter: counting ? 'LD_PRELOAD malloc-count' : 'not loaded',
  };
  if (counting) {
    const c = batchCounts;
    out.mallocs_per_op = (c.calls - empty.calls) / n;
    out.malloc_bytes_per_op = (c.bytes - empty.bytes) / n;
    out.frees_per_op = (c.frees - empty.frees) / n;
    out.frees_after_gc_per_op = (afterGc.frees - 2 * empty.frees) / n;
    out.malloc_marker_cost = empty;
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
} finally {
  if (ops?.teardown) await ops.teardown();
  removeFixtures(fx);
}
