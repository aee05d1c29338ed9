// The comparison runner: every configuration (contender × workload ×
// in-flight count) in its own process, several runs each, interleaved so that
// drifting machine load spreads over all contenders; then allocation counts
// and memory at load; then results.json, report.md and chart.svg.
//
//   node build/bench/runner/main.js --preset=quick|full [options]   (see usage)

import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import {
  allocCommand, contenders, notApplicable, probe, workloadCommand,
  type Contender, type Paths,
} from './contenders.js';
import { runJson } from './exec.js';
import { fmtRatio, fmtUs, markdown } from './report-md.js';
import { svg } from './report-svg.js';
import type { ContenderStatus, Results } from './results.js';
import { configKey, memoryAtLoad, summarize } from './stats.js';
import { load, machine } from './sysinfo.js';
import type { AllocLine, AllocSample, Load, Sample, WorkloadLine } from './types.js';

const ALL_WORKLOADS = [
  'stat', 'access', 'open-close',
  'readfile-1k-buffer', 'readfile-1k-utf8', 'readfile-64k-buffer', 'readfile-64k-utf8',
  'readfile-1m-buffer', 'readfile-1m-utf8', 'writefile-1k', 'readdir-100',
];

interface Preset {
  runs: number;
  duration: number;
  warmup: number;
  workloads: string[];
  concurrency: number[];
  allocWorkloads: string[];
  allocConcurrency: number[];
  allocOps: number;
}

const PRESETS: Record<string, Preset> = {
  quick: {
    runs: 3, duration: 0.5, warmup: 0.2,
    workloads: ['stat', 'readfile-1k-buffer'],
    concurrency: [1, 16],
    allocWorkloads: ['stat', 'readfile-1k-buffer'],
    allocConcurrency: [1],
    allocOps: 4000,
  },
  full: {
    runs: 3, duration: 1, warmup: 0.3,
    workloads: ALL_WORKLOADS,
    concurrency: [1, 16, 64],
    allocWorkloads: ALL_WORKLOADS,
    allocConcurrency: [1, 64],
    allocOps: 4000,
  },
};

const USAGE = `usage: node main.js [--preset=quick|full] [options]
  --runs=N  --duration=S  --warmup=S       override the preset
  --workloads=a,b  --concurrency=1,16      override the preset
  --contenders=id,id                       run only these (others listed as skipped)
  --baseline=ID                            ratios against this (default fork-promises)
  --system-node                            add the machine's node, labelled NOT the fork
  --no-alloc                               skip allocation counts
  --load-concurrency=64                    in-flight count for memory at load
  --bench-dir=DIR   --out=DIR   --tag=NAME
  --fork-node=PATH --system-node-path=PATH --bun=PATH --deno=PATH
  --floor=PATH --malloc-count=PATH
`;

function list(s: string | undefined): string[] | undefined {
  return s === undefined ? undefined : s.split(',').map((x) => x.trim()).filter((x) => x !== '');
}

