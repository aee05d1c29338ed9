// The comparison runner: every configuration (contender × workload ×
// in-flight count) in its own process, several runs each. Each run of a
// configuration's contenders is one block, in an order shuffled afresh per
// block by a seeded PRNG (pairs run back to back); then optional latency
// runs, then repeated allocation counts; then results.json, report.md and
// chart.svg. Exits non-zero, naming each cause, when a requested contender is
// missing or any run failed.
//
//   node build/bench/runner/main.js --preset=quick|full|proof [options]   (see usage)

import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import {
  NO_CORO_FLAG, STOCK, SUBJECT, THREADPOOL_SIZE, allocCommand, contenders, notApplicable, probe,
  sha256File, workDifference, workloadCommand, type Contender, type Paths,
} from './contenders.js';
import { runJson } from './exec.js';
import { between, reading, verdict } from './noise.js';
import { type Config, schedule } from './plan.js';
import { PRESETS, headlineConfigs, resolveAllocConfigs, resolveConfigs } from './presets.js';
import { deriveSeed, mulberry32, newSeed } from './prng.js';
import { fmtRatio, fmtUs, markdown } from './report-md.js';
import { svg } from './report-svg.js';
import type { ContenderStatus, Headline, Results } from './results.js';
import { allocSummaries, compare, configKey, memoryAtLoad, summarize } from './stats.js';
import { exitCode, failures } from './status.js';
import { load, machine } from './sysinfo.js';
import type { AllocLine, AllocSample, Load, Sample, WorkloadLine } from './types.js';
import { ALL_WORKLOADS, MIN_WARMUP_OPS, WARMUP_OPS } from './workloads.js';

const WINDOW_MS = 100;
const STABLE_PCT = 5;

const USAGE = `usage: node main.js [--preset=${Object.keys(PRESETS).join('|')}] [options]
  --runs=N  --duration=S  --warmup=S       override the preset (--warmup: warm-up time cap)
  --warmup-ops=N                           warm-up operations for every workload (>= ${MIN_WARMUP_OPS})
  --workloads=a,b  --concurrency=1,16      override the preset's configurations (cross product)
  --contenders=id,id                       run only these (others listed as skipped)
  --baseline=ID                            ratios against this (default: ${STOCK} once the
                                           binary has ${NO_CORO_FLAG}, else ${SUBJECT})
  --seed=N                                 seed of the shuffles and the bootstrap (default: random)
  --allow-missing=id,pat*                  do not fail when these contenders are missing
  --system-node                            add the machine's node, labelled NOT the fork
  --no-alloc                               skip allocation counts
  --alloc-concurrency=1,16,64              in-flight counts of the allocation runs
  --alloc-repeats=N  --alloc-ops=N         allocation runs per configuration, batch cap
  --latency                                add one latency-mode run per configuration
  --load-concurrency=64                    in-flight count for memory at load
  --tmpdir=DIR                             where the fixtures go (default: the preset's, else
                                           $TMPDIR or /tmp; fs-extra: /dev/shm)
  --bench-dir=DIR   --out=DIR   --tag=NAME
  --fork-node=PATH --system-node-path=PATH --bun=PATH --deno=PATH
  --floor=PATH --malloc-count=PATH
Exit status: 0 when every requested contender ran and every run succeeded; 1
otherwise (the causes are printed last and recorded in results.json); 2 for
bad arguments.
`;

function list(s: string | undefined): string[] | undefined {
  return s === undefined ? undefined : s.split(',').map((x) => x.trim()).filter((x) => x !== '');
}

function usageError(msg: string): never {
  process.stderr.write(`${msg}\n${USAGE}`);
  process.exit(2);
}

