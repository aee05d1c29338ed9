// fs.promises errors, field by field. The fast path must produce the same
// error objects as stock Node (code, errno, syscall, path, dest, message),
// so these pin what stock v22.22.2 does; they run in every mode.
import t, { type Test } from 'tap';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'node-coro-errors-'));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
const missing = path.join(dir, 'missing');
const file = path.join(dir, 'file.txt');
fs.writeFileSync(file, 'x');
const sub = path.join(dir, 'sub');
fs.mkdirSync(sub);

const uvErr = (name: string) => {
  const entry = Object.entries(os.constants.errno).find(([k]) => k === name);
  if (!entry) throw new Error(`no errno ${name}`);
  return -entry[1];
};

interface Expected {
  code: string;
  syscall: string;
  path?: string;
  dest?: string;
  message: string;
}

async function rejectsWith(t: Test, p: Promise<unknown>, want: Expected): Promise<void> {
  const err = await p.then(() => null, (e: unknown) => e);
  t.ok(err instanceof Error, 'rejects with an Error');
  const e = err as NodeJS.ErrnoException & { dest?: string };
  t.equal(e.code, want.code, 'code');
  t.equal(e.errno, uvErr(want.code), 'errno');
  t.equal(e.syscall, want.syscall, 'syscall');
  t.equal(e.path, want.path, 'path');
  t.equal(e.dest, want.dest, 'dest');
  t.equal(e.message, want.message, 'message');
  t.ok(e.stack?.startsWith(`Error: ${want.message}`), 'stack starts with the message');
}

const enoent = (syscall: string, p: string) => ({
  code: 'ENOENT', syscall, path: p,
  message: `ENOENT: no such file or directory, ${syscall} '${p}'`,
});

t.test('ENOENT from each call', async (t) => {
  await rejectsWith(t, fsp.stat(missing), enoent('stat', missing));
  await rejectsWith(t, fsp.lstat(missing), enoent('lstat', missing));
  await rejectsWith(t, fsp.access(missing), enoent('access', missing));
  await rejectsWith(t, fsp.readFile(missing), enoent('open', missing));
  await rejectsWith(t, fsp.readFile(missing, 'utf8'), enoent('open', missing));
  await rejectsWith(t, fsp.open(missing), enoent('open', missing));
  await rejectsWith(t, fsp.readdir(missing), enoent('scandir', missing));
  await rejectsWith(t, fsp.unlink(missing), enoent('unlink', missing));
  await rejectsWith(t, fsp.rmdir(missing), enoent('rmdir', missing));
  await rejectsWith(t, fsp.readlink(missing), enoent('readlink', missing));
  await rejectsWith(t, fsp.realpath(missing), enoent('realpath', missing));
  await rejectsWith(t, fsp.chmod(missing, 0o644), enoent('chmod', missing));
  await rejectsWith(t, fsp.utimes(missing, 1, 1), enoent('utime', missing));
});

t.test('errors that name a destination', async (t) => {
  const target = path.join(dir, 'target');
  await rejectsWith(t, fsp.rename(missing, target), {
    code: 'ENOENT', syscall: 'rename', path: missing, dest: target,
    message: `ENOENT: no such file or directory, rename '${missing}' -> '${target}'`,
  });
  await rejectsWith(t, fsp.copyFile(missing, target), {
    code: 'ENOENT', syscall: 'copyfile', path: missing, dest: target,
    message: `ENOENT: no such file or directory, copyfile '${missing}' -> '${target}'`,
  });
  await rejectsWith(t, fsp.link(missing, target), {
    code: 'ENOENT', syscall: 'link', path: missing, dest: target,
    message: `ENOENT: no such file or directory, link '${missing}' -> '${target}'`,
  });
});

t.test('EEXIST, EISDIR, ENOTDIR, ENOTEMPTY', async (t) => {
  await rejectsWith(t, fsp.mkdir(sub), {
    code: 'EEXIST', syscall: 'mkdir', path: sub,
    message: `EEXIST: file already exists, mkdir '${sub}'`,
  });
  await rejectsWith(t, fsp.open(file, 'wx'), {
    code: 'EEXIST', syscall: 'open', path: file,
    message: `EEXIST: file already exists, open '${file}'`,
  });
  await rejectsWith(t, fsp.readFile(sub), {
    code: 'EISDIR', syscall: 'read', message: 'EISDIR: illegal operation on a directory, read',
  });
  const under = path.join(file, 'child');
  await rejectsWith(t, fsp.stat(under), {
    code: 'ENOTDIR', syscall: 'stat', path: under,
    message: `ENOTDIR: not a directory, stat '${under}'`,
  });
  fs.writeFileSync(path.join(sub, 'f'), '');
  t.teardown(() => fs.rmSync(path.join(sub, 'f'), { force: true }));
  await rejectsWith(t, fsp.rmdir(sub), {
    code: 'ENOTEMPTY', syscall: 'rmdir', path: sub,
    message: `ENOTEMPTY: directory not empty, rmdir '${sub}'`,
  });
});

t.test('argument validation throws before any I/O, as stock does', async (t) => {
  const err = await fsp.stat(123 as unknown as string).then(() => null, (e: unknown) => e);
  t.match(err, { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
  t.match((err as Error).message,
    /^The "path" argument must be of type string or an instance of Buffer or URL\. Received type number \(123\)$/);
  const nul = await fsp.readFile('a\u0000b').then(() => null, (e: unknown) => e);
  t.match(nul, { code: 'ERR_INVALID_ARG_VALUE' });
  const mode = await fsp.access(file, 99).then(() => null, (e: unknown) => e);
  t.match(mode, { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
});
