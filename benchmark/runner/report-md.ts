// The Markdown report: conditions, contenders, time per operation with
// spread and ratios, allocations per operation, memory at load.

import type { Results } from './results.js';
import type { Summary } from './types.js';

export function fmtUs(us: number | null): string {
  if (us === null) return '—';
  if (us >= 1000) return `${(us / 1000).toFixed(2)} ms`;
  if (us >= 100) return `${us.toFixed(0)} µs`;
  if (us >= 10) return `${us.toFixed(1)} µs`;
  return `${us.toFixed(2)} µs`;
}

export function fmtRatio(r: number | null): string {
  if (r === null) return '—';
  return `×${r >= 10 ? r.toFixed(1) : r.toFixed(2)}`;
}

function fmtNum(n: number | null, digits = 1): string {
  return n === null ? '—' : n.toFixed(digits);
}

function fmtMiB(n: number | null): string {
  return n === null ? '—' : (n / 2 ** 20).toFixed(1);
}

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

function cell(s: Summary | undefined): string {
  if (!s) return '—';
  if (s.us_per_op_median === null) return s.note ?? 'no result';
  const spread = s.spread_pct === null ? '' : ` ±${s.spread_pct.toFixed(0)}%`;
  const ratio = s.speed_vs_baseline === null ? '' : ` (${fmtRatio(s.speed_vs_baseline)})`;
  return `${fmtUs(s.us_per_op_median)}${spread}${ratio}`;
}

/**
 * The answers in a few lines: per operation, what each measured contender
 * allocates, and how the others' speed compares with the baseline's.
 */
function headline(r: Results): string[] {
  const out: string[] = ['## Headline', ''];
  const k = r.settings.alloc_concurrency[0];
  for (const w of r.settings.alloc_workloads) {
    const parts = r.allocs
      .filter((a) => a.workload === w && a.concurrency === k && a.result)
      .map((a) => {
        const x = a.result;
        const heap = x?.heap_bytes_per_op == null ? '' : `${fmtNum(x.heap_bytes_per_op, 0)} V8 heap B + `;
        return `\`${a.contender}\` ${heap}${fmtNum(x?.mallocs_per_op ?? null, 1)} mallocs`;
      });
    if (parts.length) out.push(`- Allocations per \`${w}\` (${k} in flight): ${parts.join('; ')}.`);
  }
  const base = r.baseline.used;
  if (base) {
    for (const w of r.settings.workloads) {
      for (const c of r.settings.concurrency) {
        const rows = r.summaries.filter((s) => s.workload === w && s.concurrency === c);
        const b = rows.find((s) => s.contender === base);
        if (b?.us_per_op_median == null) continue;
        const others = rows.filter((s) => s.contender !== base && s.speed_vs_baseline !== null)
          .map((s) => `\`${s.contender}\` ${fmtRatio(s.speed_vs_baseline)}`);
        out.push(`- \`${w}\` @${c}: \`${base}\` ${fmtUs(b.us_per_op_median)}/op; speed relative to it: ${others.join(', ')}.`);
      }
    }
  }
  out.push('');
  return out.length > 3 ? out : [];
}

