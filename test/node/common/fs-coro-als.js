'use strict';
// Shared by test-fs-coro-als.js and test-fs-coro-als-frame.js (node-coro):
// the same AsyncLocalStorage checks in both storage modes.

const common = require('./');
const assert = require('assert');
const fs = require('fs');
const { AsyncLocalStorage, createHook, executionAsyncId } =
  require('async_hooks');
const { internalBinding } = require('internal/test/binding');

function run() {
  const binding = internalBinding('fs_coro');
  const als = new AsyncLocalStorage();
  const { O_RDONLY } = fs.constants;

  // Inside a coroutine segment (a `before` hook of its resource) the store
  // is the one of the call that started it.
  const ours = new Map();  // async id -> expected store
  let checkedInSegment = 0;
  createHook({
    init(id, type) {
      if (type === 'FSREQCORO' || type === 'FSREQPROMISE') {
        const store = als.getStore();
        if (store !== undefined) ours.set(id, store);
      }
    },
    before(id) {
      if (!ours.has(id)) return;
      assert.strictEqual(als.getStore(), ours.get(id),
                         'the store inside the coroutine segment');
      assert.strictEqual(executionAsyncId(), id);
      checkedInSegment++;
    },
  }).enable();

  async function one(i) {
    return als.run({ i }, async () => {
      const store = als.getStore();
      await binding.stat(__filename, false);
      assert.strictEqual(als.getStore(), store);
      const data = await binding.readFile(__filename, O_RDONLY);
      assert.strictEqual(als.getStore(), store);
      assert.ok(data.length > 0);
      await assert.rejects(binding.readFile('/does/not/exist', O_RDONLY),
                           { code: 'ENOENT' });
      assert.strictEqual(als.getStore(), store);
      return store.i;
    });
  }

  (async () => {
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => one(i)));
    results.forEach((value, i) => assert.strictEqual(value, i));
    assert.strictEqual(als.getStore(), undefined);
    // At least one segment of each of the 3,000 operations ran hooks (a
    // small readFile is one pool job: one segment).
    assert.ok(checkedInSegment >= 3000, `${checkedInSegment} checks`);
  })().then(common.mustCall());
}

module.exports = { run };
