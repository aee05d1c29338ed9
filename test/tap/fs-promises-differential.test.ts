// The fast path against stock, call by call: one generated corpus of
// fs.promises calls (every operation, FileHandle method and Dir method;
// sizes around the read and write chunks; every encoding, flag and mode
// family; missing paths, EISDIR, ENOTDIR, symlink loops, a FIFO fed by
// another process, /proc and /sys files, aborted signals, invalid
// arguments) runs in a child with --fs-coro and in one with --no-fs-coro,
// each in a fresh fixture tree of the same layout, and every result,
// error and after-state is compared field by field. Then again as uid
// 65534, where 0o000 files and 0o500 directories give EACCES and root's
// files EPERM (as root they would not). Zero mismatches is the pass mark.
//
// The corpus is generated from a seed: NODE_CORO_CORPUS_SEED=<n> picks
// another one (the default is fixed, so a failure reproduces). The calls,
// the tagged values they take and what the children record are in
// fixtures/fs-promises-child.ts.
import t, { type Test } from 'tap';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildFixture, generateCorpus, type CorpusConfig, type CorpusOutput, type J, type Program,
} from './fixtures/fs-promises-child.ts';

// Two pairs of children, the pairs side by side, each pair's children one
// after the other (they use the same fixture path): 10 to 15 s per child
// on the project's 2 cores, 20 to 30 s a pair; 60 s a pair at most.
t.setTimeout(240_000);

const kDefaultSeed = 20261123;
const seedEnv = process.env['NODE_CORO_CORPUS_SEED'];
const seed = seedEnv ? Number(seedEnv) >>> 0 : kDefaultSeed;
const childScript = fileURLToPath(new URL('./fixtures/fs-promises-child.ts', import.meta.url));

// Everything the children touch: base/<pair>/ is the fixture root (the same
// path for both children of a pair, so that paths, and their encodings in
// hex or base64 results, compare as they are), base/out-<pair>/ where the
// child writes its results. mkdtemp makes 0o700 directories: uid 65534
// must be able to get through.
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'node-coro-diff-'));
fs.chmodSync(base, 0o755);
t.teardown(() => fs.rmSync(base, { recursive: true, force: true }));

// A directory on a second file system, for EXDEV (rename, link).
let shmBase = '';
if (fs.existsSync('/dev/shm') && fs.statSync('/dev/shm').dev !== fs.statSync(base).dev) {
  shmBase = fs.mkdtempSync('/dev/shm/node-coro-diff-');
  fs.chmodSync(shmBase, 0o755);
  t.teardown(() => fs.rmSync(shmBase, { recursive: true, force: true }));
}

const corpus = generateCorpus(seed, { shm: shmBase !== '' });
const corpusFile = path.join(base, 'corpus.json');
fs.writeFileSync(corpusFile, JSON.stringify(corpus));
fs.chmodSync(corpusFile, 0o644);

const calls: Record<string, number> = {};
for (const p of corpus) for (const s of p.steps) calls[s.call] = (calls[s.call] ?? 0) + 1;
const totalCalls = Object.values(calls).reduce((a, b) => a + b, 0);
t.comment(`corpus: ${corpus.length} programs, ${totalCalls} calls, seed ${seed}` +
  (seedEnv ? ' (from NODE_CORO_CORPUS_SEED)' : ' (the default; NODE_CORO_CORPUS_SEED=<n> for another)'));
t.comment(`calls: ${Object.entries(calls).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`);

interface Pair {
  name: string;
  owner?: { uid: number; gid: number };
}

const pairs: Pair[] = [{ name: 'root' }, { name: 'uid65534', owner: { uid: 65534, gid: 65534 } }];
const isRoot = process.getuid?.() === 0;

interface Run {
  out: CorpusOutput;
  wallMs: number;
}

