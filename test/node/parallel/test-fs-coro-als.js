'use strict';
// Flags: --expose-internals
// node-coro: AsyncLocalStorage (the default, async_hooks-based mode) keeps
// its store across coroutine operations and isolates 1,000 concurrent ones,
// in the continuation and inside the coroutine's own segments (a hook that
// runs there sees the caller's store). test-fs-coro-als-frame.js runs the
// same checks with --experimental-async-context-frame.

require('../common');
require('../common/fs-coro-als').run();
