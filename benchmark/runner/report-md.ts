// The Markdown report: failures first, conditions, the headline tables with
// intervals, the claims they support, contenders, what the floors are, time
// and CPU per operation, allocations per operation, memory at load, warm-up,
// noise and latency.

import { deriveSeed, mulberry32 } from './prng.js';
import type { ContenderStatus, Headline, Results } from './results.js';
import { MIN_RUNS_FOR_CLAIM, bootstrapMedian, median } from './stats.js';
import type { AllocSummary, Comparison, Interval, Spread, Summary, WorkloadLine } from './types.js';

export function fmtUs(us: number | null | undefined): string {
  if (us === null || us === undefined) return '—';
  const a = Math.abs(us);
  if (a >= 1000) return `${(us / 1000).toFixed(2)} ms`;
  if (a >= 100) return `${us.toFixed(0)} µs`;
  if (a >= 10) return `${us.toFixed(1)} µs`;
  return `${us.toFixed(2)} µs`;
}

export function fmtRatio(r: number | null | undefined): string {
  if (r === null || r === undefined) return '—';
  return `×${r >= 10 ? r.toFixed(1) : r.toFixed(2)}`;
}

function num(r: number): string {
  return r >= 10 ? r.toFixed(1) : r.toFixed(2);
}

/** `×1.23 [1.10, 1.40]`: median ratio and its 95% interval. */
export function fmtRatioCI(iv: Interval | null | undefined): string {
  if (!iv) return '—';
  return `×${num(iv.median)} [${num(iv.lo)}, ${num(iv.hi)}]`;
}

function signedUs(us: number): string {
  return `${us >= 0 ? '+' : '−'}${fmtUs(Math.abs(us))}`;
}

/** `+40.1 µs [38.0 µs, 42.2 µs]`. */
export function fmtDiffCI(iv: Interval | null | undefined): string {
  if (!iv) return '—';
  return `${signedUs(iv.median)} [${signedUs(iv.lo)}, ${signedUs(iv.hi)}]`;
}

function fmtNum(n: number | null | undefined, digits = 1): string {
  return n === null || n === undefined ? '—' : n.toFixed(digits);
}

function fmtMiB(n: number | null): string {
  return n === null ? '—' : (n / 2 ** 20).toFixed(1);
}

/** `1725 (1700–1750)`: median over the repeats and the range. */
export function fmtSpread(s: Spread | null | undefined, digits = 0): string {
  if (!s) return '—';
  return s.n > 1 ? `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})` : s.median.toFixed(digits);
}

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

const DIFF_MARK = '‡';

function cell(s: Summary | undefined, marked: boolean): string {
  if (!s) return '—';
  if (s.us_per_op_median === null) return s.note ?? 'no result';
  const spread = s.spread_pct === null ? '' : ` ±${s.spread_pct.toFixed(0)}%`;
  const ratio = s.speed_vs_baseline === null ? '' : ` (${fmtRatio(s.speed_vs_baseline)})`;
  return `${fmtUs(s.us_per_op_median)}${spread}${ratio}${marked ? ` ${DIFF_MARK}` : ''}`;
}

function differs(c: ContenderStatus | undefined, workload: string): string | null {
  return c?.differences.find((d) => new RegExp(d.workload).test(workload))?.note ?? null;
}

function nMark(iv: Interval | null | undefined): string {
  return iv && iv.n < MIN_RUNS_FOR_CLAIM ? ` (n=${iv.n})` : '';
}

/** The subject's own time per operation, with its interval over the runs. */
function subjectTime(r: Results, w: string, k: number, cpu: boolean): Interval | null {
  const xs = r.samples.flatMap((s) => (s.phase === 'timed' && s.result && s.contender === r.subject && s.workload === w && s.concurrency === k
    ? [cpu ? s.result.cpu_us_per_op : s.result.us_per_op] : []));
  return bootstrapMedian(xs, mulberry32(deriveSeed(r.seed, `subject|${w}|${k}|${cpu ? 'cpu' : 'wall'}`)));
}

function allocOf(r: Results, c: string | null, w: string, k: number): AllocSummary | undefined {
  return r.alloc_summaries.find((x) => x.contender === c && x.workload === w && x.concurrency === k);
}