async function runChild(pair: Pair, mode: '--fs-coro' | '--no-fs-coro'): Promise<Run> {
  const root = path.join(base, pair.name);
  fs.rmSync(root, { recursive: true, force: true });
  buildFixture(root, seed, pair.owner);
  const outDir = path.join(base, `out-${pair.name}`);
  fs.mkdirSync(outDir, { recursive: true });
  let shm = '';
  if (shmBase) {
    shm = path.join(shmBase, pair.name);
    fs.rmSync(shm, { recursive: true, force: true });
    fs.mkdirSync(shm);
  }
  if (pair.owner) {
    fs.chownSync(outDir, pair.owner.uid, pair.owner.gid);
    if (shm) fs.chownSync(shm, pair.owner.uid, pair.owner.gid);
  }
  const cfg: CorpusConfig = { root, shm, seed, corpus: corpusFile, out: path.join(outDir, `${mode}.json`) };
  const cfgFile = path.join(base, `${pair.name}${mode}.json`);
  fs.writeFileSync(cfgFile, JSON.stringify(cfg));
  fs.chmodSync(cfgFile, 0o644);
  // `env -u NODE_OPTIONS`: tap puts its own NODE_OPTIONS (its process-info
  // loader, and --no-fs-coro in the stock-mode run) into every process a
  // test starts. The children need none of it (the loader would also write
  // to .tap/ at exit, which uid 65534 may not): the mode is on the command
  // line.
  const args = ['-u', 'NODE_OPTIONS', process.execPath, mode, childScript, 'corpus', cfgFile];
  const started = performance.now();
  const child = spawn('/usr/bin/env', args, {
    cwd: root, stdio: ['ignore', 'ignore', 'pipe'],
    ...(pair.owner ? { uid: pair.owner.uid, gid: pair.owner.gid } : {}),
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr = (stderr + d).slice(-8000); });
  const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
    child.once('exit', (c, s) => resolve([c, s])));
  clearTimeout(timer);
  const wallMs = Math.round(performance.now() - started);
  if (code !== 0) throw new Error(`${pair.name} ${mode}: child exited with ${code ?? signal}:\n${stderr}`);
  const out = JSON.parse(fs.readFileSync(cfg.out, 'utf8')) as CorpusOutput;
  fs.rmSync(root, { recursive: true, force: true });
  return { out, wallMs };
}

interface Mismatch {
  program: number;
  at: string;
  fast: J | undefined;
  stock: J | undefined;
}

const isObj = (v: J | undefined): v is { [k: string]: J } =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

// Field by field. One exception to equality: an error's `asyncFrame` (an
// `at async` frame of the corpus runner in its stack) must be there on the
// fast path where stock has it; the fast path may keep more of the caller
// than stock does, not less.
function diff(fast: J | undefined, stock: J | undefined, at: string, out: Mismatch[], program: number) {
  if (isObj(fast) && isObj(stock)) {
    for (const k of new Set([...Object.keys(stock), ...Object.keys(fast)])) {
      if (k === 'asyncFrame' && stock['$'] === 'error') {
        if (stock[k] === true && fast[k] !== true) out.push({ program, at: `${at}.${k}`, fast: fast[k], stock: true });
        continue;
      }
      diff(fast[k], stock[k], `${at}.${k}`, out, program);
    }
    return;
  }
  if (Array.isArray(fast) && Array.isArray(stock) && fast.length === stock.length) {
    fast.forEach((x, i) => diff(x, stock[i], `${at}[${i}]`, out, program));
    return;
  }
  if (JSON.stringify(fast) !== JSON.stringify(stock)) out.push({ program, at, fast, stock });
}

