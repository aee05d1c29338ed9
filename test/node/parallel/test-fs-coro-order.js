'use strict';
// Flags: --expose-internals
// node-coro: ticks and microtasks queued by the continuation of a coroutine's
// promise run before the next I/O callback, as with FSReqPromise: every
// segment of a tracked task closes its callback scope, which drains both.

const common = require('../common');
const assert = require('assert');
const fs = require('fs');
const { internalBinding } = require('internal/test/binding');

const binding = internalBinding('fs_coro');

function check(start) {
  const order = [];
  const ops = [0, 1, 2].map((i) => start().then(() => {
    order.push(`continuation ${i}`);
    process.nextTick(() => order.push(`tick ${i}`));
    queueMicrotask(() => order.push(`microtask ${i}`));
  }));
  // The last continuation's tick runs after Promise.all's reaction (a
  // microtask): look at the order once the loop moved on.
  return Promise.all(ops).then(() => new Promise(setImmediate)).then(() => {
    // Whatever order the requests completed in, each continuation's tick and
    // microtask come before the next continuation.
    for (let i = 0; i < order.length; i += 3) {
      const n = order[i].split(' ')[1];
      assert.deepStrictEqual(order.slice(i, i + 3).sort(), [
        `continuation ${n}`, `microtask ${n}`, `tick ${n}`,
      ]);
      assert.strictEqual(order[i], `continuation ${n}`);
    }
    return order;
  });
}

(async () => {
  await check(() => binding.stat(__filename, false));
  await check(() => binding.readFile(__filename, fs.constants.O_RDONLY));
  await check(() => fs.promises.stat(__filename));  // Stock, the reference.
})().then(common.mustCall());