/** `1521 (raw 1776, 1768–1784 over 3)`: the net figure, then the raw median and range. */
function netCell(net: number | null, raw: Spread | null, digits: number): string {
  if (!raw) return '—';
  const range = raw.n > 1 ? `, ${raw.min.toFixed(digits)}–${raw.max.toFixed(digits)} over ${raw.n}` : '';
  return `${fmtNum(net, digits)} (raw ${raw.median.toFixed(digits)}${range})`;
}

function headlineRowCells(row: Headline['rows'][number], metric: 'wall' | 'cpu'): string {
  if (row.note && !row.note.startsWith('not the same work')) return row.note;
  const c: Comparison | null = row.comparison;
  const m = c?.[metric];
  if (!c || !m) return 'no paired runs';
  const mark = row.note ? ` ${DIFF_MARK}` : '';
  if (row.kind === 'speed') return `${fmtRatioCI(m.speed)}${nMark(m.speed)}${mark}`;
  return `${fmtDiffCI(m.diff_us)}; ${fmtRatioCI(m.times)}${nMark(m.times)}${mark}`;
}

function headlineSection(r: Results): string[] {
  if (r.subject === null || r.headline.length === 0) return [];
  const subj = r.subject;
  const out: string[] = ['## Headline', '',
    `\`${subj}\` against each reference, per headline configuration. Every figure is the median over the runs ` +
      'of a per-run value, with its 95% bootstrap interval in brackets (percentile method, ' +
      `resampling the runs, seed ${r.seed}); runs are paired: both contenders ran in the same shuffled block. ` +
      `**Speed** = the other's time ÷ \`${subj}\`'s time: above ×1 \`${subj}\` is faster. ` +
      `**Distance to a floor** = \`${subj}\`'s time − the floor's, and \`${subj}\`'s time ÷ the floor's. ` +
      '**Wall** is elapsed time per operation, **CPU** is CPU time of the whole process (every thread) per operation. ' +
      `Allocations: median over the repeats (range), net of the \`noop\` driver loop at the same in-flight count. ` +
      `${DIFF_MARK} marks a comparison that is not the same work (see "Work differences").`, ''];
  const byWorkload = new Map<string, Headline[]>();
  for (const h of r.headline) byWorkload.set(h.workload, [...(byWorkload.get(h.workload) ?? []), h]);
  for (const [w, hs] of byWorkload) {
    out.push(`### ${w}`, '');
    const head = ['', ...hs.map((h) => `${h.concurrency} in flight`)];
    const rows: string[][] = [];
    rows.push([`\`${subj}\` wall µs/op`, ...hs.map((h) => {
      const iv = subjectTime(r, w, h.concurrency, false);
      return iv ? `${fmtUs(iv.median)} [${fmtUs(iv.lo)}, ${fmtUs(iv.hi)}]` : '—';
    })]);
    rows.push([`\`${subj}\` CPU µs/op`, ...hs.map((h) => {
      const iv = subjectTime(r, w, h.concurrency, true);
      return iv ? `${fmtUs(iv.median)} [${fmtUs(iv.lo)}, ${fmtUs(iv.hi)}]` : '—';
    })]);
    const roles = (hs[0] as Headline).rows;
    roles.forEach((role, i) => {
      const what = role.kind === 'speed' ? `speed vs ${role.role} (\`${role.other}\`)` : `distance to ${role.role} (\`${role.other}\`)`;
      for (const metric of ['wall', 'cpu'] as const) {
        rows.push([`${what}, ${metric === 'wall' ? 'wall' : 'CPU'}`, ...hs.map((h) => headlineRowCells(h.rows[i] as Headline['rows'][number], metric))]);
      }
    });
    rows.push(['V8 heap B/op, net of noop', ...hs.map((h) => {
      const x = allocOf(r, subj, w, h.concurrency);
      return x ? netCell(x.net_heap_bytes_per_op, x.heap_bytes_per_op, 0) : 'not counted in this run';
    })]);
    rows.push(['mallocs/op, net of noop', ...hs.map((h) => {
      const x = allocOf(r, subj, w, h.concurrency);
      return x ? netCell(x.net_mallocs_per_op, x.mallocs_per_op, 1) : 'not counted in this run';
    })]);
    out.push(table(head, rows), '');
  }
  return out;
}

function floor2(x: number): string {
  return (Math.floor(x * 100) / 100).toFixed(2);
}

function ceil2(x: number): string {
  return (Math.ceil(x * 100) / 100).toFixed(2);
}