// The one difference the fast path makes on purpose (issue 10: "an abort
// while a job is queued cancels it"): readFile with a read-only flag and a
// signal aborted on the next tick may be cancelled before its open, where
// stock, which cannot stop its open, goes on to it. Then the fast path
// rejects with the signal's AbortError where stock may report the open's
// own error (ENOENT, ELOOP, EACCES...), and a FIFO it would have opened
// stays unopened (its writer, in another process, is not cut off). Exactly
// that is accepted, and counted: the readFile step's error (the fast one
// must be that AbortError), and the FIFO writers' exits. Anything else in
// such a program must match.
function isCancelledRead(p: Program, fast: J | undefined, mismatches: Mismatch[]): boolean {
  const k = p.steps.findIndex((s) => {
    const options = s.args?.[1];
    if (s.call !== 'fsp.readFile' || !isObj(options)) return false;
    const { signal, flag } = options;
    return isObj(signal) && signal['m'] === 'tick' && (flag === undefined || flag === 'r' || flag === 'rs');
  });
  if (k < 0 || !isObj(fast)) return false;
  const err = (fast['steps'] as J[] | undefined)?.[k];
  const fastErr = isObj(err) ? err['err'] : undefined;
  if (!isObj(fastErr) || fastErr['code'] !== 'ABORT_ERR' || fastErr['ctor'] !== 'AbortError') return false;
  return mismatches.every((m) => {
    if (m.at.startsWith(`.steps[${k}].err`) || m.at.startsWith(`.steps[${k}].argsAfter`)) return true;
    const j = Number(/^\.steps\[(\d+)\]/.exec(m.at)?.[1] ?? -1);
    const call = p.steps[j]?.call;
    return (call === 'x.wait' || call === 'x.poolWait') && /\.signal$|\.code$/.test(m.at);
  });
}

const clip = (v: unknown, n = 400) => {
  const s = JSON.stringify(v) ?? 'undefined';
  return s.length > n ? `${s.slice(0, n)}...` : s;
};

function report(t: Test, pair: Pair, mismatches: Mismatch[], fast: CorpusOutput, stock: CorpusOutput) {
  // One line per mismatched step (or tree), grouped by call and by the
  // fields that differ (one cause tends to show in many programs); the
  // first program of each group in full, with both results: enough to
  // reproduce it.
  const bySite = new Map<string, Mismatch[]>();
  for (const m of mismatches) {
    const site = /^(steps\[\d+\]|tree)/.exec(m.at)?.[0] ?? m.at;
    const key = `${m.program} ${site}`;
    bySite.set(key, [...(bySite.get(key) ?? []), m]);
  }
  const groups = new Map<string, { program: number; site: string }[]>();
  for (const [key, list] of bySite) {
    const [program, site] = key.split(' ') as [string, string];
    const p = corpus[Number(program)] as Program;
    const stepAt = /^steps\[(\d+)\]/.exec(site);
    const call = stepAt ? p.steps[Number(stepAt[1])]?.call : 'after-state';
    const fields = [...new Set(list.map((m) => m.at.slice(site.length).replace(/\[\d+\]/g, '[]')))].join(' ');
    const group = `${call}: ${fields}`;
    groups.set(group, [...(groups.get(group) ?? []), { program: Number(program), site }]);
  }
  const pick = (o: CorpusOutput, program: number, site: string): unknown => {
    const r = o.results[program] as unknown as Record<string, unknown>;
    const stepAt = /^steps\[(\d+)\]/.exec(site);
    return stepAt ? (r['steps'] as unknown[])[Number(stepAt[1])] : r['tree'];
  };
  for (const [group, list] of groups) {
    const { program, site } = list[0] as { program: number; site: string };
    t.comment(`${pair.name}: ${list.length} x ${group}\n` +
      `  first in program ${program}: ${clip((corpus[program] as Program).steps, 700)}\n` +
      `  fast:  ${clip(pick(fast, program, site), 900)}\n  stock: ${clip(pick(stock, program, site), 900)}`);
  }
}

