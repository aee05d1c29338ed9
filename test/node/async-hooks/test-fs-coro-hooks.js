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
const hooks = initHooks({
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

  // readFile: four requests, one FSREQCORO.
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
  // One before/after per segment resumed from the loop: after open, fstat,
  // read and close.
  assert.strictEqual(a.before.length, 4);
  assert.strictEqual(a.after.length, 4);
  assert.strictEqual(a.destroy, undefined);
  checkResource(a);
  await new Promise((resolve) => setImmediate(resolve));
  checkInvocations(a, { init: 1, before: 4, after: 4, destroy: 1 },
                   'readFile: next check phase');

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