export function markdown(r: Results): string {
  const out: string[] = [];
  const m = r.machine;
  const c = r.conditions;
  const label = new Map(r.contenders.map((x) => [x.id, x.label]));
  const present = r.contenders.filter((x) => x.available);
  const find = (id: string, w: string, k: number) =>
    r.summaries.find((s) => s.contender === id && s.workload === w && s.concurrency === k);

  out.push(`# ${r.title}`, '');
  if (r.stand_in) out.push(`> **${r.stand_in}**`, '');
  out.push(
    `- Date: ${r.started_at} (took ${Math.round(r.duration_s)} s), preset \`${r.preset}\`: ` +
      `${r.settings.runs} runs of ${r.settings.duration_s} s (after ${r.settings.warmup_s} s warm-up) per configuration, each in its own process.`,
    `- Machine: ${m.nproc} cores (nproc), ${m.model}, ${m.memory_gib} GiB, ${m.os}, Linux ${m.kernel}; ` +
      `libuv thread pool ${m.uv_threadpool_size}; fixtures in ${m.tmpdir}.`,
    `- Source: node-coro ${r.source?.repo_commit ?? 'unknown'}` +
      (r.source?.fork_commit ? `, fork tree ${r.source.fork_commit}` : '') + '.',
    `- Load: 1-min load average ${c.load_start.loadavg1} at start, ${c.load_end.loadavg1} at end, ` +
      `${c.loadavg1_max} at most; build processes (ninja, cc1plus...) seen: up to ${c.build_processes_max}.` +
      (c.noisy ? ' **Noisy: other work competed for the two cores during this run; treat small differences as noise.**' : ''),
    `- Baseline for the ratios: ${r.baseline.used ? `\`${r.baseline.used}\` (${label.get(r.baseline.used) ?? ''})` : 'none available'}` +
      (r.baseline.note ? ` — ${r.baseline.note}` : '') + '.',
    '',
    ...headline(r),
    '## Contenders',
    '',
    table(['id', 'what', 'status'], r.contenders.map((x) => [
      `\`${x.id}\``, x.label, x.available ? x.detail : x.detail.startsWith('skipped') ? x.detail : `**MISSING**: ${x.detail}`,
    ])),
    '',
    '## Time per operation',
    '',
    'Median µs per operation over the runs (wall time ÷ operations completed, so at 16 or 64 in flight it is ' +
      'the amortized cost, not the latency), ±spread = (max − min) ÷ median, and in parentheses the speed ' +
      'relative to the baseline (baseline time ÷ this time: ×2.00 is twice as fast as the baseline).',
    '',
  );
  for (const w of r.settings.workloads) {
    out.push(`### ${w}`, '');
    out.push(table(
      ['contender', ...r.settings.concurrency.map((k) => `${k} in flight`)],
      present.map((x) => [label.get(x.id) ?? x.id, ...r.settings.concurrency.map((k) => cell(find(x.id, w, k)))]),
    ));
    out.push('');
  }

  const base = r.baseline.used;
  if (base) {
    out.push('## Ratios at a glance', '',
      `Speed relative to \`${base}\` (baseline time ÷ contender time; above 1 is faster than the baseline).`, '');
    const others = present.filter((x) => x.id !== base);
    const rows: string[][] = [];
    for (const w of r.settings.workloads) {
      for (const k of r.settings.concurrency) {
        const b = find(base, w, k);
        rows.push([`${w} @${k}`, fmtUs(b?.us_per_op_median ?? null),
          ...others.map((x) => fmtRatio(find(x.id, w, k)?.speed_vs_baseline ?? null))]);
      }
    }
    out.push(table(['workload @in flight', `${base} µs/op`, ...others.map((x) => `\`${x.id}\``)], rows), '');
  }

  out.push('## CPU time per operation', '',
    'Median CPU time (user + system, every thread of the process: main thread and thread pool) per operation ' +
      'over the timed phase, µs. Less sensitive than wall time to other work on the machine, and it shows where a ' +
      'contender burns CPU that a wall-clock figure at high concurrency hides.', '');
  const cpuRows: string[][] = [];
  for (const w of r.settings.workloads) {
    for (const k of r.settings.concurrency) {
      cpuRows.push([`${w} @${k}`, ...present.map((x) => fmtUs(find(x.id, w, k)?.cpu_us_per_op_median ?? null))]);
    }
  }
  out.push(table(['workload @in flight', ...present.map((x) => `\`${x.id}\``)], cpuRows), '');

  out.push('## Allocations per operation', '',
    'One batch of operations (about 0.3 s worth) after a time-bounded warm-up, between a full GC and the end of the ' +
      'batch (workload/alloc.mjs, floor --alloc-ops). V8 heap bytes: growth of `used_heap_size` over a batch in which no GC ran ' +
      '(64 MiB semi-spaces; "—" if every try saw a GC). External: ArrayBuffer backing stores. ' +
      'mallocs: allocating libc calls on every thread (thread pool included), counted by the LD_PRELOAD ' +
      'library benchmark/malloc-count; frees that happen later, at GC, are not in the batch. ' +
      '`noop` is the driver loop alone (an operation that does nothing).', '');
  const allocRows = r.allocs.map((a) => {
    const x = a.result;
    if (!x) return [label.get(a.contender) ?? a.contender, a.workload, String(a.concurrency), a.error ?? 'no result', '', '', '', '', ''];
    return [label.get(a.contender) ?? a.contender, a.workload, String(a.concurrency),
      fmtNum(x.heap_bytes_per_op, 0), fmtNum(x.external_bytes_per_op, 0), fmtNum(x.mallocs_per_op, 2),
      fmtNum(x.malloc_bytes_per_op, 0), fmtNum(x.frees_per_op, 2), `${x.ops} (${x.gcs_during_batch} GC)`];
  });
  out.push(table(['contender', 'workload', 'in flight', 'V8 heap B/op', 'external B/op', 'mallocs/op',
    'malloc B/op', 'frees/op', 'batch ops'], allocRows), '');

  out.push('## Memory at load', '',
    `RSS and V8 heap (\`process.memoryUsage()\`, sampled every 50 ms; the floor reads /proc/self/statm) ` +
      `during steady runs at ${r.settings.load_concurrency} in flight: median over runs of each run's peak and average, MiB.`, '');
  out.push(table(['contender', 'workload', 'RSS peak', 'RSS avg', 'heap used peak', 'heap used avg', 'from'],
    r.memory_at_load.map((x) => [label.get(x.contender) ?? x.contender, x.workload, fmtMiB(x.rss_max),
      fmtMiB(x.rss_avg), fmtMiB(x.heap_used_max), fmtMiB(x.heap_used_avg), x.source])), '');

  const failures = r.summaries.filter((s) => s.failed > 0);
  if (failures.length) {
    out.push('## Failed runs', '');
    for (const s of failures) out.push(`- ${s.contender} ${s.workload} @${s.concurrency}: ${s.failed} failed (${s.note ?? ''})`);
    out.push('');
  }
  out.push('Chart: `chart.svg` beside this file (ops/s, log scale). Raw samples: `results.json`.', '');
  return out.join('\n');
}