/**
 * What the intervals support. "At least ×N" holds when the interval's lower
 * bound is at least N; only intervals over MIN_RUNS_FOR_CLAIM or more paired
 * runs support anything.
 */
export function claims(r: Results): string[] {
  if (r.subject === null || r.headline.length === 0) return [];
  const out: string[] = ['## Claims this run supports', '',
    `A claim "at least ×N" holds when the 95% interval's lower bound is at least N. Only intervals over ` +
      `${MIN_RUNS_FOR_CLAIM} or more paired runs count (\`make bench-proof\` runs enough).`, ''];
  const lines: string[] = [];
  let short = 0;
  for (const h of r.headline) {
    for (const row of h.rows) {
      if (row.note && !row.note.startsWith('not the same work')) continue;
      for (const metric of ['wall', 'cpu'] as const) {
        const m = row.comparison?.[metric];
        if (!m) continue;
        const iv = row.kind === 'speed' ? m.speed : m.times;
        if (iv.n < MIN_RUNS_FOR_CLAIM) {
          short++;
          continue;
        }
        const where = `\`${h.workload}\` @${h.concurrency}, ${metric === 'wall' ? 'wall' : 'CPU'} time`;
        const diff = row.note ? ` ${DIFF_MARK} (not the same work)` : '';
        if (row.kind === 'speed') {
          const claim = iv.lo >= 1
            ? `at least ×${floor2(iv.lo)} as fast as ${row.role}`
            : iv.hi < 1
              ? `slower than ${row.role}: at most ×${ceil2(iv.hi)} of its speed`
              : `no difference from ${row.role} shown (the interval spans ×1)`;
          lines.push(`- ${where}: \`${h.subject}\` is ${claim} — ${fmtRatioCI(iv)}, n=${iv.n}${diff}.`);
        } else {
          lines.push(`- ${where}: \`${h.subject}\` takes at most ×${ceil2(iv.hi)} the time of the ${row.role} ` +
            `(at least ×${floor2(iv.lo)}) — ${fmtRatioCI(iv)}, n=${iv.n}.`);
        }
      }
    }
  }
  if (lines.length === 0) {
    out.push(`No claims: ${short ? `the intervals rest on fewer than ${MIN_RUNS_FOR_CLAIM} paired runs (this run: ${r.settings.runs})` : 'no paired runs'}.`, '');
  } else {
    out.push(...lines, '');
  }
  return out;
}

const FLOORS_TEXT = [
  '## What the floors are and are not', '',
  '- `floor` (`floor/uv-floor.c --hops=each`): the same system calls through libuv\'s thread pool, one `uv_fs_*` ' +
    'request per call, chained from the callbacks, as Node structures them (readFile = open, fstat, read, close: four ' +
    'pool round trips), with no JavaScript, bindings or promises. It is the floor of *that structure*: what Node\'s ' +
    'current shape pays for the pool hops and the calls alone. It is **not** a lower bound for a design that makes ' +
    'fewer hops.',
  '- `one-hop-ref` (`--hops=one`): each whole operation is one `uv_queue_work` job doing the same POSIX calls ' +
    '(readdir with scandir(3), as libuv does), one round trip per operation, roughly how Bun reads a small file. ' +
    'A **reference design, not a lower bound**: batching, io_uring, or plain synchronous calls on the loop thread ' +
    '(`fork-sync` at 1 in flight) can go below it.',
  '- Both floors free each buffer on the loop thread, decode utf-8 results there (validate and copy, as V8 builds ' +
    'a one-byte string; the string buffer is reused, so V8\'s heap allocation is not modelled), and walk every ' +
    'readdir name. Both pin glibc\'s trim and mmap thresholds (`--malloc=tuned`): with glibc\'s defaults, buffers ' +
    'malloc\'d on a pool thread and freed on the loop thread made glibc return the pool thread\'s arena memory to ' +
    'the kernel and fault it back in (about 10 minor faults per 64 KiB readFile, over 100 per 1 MiB one), which is why ' +
    'the one-hop design used to lose to the callback API at 64 KiB and 1 MiB. The minor-fault column of the CPU ' +
    'table shows each contender\'s.',
  '- Neither floor counts what a runtime must add on top: creating the result object, scheduling the JavaScript ' +
    'continuation, the garbage collector. A distance to a floor is an upper bound on what removing overhead can win ' +
    'for that structure, not a target any runtime can reach.', '',
];

