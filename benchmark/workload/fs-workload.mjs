// The workload script: one run of one workload, one API, one concurrency, on
// whatever runtime executes it (node, bun, `deno run -A`).
//
//   <runtime> fs-workload.mjs --workload=stat --api=promises --concurrency=16 \
//       [--duration=1] [--warmup-ops=5000] [--warmup-max=2] [--window-ms=100]
//       [--stable-pct=5] [--sample-ms=50] [--tmpdir=/tmp]
//       [--mode=throughput|latency] [--pool-factor=2] [--pool-max=20000]
//
// Prints exactly one JSON line on stdout (see README.md for the fields).
//
// Warm-up: the same loop, results checked, until the first of: --warmup-ops
// operations (the runner passes the same count to every contender of a
// workload), two consecutive --window-ms windows whose rates differ by under
// --stable-pct percent, or --warmup-max seconds. The line says which ended it
// (warmup.ended_by: "ops", "stable", "time-cap"). --warmup=S is an alias of
// --warmup-max.
//
// Throughput mode (default): the timed phase reads process.hrtime.bigint()
// once per batch of operations (about 1 ms of work at the warm-up's rate),
// not once per operation; elapsed time and CPU time (process.cpuUsage(), all
// threads) cover the whole phase. Memory and the thread count are sampled
// every --sample-ms at batch boundaries.
//
// Latency mode: every operation is timed on its own (two clock reads per
// operation, included in the figures); prints percentiles ("tool":
// "fs-latency"). Its us_per_op is not comparable with throughput mode's.
//
// Fixtures live in a temporary directory created here and removed before exit.
// Workload-specific set-up (opening the FileHandle of fh-read-4k and
// fh-write-4k) runs before the warm-up. rm-tree consumes a fresh tree per
// operation: the trees are made, with synchronous calls, before the warm-up
// (enough for all of it) and again before the timed phase (see --pool-factor
// below), never while the clock runs; the line's "pool" says how many were
// ready, how many the timed phase used, how long making them took, and
// whether they ran out (the timed phase then ends early).

import * as fs from 'node:fs';
import {
  WORKLOADS, APIS, createFixtures, removeFixtures, makeOps, drive, parseArgs,
  runtimeInfo,
} from './ops.mjs';

const hr = () => process.hrtime.bigint();

function threadCount() {
  try {
    return fs.readdirSync('/proc/self/task').length;
  } catch {
    return null;
  }
}

function minorFaults() {
  try {
    const v = process.resourceUsage().minorPageFault;
    return typeof v === 'number' ? v : null;
  } catch {
    return null;
  }
}

// The warm-up rule (see the header); resolves with what happened.
async function warmUp(api, ops, concurrency, o) {
  const t0 = hr();
  const cap = t0 + o.maxNs;
  let n = 0;
  let endedBy = null;
  let windowStart = t0;
  let windowOps = 0;
  let prevRate = null;
  const windows = [];
  const done = await drive(api, ops, concurrency, () => {
    if (endedBy !== null) return false;
    n++;
    // Consumable fixtures run out (never expected: the driver readies
    // maxOps + concurrency of them, more than the warm-up can start).
    if (ops.left && ops.left() === 0) {
      endedBy = 'ops';
      return false;
    }
    windowOps++;
    if (n >= o.maxOps) {
      endedBy = 'ops';
      return false;
    }
    const now = hr();
    if (now >= cap) {
      endedBy = 'time-cap';
      return false;
    }
    if (now - windowStart >= o.windowNs) {
      const rate = (windowOps * 1e9) / Number(now - windowStart);
      windows.push(Math.round(rate));
      if (prevRate !== null && Math.abs(rate - prevRate) / prevRate < o.stablePct / 100) {
        endedBy = 'stable';
        return false;
      }
      prevRate = rate;
      windowStart = now;
      windowOps = 0;
    }
    return true;
  }, ops.expect);
  const ns = Number(hr() - t0);
  return { ops: done, ns, ended_by: endedBy ?? 'ops', max_ops: o.maxOps,
    max_s: Number(o.maxNs) / 1e9, windows: windows.length, window_rates: windows };
}

// Wraps each API's operation so that it records its own latency.
function latencyOps(ops, lat) {
  return {
    expect: ops.expect,
    promises: async (slot) => {
      const t0 = hr();
      const r = await ops.promises(slot);
      lat.push(Number(hr() - t0));
      return r;
    },
    callback: (slot, cb) => {
      const t0 = hr();
      ops.callback(slot, (err, r) => {
        lat.push(Number(hr() - t0));
        cb(err, r);
      });
    },
    sync: (slot) => {
      const t0 = hr();
      const r = ops.sync(slot);
      lat.push(Number(hr() - t0));
      return r;
    },
  };
}

function percentiles(lat) {
  const s = Float64Array.from(lat).sort();
  const at = (p) => (s.length ? s[Math.round(p * (s.length - 1))] / 1e3 : null);
  return { count: s.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999), max: at(1) };
}

