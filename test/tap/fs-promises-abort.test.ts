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