/**
 * Workloads that consume a fresh fixture per operation (rm-tree): how many
 * were made before each timed phase, outside the clock, and how many it used.
 */
export function freshFixtures(r: Results, label: ReadonlyMap<string, string>): string[] {
  const groups = new Map<string, NonNullable<WorkloadLine['pool']>[]>();
  for (const s of r.samples) {
    const p = s.phase === 'timed' ? s.result?.pool : undefined;
    if (!p) continue;
    const k = `${s.contender}|${s.workload}|${s.concurrency}`;
    groups.set(k, [...(groups.get(k) ?? []), p]);
  }
  if (groups.size === 0) return [];
  const med = (xs: number[]) => median(xs) ?? 0;
  const order = new Map(r.contenders.map((x, i) => [x.id, i]));
  const rows = [...groups].map(([k, ps]) => ({ k, ps, parts: k.split('|') as [string, string, string] }))
    .sort((x, y) => (x.parts[1] < y.parts[1] ? -1 : x.parts[1] > y.parts[1] ? 1 : 0) ||
      Number(x.parts[2]) - Number(y.parts[2]) || (order.get(x.parts[0]) ?? 0) - (order.get(y.parts[0]) ?? 0));
  return ['## Fresh fixtures', '',
    'Workloads whose every operation consumes a fresh fixture (rm-tree: a tree to remove) get them made with ' +
      'synchronous calls before the warm-up and again before the timed phase, never inside it: enough for twice what ' +
      'the warm-up\'s rate would use in the timed phase. Should they run out, the timed phase ends there, early; its ' +
      'figures stay operations ÷ elapsed time. Medians over the runs.', '',
    table(['contender', 'workload @in flight', 'ready', 'used', 'made in (s, not timed)', 'runs that ran out'],
      rows.map(({ ps, parts: [c, w, n] }) => [label.get(c) ?? c, `${w} @${n}`, med(ps.map((p) => p.ready)).toFixed(0),
        med(ps.map((p) => p.used)).toFixed(0), med(ps.map((p) => p.made_s)).toFixed(2),
        `${ps.filter((p) => p.ended_early).length} of ${ps.length}`])), ''];
}