async function main(args) {
  const workload = args.workload ?? 'stat';
  const api = args.api ?? 'promises';
  const mode = args.mode ?? 'throughput';
  const concurrency = Number(args.concurrency ?? 1);
  const durationNs = BigInt(Math.round(Number(args.duration ?? 1) * 1e9));
  const warm = {
    maxOps: Number(args['warmup-ops'] ?? 5000),
    maxNs: BigInt(Math.round(Number(args['warmup-max'] ?? args.warmup ?? 2) * 1e9)),
    windowNs: BigInt(Math.round(Number(args['window-ms'] ?? 100) * 1e6)),
    stablePct: Number(args['stable-pct'] ?? 5),
  };
  const sampleNs = BigInt(Math.round(Number(args['sample-ms'] ?? 50) * 1e6));
  const poolFactor = Number(args['pool-factor'] ?? 2);
  const poolMax = Number(args['pool-max'] ?? 20000);
  if (!(workload in WORKLOADS)) throw new Error(`unknown workload ${workload}`);
  if (!APIS.includes(api)) throw new Error(`unknown api ${api}`);
  if (mode !== 'throughput' && mode !== 'latency') throw new Error(`unknown mode ${mode}`);
  if (!(concurrency >= 1)) throw new Error('concurrency must be >= 1');

  const fx = createFixtures(concurrency, args.tmpdir);
  let ops = null;
  try {
    ops = makeOps(workload, fx);
    if (ops.setup) await ops.setup(api);
    // Consumable fixtures (rm-tree's fresh trees) are made before each phase,
    // never inside one: enough for the whole warm-up, then, for the timed
    // phase, --pool-factor times what the warm-up's rate would use in
    // --duration (at most --pool-max). Should the timed phase use them all, it
    // ends there, early: its figures stay valid (operations ÷ elapsed time),
    // and the line says so (pool.ended_early).
    if (ops.ensure) ops.ensure(warm.maxOps + concurrency);
    const warmup = await warmUp(api, ops, concurrency, warm);
    // Read the clock about once per millisecond of work.
    const rate = warmup.ops / (warmup.ns / 1e9);
    const batch = Math.min(1000, Math.max(1, Math.round(rate / 1000)));
    let pool = null;
    if (ops.ensure) {
      const want = Math.min(poolMax, Math.ceil(rate * (Number(durationNs) / 1e9) * poolFactor)) + concurrency;
      const t0 = hr();
      ops.ensure(want);
      pool = { ready: ops.left(), factor: poolFactor, max: poolMax, made_s: Number(hr() - t0) / 1e9,
        used: 0, ended_early: false };
    }

    const mem = { samples: 0, rss_max: 0, heap_used_max: 0, heap_total_max: 0,
      external_max: 0, rss_sum: 0, heap_used_sum: 0, threads_max: null };
    const sample = () => {
      const m = process.memoryUsage();
      mem.samples++;
      mem.rss_sum += m.rss;
      mem.heap_used_sum += m.heapUsed;
      mem.rss_max = Math.max(mem.rss_max, m.rss);
      mem.heap_used_max = Math.max(mem.heap_used_max, m.heapUsed);
      mem.heap_total_max = Math.max(mem.heap_total_max, m.heapTotal);
      mem.external_max = Math.max(mem.external_max, m.external ?? 0);
      const t = threadCount();
      if (t !== null) mem.threads_max = Math.max(mem.threads_max ?? 0, t);
    };

    const lat = [];
    const timedOps = mode === 'latency' ? latencyOps(ops, lat) : ops;
    let stopped = false;
    let left = batch;
    let clockReads = 0;
    const flt0 = minorFaults();
    const cpu0 = process.cpuUsage();
    const start = hr();
    const deadline = start + durationNs;
    let nextSample = start + sampleNs;
    const check = () => {
      clockReads++;
      const now = hr();
      if (now >= nextSample) {
        sample();
        nextSample = now + sampleNs;
      }
      if (now >= deadline) stopped = true;
      return !stopped;
    };
    // No consumable fixture left: stop starting operations.
    const dry = () => {
      if (!ops.left || ops.left() > 0) return false;
      pool.ended_early = true;
      stopped = true;
      return true;
    };
    const keepGoing = mode === 'latency'
      ? () => !stopped && !dry() && check()
      : () => {
        if (stopped || dry()) return false;
        if (--left > 0) return true;
        left = batch;
        return check();
      };
    const opsDone = await drive(api, timedOps, concurrency, keepGoing);
    const elapsedNs = hr() - start;
    const cpu = process.cpuUsage(cpu0);
    const flt1 = minorFaults();
    sample();

    const elapsed = Number(elapsedNs);
    const out = {
      tool: mode === 'latency' ? 'fs-latency' : 'fs-workload',
      runtime: runtimeInfo(),
      exec_argv: process.execArgv,
      mode,
      workload,
      api,
      concurrency,
      ops: opsDone,
      elapsed_ns: elapsed,
      ops_per_sec: opsDone / (elapsed / 1e9),
      us_per_op: elapsed / 1e3 / opsDone,
      cpu_user_us: cpu.user,
      cpu_sys_us: cpu.system,
      cpu_us_per_op: (cpu.user + cpu.system) / opsDone,
      minflt_per_op: flt0 === null || flt1 === null ? null : (flt1 - flt0) / opsDone,
      batch: mode === 'latency' ? 1 : batch,
      clock_reads: clockReads,
      warmup_ops: warmup.ops,
      warmup,
      uv_threadpool_size: process.env.UV_THREADPOOL_SIZE ?? null,
      memory: {
        samples: mem.samples,
        rss_max: mem.rss_max,
        rss_avg: Math.round(mem.rss_sum / mem.samples),
        heap_used_max: mem.heap_used_max,
        heap_used_avg: Math.round(mem.heap_used_sum / mem.samples),
        heap_total_max: mem.heap_total_max,
        external_max: mem.external_max,
        threads_max: mem.threads_max,
      },
      pid: process.pid,
    };
    if (pool) {
      pool.used = pool.ready - ops.left();
      out.pool = pool;
    }
    if (mode === 'latency') out.latency_us = percentiles(lat);
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    if (ops?.teardown) await ops.teardown();
    removeFixtures(fx);
  }
}

// Entry point, last: the helpers above must be initialized first.
const args = parseArgs(process.argv.slice(2));

if (args.list) {
  process.stdout.write(`${JSON.stringify({ workloads: WORKLOADS, apis: APIS })}\n`);
} else {
  await main(args);
}