const { values: a } = parseArgs({
  options: {
    'preset': { type: 'string', default: 'quick' },
    'runs': { type: 'string' },
    'duration': { type: 'string' },
    'warmup': { type: 'string' },
    'workloads': { type: 'string' },
    'concurrency': { type: 'string' },
    'contenders': { type: 'string' },
    'baseline': { type: 'string', default: 'fork-promises' },
    'system-node': { type: 'boolean', default: false },
    'no-alloc': { type: 'boolean', default: false },
    'load-concurrency': { type: 'string', default: '64' },
    'bench-dir': { type: 'string', default: 'benchmark' },
    'out': { type: 'string' },
    'tag': { type: 'string' },
    'fork-node': { type: 'string', default: 'node-fork/out/Release/node' },
    'system-node-path': { type: 'string', default: '/usr/bin/node' },
    'bun': { type: 'string' },
    'deno': { type: 'string' },
    'floor': { type: 'string', default: 'build/bench/uv-floor' },
    'malloc-count': { type: 'string', default: 'build/bench/libmalloc-count.so' },
    'help': { type: 'boolean', default: false },
  },
});
if (a.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const preset = PRESETS[a.preset];
if (!preset) {
  process.stderr.write(`unknown preset ${a.preset}\n${USAGE}`);
  process.exit(2);
}
const runs = Number(a.runs ?? preset.runs);
const duration = Number(a.duration ?? preset.duration);
const warmup = Number(a.warmup ?? preset.warmup);
const workloads = list(a.workloads) ?? preset.workloads;
const concurrency = (list(a.concurrency) ?? preset.concurrency.map(String)).map(Number);
const loadConcurrency = Number(a['load-concurrency']);
const benchDir = path.resolve(a['bench-dir']);
const tmpdir = os.tmpdir();
for (const w of workloads) {
  if (!ALL_WORKLOADS.includes(w)) throw new Error(`unknown workload ${w}`);
}

const paths: Paths = {
  forkNode: path.resolve(a['fork-node']),
  systemNode: a['system-node-path'],
  bun: path.resolve(a.bun ?? path.join(benchDir, 'node_modules/.bin/bun')),
  deno: path.resolve(a.deno ?? path.join(benchDir, 'node_modules/.bin/deno')),
  floor: path.resolve(a.floor),
  mallocCount: path.resolve(a['malloc-count']),
  workloadScript: path.join(benchDir, 'workload/fs-workload.mjs'),
  allocScript: path.join(benchDir, 'workload/alloc.mjs'),
};

function versionOf(bin: string): string {
  try {
    return execFileSync(bin, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch {
    return '(unknown version)';
  }
}

function gitHead(dir: string): string | null {
  try {
    const head = execFileSync('git', ['-C', dir, 'rev-parse', '--short=12', 'HEAD'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['-C', dir, 'status', '--porcelain', '--untracked-files=no'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
    return dirty ? `${head} (with uncommitted changes)` : head;
  } catch {
    return null;
  }
}

const all = contenders(paths, {
  systemNode: a['system-node'],
  systemNodeVersion: a['system-node'] ? versionOf(paths.systemNode) : '',
});
const only = list(a.contenders);
const statuses: ContenderStatus[] = all.map((c) => {
  const p = only && !only.includes(c.id)
    ? { ok: false, detail: 'skipped: not in --contenders' }
    : probe(c, paths);
  return {
    id: c.id, label: c.label, runtime: c.runtime, api: c.api, binary: c.binary, flags: c.flags,
    fork: c.fork, available: p.ok, detail: p.detail,
  };
});
const available = all.filter((_, i) => statuses[i]?.available === true);

// The baseline: the requested one, else the system node's promises as a
// labelled stand-in when the fork is missing.
let baseline: string | null = a.baseline;
let baselineNote: string | null = null;
if (!available.some((c) => c.id === baseline)) {
  const missing = statuses.find((s) => s.id === baseline);
  const stand = available.find((c) => c.id === 'sysnode-promises');
  baselineNote = `${a.baseline} is missing (${missing?.detail ?? 'unknown contender'})`;
  baseline = stand ? stand.id : null;
  if (stand) baselineNote += `; ${stand.id} stands in`;
}
const forkStatus = statuses.find((s) => s.id === 'fork-promises');
const forkPresent = forkStatus?.available === true;
const sysnode = statuses.find((s) => s.id === 'sysnode-promises' && s.available);
const standIn = forkPresent
  ? null
  : sysnode
    ? `Produced with the system node (${sysnode.detail}) as a stand-in: NOT the fork. Fork binary missing: ${forkStatus?.detail ?? 'unknown'}.`
    : `The fork binary is missing (${forkStatus?.detail ?? 'unknown'}): no fork figures in this run.`;

const startedAt = new Date();
const stamp = startedAt.toISOString().replace(/:\d\d\.\d+Z$/, 'Z').replace(/[:]/g, '');
const tag = a.tag ?? (forkPresent ? 'fork' : sysnode ? `system-node-${sysnode.detail.split('.')[0]}` : 'no-fork');
const outDir = path.resolve(a.out ?? path.join(benchDir, 'results'), `${stamp}-${a.preset}-${tag}`);

// Child environment: no NODE_OPTIONS leaking in from the caller.
const childEnv: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmpdir };
delete childEnv['NODE_OPTIONS'];

function log(s: string): void {
  process.stderr.write(`${s}\n`);
}

const planned: { contender: string; workload: string; concurrency: number }[] = [];
const notes = new Map<string, string>();
for (const w of workloads) {
  for (const k of concurrency) {
    for (let i = 0; i < all.length; i++) {
      const c = all[i] as Contender;
      const st = statuses[i] as ContenderStatus;
      planned.push({ contender: c.id, workload: w, concurrency: k });
      const na = notApplicable(c, k);
      if (!st.available) notes.set(configKey(c.id, w, k), `missing: ${st.detail}`);
      else if (na) notes.set(configKey(c.id, w, k), na);
    }
  }
}

const timeoutMs = (duration + warmup) * 1000 + 60_000;
const samples: Sample[] = [];
let loadMax: Load = load();
const loadStart = loadMax;

function noteLoad(l: Load): void {
  loadMax = {
    loadavg1: Math.max(loadMax.loadavg1, l.loadavg1),
    build_processes: Math.max(loadMax.build_processes, l.build_processes),
  };
}

async function timedRun(c: Contender, w: string, k: number, run: number, phase: Sample['phase']): Promise<Sample> {
  const l = load();
  noteLoad(l);
  const argv = workloadCommand(c, paths, [`--workload=${w}`, `--concurrency=${k}`,
    `--duration=${duration}`, `--warmup=${warmup}`, `--tmpdir=${tmpdir}`]);
  const { line, error } = await runJson(argv, childEnv, timeoutMs);
  const result = line as WorkloadLine | null;
  return { contender: c.id, workload: w, concurrency: k, run, phase, load: l, result, error };
}

const jobs: (() => Promise<void>)[] = [];
for (let run = 1; run <= runs; run++) {
  for (const w of workloads) {
    for (const k of concurrency) {
      for (const c of available) {
        if (notApplicable(c, k)) continue;
        jobs.push(async () => {
          const s = await timedRun(c, w, k, run, 'timed');
          samples.push(s);
          log(`  ${c.id} ${w} @${k} run ${run}: ${s.result ? fmtUs(s.result.us_per_op) + '/op' : `FAILED ${s.error ?? ''}`}`);
        });
      }
    }
  }
}
// Memory at load needs runs at loadConcurrency; add one per configuration if
// the timed runs do not include that in-flight count.
if (!concurrency.includes(loadConcurrency)) {
  for (const w of workloads) {
    for (const c of available) {
      if (notApplicable(c, loadConcurrency)) continue;
      jobs.push(async () => {
        const s = await timedRun(c, w, loadConcurrency, 1, 'load-memory');
        samples.push(s);
        log(`  ${c.id} ${w} @${loadConcurrency} (memory at load): ${s.result ? `${(s.result.memory.rss_max / 2 ** 20).toFixed(1)} MiB RSS peak` : `FAILED ${s.error ?? ''}`}`);
      });
    }
  }
}

const allocs: AllocSample[] = [];
const allocWorkloads = workloads.filter((w) => preset.allocWorkloads.includes(w));
if (!a['no-alloc']) {
  for (const c of available.filter((x) => x.allocs)) {
    const ws = c.runtime === 'floor' ? allocWorkloads : ['noop', ...allocWorkloads];
    for (const w of ws) {
      for (const k of preset.allocConcurrency) {
        if (notApplicable(c, k)) continue;
        jobs.push(async () => {
          const l = load();
          noteLoad(l);
          const countFile = path.join(tmpdir, `malloc-count-${process.pid}-${allocs.length}.txt`);
          rmSync(countFile, { force: true });
          const env: NodeJS.ProcessEnv = { ...childEnv };
          if (existsSync(paths.mallocCount)) {
            env['LD_PRELOAD'] = paths.mallocCount;
            env['MALLOC_COUNT_OUT'] = countFile;
          }
          const args = [`--workload=${w}`, `--concurrency=${k}`, `--tmpdir=${tmpdir}`];
          args.push(c.runtime === 'floor' ? `--alloc-ops=${preset.allocOps}` : `--ops=${preset.allocOps}`);
          const { line, error } = await runJson(allocCommand(c, paths, args), env, 120_000);
          rmSync(countFile, { force: true });
          const result = line as AllocLine | null;
          allocs.push({ contender: c.id, workload: w, concurrency: k, load: l, result, error });
          log(`  alloc ${c.id} ${w} @${k}: ${result ? `heap ${result.heap_bytes_per_op?.toFixed(0) ?? '—'} B/op, ${result.mallocs_per_op?.toFixed(2) ?? '—'} mallocs/op` : `FAILED ${error ?? ''}`}`);
        });
      }
    }
  }
}

log(`fs benchmark, preset ${a.preset}: ${jobs.length} processes; ${available.length} of ${all.length} contenders available`);
for (const s of statuses) {
  log(`  ${s.available ? 'ok     ' : s.detail.startsWith('skipped') ? 'SKIPPED' : 'MISSING'} ${s.id}: ${s.detail}`);
}
if (standIn) log(`  NOTE: ${standIn}`);
for (const [i, job] of jobs.entries()) {
  if (i % 20 === 0) log(`[${i + 1}/${jobs.length}]`);
  await job();
}

const loadEnd = load();
noteLoad(loadEnd);
const finishedAt = new Date();
const summaries = summarize(samples, planned, notes, baseline);
const results: Results = {
  schema: 1,
  preset: a.preset,
  title: `node-coro fs benchmark (${a.preset}), ${startedAt.toISOString().slice(0, 10)}` +
    (forkPresent ? '' : ' — NOT the fork'),
  stand_in: standIn,
  started_at: startedAt.toISOString(),
  finished_at: finishedAt.toISOString(),
  duration_s: (finishedAt.getTime() - startedAt.getTime()) / 1000,
  machine: machine(tmpdir),
  source: {
    repo_commit: gitHead(path.dirname(benchDir)),
    fork_commit: existsSync(paths.forkNode) ? gitHead(path.resolve(paths.forkNode, '../../..')) : null,
  },
  conditions: {
    load_start: loadStart,
    load_end: loadEnd,
    loadavg1_max: loadMax.loadavg1,
    build_processes_max: loadMax.build_processes,
    noisy: loadMax.build_processes > 0 || loadStart.loadavg1 > 1,
  },
  settings: {
    runs, duration_s: duration, warmup_s: warmup, workloads, concurrency,
    load_concurrency: loadConcurrency,
    alloc_workloads: a['no-alloc'] ? [] : allocWorkloads,
    alloc_concurrency: preset.allocConcurrency,
    alloc_ops: preset.allocOps,
  },
  baseline: { requested: a.baseline, used: baseline, note: baselineNote },
  contenders: statuses,
  summaries,
  memory_at_load: memoryAtLoad(samples, loadConcurrency),
  allocs,
  samples,
};

mkdirSync(outDir, { recursive: true });
writeFileSync(path.join(outDir, 'results.json'), `${JSON.stringify(results, null, 1)}\n`);
const md = markdown(results);
writeFileSync(path.join(outDir, 'report.md'), md);
writeFileSync(path.join(outDir, 'chart.svg'), svg(results));

// A short console table: us/op and ratio per configuration.
process.stdout.write(`\n${results.title}\n`);
if (standIn) process.stdout.write(`${standIn}\n`);
for (const s of summaries) {
  if (s.note?.startsWith('missing') || s.note?.startsWith('skipped')) continue;
  process.stdout.write(`${s.contender.padEnd(18)} ${s.workload.padEnd(20)} @${String(s.concurrency).padEnd(3)} ` +
    `${fmtUs(s.us_per_op_median).padStart(10)} ${s.spread_pct === null ? '' : `±${s.spread_pct.toFixed(0)}%`.padStart(5)} ` +
    `${fmtRatio(s.speed_vs_baseline).padStart(7)}${s.note ? `  ${s.note}` : ''}\n`);
}
for (const s of statuses.filter((x) => !x.available)) {
  process.stdout.write(`${s.detail.startsWith('skipped') ? 'SKIPPED' : 'MISSING'} ${s.id}: ${s.detail}\n`);
}
process.stdout.write(`\nwrote ${path.relative(process.cwd(), outDir)}/{results.json,report.md,chart.svg} in ${Math.round(results.duration_s)} s\n`);
