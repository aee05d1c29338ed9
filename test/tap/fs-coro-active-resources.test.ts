// process.getActiveResourcesInfo() and process._getActiveRequests() list
// fs.promises operations in flight on both paths: FSReqPromise for a single
// request (a coroutine names itself as the request it replaces), FSReqCoro
// for a coroutine of several requests (readFile on the fast path), and the
// two lists agree. Nothing is left once the operations settled.
import t from 'tap';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fsCoro } from 'node:coro';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'node-coro-active-'));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
const file = path.join(dir, 'data');
fs.writeFileSync(file, 'x'.repeat(1024));

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
const fsEntries = () => process.getActiveResourcesInfo()
  .filter((name) => /^(FSReq|FileHandle|CloseReq)/.test(name)).sort();
const activeRequests = () =>
  (process as unknown as { _getActiveRequests(): object[] })._getActiveRequests();

t.test('in-flight operations are listed, settled ones are not', async (t) => {
  await settle();
  t.same(fsEntries(), [], 'nothing in flight at rest');
  const ops = [fsp.stat(file), fsp.readFile(file)];
  const listed = fsEntries();
  t.same(listed, fsCoro ? ['FSReqCoro', 'FSReqPromise'] : ['FSReqPromise', 'FSReqPromise']);
  t.equal(activeRequests().length, listed.length, '_getActiveRequests() agrees');
  t.ok(activeRequests().every((r) => typeof r === 'object' && r !== null));
  await Promise.all(ops);
  await settle();
  t.same(fsEntries(), [], 'none once settled');
  t.equal(activeRequests().length, 0);
});