export function markdown(r: Results): string {
  const out: string[] = [];
  const m = r.machine;
  const c = r.conditions;
  const nz = c.noise;
  const label = new Map(r.contenders.map((x) => [x.id, x.label]));
  const status = new Map(r.contenders.map((x) => [x.id, x]));
  const present = r.contenders.filter((x) => x.available);
  const shown = r.contenders.filter((x) => x.state !== 'skipped');
  const find = (id: string, w: string, k: number) =>
    r.summaries.find((s) => s.contender === id && s.workload === w && s.concurrency === k);
  const configs = r.settings.configs;

  out.push(`# ${r.title}`, '');
  if (r.stand_in) out.push(`> **${r.stand_in}**`, '');
  if (r.failures.length) {
    out.push(`> **This run FAILED (exit ${r.exit_code}):**`, ...r.failures.map((f) => `> - ${f}`), '');
  }
  const binaries = new Map<string, string[]>();
  for (const x of present) {
    if (x.sha256) binaries.set(`${x.exec_path ?? x.binary} sha256 ${x.sha256.slice(0, 16)}`, [...(binaries.get(`${x.exec_path ?? x.binary} sha256 ${x.sha256.slice(0, 16)}`) ?? []), x.id]);
  }
  out.push(
    `- Date: ${r.started_at} (took ${Math.round(r.duration_s)} s), preset \`${r.preset}\`: ` +
      `${r.settings.runs} runs of ${r.settings.duration_s} s per configuration, each in its own process, ` +
      `contenders in a freshly shuffled order in every block (seed ${r.seed}; pairs back to back).`,
    `- Warm-up: until ${Object.entries(r.settings.warmup.ops).map(([w, n]) => `${n} ops (${w})`).join(', ')}, ` +
      `or two consecutive ${r.settings.warmup.window_ms} ms windows within ${r.settings.warmup.stable_pct}%, ` +
      `or ${r.settings.warmup.max_s} s, whichever comes first (the same counts for every contender of a workload).`,
    `- Machine: ${m.nproc} cores (nproc), ${m.model}, ${m.memory_gib} GiB, ${m.os}, Linux ${m.kernel}; ` +
      `UV_THREADPOOL_SIZE=${m.uv_threadpool_size} for every child; fixtures in ${m.tmpdir}.`,
    `- Source: node-coro ${r.source.repo_commit ?? 'unknown'}` +
      (r.source.fork_commit ? `, fork tree ${r.source.fork_commit}` : '') + '. Binaries measured: ' +
      ([...binaries].map(([b, ids]) => `\`${b}\` (${ids.join(', ')})`).join('; ') || 'none') + '.',
    `- Noise: other processes used ${nz.other_cores_avg.toFixed(3)} cores on average during the ${nz.runs} timed runs ` +
      `(over ${nz.wall_s.toFixed(0)} s; at most ${nz.other_cores_max.toFixed(2)} in one run; ` +
      `${nz.disturbed} runs above 0.1 cores; hypervisor steal ${nz.steal_s.toFixed(1)} s; kernel threads, reported apart, ` +
      `${(nz.kernel_cpu_s ?? 0).toFixed(1)} s; per run the larger of /proc/stat's figure (${nz.other_cpu_s.toFixed(1)} s in all) ` +
      `and the per-process scan's (${typeof nz.others_scanned_cpu_s === 'number' ? `${nz.others_scanned_cpu_s.toFixed(1)} s` : 'unavailable'})). ` +
      (c.noisy ? `**Noisy** by this report's measure (${nz.rule}): treat small differences as noise.`
        : `Not noisy by this report's measure (${nz.rule}).`) +
      ` Load average ${c.load_start.loadavg1} at start, ${c.loadavg1_max} at most; build processes seen: up to ${c.build_processes_max}.`,
    `- Baseline for the ratios: ${r.baseline.used ? `\`${r.baseline.used}\` (${label.get(r.baseline.used) ?? ''})` : 'none available'}` +
      (r.baseline.note ? ` — ${r.baseline.note}` : '') + '.',
    '',
    ...headlineSection(r),
    ...claims(r),
    '## Contenders',
    '',
    table(['id', 'what', 'status', 'flags (probed with them)', 'thread pool'], r.contenders.map((x) => [
      `\`${x.id}\``, x.label,
      x.state === 'ok' ? `${x.detail}${x.sha256 ? `; sha256 ${x.sha256.slice(0, 12)}` : ''}`
        : x.state === 'missing' ? `**MISSING**: ${x.detail}` : x.detail,
      x.flags.length ? `\`${x.flags.join(' ')}\`` : '—',
      x.pool,
    ])),
    '',
    ...(shown.some((x) => x.runtime === 'floor') ? FLOORS_TEXT : []),
    '## Time per operation',
    '',
    'Median µs per operation over the runs (wall time ÷ operations completed, so at 16 or 64 in flight it is ' +
      'the amortized cost, not the latency), ±spread = (max − min) ÷ median, and in parentheses the speed ' +
      'relative to the baseline (baseline time ÷ this time: ×2.00 is twice as fast as the baseline). ' +
      'The timed phase reads the clock once per batch of operations (about 1 ms of work), not per operation.',
    '',
  );
  const diffNotes = new Map<string, string>();
  for (const w of r.settings.workloads) {
    const ks = configs.filter((x) => x.workload === w).map((x) => x.concurrency);
    out.push(`### ${w}`, '');
    out.push(table(
      ['contender', ...ks.map((k) => `${k} in flight`)],
      shown.map((x) => {
        const d = differs(status.get(x.id), w);
        if (d) diffNotes.set(`\`${x.id}\` in \`${w}\``, d);
        return [label.get(x.id) ?? x.id, ...ks.map((k) => cell(find(x.id, w, k), d !== null && find(x.id, w, k)?.us_per_op_median != null))];
      }),
    ));
    out.push('');
  }
  if (diffNotes.size) {
    out.push('### Work differences', '', `${DIFF_MARK} marks cells where a contender does not do the same work:`, '');
    for (const [where, note] of diffNotes) out.push(`- ${where}: ${note}`);
    out.push('');
  }

  const base = r.baseline.used;
  if (base) {
    out.push('## Ratios with intervals', '',
      `Speed relative to \`${base}\`: the median over paired runs of (baseline time ÷ contender time), with its 95% ` +
        `bootstrap interval; above ×1 is faster than the baseline.`, '');
    const others = present.filter((x) => x.id !== base);
    const rows = configs.map(({ workload: w, concurrency: k }) => [`${w} @${k}`, fmtUs(find(base, w, k)?.us_per_op_median),
      ...others.map((x) => { const s = find(x.id, w, k); return s?.speed_vs_baseline_ci ? `${fmtRatioCI(s.speed_vs_baseline_ci)}${nMark(s.speed_vs_baseline_ci)}` : '—'; })]);
    out.push(table(['workload @in flight', `${base} µs/op`, ...others.map((x) => `\`${x.id}\``)], rows), '');
  }

  out.push('## CPU time per operation', '',
    'Median CPU time (user + system, every thread of the process: main thread and thread pool) per operation ' +
      'over the timed phase, µs; then the median minor page faults per operation. CPU time is less sensitive than ' +
      'wall time to other work on the machine, and shows CPU a contender burns that a wall-clock figure at high ' +
      'concurrency hides.', '');
  const cpuRows = configs.map(({ workload: w, concurrency: k }) => [`${w} @${k}`,
    ...present.map((x) => { const s = find(x.id, w, k); return s?.cpu_us_per_op_median == null ? '—' : `${fmtUs(s.cpu_us_per_op_median)}; ${fmtNum(s.minflt_per_op_median, 2)} flt`; })]);
  out.push(table(['workload @in flight', ...present.map((x) => `\`${x.id}\``)], cpuRows), '');

  out.push('## Allocations per operation', '',
    `Each configuration counted ${r.settings.alloc_repeats} times (separate processes, shuffled); median (min–max) over ` +
      'the repeats. One batch of operations (about 0.3 s worth) after a warm-up, between a full GC and the end of the ' +
      'batch (workload/alloc.mjs, floor --alloc-ops). V8 heap bytes: growth of `used_heap_size` over a batch in which no GC ran ' +
      '(64 MiB semi-spaces; "—" if every try saw a GC). External: ArrayBuffer backing stores. ' +
      'mallocs: allocating libc calls on every thread (thread pool included), counted by the LD_PRELOAD ' +
      'library benchmark/malloc-count. frees: within the batch; frees after GC: from the batch\'s start to after two ' +
      'forced full GCs that follow it (what GC releases later). **Net** = the figure minus the same contender\'s ' +
      '`noop` run (the driver loop alone, an operation that does nothing) at the same in-flight count; the floors\' ' +
      'C loop allocates nothing, so theirs are net as they stand. Bun and Deno are not counted (no V8 heap for Bun; ' +
      'both use their own allocators).', '');
  const order = new Map(r.contenders.map((x, i) => [x.id, i]));
  const byConfig = <T extends { contender: string; workload: string; concurrency: number }>(xs: readonly T[]): T[] =>
    [...xs].sort((p, q) => (p.workload === q.workload ? 0 : p.workload === 'noop' ? -1 : q.workload === 'noop' ? 1 : p.workload < q.workload ? -1 : 1) ||
      p.concurrency - q.concurrency || (order.get(p.contender) ?? 0) - (order.get(q.contender) ?? 0));
  const allocRows = byConfig(r.alloc_summaries).map((x) => {
    const name = label.get(x.contender) ?? x.contender;
    if (x.repeats === 0) {
      const err = r.allocs.find((y) => y.contender === x.contender && y.workload === x.workload && y.concurrency === x.concurrency && y.error)?.error;
      return [name, x.workload, String(x.concurrency), `FAILED: ${err ?? 'no result'}`, '', '', '', '', '', '', '', ''];
    }
    return [name, x.workload, String(x.concurrency),
      fmtSpread(x.heap_bytes_per_op), fmtNum(x.net_heap_bytes_per_op, 0), fmtSpread(x.external_bytes_per_op),
      fmtSpread(x.mallocs_per_op, 2), fmtNum(x.net_mallocs_per_op, 2), fmtSpread(x.malloc_bytes_per_op),
      fmtSpread(x.frees_per_op, 2), fmtSpread(x.frees_after_gc_per_op, 2),
      `${fmtNum(x.batch_ops, 0)} ops × ${x.repeats}${x.failed ? ` (${x.failed} failed)` : ''}`];
  });
  out.push(table(['contender', 'workload', 'in flight', 'V8 heap B/op', 'net', 'external B/op', 'mallocs/op', 'net',
    'malloc B/op', 'frees/op', 'frees/op after GC', 'batch'], allocRows), '');

  out.push('## Memory at load', '',
    `RSS and V8 heap (\`process.memoryUsage()\`, sampled every 50 ms; the floor reads /proc/self/statm) ` +
      `during the timed runs at ${r.settings.load_concurrency} in flight: median over runs of each run's peak and average, MiB; ` +
      'threads: the most seen in /proc/self/task during any run (every thread: pool, JIT, GC...).', '');
  out.push(table(['contender', 'workload', 'RSS peak', 'RSS avg', 'heap used peak', 'heap used avg', 'threads', 'from'],
    byConfig(r.memory_at_load).map((x) => [label.get(x.contender) ?? x.contender, x.workload, fmtMiB(x.rss_max),
      fmtMiB(x.rss_avg), fmtMiB(x.heap_used_max), fmtMiB(x.heap_used_avg), fmtNum(x.threads_max, 0), x.source])), '');

  out.push('## Warm-up', '', 'How the timed runs\' warm-ups ended, per contender: after the fixed operation count (ops), ' +
    'two steady windows (stable), or the time cap (time-cap).', '');
  out.push(table(['contender', 'ops', 'stable', 'time-cap'], present.map((x) => {
    const n: Record<string, number> = {};
    for (const s of r.summaries.filter((y) => y.contender === x.id)) {
      for (const [k, v] of Object.entries(s.warmup_ended_by)) n[k] = (n[k] ?? 0) + v;
    }
    return [`\`${x.id}\``, String(n['ops'] ?? 0), String(n['stable'] ?? 0), String(n['time-cap'] ?? 0)];
  })), '');

  out.push(...freshFixtures(r, label));

  const timed = r.samples.filter((s) => s.phase === 'timed' && s.noise);
  const worst = [...timed].sort((x, y) => (y.noise?.other_cores ?? 0) - (x.noise?.other_cores ?? 0)).slice(0, 5);
  out.push('## Noise', '', `CPU time other processes used while each child ran: the machine's busy time ` +
    '(/proc/stat) minus this runner\'s own process tree (/proc/self/stat, children included) and minus kernel threads ' +
    '(reported apart: writeback and kworkers often work for the run itself); and, as a cross-check, the sum over every ' +
    'other process of its own CPU time (/proc/<pid>/stat); each run is judged by the larger. ' + nz.rule + '.', '');
  if (worst.length) {
    out.push('The five runs with the most other work:', '');
    out.push(table(['run', 'other cores (judged)', 'others CPU s, /proc/stat', 'others CPU s, per process', 'kernel threads CPU s', 'steal s'], worst.map((s) => [
      `${s.contender} ${s.workload} @${s.concurrency} run ${s.run}`, fmtNum(s.noise?.other_cores, 3),
      fmtNum(s.noise?.other_cpu_s, 2), fmtNum(s.noise?.others_scanned_cpu_s, 2), fmtNum(s.noise?.kernel_cpu_s, 2),
      fmtNum(s.noise?.steal_s, 2)])), '');
  }

  const lat = byConfig(r.samples.filter((s) => s.phase === 'latency'));
  if (lat.length) {
    out.push('## Latency (separate mode)', '', 'One run per configuration with every operation timed on its own ' +
      '(two clock reads per operation, included in the figures; not comparable with the throughput tables): ' +
      'percentiles of the time from starting an operation to its completion, queueing included.', '');
    out.push(table(['contender', 'workload @in flight', 'p50', 'p90', 'p99', 'p99.9', 'max', 'ops'], lat.map((s) => {
      const l = s.result?.latency_us;
      return [label.get(s.contender) ?? s.contender, `${s.workload} @${s.concurrency}`,
        ...(l ? [fmtUs(l.p50), fmtUs(l.p90), fmtUs(l.p99), fmtUs(l.p999), fmtUs(l.max), String(l.count)] : [s.error ?? 'no result', '', '', '', '', ''])];
    })), '');
  }

  const failed = r.summaries.filter((s) => s.failed > 0);
  if (failed.length) {
    out.push('## Failed runs', '');
    for (const s of failed) out.push(`- ${s.contender} ${s.workload} @${s.concurrency}: ${s.failed} failed (${s.note ?? ''})`);
    out.push('');
  }
  out.push('Chart: `chart.svg` beside this file (ops/s, log scale). Raw samples: `results.json`.', '');
  return out.join('\n');
}
