'use strict';
// node-coro: process.exit() with coroutine operations in flight exits with
// its code, at once, whatever the operations were doing.

const common = require('../common');
const assert = require('assert');
const { spawnSync } = require('child_process');

const script = `
  const { internalBinding } = require('internal/test/binding');
  const binding = internalBinding('fs_coro');
  for (let i = 0; i < 1000; i++) {
    binding.readFile(${JSON.stringify(__filename)}, 0).catch(() => {});
    binding.stat(${JSON.stringify(__filename)}, false).catch(() => {});
  }
  setImmediate(() => process.exit(7));
`;
for (const when of ['sync', 'immediate']) {
  const code = when === 'sync' ? script.replace(
    'setImmediate(() => process.exit(7));', 'process.exit(7);') : script;
  const child = spawnSync(process.execPath, ['--expose-internals', '--no-warnings', '-e', code],
                          { encoding: 'utf8' });
  assert.strictEqual(child.signal, null, when);
  assert.strictEqual(child.status, 7, `${when}: ${child.stderr}`);
  assert.strictEqual(child.stderr, '', when);
}
common.mustCall()();
