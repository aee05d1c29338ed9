'use strict';
// Flags: --expose-internals
// node-coro: a tracked coroutine is, to async_hooks, one async resource like
// any ReqWrap: init synchronously at the call with triggerAsyncId the
// executionAsyncId there, before/after strictly paired around every segment
// that runs from the event loop, executionAsyncResource() an object that is
// the init resource and stays the same across segments, destroy exactly once
// and only in a later check phase. stat replaces one FSReqPromise and reports
// as FSREQPROMISE; readFile (open, fstat, read, close) is one FSREQCORO.

const common = require('../common');
const assert = require('assert');
const fs = require('fs');
const { executionAsyncId, executionAsyncResource } = require('async_hooks');
const { internalBinding } = require('internal/test/binding');
const { isMainThread } = require('worker_threads');
const initHooks = require('./init-hooks');
const { checkInvocations } = require('./hook-checks');

if (!isMainThread)
  common.skip('Worker bootstrapping works differently -> different async IDs');

const binding = internalBinding('fs_coro');

// The resource seen by executionAsyncResource() inside each before hook.
const seenInBefore = new Map();
// Nesting of before/after, checked as they come.
const stack = [];
// allowNoInit: callbacks of resources created before the hook was enabled
// (bootstrap's ticks) are not ours to check.
const hooks = initHooks({
  allowNoInit: true,
  onbefore(uid) {
    stack.push(uid);
    const list = seenInBefore.get(uid) ?? [];
    list.push(executionAsyncResource());
    seenInBefore.set(uid, list);
  },
  onafter(uid) {
    assert.strictEqual(stack.pop(), uid, 'before/after are strictly nested');
  },
});
hooks.enable();

function checkResource(activity) {
  const seen = seenInBefore.get(activity.uid) ?? [];
  assert.ok(seen.length >= 1, 'at least one segment ran JS-visible hooks');
  for (const resource of seen) {
    assert.strictEqual(typeof resource, 'object');
    assert.notStrictEqual(resource, null);
    assert.strictEqual(resource, activity.handle,
                       'executionAsyncResource() is the init resource');
  }
}

function onlyActivity(type, since) {
  const as = hooks.activitiesOfTypes(type).filter((a) => a.uid > since);
  assert.strictEqual(as.length, 1, `one ${type} resource`);
  return as[0];
}

async function run() {
  // stat: one request, one FSREQPROMISE.
  let callerId = executionAsyncId();
  let mark = callerId;
  const stats = await binding.stat(__filename, false);
  assert.ok(stats instanceof Float64Array);
  assert.strictEqual(stats[8], fs.statSync(__filename).size);
  let a = onlyActivity('FSREQPROMISE', mark);
  assert.strictEqual(a.triggerAsyncId, callerId);
  assert.strictEqual(a.handleIsObject, true);
  // The continuation runs in the checkpoint of the scope that settled the
  // promise: after `after`, before destroy.
  checkInvocations(a, { init: 1, before: 1, after: 1 }, 'stat: continuation');
  assert.strictEqual(a.destroy, undefined);
  checkResource(a);
  await new Promise((resolve) => setImmediate(resolve));
  checkInvocations(a, { init: 1, before: 1, after: 1, destroy: 1 },
                   'stat: next check phase');

  // readFile: one FSREQCORO. A small file is one pool job (open, fstat,
  // read, close): one segment resumed from the loop, one before/after.
  callerId = executionAsyncId();
  mark = hooks.activitiesOfTypes('FSREQPROMISE').concat(
    hooks.activitiesOfTypes('FSREQCORO')).reduce((m, x) => Math.max(m, x.uid),
                                                 callerId);
  const data = await binding.readFile(__filename, fs.constants.O_RDONLY);
  assert.deepStrictEqual(data, fs.readFileSync(__filename));
  assert.deepStrictEqual(
    hooks.activitiesOfTypes(['FSREQPROMISE', 'FILEHANDLE',
                             'FILEHANDLECLOSEREQ']).filter((x) => x.uid > mark),
    [], 'no per-request resources');
  a = onlyActivity('FSREQCORO', mark);
  assert.strictEqual(a.triggerAsyncId, callerId);
  checkInvocations(a, { init: 1, before: 1, after: 1 },
                   'readFile: continuation');
  assert.strictEqual(a.destroy, undefined);
  checkResource(a);
  await new Promise((resolve) => setImmediate(resolve));
  checkInvocations(a, { init: 1, before: 1, after: 1, destroy: 1 },
                   'readFile: next check phase');

  // A file larger than one 512 KiB chunk: the job reads the first chunk,
  // then one request per chunk, each resuming the coroutine in a segment of
  // its own, all of one resource.
  const tmpdir = require('../common/tmpdir');
  tmpdir.refresh();
  const big = tmpdir.resolve('big');
  fs.writeFileSync(big, Buffer.alloc(3 * 512 * 1024 + 1, 'b'));
  mark = a.uid;
  assert.strictEqual((await binding.readFile(big, fs.constants.O_RDONLY)).length,
                     3 * 512 * 1024 + 1);
  a = onlyActivity('FSREQCORO', mark);
  // The job, three more reads, the close.
  checkInvocations(a, { init: 1, before: 5, after: 5 }, 'big readFile');
  checkResource(a);

  // A rejected operation behaves the same.
  mark = a.uid;
  await assert.rejects(binding.stat('/does/not/exist', false),
                       { code: 'ENOENT', syscall: 'stat' });
  a = onlyActivity('FSREQPROMISE', mark);
  checkInvocations(a, { init: 1, before: 1, after: 1 }, 'failed stat');
}

run().then(common.mustCall(() => {
  process.on('exit', () => {
    hooks.disable();
    hooks.sanityCheck(['FSREQPROMISE', 'FSREQCORO']);
    for (const type of ['FSREQPROMISE', 'FSREQCORO']) {
      for (const a of hooks.activitiesOfTypes(type))
        checkInvocations(a, { init: 1, destroy: 1 }, `${type} at exit`);
    }
  });
}));
