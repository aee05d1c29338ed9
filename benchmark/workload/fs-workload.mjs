// The workload script: one timed run of one workload, one API, one
// concurrency, on whatever runtime executes it (node, bun, `deno run -A`).
//
//   <runtime> fs-workload.mjs --workload=stat --api=promises --concurrency=16 \
//       [--duration=1] [--warmup=0.3] [--sample-ms=50] [--tmpdir=/tmp]
//
// Prints exactly one JSON line on stdout (see README.md for the fields).
// Timing uses process.hrtime.bigint(); CPU time (all threads of the process)
// comes from process.cpuUsage(); memory is sampled with
// process.memoryUsage() during the timed phase. Fixtures live in a temporary
// directory created here and removed before exit.

import {
  WORKLOADS, APIS, createFixtures, removeFixtures, makeOps, drive, parseArgs,
  runtimeInfo,
} from './ops.mjs';

const args = parseArgs(process.argv.slice(2));

if (args.list) {
  process.stdout.write(`${JSON.stringify({ workloads: WORKLOADS, apis: APIS })}\n`);
} else {
  await main(args);
}

async function main(args) {
  const workload = args.workload ?? 'stat';
  const api = args.api ?? 'promises';
  const concurrency = Number(args.concurrency ?? 1);
  const durationNs = BigInt(Math.round(Number(args.duration ?? 1) * 1e9));
  const warmupNs = BigInt(Math.round(Number(args.warmup ?? 0.3) * 1e9));
  const sampleNs = BigInt(Math.round(Number(args['sample-ms'] ?? 50) * 1e6));
  if (!(workload in WORKLOADS)) throw new Error(`unknown workload ${workload}`);
  if (!APIS.includes(api)) throw new Error(`unknown api ${api}`);
  if (!(concurrency >= 1)) throw new Error('concurrency must be >= 1');

  const fx = createFixtures(concurrency, args.tmpdir);
  try {
    const ops = makeOps(workload, fx);

    // Warm-up: same loop, results checked, not timed.
    let deadline = process.hrtime.bigint() + warmupNs;
    const warmupOps = await drive(api, ops, concurrency,
      () => process.hrtime.bigint() < deadline, ops.expect);

    // Timed phase, with memory samples every sampleNs.
    const mem = { samples: 0, rss_max: 0, heap_used_max: 0, heap_total_max: 0,
      external_max: 0, rss_sum: 0, heap_used_sum: 0 };
    const sample = () => {
      const m = process.memoryUsage();
      mem.samples++;
      mem.rss_sum += m.rss;
      mem.heap_used_sum += m.heapUsed;
      mem.rss_max = Math.max(mem.rss_max, m.rss);
      mem.heap_used_max = Math.max(mem.heap_used_max, m.heapUsed);
      mem.heap_total_max = Math.max(mem.heap_total_max, m.heapTotal);
      mem.external_max = Math.max(mem.external_max, m.external ?? 0);
    };
    const cpu0 = process.cpuUsage();
    const start = process.hrtime.bigint();
    deadline = start + durationNs;
    let nextSample = start + sampleNs;
    const ops_done = await drive(api, ops, concurrency, () => {
      const now = process.hrtime.bigint();
      if (now >= nextSample) {
        sample();
        nextSample = now + sampleNs;
      }
      return now < deadline;
    });
    const elapsedNs = process.hrtime.bigint() - start;
    const cpu = process.cpuUsage(cpu0);
    sample();

    const elapsed = Number(elapsedNs);
    const out = {
      tool: 'fs-workload',
      runtime: runtimeInfo(),
      workload,
      api,
      concurrency,
      ops: ops_done,
      elapsed_ns: elapsed,
      ops_per_sec: ops_done / (elapsed / 1e9),
      us_per_op: elapsed / 1e3 / ops_done,
      cpu_user_us: cpu.user,
      cpu_sys_us: cpu.system,
      cpu_us_per_op: (cpu.user + cpu.system) / ops_done,
      warmup_ops: warmupOps,
      memory: {
        samples: mem.samples,
        rss_max: mem.rss_max,
        rss_avg: Math.round(mem.rss_sum / mem.samples),
        heap_used_max: mem.heap_used_max,
        heap_used_avg: Math.round(mem.heap_used_sum / mem.samples),
        heap_total_max: mem.heap_total_max,
        external_max: mem.external_max,
      },
      pid: process.pid,
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    removeFixtures(fx);
  }
}
