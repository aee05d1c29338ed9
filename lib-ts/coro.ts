'use strict';

// node:coro (node-coro only): what the calling thread's coroutines hold and
// do. Documented in doc/api/coro.md; typed for users in types/node-coro.
// Only the node: scheme reaches it (lib/internal/bootstrap/realm.js), so it
// never shadows an npm package called coro.

const { getStats: bindingGetStats } = internalBinding('fs_coro');
const { getOptionValue } = require('internal/options');

// The counters of the calling thread's frame allocator and of its
// Environment's tracked tasks, as a fresh object each call.
function getStats() {
  return bindingGetStats();
}

module.exports = {
  getStats,
  // Whether fs.promises runs on coroutines (false with --no-fs-coro).
  fsCoro: getOptionValue('--fs-coro'),
  version: process.versions['node_coro'],
};
