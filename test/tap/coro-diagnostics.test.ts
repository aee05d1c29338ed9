// What a user of the fork can see of its coroutines: node:coro's counters,
// heap snapshot nodes, trace events, and the fork naming itself in
// process.versions, process.report and fatal errors. The counters and
// snapshot checks need the fast path (the default); under --no-fs-coro
// (the stock-mode run of make test) they check that nothing moves instead.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { getStats, fsCoro, version } from 'node:coro';

// 160 workers, a heap snapshot or three: more than tap's 30 s default.
t.setTimeout(180_000);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'node-coro-diag-'));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
const file = path.join(dir, 'data');
fs.writeFileSync(file, 'x'.repeat(1024));

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

t.test('counters move under 10,000 operations and come back', async (t) => {
  await settle();
  const before = getStats();
  t.equal(before.tasks.live, 0, 'no task in flight at rest');
  const kindsBefore = before.tasks.kinds;
  const done = (kind: string) => kindsBefore[kind]?.finished ?? 0;
  const inFlight: Promise<unknown>[] = [];
  for (let i = 0; i < 10_000; i++)
    inFlight.push(i % 2 ? fsp.readFile(file) : fsp.stat(file));
  const during = getStats();
  if (fsCoro) {
    t.equal(during.tasks.live, 10_000, 'every operation is a live task');
    t.ok(during.frames.live >= 10_000, 'and holds a frame');
    t.ok(during.frames.liveBytes >= during.frames.live * 128, 'frames have sizes');
  } else {
    t.equal(during.tasks.live, 0, 'the stock path starts no task');
  }
  await Promise.all(inFlight);
  await settle();
  // A second round finds the frames the first one freed on the free-list.
  for (let i = 0; i < 100; i++) await fsp.stat(file);
  await settle();
  const after = getStats();
  t.equal(after.tasks.live, 0, 'live tasks back to 0');
  t.equal(after.frames.live, before.frames.live, 'live frames back to baseline');
  if (fsCoro) {
    t.equal((after.tasks.kinds['readFile']?.finished ?? 0) - done('readFile'), 5_000);
    t.equal((after.tasks.kinds['stat']?.finished ?? 0) - done('stat'), 5_100);
    t.ok(after.frames.allocations - before.frames.allocations >= 10_000);
    t.ok(after.frames.reuses > before.frames.reuses, 'the free-list is used');
    t.ok(after.frames.frees - before.frames.frees >= 10_000);
    t.ok(after.frames.cachedFrames > 0 && after.frames.cachedBytes > 0);
    t.ok(after.frames.classes.every((c) => c.cachedBytes === c.cachedFrames * c.blockSize));
  }
});

interface SnapshotNodes { count: number; bytes: number }

// Nodes of the given name in a heap snapshot, and their summed self sizes.
function coroutineNodes(name: string): SnapshotNodes {
  const snapshotFile = v8.writeHeapSnapshot(path.join(dir, `${Date.now()}.heapsnapshot`));
  const snapshot = JSON.parse(fs.readFileSync(snapshotFile, 'utf8')) as {
    snapshot: { meta: { node_fields: string[] } };
    nodes: number[];
    strings: string[];
  };
  fs.rmSync(snapshotFile);
  const fields = snapshot.snapshot.meta.node_fields;
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  let count = 0;
  let bytes = 0;
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    const nodeName = snapshot.strings[snapshot.nodes[i + nameAt] ?? -1] ?? '';
    if (nodeName.includes(name)) {
      count++;
      bytes += snapshot.nodes[i + sizeAt] ?? 0;
    }
  }
  return { count, bytes };
}

t.test('heap snapshots show coroutine memory in proportion', { skip: !fsCoro && 'stock path' }, async (t) => {
  await settle();
  const measure = async (n: number) => {
    const ops = Array.from({ length: n }, () => fsp.readFile(file));
    const nodes = coroutineNodes('CoroutineFramesInFlight');
    const counted = getStats().frames.liveBytes;
    await Promise.all(ops);
    return { nodes, counted };
  };
  const hundred = await measure(100);
  const thousand = await measure(1000);
  t.ok(thousand.nodes.count > 0, 'the snapshot has the coroutine node');
  const ratio = thousand.nodes.bytes / hundred.nodes.bytes;
  t.ok(ratio >= 5 && ratio <= 20, `1,000 in flight hold ${ratio.toFixed(1)}x what 100 hold`);
  const vsCounters = thousand.nodes.bytes / thousand.counted;
  t.ok(vsCounters >= 0.5 && vsCounters <= 2,
       `snapshot ${thousand.nodes.bytes} B vs allocator ${thousand.counted} B`);
  await settle();
  const freeList = coroutineNodes('CoroutineFrameFreeList');
  t.ok(freeList.count > 0, 'the free-list has nodes once frames were freed');
  const held = getStats().frames.cachedBytes;
  t.ok(freeList.bytes >= held / 2 && freeList.bytes <= held * 2,
       `free-list ${freeList.bytes} B vs counters ${held} B`);
});

