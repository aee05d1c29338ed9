// fs.promises.readFile and writeFile under an AbortSignal, as stock v22.22.2
// behaves, in every mode: an already-aborted signal rejects before anything
// is opened, with AbortError (code ABORT_ERR, cause the reason); an abort on
// the next tick rejects the same way (stock samples the signal again after
// the open; the coroutine at the end); a signal never aborted changes
// nothing. No fd is left open on any path.
import t, { type Test } from 'tap';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'node-coro-abort-'));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
const file = path.join(dir, 'data');
fs.writeFileSync(file, 'x'.repeat(2048));
const fds = () => fs.readdirSync('/proc/self/fd').length;

async function abortError(t: Test, p: Promise<unknown>, reason: unknown) {
  const err = await p.then(() => null, (e: unknown) => e) as
    (Error & { code?: string; cause?: unknown }) | null;
  t.ok(err, 'rejects');
  t.equal(err?.name, 'AbortError');
  t.equal(err?.code, 'ABORT_ERR');
  t.equal(err?.message, 'The operation was aborted');
  t.equal(err?.cause, reason);
}

t.test('already aborted', async (t) => {
  const before = fds();
  await abortError(t, fsp.readFile(file, { signal: AbortSignal.abort('r1') }), 'r1');
  await abortError(t, fsp.readFile(path.join(dir, 'missing'), { signal: AbortSignal.abort('r2') }), 'r2');
  await abortError(t, fsp.writeFile(path.join(dir, 'out'), 'y', { signal: AbortSignal.abort('w') }), 'w');
  t.notOk(fs.existsSync(path.join(dir, 'out')), 'nothing was created');
  t.equal(fds(), before, 'no fd left open');
});

t.test('aborted on the next tick', async (t) => {
  const before = fds();
  const controller = new AbortController();
  const p = fsp.readFile(file, { signal: controller.signal });
  process.nextTick(() => controller.abort('tick'));
  await abortError(t, p, 'tick');
  t.equal(fds(), before, 'no fd left open');
});

t.test('a signal never aborted changes nothing', async (t) => {
  const signal = new AbortController().signal;
  t.equal((await fsp.readFile(file, { signal, encoding: 'latin1' })).length, 2048);
  await fsp.writeFile(path.join(dir, 'out2'), 'z', { signal });
  t.equal(fs.readFileSync(path.join(dir, 'out2'), 'latin1'), 'z');
});

// An abort while the read is still queued behind a busy thread pool: the
// fast path cancels the queued job, so the read rejects at once, and never
// opens the file; stock notices the abort only after its open has run. The
// pool is kept busy by reads of FIFOs that have no writer yet (their open
// blocks a pool thread each) and is released by opening the writers.
t.test('an abort while the job is queued cancels it', async (t) => {
  const { fsCoro } = await import('node:coro');
  const { execFileSync } = await import('node:child_process');
  const before = fds();
  const poolSize = Number(process.env.UV_THREADPOOL_SIZE) || 4;
  const fifos = Array.from({ length: poolSize }, (_, i) => path.join(dir, `fifo${i}`));
  for (const fifo of fifos) execFileSync('mkfifo', [fifo]);
  const blockers = fifos.map((fifo) => fsp.readFile(fifo, 'latin1'));
  await new Promise((resolve) => setTimeout(resolve, 50));  // The opens block.
  const controller = new AbortController();
  let settled = false;
  const p = fsp.readFile(file, { signal: controller.signal });
  p.then(() => { settled = true; }, () => { settled = true; });
  controller.abort('queued');
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.equal(settled, fsCoro,
          fsCoro ? 'rejected while the pool is still busy' : 'stock waits for a pool thread');
  for (const fifo of fifos) fs.closeSync(fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
  await abortError(t, p, 'queued');
  t.same(await Promise.all(blockers), fifos.map(() => ''));
  t.equal(fds(), before, 'no fd left open');
});