// /proc/version, by name: a file whose stat size is 0 but whose content is
// not (readFile reads it to EOF), and the same content in both modes.
function procVersion(t: Test, fast: CorpusOutput, stock: CorpusOutput) {
  const find = (call: string) => corpus.findIndex((p) => {
    const [path, options] = (p.steps.length === 1 && p.steps[0]?.call === call ? p.steps[0].args : null) ?? [];
    return isObj(path) && path['r'] === '/proc/version' && isObj(options) && options['$'] === 'omit';
  });
  const read = find('fsp.readFile');
  const stat = find('fsp.stat');
  const ok = (o: CorpusOutput, i: number) => (o.results[i]?.steps[0]?.ok ?? null) as { [k: string]: J } | null;
  const fastBytes = ok(fast, read);
  t.ok(read >= 0 && stat >= 0, 'the corpus reads and stats /proc/version');
  t.equal((ok(fast, stat)?.['fields'] as { [k: string]: J } | undefined)?.['size'], 0, '/proc/version: stat size 0');
  t.ok(fastBytes?.['$'] === 'Buffer' && Number(fastBytes['len']) > 0, '/proc/version: readFile reads a non-empty Buffer');
  t.same(fastBytes, ok(stock, read), '/proc/version: the same bytes in both modes');
}

// The pairs run side by side; each pair's children one after the other.
const runs = new Map<string, Promise<[Run, Run]>>();
for (const pair of pairs) {
  if (pair.owner && !isRoot) continue;
  runs.set(pair.name, (async () => {
    const fast = await runChild(pair, '--fs-coro');
    const stock = await runChild(pair, '--no-fs-coro');
    return [fast, stock] as [Run, Run];
  })());
  // Settled here too, so that a failing pair is not an unhandled rejection
  // while the other pair's subtest runs.
  runs.get(pair.name)?.catch(() => {});
}

for (const pair of pairs) {
  const skip = pair.owner && !isRoot ? 'needs root, to start children as another uid' : false;
  t.test(`the corpus as ${pair.name}: --fs-coro and --no-fs-coro agree`, { skip }, async (t) => {
    const [fast, stock] = await (runs.get(pair.name) as Promise<[Run, Run]>);
    t.comment(`${pair.name}: --fs-coro ${fast.out.ms} ms (child ${fast.wallMs} ms), ` +
      `--no-fs-coro ${stock.out.ms} ms (child ${stock.wallMs} ms), pair ${fast.wallMs + stock.wallMs} ms`);
    t.equal(fast.out.results.length, corpus.length, 'the fast child ran every program');
    t.equal(stock.out.results.length, corpus.length, 'the stock child ran every program');
    const mismatches: Mismatch[] = [];
    let cancelledReads = 0;
    corpus.forEach((p, i) => {
      const f = fast.out.results[i] as unknown as J;
      const found: Mismatch[] = [];
      diff(f, stock.out.results[i] as unknown as J, '', found, i);
      if (found.length > 0 && isCancelledRead(p, f, found)) cancelledReads++;
      else mismatches.push(...found);
    });
    t.comment(`${pair.name}: ${cancelledReads} readFile(s) cancelled by an abort before their open ` +
      '(accepted: see isCancelledRead)');
    for (const m of mismatches) m.at = m.at.slice(1);
    if (mismatches.length) report(t, pair, mismatches, fast.out, stock.out);
    t.equal(mismatches.length, 0, `no mismatch in ${corpus.length} programs`);
    procVersion(t, fast.out, stock.out);
    t.same(fast.out.warnings, stock.out.warnings, 'the same process warnings, in order');
    t.same(fast.out.unhandled, stock.out.unhandled, 'the same unhandled rejections');
    for (const [mode, run] of [['--fs-coro', fast], ['--no-fs-coro', stock]] as const) {
      const leaked = run.out.fdsAfter - run.out.fdsBefore;
      t.equal(leaked, 0, `${mode}: no fd left open (${run.out.fdsBefore} before, ${run.out.fdsAfter} after)`,
        leaked ? { fdChanges: run.out.fdChanges.slice(0, 20) } : {});
    }
  });
}