t.test('the fork names itself', async (t) => {
  t.match(process.versions.node_coro, /^\d+\.\d+\.\d+$/);
  t.equal(version, process.versions.node_coro);
  const v = spawnSync(process.execPath, ['--version'], { encoding: 'utf8' });
  t.equal(v.stdout.trim(), 'v22.22.2', 'node --version stays Node\'s');
  const header = (process.report.getReport() as { header: Record<string, unknown> }).header;
  t.same(header['nodeCoro'], {
    version: process.versions.node_coro, fsCoro, retryOnTheStockPath: '--no-fs-coro',
  });
});

t.test('a fatal error names the fork and the way back', async (t) => {
  const r = spawnSync(process.execPath, ['--max-old-space-size=16', '-e',
    'const a = []; for (;;) a.push(new Array(1e5).fill(1));'],
  { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  t.not(r.status, 0);
  t.match(r.stderr, /FATAL ERROR/);
  t.match(r.stderr, /node-coro \d+\.\d+\.\d+/);
  t.match(r.stderr, /--no-fs-coro/);
});

t.test('trace events show coroutine operations under node.fs.async', { skip: !fsCoro && 'stock path' }, async (t) => {
  const traceDir = fs.mkdtempSync(path.join(dir, 'trace-'));
  const r = spawnSync(process.execPath, ['--trace-event-categories', 'node.fs.async', '-e', `
    const fsp = require('node:fs/promises');
    Promise.all([fsp.readFile(${JSON.stringify(file)}), fsp.stat(${JSON.stringify(file)})]);
  `], { cwd: traceDir, encoding: 'utf8' });
  t.equal(r.status, 0, r.stderr);
  const log = fs.readdirSync(traceDir).find((f) => f.startsWith('node_trace'));
  t.ok(log, 'a trace file was written');
  const events = (JSON.parse(fs.readFileSync(path.join(traceDir, log ?? ''), 'utf8')) as {
    traceEvents: { name: string; cat: string; ph: string }[];
  }).traceEvents.filter((e) => e.cat.includes('node.fs.async'));
  for (const name of ['readFile', 'stat']) {
    t.ok(events.some((e) => e.name === name && e.ph === 'b'), `${name} begins`);
    t.ok(events.some((e) => e.name === name && e.ph === 'e'), `${name} ends`);
  }
});

t.test('each worker has its own counters; 100 of them leave nothing behind', { skip: !fsCoro && 'stock path' }, async (t) => {
  const { Worker } = await import('node:worker_threads');
  const script = path.join(dir, 'worker.cjs');
  fs.writeFileSync(script, `
    const { parentPort, workerData } = require('node:worker_threads');
    const fsp = require('node:fs/promises');
    const { getStats } = require('node:coro');
    const ops = [];
    for (let i = 0; i < (workerData.ops ?? 0); i++)
      ops.push(i % 2 ? fsp.readFile(workerData.file) : fsp.stat(workerData.file));
    const during = getStats();
    Promise.all(ops).then(() => new Promise(setImmediate)).then(() => {
      const after = getStats();
      parentPort.postMessage({ during: during.tasks.live, after: after.tasks.live,
                               finished: after.tasks.kinds.readFile?.finished ?? 0 });
    });
  `);
  const run = (ops: number) => new Promise<{ during: number; after: number; finished: number }>(
    (resolve, reject) => {
      // execArgv: [] keeps tap's loaders (inherited otherwise) out of the
      // workers, which would make each take a second to start.
      const w = new Worker(script, { workerData: { file, ops }, execArgv: [] });
      w.once('message', resolve);
      w.once('error', reject);
    });
  const mainBefore = getStats().tasks.kinds['readFile']?.finished ?? 0;
  const first = await run(1000);
  t.equal(first.during, 1000, 'the worker sees its own 1,000 tasks in flight');
  t.equal(first.after, 0);
  t.equal(first.finished, 500, 'and only its own finished reads');
  t.equal(getStats().tasks.kinds['readFile']?.finished ?? 0, mainBefore,
          'the main thread\'s counters did not move');
  // RSS steps once by about 8 MB early in a process's life of workers even
  // when they do nothing (see test/node/parallel/test-fs-coro-teardown.js):
  // idle workers first, then the measured ones.
  for (let i = 0; i < 60; i++) await run(0);
  // A gc() without --expose-gc on the command line: the flag, then a fresh
  // context, which gets the gc global.
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  let rssAfter10 = 0;
  for (let i = 0; i < 100; i++) {
    await run(1000);
    if (i === 9) { gc(); rssAfter10 = process.memoryUsage().rss; }
  }
  gc();
  const rss = process.memoryUsage().rss;
  t.ok(rss <= rssAfter10 * 1.1, `RSS ${rss} after 100 workers vs ${rssAfter10} after 10`);
});
