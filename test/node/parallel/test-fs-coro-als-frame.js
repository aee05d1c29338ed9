'use strict';
// Flags: --expose-internals --experimental-async-context-frame
// node-coro: as test-fs-coro-als.js, with AsyncLocalStorage kept in the
// async context frame: a tracked task captures the frame at its call and
// restores it for every segment.

require('../common');
require('../common/fs-coro-als').run();
