// The switch between the coroutine fast path (default, --fs-coro) and the
// stock path (--no-fs-coro): accepted on the command line and in
// NODE_OPTIONS, decided once at startup, inherited by workers and by child
// processes the way other options are. Which path served an operation is
// seen the way a user can see it: the async resource types that
// fs.promises.readFile reports (one FSREQCORO on the fast path, FSREQPROMISE
// per request on the stock path).
import t from 'tap';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const node = process.execPath;
// make test's stock-mode run sets NODE_OPTIONS=--no-fs-coro, and tap puts
// the runner's NODE_OPTIONS back into every process a test starts: the
// default cannot be seen from inside that run (the fast-mode run checks it).
const stockRun = /--no-fs-coro/.test(process.env['NODE_OPTIONS'] ?? '') &&
  'the stock-mode run: tap re-injects NODE_OPTIONS=--no-fs-coro into children';

// A script that prints the FS* resource types fs.promises.readFile and
// fs.promises.stat create, in its process and in a worker of its own.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'node-coro-switch-'));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
const data = path.join(dir, 'data.txt');
fs.writeFileSync(data, 'x'.repeat(100));
const script = path.join(dir, 'types.js');
fs.writeFileSync(script, `
const { createHook } = require('node:async_hooks');
const { Worker, isMainThread, parentPort } = require('node:worker_threads');
const fsp = require('node:fs/promises');
async function types() {
  const seen = new Set();
  const hook = createHook({
    init(id, type) { if (/^(FS|FILEHANDLE)/.test(type)) seen.add(type); },
  });
  hook.enable();
  await fsp.readFile(${JSON.stringify(data)});
  await fsp.stat(${JSON.stringify(data)});
  hook.disable();
  return [...seen].sort().join(',');
}
if (isMainThread) {
  types().then((main) => {
    new Worker(__filename).on('message', (worker) =>
      console.log(JSON.stringify({ main, worker })));
  });
} else {
  types().then((types) => parentPort.postMessage(types));
}
`);

function typesOf(args: string[], env: NodeJS.ProcessEnv = {}): { main: string; worker: string } {
  const r = spawnSync(node, [...args, script], {
    encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', ...env },
  });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim()) as { main: string; worker: string };
}

t.test('the fast path is the default, in the process and its workers', { skip: stockRun }, async (t) => {
  const got = typesOf([]);
  t.equal(got.main, 'FSREQCORO,FSREQPROMISE');
  t.equal(got.worker, 'FSREQCORO,FSREQPROMISE');
});

t.test('--fs-coro is accepted and is the default', { skip: stockRun }, async (t) => {
  t.same(typesOf(['--fs-coro']), typesOf([]));
});

t.test('--no-fs-coro selects the stock path, workers inherit it', async (t) => {
  const got = typesOf(['--no-fs-coro']);
  t.equal(got.main, 'FILEHANDLE,FILEHANDLECLOSEREQ,FSREQPROMISE');
  t.equal(got.worker, 'FILEHANDLE,FILEHANDLECLOSEREQ,FSREQPROMISE');
});

t.test('NODE_OPTIONS=--no-fs-coro works the same', async (t) => {
  const got = typesOf([], { NODE_OPTIONS: '--no-fs-coro' });
  t.equal(got.main, 'FILEHANDLE,FILEHANDLECLOSEREQ,FSREQPROMISE');
  t.equal(got.worker, 'FILEHANDLE,FILEHANDLECLOSEREQ,FSREQPROMISE');
});

t.test('child processes inherit it through execArgv', { skip: stockRun }, async (t) => {
  // fork() starts the child with the parent's execArgv, as for any option.
  const child = path.join(dir, 'child.js');
  fs.writeFileSync(child, "process.send(require('node:coro').fsCoro);");
  const parent = path.join(dir, 'parent.js');
  fs.writeFileSync(parent, `
    const { fork } = require('node:child_process');
    fork(${JSON.stringify(child)}).on('message', (fsCoro) => console.log(fsCoro));
  `);
  for (const [args, want] of [[['--no-fs-coro'], 'false'], [[], 'true']] as const) {
    const r = spawnSync(node, [...args, parent], {
      encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' },
    });
    t.equal(r.status, 0, r.stderr);
    t.equal(r.stdout.trim(), want, `parent ${args.join(' ') || '(default)'}`);
  }
});

t.test('the option is listed by --help and known to process.allowedNodeEnvironmentFlags', async (t) => {
  const r = spawnSync(node, ['-p', `process.allowedNodeEnvironmentFlags.has('--no-fs-coro') && process.allowedNodeEnvironmentFlags.has('--fs-coro')`],
    { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  t.equal(r.stdout.trim(), 'true', r.stderr);
  const help = spawnSync(node, ['--help'], { encoding: 'utf8' });
  // Node lists an option that defaults to true by its --no- form.
  t.match(help.stdout, /--no-fs-coro\s+serve fs\.promises from the stock/);
});
