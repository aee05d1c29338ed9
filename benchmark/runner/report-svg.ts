// The chart: ops/s per contender and workload, one panel per in-flight
// count, log-scale axis. Plain SVG written by hand (no dependencies).

import type { Results } from './results.js';

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b',
  '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#393b79', '#637939', '#8c6d31'];

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function fmtOps(v: number): string {
  if (v >= 1e6) return `${v / 1e6}M`;
  if (v >= 1e3) return `${v / 1e3}k`;
  return String(v);
}

export function svg(r: Results): string {
  const present = r.contenders.filter((c) => c.available);
  const workloads = r.settings.workloads;
  const panels = r.settings.concurrency;
  const values = r.summaries.flatMap((s) => (s.ops_per_sec_median ? [s.ops_per_sec_median] : []));
  const lo = Math.pow(10, Math.floor(Math.log10(Math.max(1, Math.min(...values, 1e3)))));
  const hi = Math.pow(10, Math.ceil(Math.log10(Math.max(...values, 10))));

  const left = 70;
  const longest = Math.max(r.title.length * 1.4, (r.stand_in ?? '').length,
    ...r.contenders.map((c) => c.id.length + c.label.length + c.detail.length + 14));
  const gap = 14;
  // Bars 4 to 18 px wide, filling at least the width the text needs.
  const plotW = Math.max(workloads.length * (present.length * 9 + gap), Math.round(longest * 6), 300);
  const groupW = plotW / Math.max(workloads.length, 1);
  const bar = Math.max(4, Math.min(18, Math.floor((groupW - gap) / Math.max(present.length, 1))));
  const panelH = 240;
  const labelH = 70;
  const top = 60;
  const legendRowH = 16;
  const legendH = r.contenders.length * legendRowH + 20;
  const width = left + plotW + 70; // room for the last rotated label
  const height = top + panels.length * (panelH + labelH + 30) + legendH;
  const y = (v: number) => panelH - ((Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * panelH;

  const o: string[] = [];
  o.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`);
  o.push(`<rect width="${width}" height="${height}" fill="#fff"/>`);
  o.push(`<text x="${left}" y="22" font-size="15" font-weight="bold">${esc(r.title)}</text>`);
  o.push(`<text x="${left}" y="40" fill="#444">${esc(r.stand_in ?? `ops/s (median of ${r.settings.runs} runs), log scale; higher is better`)}</text>`);
  if (r.stand_in) o.push(`<text x="${left}" y="54" fill="#444">ops/s (median of ${r.settings.runs} runs), log scale; higher is better</text>`);

  panels.forEach((k, pi) => {
    const py = top + pi * (panelH + labelH + 30) + 20;
    o.push(`<g transform="translate(0,${py})">`);
    o.push(`<text x="${left}" y="-6" font-weight="bold">${k} in flight</text>`);
    for (let d = lo; d <= hi; d *= 10) {
      const yy = y(d).toFixed(1);
      o.push(`<line x1="${left}" x2="${left + plotW}" y1="${yy}" y2="${yy}" stroke="#ddd"/>`);
      o.push(`<text x="${left - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle" fill="#555">${fmtOps(d)}</text>`);
    }
    o.push(`<line x1="${left}" x2="${left}" y1="0" y2="${panelH}" stroke="#888"/>`);
    o.push(`<line x1="${left}" x2="${left + plotW}" y1="${panelH}" y2="${panelH}" stroke="#888"/>`);
    workloads.forEach((w, wi) => {
      const gx = left + (groupW - present.length * bar) / 2 + wi * groupW;
      present.forEach((c, ci) => {
        const s = r.summaries.find((x) => x.contender === c.id && x.workload === w && x.concurrency === k);
        const v = s?.ops_per_sec_median;
        if (!v) return;
        const yy = y(v);
        const x = gx + ci * bar;
        const title = `${c.label} — ${w} @${k}: ${Math.round(v).toLocaleString('en-US')} ops/s`;
        o.push(`<rect x="${x.toFixed(1)}" y="${yy.toFixed(1)}" width="${bar - 1}" height="${(panelH - yy).toFixed(1)}" fill="${PALETTE[ci % PALETTE.length]}"><title>${esc(title)}</title></rect>`);
      });
      const lx = gx + (present.length * bar) / 2;
      o.push(`<text transform="translate(${lx.toFixed(1)},${panelH + 10}) rotate(35)" fill="#333">${esc(w)}</text>`);
    });
    o.push('</g>');
  });

  const ly = top + panels.length * (panelH + labelH + 30);
  present.forEach((c, ci) => {
    const yy = ly + ci * legendRowH;
    o.push(`<rect x="${left}" y="${yy}" width="12" height="10" fill="${PALETTE[ci % PALETTE.length]}"/>`);
    o.push(`<text x="${left + 18}" y="${yy + 9}">${esc(`${c.id}: ${c.label}`)}</text>`);
  });
  r.contenders.filter((c) => !c.available).forEach((c, i) => {
    const yy = ly + (present.length + i) * legendRowH;
    const what = c.state === 'missing' ? `MISSING — ${c.detail}` : c.detail;
    o.push(`<text x="${left + 18}" y="${yy + 9}" fill="#b00">${esc(`${c.id}: ${what}`)}</text>`);
  });
  o.push('</svg>');
  return o.join('\n') + '\n';
}
