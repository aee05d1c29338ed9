// The runner's start check: run with exactly the contender's runtime flags,
// so that a flag the binary does not accept fails here, before any timing.
// Prints one JSON line: the runtime, process.versions, process.execArgv,
// the real binary (process.execPath) and the thread-pool setting seen.

import { runtimeInfo } from './ops.mjs';

process.stdout.write(`${JSON.stringify({
  tool: 'probe',
  runtime: runtimeInfo(),
  versions: process.versions,
  exec_argv: process.execArgv,
  exec_path: process.execPath,
  uv_threadpool_size: process.env.UV_THREADPOOL_SIZE ?? null,
  pid: process.pid,
})}\n`);
