// Every binding function fs.promises calls with kUsePromises (the 33 of
// stock v22.22.2's lib/internal/fs/promises.js) and FileHandle's close are
// served by coroutines on the fast path, and no stock request is built:
// a child started with --expose-internals runs one operation per binding
// and reports, for each, how node:coro's per-kind task counters and the
// binding's counts of constructed stock requests (FSReqPromise, CloseReq;
// internalBinding('fs_coro').getStockRequestCounts()) moved. On the fast
// path each operation finishes coroutine tasks of its kind and constructs
// no stock request; under --no-fs-coro it is the other way round.
import t from 'tap';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fsCoro } from 'node:coro';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'node-coro-bindings-'));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));

// The child: `cases` is [binding, kind, operation]; `kind` is the task kind
// the fast path counts for it (the syscall, or the binding's name where
// several bindings share one).
const child = String.raw`
'use strict';
const fsp = require('fs/promises');
const fs = require('fs');
const path = require('path');
const { getStats } = require('node:coro');
const { internalBinding } = require('internal/test/binding');
const counts = () => internalBinding('fs_coro').getStockRequestCounts();
const dir = process.argv[1];
const p = (name) => path.join(dir, name);
fs.writeFileSync(p('file'), 'hello');
fs.mkdirSync(p('tree/a/b'), { recursive: true });
fs.writeFileSync(p('tree/a/b/leaf'), 'x');
const id = [process.getuid(), process.getgid()];
let fh;
const cases = [
  ['openFileHandle', 'openFileHandle', async () => { fh = await fsp.open(p('file'), 'r+'); }],
  ['read', 'read', () => fh.read(Buffer.alloc(5), 0, 5, 0)],
  ['readBuffers', 'readBuffers', () => fh.readv([Buffer.alloc(2), Buffer.alloc(3)], 0)],
  ['writeBuffer', 'writeBuffer', () => fh.write(Buffer.from('HE'), 0, 2, 0)],
  ['writeString', 'writeString', () => fh.write('LL', 2)],
  ['writeBuffers', 'writeBuffers', () => fh.writev([Buffer.from('O')], 4)],
  ['fstat', 'fstat', () => fh.stat()],
  ['ftruncate', 'ftruncate', () => fh.truncate(5)],
  ['fsync', 'fsync', () => fh.sync()],
  ['fdatasync', 'fdatasync', () => fh.datasync()],
  ['fchmod', 'fchmod', () => fh.chmod(0o644)],
  ['fchown', 'fchown', () => fh.chown(...id)],
  ['futimes', 'futime', () => fh.utimes(1, 2)],
  ['close', 'close', () => fh.close()],
  ['access', 'access', () => fsp.access(p('file'))],
  ['copyFile', 'copyfile', () => fsp.copyFile(p('file'), p('copy'))],
  ['rename', 'rename', () => fsp.rename(p('copy'), p('renamed'))],
  ['link', 'link', () => fsp.link(p('renamed'), p('hard'))],
  ['symlink', 'symlink', () => fsp.symlink(p('file'), p('soft'))],
  ['readlink', 'readlink', () => fsp.readlink(p('soft'))],
  ['realpath', 'realpath', () => fsp.realpath(p('soft'))],
  ['stat', 'stat', () => fsp.stat(p('file'))],
  ['lstat', 'lstat', () => fsp.lstat(p('soft'))],
  ['statfs', 'statfs', () => fsp.statfs(dir)],
  ['chmod', 'chmod', () => fsp.chmod(p('renamed'), 0o600)],
  ['chown', 'chown', () => fsp.chown(p('renamed'), ...id)],
  ['lchown', 'lchown', () => fsp.lchown(p('soft'), ...id)],
  ['utimes', 'utime', () => fsp.utimes(p('renamed'), 1, 2)],
  ['lutimes', 'lutime', () => fsp.lutimes(p('soft'), 1, 2)],
  ['unlink', 'unlink', () => fsp.unlink(p('hard'))],
  ['mkdir', 'mkdir', () => fsp.mkdir(p('sub'))],
  ['mkdir (recursive)', 'mkdirp', () => fsp.mkdir(p('deep/er/est'), { recursive: true })],
  ['rmdir', 'rmdir', () => fsp.rmdir(p('sub'))],
  ['mkdtemp', 'mkdtemp', () => fsp.mkdtemp(p('tmp-'))],
  ['readdir', 'scandir', () => fsp.readdir(dir)],
  ['readdir (withFileTypes)', 'scandir', () => fsp.readdir(dir, { withFileTypes: true })],
  ['readdir (recursive)', 'scandir', () => fsp.readdir(p('tree'), { recursive: true })],
  ['readdir (recursive, withFileTypes)', 'scandir',
   () => fsp.readdir(p('tree'), { recursive: true, withFileTypes: true })],
];
(async () => {
  const report = [];
  for (const [binding, kind, op] of cases) {
    const tasksBefore = getStats().tasks.kinds[kind]?.finished ?? 0;
    const before = counts();
    await op();
    const after = counts();
    report.push({
      binding,
      tasks: (getStats().tasks.kinds[kind]?.finished ?? 0) - tasksBefore,
      promiseRequests: after.promiseRequests - before.promiseRequests,
      closeRequests: after.closeRequests - before.closeRequests,
    });
  }
  console.log(JSON.stringify(report));
})();
`;

type Row = { binding: string; tasks: number; promiseRequests: number; closeRequests: number };

t.test(`each binding, ${fsCoro ? 'fast path' : 'stock path'}`, async (t) => {
  const r = spawnSync(process.execPath,
    [fsCoro ? '--fs-coro' : '--no-fs-coro', '--expose-internals', '-e', child, dir],
    { encoding: 'utf8' });
  t.equal(r.status, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as Row[];
  // 33 bindings, mkdir and readdir in their several forms, and close.
  t.equal(new Set(rows.map((row) => row.binding.replace(/ \(.*/, ''))).size, 34);
  for (const row of rows) {
    const stockRequests = row.promiseRequests + row.closeRequests;
    if (fsCoro) {
      t.ok(row.tasks >= 1, `${row.binding}: served by a coroutine (${row.tasks})`);
      t.equal(stockRequests, 0, `${row.binding}: no stock request constructed`);
    } else {
      t.equal(row.tasks, 0, `${row.binding}: no coroutine`);
      t.ok(stockRequests >= 1, `${row.binding}: stock requests (${stockRequests})`);
    }
  }
});
