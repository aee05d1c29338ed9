// Which fs.promises operations the coroutine fast path serves, seen through
// node:coro's per-kind task counters: on the fast path (the default) each
// operation below finishes exactly one coroutine task of its kind; under
// --no-fs-coro (make test's stock-mode run) none does. What stays out of
// the whole-file coroutines by design is checked too: writeFile with a
// signal or an iterable, and FileHandle.readFile, which go step by step
// (each step a coroutine of its own: see fs-coro-bindings.test.ts).
import t, { type Test } from 'tap';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { getStats, fsCoro } from 'node:coro';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'node-coro-fast-'));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
const p = (name: string) => path.join(dir, name);
fs.writeFileSync(p('file'), 'hello');

const finished = (kind: string) => getStats().tasks.kinds[kind]?.finished ?? 0;

async function servedBy(t: Test, kind: string, op: () => Promise<unknown>, coroTasks = 1) {
  const before = finished(kind);
  await op();
  t.equal(finished(kind) - before, fsCoro ? coroTasks : 0,
          `${kind}: ${fsCoro ? 'one coroutine task' : 'no coroutine task (stock path)'}`);
}

t.test('single-request operations', async (t) => {
  await servedBy(t, 'stat', () => fsp.stat(p('file')));
  await servedBy(t, 'stat', () => fsp.stat(p('file'), { bigint: true }));
  await servedBy(t, 'lstat', () => fsp.lstat(p('file')));
  await servedBy(t, 'access', () => fsp.access(p('file')));
  await servedBy(t, 'copyfile', () => fsp.copyFile(p('file'), p('copy')));
  await servedBy(t, 'rename', () => fsp.rename(p('copy'), p('renamed')));
  await servedBy(t, 'link', () => fsp.link(p('renamed'), p('hard')));
  await servedBy(t, 'symlink', () => fsp.symlink(p('file'), p('soft')));
  await servedBy(t, 'readlink', () => fsp.readlink(p('soft')));
  await servedBy(t, 'realpath', () => fsp.realpath(p('soft')));
  await servedBy(t, 'chmod', () => fsp.chmod(p('renamed'), 0o600));
  await servedBy(t, 'chown', () => fsp.chown(p('renamed'), process.getuid?.() ?? 0, process.getgid?.() ?? 0));
  await servedBy(t, 'lchown', () => fsp.lchown(p('soft'), process.getuid?.() ?? 0, process.getgid?.() ?? 0));
  await servedBy(t, 'utime', () => fsp.utimes(p('renamed'), 1, 2));
  await servedBy(t, 'lutime', () => fsp.lutimes(p('soft'), 1, 2));
  await servedBy(t, 'unlink', () => fsp.unlink(p('hard')));
  await servedBy(t, 'mkdir', () => fsp.mkdir(p('sub')));
  await servedBy(t, 'rmdir', () => fsp.rmdir(p('sub')));
  await servedBy(t, 'mkdtemp', async () => fsp.rmdir(await fsp.mkdtemp(p('tmp-'))).catch(() => {}));
});

t.test('FileHandle methods on a single request', async (t) => {
  const fh = await fsp.open(p('file'), 'r+');
  try {
    await servedBy(t, 'fstat', () => fh.stat());
    await servedBy(t, 'fchmod', () => fh.chmod(0o644));
    await servedBy(t, 'fsync', () => fh.sync());
    await servedBy(t, 'fdatasync', () => fh.datasync());
    await servedBy(t, 'ftruncate', () => fh.truncate(5));
    await servedBy(t, 'futime', () => fh.utimes(1, 2));
  } finally {
    await fh.close();
  }
});

t.test('whole-file operations as one coroutine', async (t) => {
  await servedBy(t, 'readFile', () => fsp.readFile(p('file')));
  await servedBy(t, 'readFile', () => fsp.readFile(p('file'), 'utf8'));
  await servedBy(t, 'readFile', () => fsp.readFile(p('file'), { signal: new AbortController().signal }));
  await servedBy(t, 'writeFile', () => fsp.writeFile(p('out'), 'data'));
  await servedBy(t, 'writeFile', () => fsp.writeFile(p('out'), Buffer.alloc(3 << 20), { flush: true }));
  await servedBy(t, 'writeFile', () => fsp.appendFile(p('out'), 'more'));
  await servedBy(t, 'truncate', () => fsp.truncate(p('out'), 1));
  fs.mkdirSync(p('tree/a/b'), { recursive: true });
  fs.writeFileSync(p('tree/a/b/f'), 'x');
  await servedBy(t, 'rm', () => fsp.rm(p('tree'), { recursive: true }));
  t.notOk(fs.existsSync(p('tree')), 'rm removed the tree');
  fs.writeFileSync(p('gone'), 'x');
  await servedBy(t, 'rm', () => fsp.rm(p('gone'), { maxRetries: 1 }), 0);  // retries: stock's rimraf
  t.equal(fs.readFileSync(p('out'), 'latin1'), '\0');
});

t.test('what is not one whole-file coroutine', async (t) => {
  const signal = new AbortController().signal;
  await servedBy(t, 'writeFile', () => fsp.writeFile(p('out'), ['a', 'b']), 0);
  await servedBy(t, 'writeFile', () => fsp.writeFile(p('out'), 'x', { signal }), 0);
  await servedBy(t, 'mkdirp', () => fsp.mkdir(p('a/b/c'), { recursive: true }), 1);
  const fh = await fsp.open(p('file'));
  await servedBy(t, 'readFile', () => fh.readFile(), 0);
  await servedBy(t, 'close', () => fh.close(), 1);
});