const { values: a } = parseArgs({
  options: {
    'preset': { type: 'string', default: 'quick' },
    'runs': { type: 'string' },
    'duration': { type: 'string' },
    'warmup': { type: 'string' },
    'warmup-ops': { type: 'string' },
    'workloads': { type: 'string' },
    'concurrency': { type: 'string' },
    'contenders': { type: 'string' },
    'baseline': { type: 'string' },
    'seed': { type: 'string' },
    'allow-missing': { type: 'string' },
    'system-node': { type: 'boolean', default: false },
    'no-alloc': { type: 'boolean', default: false },
    'alloc-concurrency': { type: 'string' },
    'alloc-repeats': { type: 'string' },
    'alloc-ops': { type: 'string' },
    'latency': { type: 'boolean', default: false },
    'load-concurrency': { type: 'string', default: '64' },
    'tmpdir': { type: 'string' },
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
if (!preset) usageError(`unknown preset ${a.preset}`);

const runs = Number(a.runs ?? preset.runs);
const duration = Number(a.duration ?? preset.duration);
const warmupMax = Number(a.warmup ?? preset.warmupMax);
const warmupOverride = a['warmup-ops'] === undefined ? null : Number(a['warmup-ops']);
if (warmupOverride !== null && !(warmupOverride >= MIN_WARMUP_OPS)) usageError(`--warmup-ops must be at least ${MIN_WARMUP_OPS}`);
if (!(runs >= 1) || !(duration > 0) || !(warmupMax > 0)) usageError('--runs, --duration and --warmup must be positive');
const workloadsArg = list(a.workloads);
const concurrencyArg = list(a.concurrency)?.map(Number);
const configs: Config[] = resolveConfigs(preset, workloadsArg, concurrencyArg);
const workloads = [...new Set(configs.map((c) => c.workload))];
const concurrency = [...new Set(configs.map((c) => c.concurrency))].sort((x, y) => x - y);
for (const w of workloads) {
  if (!ALL_WORKLOADS.includes(w)) usageError(`unknown workload ${w}`);
}
if (concurrency.some((k) => !(k >= 1))) usageError('in-flight counts must be >= 1');
const warmupOps: Record<string, number> = Object.fromEntries(workloads.map((w) => [w, warmupOverride ?? WARMUP_OPS[w] ?? 5000]));
const loadConcurrency = Number(a['load-concurrency']);
const allocRepeats = Number(a['alloc-repeats'] ?? preset.allocRepeats);
const allocOps = Number(a['alloc-ops'] ?? preset.allocOps);
const allocConcurrencyArg = list(a['alloc-concurrency'])?.map(Number);
if (allocConcurrencyArg?.some((k) => !(k >= 1))) usageError('--alloc-concurrency: in-flight counts must be >= 1');
const allocConfigs: Config[] = a['no-alloc'] ? [] : resolveAllocConfigs(preset, workloads, allocConcurrencyArg);
const allocConcurrency = [...new Set(allocConfigs.map((c) => c.concurrency))].sort((x, y) => x - y);
const seed = a.seed === undefined ? newSeed() : Number(a.seed) >>> 0;
const allowMissing = list(a['allow-missing']) ?? [];
const benchDir = path.resolve(a['bench-dir']);
// Fixtures: --tmpdir, else the preset's directory when it exists, else
// $TMPDIR or /tmp.
const presetTmp = preset.tmpdir !== null && existsSync(preset.tmpdir) ? preset.tmpdir : null;
const tmpdir = path.resolve(a.tmpdir ?? presetTmp ?? os.tmpdir());
if (a.tmpdir !== undefined && !existsSync(tmpdir)) usageError(`--tmpdir: ${tmpdir} does not exist`);

const paths: Paths = {
  forkNode: path.resolve(a['fork-node']),
  systemNode: a['system-node-path'],
  bun: path.resolve(a.bun ?? path.join(benchDir, 'node_modules/.bin/bun')),
  deno: path.resolve(a.deno ?? path.join(benchDir, 'node_modules/.bin/deno')),
  floor: path.resolve(a.floor),
  mallocCount: path.resolve(a['malloc-count']),
  workloadScript: path.join(benchDir, 'workload/fs-workload.mjs'),
  allocScript: path.join(benchDir, 'workload/alloc.mjs'),
  probeScript: path.join(benchDir, 'workload/probe.mjs'),
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

function log(s: string): void {
  process.stderr.write(`${s}\n`);
}

// Child environment: no NODE_OPTIONS leaking in from the caller; the same
// thread-pool size for every runtime that honours one.
const childEnv: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmpdir, UV_THREADPOOL_SIZE: THREADPOOL_SIZE };
delete childEnv['NODE_OPTIONS'];

const all = contenders(paths, {
  systemNode: a['system-node'],
  systemNodeVersion: a['system-node'] ? versionOf(paths.systemNode) : '',
});
const only = list(a.contenders);
for (const id of only ?? []) {
  if (!all.some((c) => c.id === id)) usageError(`unknown contender ${id} (known: ${all.map((c) => c.id).join(', ')})`);
}
const inPreset = (id: string) => preset.contenders === null || preset.contenders.includes(id) || id.startsWith('sysnode-');
const statuses: ContenderStatus[] = all.map((c) => {
  const requested = only ? only.includes(c.id) : inPreset(c.id);
  let p = requested
    ? probe(c, paths, childEnv)
    : { state: 'skipped' as const, detail: only ? 'skipped: not in --contenders' : `skipped: not in the ${a.preset} preset`,
      versions: null, exec_argv: null, exec_path: null, sha256: null, binary_mtime: null };
  // Asked for by name: a contender waiting for a feature is missing.
  if (p.state === 'unavailable' && only?.includes(c.id)) p = { ...p, state: 'missing' };
  return {
    id: c.id, label: c.label, runtime: c.runtime, api: c.api, binary: c.binary, flags: c.flags,
    fork: c.fork, available: p.state === 'ok', state: p.state, detail: p.detail, pair_with: c.pairWith,
    pool: c.pool, versions: p.versions, exec_argv: p.exec_argv, exec_path: p.exec_path, sha256: p.sha256,
    binary_mtime: p.binary_mtime,
    differences: c.differences.map((d) => ({ workload: d.workload.source, note: d.note })),
  };
});
const statusOf = (id: string) => statuses.find((s) => s.id === id);
const available = all.filter((_, i) => statuses[i]?.available === true);
const isAvailable = (id: string) => available.some((c) => c.id === id);

// Until the binary has --no-fs-coro, fork-promises measures the stock path.
const subjectStatus = statusOf(SUBJECT);
const stockStatus = statusOf(STOCK);
if (subjectStatus?.available && stockStatus?.state === 'unavailable') {
  subjectStatus.detail += ` — measures the stock path: ${stockStatus.detail.replace(/^not available: /, '')}, so there is no fast path yet`;
}

// The baseline: as requested; by default the stock path once it exists,
// else fork-promises; else the system node's promises as a labelled stand-in.
const requestedBaseline = a.baseline ?? (isAvailable(STOCK) ? STOCK : SUBJECT);
let baseline: string | null = requestedBaseline;
let baselineNote: string | null = a.baseline === undefined && !isAvailable(STOCK)
  ? `${STOCK} ${stockStatus?.state === 'unavailable' ? 'is not available (the binary has no --no-fs-coro)' : 'did not run'}, so the baseline is ${SUBJECT}`
  : null;
if (!isAvailable(baseline)) {
  const missing = statusOf(baseline);
  const stand = available.find((c) => c.id === 'sysnode-promises');
  baselineNote = `${requestedBaseline} is not available (${missing?.detail ?? 'unknown contender'})`;
  baseline = stand ? stand.id : null;
  if (stand) baselineNote += `; ${stand.id} stands in`;
}
const subject = isAvailable(SUBJECT) ? SUBJECT : isAvailable('sysnode-promises') ? 'sysnode-promises' : null;
const forkPresent = subjectStatus?.available === true;
const sysnode = statuses.find((s) => s.id === 'sysnode-promises' && s.available);
const standIn = forkPresent
  ? null
  : sysnode
    ? `Produced with the system node (${sysnode.detail}) as a stand-in: NOT the fork. Fork binary missing: ${subjectStatus?.detail ?? 'unknown'}.`
    : `The fork binary is missing (${subjectStatus?.detail ?? 'unknown'}): no fork figures in this run.`;

const startedAt = new Date();
const stamp = startedAt.toISOString().replace(/:\d\d\.\d+Z$/, 'Z').replace(/[:]/g, '');
const tag = a.tag ?? (forkPresent ? 'fork' : sysnode ? `system-node-${sysnode.detail.split('.')[0]}` : 'no-fork');
const outDir = path.resolve(a.out ?? path.join(benchDir, 'results'), `${stamp}-${a.preset}-${tag}`);

// Every planned configuration with the reason it has no figures, if any.
const planned: { contender: string; workload: string; concurrency: number }[] = [];
const notes = new Map<string, string>();
for (const { workload: w, concurrency: k } of configs) {
  for (const [i, c] of all.entries()) {
    const st = statuses[i] as ContenderStatus;
    if (st.state === 'skipped') continue;
    planned.push({ contender: c.id, workload: w, concurrency: k });
    const na = notApplicable(c, w, k);
    if (!st.available) notes.set(configKey(c.id, w, k), st.state === 'missing' ? `missing: ${st.detail}` : st.detail);
    else if (na) notes.set(configKey(c.id, w, k), na);
  }
}

const timeoutMs = (duration + warmupMax) * 1000 + 60_000;
const samples: Sample[] = [];
const allocs: AllocSample[] = [];
let loadMax: Load = load();
const loadStart = loadMax;

function noteLoad(l: Load): void {
  loadMax = {
    loadavg1: Math.max(loadMax.loadavg1, l.loadavg1),
    build_processes: Math.max(loadMax.build_processes, l.build_processes),
  };
}

const byId = new Map(all.map((c) => [c.id, c]));
const pairOf = (id: string) => byId.get(id)?.pairWith ?? null;
const applies = (c: Config) => available.filter((x) => notApplicable(x, c.workload, c.concurrency) === null).map((x) => x.id);

async function child(argv: string[], env: NodeJS.ProcessEnv, ms: number) {
  const l = load();
  noteLoad(l);
  const r0 = reading();
  const res = await runJson(argv, env, ms);
  const noise = between(r0, reading());
  return { ...res, load: l, noise };
}

const jobs: { label: string; run: () => Promise<void> }[] = [];
const timedPlan = schedule(configs, runs, applies, pairOf, mulberry32(deriveSeed(seed, 'timed')));
for (const p of timedPlan) {
  const c = byId.get(p.contender) as Contender;
  jobs.push({
    label: `${c.id} ${p.workload} @${p.concurrency} run ${p.run}`,
    run: async () => {
      const argv = workloadCommand(c, paths, [`--workload=${p.workload}`, `--concurrency=${p.concurrency}`,
        `--duration=${duration}`, `--warmup-ops=${warmupOps[p.workload]}`, `--warmup-max=${warmupMax}`,
        `--window-ms=${WINDOW_MS}`, `--stable-pct=${STABLE_PCT}`, `--tmpdir=${tmpdir}`]);
      const r = await child(argv, childEnv, timeoutMs);
      const result = r.line as WorkloadLine | null;
      samples.push({ contender: c.id, workload: p.workload, concurrency: p.concurrency, run: p.run, phase: 'timed',
        block: p.block, position: p.position, load: r.load, noise: r.noise, result, error: r.error });
      log(`  ${c.id} ${p.workload} @${p.concurrency} run ${p.run}: ${result ? `${fmtUs(result.us_per_op)}/op (warm-up: ${result.warmup?.ended_by ?? '?'})` : `FAILED ${r.error ?? ''}`}` +
        (result?.pool ? `; ${result.pool.used} of ${result.pool.ready} fresh fixtures used${result.pool.ended_early ? ', ran out: the timed phase ended early' : ''}` : ''));
    },
  });
}

if (a.latency) {
  const latPlan = schedule(configs, 1, applies, pairOf, mulberry32(deriveSeed(seed, 'latency')));
  for (const p of latPlan) {
    const c = byId.get(p.contender) as Contender;
    jobs.push({
      label: `${c.id} ${p.workload} @${p.concurrency} latency`,
      run: async () => {
        const argv = workloadCommand(c, paths, [`--workload=${p.workload}`, `--concurrency=${p.concurrency}`,
          `--duration=${duration}`, `--warmup-ops=${warmupOps[p.workload]}`, `--warmup-max=${warmupMax}`,
          `--tmpdir=${tmpdir}`, '--mode=latency']);
        const r = await child(argv, childEnv, timeoutMs);
        const result = r.line as WorkloadLine | null;
        samples.push({ contender: c.id, workload: p.workload, concurrency: p.concurrency, run: 1, phase: 'latency',
          block: p.block, position: p.position, load: r.load, noise: r.noise, result, error: r.error });
        log(`  latency ${c.id} ${p.workload} @${p.concurrency}: ${result?.latency_us ? `p50 ${fmtUs(result.latency_us.p50)}, p99 ${fmtUs(result.latency_us.p99)}` : `FAILED ${r.error ?? ''}`}`);
      },
    });
  }
}

// Allocation counts: every repeat is a block per configuration, shuffled;
// Node contenders also run the noop workload at each in-flight count.
const allocAvailable = available.filter((x) => x.allocs);
const allocIds = new Set(allocAvailable.map((x) => x.id));
const allocPlanConfigs: Config[] = [
  ...allocConcurrency.map((concurrency) => ({ workload: 'noop', concurrency })),
  ...allocConfigs,
];
const allocApplies = (c: Config) => allocAvailable
  .filter((x) => notApplicable(x, c.workload, c.concurrency) === null && !(c.workload === 'noop' && x.runtime === 'floor'))
  .map((x) => x.id);
const allocPlan = schedule(allocPlanConfigs, allocRepeats, allocApplies, pairOf, mulberry32(deriveSeed(seed, 'alloc')));
for (const p of allocPlan) {
  const c = byId.get(p.contender) as Contender;
  jobs.push({
    label: `alloc ${c.id} ${p.workload} @${p.concurrency} repeat ${p.run}`,
    run: async () => {
      const countFile = path.join(tmpdir, `malloc-count-${process.pid}-${allocs.length}.txt`);
      rmSync(countFile, { force: true });
      const env: NodeJS.ProcessEnv = { ...childEnv };
      if (existsSync(paths.mallocCount)) {
        env['LD_PRELOAD'] = paths.mallocCount;
        env['MALLOC_COUNT_OUT'] = countFile;
      }
      const args = [`--workload=${p.workload}`, `--concurrency=${p.concurrency}`, `--tmpdir=${tmpdir}`];
      if (c.runtime === 'floor') {
        args.push(`--alloc-ops=${allocOps}`, `--warmup-ops=${warmupOps[p.workload] ?? 5000}`, `--warmup-max=${preset.allocWarmup}`);
      } else {
        args.push(`--ops=${allocOps}`, `--warmup=${preset.allocWarmup}`);
      }
      const r = await child(allocCommand(c, paths, args), env, 120_000);
      rmSync(countFile, { force: true });
      const result = r.line as AllocLine | null;
      allocs.push({ contender: c.id, workload: p.workload, concurrency: p.concurrency, repeat: p.run,
        load: r.load, noise: r.noise, result, error: r.error });
      log(`  alloc ${c.id} ${p.workload} @${p.concurrency} #${p.run}: ${result ? `heap ${result.heap_bytes_per_op?.toFixed(0) ?? '—'} B/op, ${result.mallocs_per_op?.toFixed(2) ?? '—'} mallocs/op` : `FAILED ${r.error ?? ''}`}`);
    },
  });
}

log(`fs benchmark, preset ${a.preset}, seed ${seed}: ${jobs.length} processes; ` +
  `${available.length} of ${all.length} contenders available`);
for (const s of statuses) {
  const tagFor = { ok: 'ok           ', missing: 'MISSING      ', unavailable: 'not available', skipped: 'SKIPPED      ' }[s.state];
  log(`  ${tagFor} ${s.id}: ${s.detail}`);
}
if (standIn) log(`  NOTE: ${standIn}`);
if (baselineNote) log(`  baseline: ${baselineNote}`);
for (const [i, job] of jobs.entries()) {
  if (i % 20 === 0) log(`[${i + 1}/${jobs.length}]`);
  await job.run();
}

const loadEnd = load();
noteLoad(loadEnd);
const finishedAt = new Date();
const summaries = summarize(samples, planned, notes, baseline, seed);

// The headline: the subject against each reference, per headline configuration.
const headline: Headline[] = [];
if (subject !== null) {
  const callback = subject === SUBJECT ? 'fork-callback' : 'sysnode-callback';
  const roles: { role: string; other: string; kind: 'speed' | 'floor' }[] = [
    { role: 'stock path', other: STOCK, kind: 'speed' },
    { role: 'callback API', other: callback, kind: 'speed' },
    { role: 'Bun', other: 'bun-promises', kind: 'speed' },
    { role: 'Deno', other: 'deno-promises', kind: 'speed' },
    { role: 'libuv floor', other: 'floor', kind: 'floor' },
    { role: 'one-hop reference', other: 'one-hop-ref', kind: 'floor' },
  ];
  // A preset that names its contenders shows only their roles (unless
  // --contenders asked for others); fs-extra: the stock path alone.
  const shownRoles = roles.filter((r) => only !== undefined || inPreset(r.other));
  for (const h of headlineConfigs(preset, configs)) {
    headline.push({
      ...h, subject,
      rows: shownRoles.map((r) => {
        const st = statusOf(r.other);
        const c = byId.get(r.other);
        const na = c && st?.available ? notApplicable(c, h.workload, h.concurrency) : null;
        const note = !st || !st.available ? `${st?.state === 'skipped' ? 'skipped' : 'not available'}: ${st?.detail.replace(/^(skipped|not available): /, '') ?? 'unknown contender'}`
          : na ?? (c && workDifference(c, h.workload) ? `not the same work: ${workDifference(c, h.workload)}` : null);
        const comparison = st?.available ? compare(samples, h.workload, h.concurrency, subject, r.other, seed) : null;
        return { ...r, note, comparison };
      }),
    });
  }
}

// A binary rebuilt during the run makes its figures a mix: check the hashes again.
const changed: string[] = [];
const rehashed = new Map<string, string>();
for (const st of statuses) {
  if (!st.available || !st.exec_path || !st.sha256) continue;
  let now = rehashed.get(st.exec_path);
  if (now === undefined) {
    try {
      now = sha256File(st.exec_path, true);
    } catch (e) {
      now = `unreadable (${(e as Error).message})`;
    }
    rehashed.set(st.exec_path, now);
  }
  if (now !== st.sha256) {
    changed.push(`the binary of ${st.id} changed during the run: ${st.exec_path} sha256 ${st.sha256.slice(0, 16)} at the start, ${now.slice(0, 16)} at the end`);
  }
}

const timedNoise = samples.filter((s) => s.phase === 'timed').map((s) => s.noise);
const noise = verdict(timedNoise);
const fails = [...changed, ...failures(statuses, samples, allocs, allowMissing)];
const results: Results = {
  schema: 2,
  preset: a.preset,
  title: `node-coro fs benchmark (${a.preset}), ${startedAt.toISOString().slice(0, 10)}` +
    (forkPresent ? '' : ' — NOT the fork'),
  stand_in: standIn,
  started_at: startedAt.toISOString(),
  finished_at: finishedAt.toISOString(),
  duration_s: (finishedAt.getTime() - startedAt.getTime()) / 1000,
  machine: machine(tmpdir, THREADPOOL_SIZE),
  source: {
    repo_commit: gitHead(path.dirname(benchDir)),
    fork_commit: existsSync(paths.forkNode) ? gitHead(path.resolve(paths.forkNode, '../../..')) : null,
  },
  seed,
  conditions: {
    load_start: loadStart,
    load_end: loadEnd,
    loadavg1_max: loadMax.loadavg1,
    build_processes_max: loadMax.build_processes,
    noise,
    noisy: noise.noisy,
  },
  settings: {
    runs, duration_s: duration,
    warmup: { ops: warmupOps, max_s: warmupMax, window_ms: WINDOW_MS, stable_pct: STABLE_PCT },
    workloads, concurrency, configs,
    load_concurrency: loadConcurrency,
    alloc_workloads: [...new Set(allocConfigs.map((c) => c.workload))],
    alloc_concurrency: allocConcurrency,
    alloc_ops: allocOps,
    alloc_repeats: allocConfigs.length ? allocRepeats : 0,
    latency: a.latency,
    uv_threadpool_size: THREADPOOL_SIZE,
    allow_missing: allowMissing,
  },
  baseline: { requested: requestedBaseline, used: baseline, note: baselineNote },
  subject,
  contenders: statuses,
  summaries,
  headline,
  memory_at_load: memoryAtLoad(samples, loadConcurrency),
  alloc_summaries: allocSummaries(allocs, new Set(all.filter((c) => c.runtime === 'floor' && allocIds.has(c.id)).map((c) => c.id))),
  allocs,
  samples,
  failures: fails,
  exit_code: exitCode(fails),
};

mkdirSync(outDir, { recursive: true });
writeFileSync(path.join(outDir, 'results.json'), `${JSON.stringify(results, null, 1)}\n`);
writeFileSync(path.join(outDir, 'report.md'), markdown(results));
writeFileSync(path.join(outDir, 'chart.svg'), svg(results));

// A short console table: us/op and ratio per configuration.
process.stdout.write(`\n${results.title}\n`);
if (standIn) process.stdout.write(`${standIn}\n`);
for (const s of summaries) {
  if (s.us_per_op_median === null && s.note && !s.note.startsWith('failed')) continue;
  process.stdout.write(`${s.contender.padEnd(22)} ${s.workload.padEnd(20)} @${String(s.concurrency).padEnd(3)} ` +
    `${fmtUs(s.us_per_op_median).padStart(10)} ${s.spread_pct === null ? '' : `±${s.spread_pct.toFixed(0)}%`.padStart(5)} ` +
    `${fmtRatio(s.speed_vs_baseline).padStart(7)}${s.note ? `  ${s.note}` : ''}\n`);
}
for (const s of statuses.filter((x) => !x.available)) {
  process.stdout.write(`${{ ok: 'ok', missing: 'MISSING', unavailable: 'not available', skipped: 'SKIPPED' }[s.state]} ${s.id}: ${s.detail}\n`);
}
process.stdout.write(`noise: others used ${noise.other_cores_avg.toFixed(3)} cores on average during the timed runs ` +
  `(${noise.disturbed} of ${noise.runs} runs above 0.1): ${noise.noisy ? 'NOISY' : 'not noisy by that measure'}\n`);
process.stdout.write(`\nwrote ${path.relative(process.cwd(), outDir)}/{results.json,report.md,chart.svg} in ${Math.round(results.duration_s)} s\n`);
if (fails.length) {
  process.stderr.write(`\nFAILED (exit ${results.exit_code}):\n${fails.map((f) => `  ${f}`).join('\n')}\n`);
}
process.exitCode = results.exit_code;
