// lib-ts/ -> build/lib-ts/lib/ (make lib-ts, scripts/lib-ts-emit.mjs):
// the JS reads like Node's own lib (CommonJS by hand, no TypeScript helpers,
// the source's layout); a type error fails `make lib-ts` and `make
// typecheck`, which emits nothing and needs no node-fork/; and the emitted
// lib/internal/fs/coro.js, loaded the way Node loads a builtin (with fake
// primordials, internalBinding and require), calls its binding with the
// right arguments and declines what it must leave to the stock code.
import t, { type Test } from 'tap';
import { Buffer } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { types } from 'node:util';
import vm from 'node:vm';
import { repoRoot, run, scratchDir } from '../lib/run.ts';

const libTs = path.join(repoRoot, 'lib-ts');

function make(...args: string[]) {
  return run('make', ['--no-print-directory', '-C', repoRoot, ...args]);
}

function scratch(t: Test, prefix: string): string {
  const dir = scratchDir(prefix);
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// Every file under dir, relative, sorted.
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }))
    .filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
}

// lib-ts's modules (not its typings), as lib/ paths of their output.
const expectedOutputs = filesUnder(libTs)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.startsWith(`typings${path.sep}`))
  .map((f) => f.replace(/\.ts$/, '.js'));

// lib-ts copied beside Node's typings (build/node-typings, where
// tsconfig.json looks for them), in a scratch tree with no node-fork/.
function copyLibTs(t: Test): string {
  const root = scratch(t, 'lib-ts-copy');
  fs.cpSync(libTs, path.join(root, 'lib-ts'), { recursive: true });
  fs.mkdirSync(path.join(root, 'build'));
  fs.symlinkSync(path.join(repoRoot, 'build', 'node-typings'), path.join(root, 'build', 'node-typings'));
  return root;
}

const typeError = "\nconst typeErrorOnPurpose: number = 'not a number';\n";

// One build for the checks below, to a scratch output directory.
const built = scratchDir('lib-ts-out');
t.teardown(() => fs.rmSync(built, { recursive: true, force: true }));
const build = make('lib-ts', `LIB_TS_OUT=${built}`);
const outLib = path.join(built, 'lib');

t.test('make lib-ts writes one .js per lib-ts module', async (t) => {
  t.equal(build.status, 0, build.stderr);
  t.match(build.stdout, /lib-ts: \d+ file\(s\) type-checked and written to /);
  t.ok(expectedOutputs.includes(path.join('internal', 'fs', 'coro.js')), 'lib-ts has internal/fs/coro.ts');
  t.strictSame(filesUnder(outLib), expectedOutputs);
});

t.test('the emitted JS reads like Node\'s lib', async (t) => {
  for (const rel of filesUnder(outLib)) {
    const js = fs.readFileSync(path.join(outLib, rel), 'utf8');
    const source = fs.readFileSync(path.join(libTs, rel.replace(/\.js$/, '.ts')), 'utf8');
    t.ok(js.startsWith("'use strict';\n"), `${rel}: starts with 'use strict'`);
    t.notMatch(js, /__esModule/, `${rel}: no __esModule marker`);
    t.notMatch(js, /\b(__awaiter|__generator|__importDefault|__importStar|__createBinding|__exportStar|__classPrivateField\w*|__decorate|__rest|__spreadArray|__assign|tslib)\b/,
      `${rel}: no TypeScript helpers`);
    t.notMatch(js, /\bexports\.\w+\s*=|Object\.defineProperty\(exports/, `${rel}: no exports.x =`);
    t.notMatch(js, /^\s*(import|export)\b/m, `${rel}: no import/export`);
    // A module that uses primordials takes them the way Node's lib does.
    if (/\bprimordials\b/.test(js))
      t.match(js, /^const \{[^}]*\} = primordials;$/m, `${rel}: primordials destructured`);
    t.match(js, /^module\.exports = \{$/m, `${rel}: module.exports = { ... }`);
    // Layout kept: every line is a source line's indentation and start
    // (tsc's printer would re-indent by four and drop blank lines).
    const starts = new Set(source.split('\n').map((l) => l.slice(0, l.search(/\S|$/) + 6)));
    const moved = js.split('\n').filter((l) => !starts.has(l.slice(0, l.search(/\S|$/) + 6)));
    t.strictSame(moved, [], `${rel}: indentation and line starts as in the source`);
    const blank = (s: string) => s.split('\n').filter((l) => l === '').length;
    t.ok(blank(js) >= blank(source) - 2 * (source.match(/^(interface|type) /gm)?.length ?? 0),
      `${rel}: blank lines kept`);
    // Plain JavaScript for the machine's V8 (older than the fork's).
    t.doesNotThrow(() => vm.compileFunction(js, ['exports', 'require', 'module', 'process',
      'internalBinding', 'primordials']), `${rel}: compiles as a function body`);
  }
});

t.test('a type error fails make lib-ts and keeps the previous output', async (t) => {
  const root = copyLibTs(t);
  const args = [`LIB_TS_SRC=${path.join(root, 'lib-ts')}`, `LIB_TS_OUT=${path.join(root, 'out')}`];
  let r = make('lib-ts', ...args);
  t.equal(r.status, 0, r.stderr);
  const coro = path.join(root, 'out', 'lib', 'internal', 'fs', 'coro.js');
  const before = fs.readFileSync(coro, 'utf8');

  fs.appendFileSync(path.join(root, 'lib-ts', 'internal', 'fs', 'coro.ts'), typeError);
  r = make('lib-ts', ...args);
  t.not(r.status, 0, 'make lib-ts fails');
  t.match(r.stderr, /internal\/fs\/coro\.ts\(\d+,\d+\): error TS2322/);
  t.match(r.stderr, /lib-ts: \d+ type error\(s\), nothing written/);
  t.equal(fs.readFileSync(coro, 'utf8'), before, 'the previous output is left as it was');
  t.strictSame(fs.readdirSync(path.join(root, 'out')), ['lib'], 'no half-written directory');
});

t.test('an error inside lib-ts\'s own typings fails make lib-ts too', async (t) => {
  // skipLibCheck is on for Node's typings; the emitter checks ours anyway.
  const root = copyLibTs(t);
  const utils = path.join(root, 'lib-ts', 'typings', 'internal', 'fs', 'utils.d.ts');
  fs.writeFileSync(utils, fs.readFileSync(utils, 'utf8').replace(/\}\s*$/, '  export const typo: Unknwn;\n}\n'));
  const r = make('lib-ts', `LIB_TS_SRC=${path.join(root, 'lib-ts')}`, `LIB_TS_OUT=${path.join(root, 'out')}`);
  t.not(r.status, 0, 'make lib-ts fails');
  t.match(r.stderr, /utils\.d\.ts\(\d+,\d+\): error TS2304: Cannot find name 'Unknwn'/);
  t.notOk(fs.existsSync(path.join(root, 'out', 'lib')), 'nothing written');
});

t.test('make typecheck fails on a type error and emits nothing, with no node-fork', async (t) => {
  const root = copyLibTs(t);
  const tsconfig = path.join(root, 'lib-ts', 'tsconfig.json');
  t.notMatch(fs.readFileSync(tsconfig, 'utf8'), /node-fork/, 'tsconfig does not look into node-fork/');
  const filesBefore = filesUnder(root);

  let r = make('typecheck', `TSCONFIGS=${tsconfig}`);
  t.equal(r.status, 0, r.stdout + r.stderr);
  t.match(r.stdout, 'typecheck: 1 passed, 0 failed');
  t.strictSame(filesUnder(root), filesBefore, 'no file written');

  fs.appendFileSync(path.join(root, 'lib-ts', 'internal', 'fs', 'coro.ts'), typeError);
  r = make('typecheck', `TSCONFIGS=${tsconfig}`);
  t.not(r.status, 0, 'make typecheck fails');
  t.match(r.stdout, /coro\.ts\(\d+,\d+\): error TS2322/);
  t.strictSame(filesUnder(root), filesBefore, 'still no file written');
});

// --- lib/internal/fs/coro.js in a harness ------------------------------------

// Node's primordials (lib/internal/per_context/primordials.js), for the
// globals the harness needs: statics as NameKey, Promise's bound to
// Promise, prototype methods uncurried as NamePrototypeKey.
function makePrimordials(): Record<string, unknown> {
  const p: Record<string, unknown> = {};
  const uncurryThis = (fn: Function) => Function.prototype.call.bind(fn);
  const upper = (k: string) => `${k[0]?.toUpperCase()}${k.slice(1)}`;
  const g = globalThis as unknown as Record<string, Function>;
  for (const name of ['Array', 'Error', 'Object', 'Promise', 'Reflect', 'String', 'TypeError']) {
    const original = g[name] as Function & { prototype?: object };
    p[name] = original;
    for (const key of Object.getOwnPropertyNames(original)) {
      const d = Object.getOwnPropertyDescriptor(original, key);
      if (typeof d?.value !== 'function') continue;
      p[`${name}${upper(key)}`] = name === 'Promise' ? d.value.bind(original) : d.value;
    }
    if (name === 'Reflect' || !original.prototype) continue;
    for (const key of Object.getOwnPropertyNames(original.prototype)) {
      const d = Object.getOwnPropertyDescriptor(original.prototype, key);
      if (typeof d?.value === 'function' && key !== 'constructor')
        p[`${name}Prototype${upper(key)}`] = uncurryThis(d.value);
    }
  }
  return p;
}

const codeError = (Ctor: ErrorConstructor, code: string, message: string) =>
  Object.assign(new Ctor(`${message}`), { code });

interface Call { fn: string; args: unknown[] }

interface Harness {
  handlesReadFile: (path: unknown, options?: unknown) => boolean;
  readFile: (path: unknown, options?: unknown) => Promise<unknown>;
  exportNames: string[];
  // Every call into the binding and into internal/fs/utils, in order.
  calls: Call[];
  bindingCalls: () => Call[];
  // What the binding's next call settles with.
  nextResult: { value?: unknown; error?: Error };
}

const { O_RDONLY, O_RDWR, O_WRONLY, O_CREAT, O_TRUNC, O_SYNC } = fs.constants;

function loadCoro(): Harness {
  const js = fs.readFileSync(path.join(outLib, 'internal', 'fs', 'coro.js'), 'utf8');
  const calls: Call[] = [];
  const h = { nextResult: {} } as Harness;
  const settle = (fn: string, args: unknown[]) => {
    calls.push({ fn, args });
    const { value, error } = h.nextResult;
    h.nextResult = {};
    return error ? Promise.reject(error) : Promise.resolve(value);
  };
  const binding = {
    readFile: (...args: unknown[]) => settle('binding.readFile', args),
    cancel: (...args: unknown[]) => { calls.push({ fn: 'binding.cancel', args }); },
  };
  // internal/fs/utils, as stock behaves for what the tests pass.
  const utils = {
    getOptions(options: unknown, defaultOptions: object = {}) {
      calls.push({ fn: 'getOptions', args: [options] });
      if (options == null || typeof options === 'function') return defaultOptions;
      let o: Record<string, unknown>;
      if (typeof options === 'string') o = { ...defaultOptions, encoding: options };
      else if (typeof options !== 'object') throw codeError(TypeError, 'ERR_INVALID_ARG_TYPE', 'options');
      else o = options as Record<string, unknown>;
      if (o['encoding'] !== 'buffer' && o['encoding'] && !Buffer.isEncoding(o['encoding'] as string))
        throw codeError(TypeError, 'ERR_INVALID_ARG_VALUE', 'encoding');
      if (o['signal'] !== undefined && !(o['signal'] instanceof AbortSignal))
        throw codeError(TypeError, 'ERR_INVALID_ARG_TYPE', 'options.signal');
      return o;
    },
    getValidatedPath(p: unknown) {
      calls.push({ fn: 'getValidatedPath', args: [p] });
      const v = p instanceof URL ? fileURLToPath(p) : p;
      if (typeof v !== 'string' && !types.isUint8Array(v))
        throw codeError(TypeError, 'ERR_INVALID_ARG_TYPE', 'path');
      if (typeof v === 'string' ? v.includes('\0') : v.includes(0))
        throw codeError(TypeError, 'ERR_INVALID_ARG_VALUE', 'path');
      return v;
    },
    stringToFlags(flags: unknown) {
      calls.push({ fn: 'stringToFlags', args: [flags] });
      if (typeof flags === 'number') return flags;
      const known: Record<string, number> = {
        'r': O_RDONLY, 'rs': O_RDONLY | O_SYNC, 'r+': O_RDWR, 'w': O_TRUNC | O_CREAT | O_WRONLY,
      };
      if (flags == null) return O_RDONLY;
      if (typeof flags === 'string' && flags in known) return known[flags];
      throw codeError(TypeError, 'ERR_INVALID_ARG_VALUE', 'flags');
    },
  };
  class AbortError extends Error {
    code = 'ABORT_ERR';
    constructor(message = 'The operation was aborted', options?: { cause?: unknown }) {
      super(message, options);
      this.name = 'AbortError';
    }
  }
  class ERR_FS_FILE_TOO_LARGE extends RangeError {
    code = 'ERR_FS_FILE_TOO_LARGE';
    constructor(size: number) {
      super(`File size (${size}) is greater than 2 GiB`);
    }
  }
  const modules: Record<string, unknown> = {
    'buffer': { Buffer },
    'internal/errors': { AbortError, codes: { ERR_FS_FILE_TOO_LARGE } },
    'internal/fs/utils': {
      ...utils,
      validateStringAfterArrayBufferView(value: unknown, name: string) {
        calls.push({ fn: 'validateStringAfterArrayBufferView', args: [value] });
        if (typeof value !== 'string') throw codeError(TypeError, 'ERR_INVALID_ARG_TYPE', name);
      },
    },
    'internal/util/types': {
      isArrayBufferView: types.isArrayBufferView,
      isProxy: types.isProxy,
      isUint8Array: types.isUint8Array,
    },
    'internal/validators': {
      parseFileMode(value: unknown, name: string, def?: number) {
        calls.push({ fn: 'parseFileMode', args: [value] });
        if (value === undefined) return def;
        if (typeof value !== 'number') throw codeError(TypeError, 'ERR_INVALID_ARG_TYPE', name);
        return value;
      },
      validateAbortSignal(signal: unknown) {
        calls.push({ fn: 'validateAbortSignal', args: [signal] });
      },
      validateBoolean(value: unknown, name: string) {
        calls.push({ fn: 'validateBoolean', args: [value] });
        if (typeof value !== 'boolean') throw codeError(TypeError, 'ERR_INVALID_ARG_TYPE', name);
      },
    },
  };
  const require = (id: string) => {
    if (!(id in modules)) throw new Error(`harness: no module ${id}`);
    return modules[id];
  };
  const internalBinding = (name: string) => {
    if (name !== 'fs_coro') throw new Error(`harness: no binding ${name}`);
    return binding;
  };
  const fn = vm.compileFunction(js, ['exports', 'require', 'module', 'process', 'internalBinding',
    'primordials'], { filename: 'node:internal/fs/coro' });
  const module = { exports: {} as Record<string, Function> };
  fn(module.exports, require, module, process, internalBinding, makePrimordials());
  Object.assign(h, {
    handlesReadFile: module.exports['handlesReadFile'],
    readFile: module.exports['readFile'],
    exportNames: Object.keys(module.exports).sort(),
    calls,
    bindingCalls: () => calls.filter((c) => c.fn.startsWith('binding.')),
  });
  return h;
}

// An object whose every read is logged: a Proxy with every trap, or getters.
function watched(log: string[], target: object = {}): object {
  return new Proxy(target, Object.fromEntries(
    ['get', 'has', 'getOwnPropertyDescriptor', 'getPrototypeOf', 'ownKeys'].map((trap) =>
      [trap, (...args: unknown[]) => {
        log.push(trap);
        return (Reflect as unknown as Record<string, Function>)[trap]!(...args);
      }])));
}

t.test('coro.js exports handlesX() and X() for readFile, writeFile and truncate', async (t) => {
  t.strictSame(loadCoro().exportNames,
    ['handlesReadFile', 'handlesTruncate', 'handlesWriteFile', 'readFile', 'truncate', 'writeFile']);
});

t.test('readFile: the binding gets the validated path and stock\'s flags', async (t) => {
  const h = loadCoro();
  const data = Buffer.from([0x68, 0xe9]);
  const read = async (path: unknown, options?: unknown) => {
    h.nextResult = { value: data };
    const r = h.readFile(path, options);
    t.type(r, Promise, `handled: ${String(options)}`);
    return r;
  };
  t.equal(await read('/f'), data, 'the binding\'s Buffer itself');
  t.equal(await read('/f', 'latin1'), 'h\u00e9', 'an encoding: buffer.toString(encoding)');
  const buf = Buffer.from('/b');
  t.equal(await read(buf, { encoding: 'hex', flag: 'r+' }), '68e9');
  t.equal(await read('/f', { flag: 'w' }), data);
  t.equal(await read('/f', () => {}), data, 'a function: the defaults');
  t.equal(await read('/f', { encoding: null }), data, 'a falsy encoding: a Buffer');
  t.equal(await read('/f', { flag: O_RDWR }), data);
  t.equal(await read('/f', { flag: '' }), data, "a falsy flag: 'r'");
  t.strictSame(h.bindingCalls(), [
    { fn: 'binding.readFile', args: ['/f', O_RDONLY] },
    { fn: 'binding.readFile', args: ['/f', O_RDONLY] },
    { fn: 'binding.readFile', args: [buf, O_RDWR] },
    { fn: 'binding.readFile', args: ['/f', O_TRUNC | O_CREAT | O_WRONLY] },
    { fn: 'binding.readFile', args: ['/f', O_RDONLY] },
    { fn: 'binding.readFile', args: ['/f', O_RDONLY] },
    { fn: 'binding.readFile', args: ['/f', O_RDWR] },
    { fn: 'binding.readFile', args: ['/f', O_RDONLY] },
  ]);
  t.ok(h.bindingCalls()[2]?.args[0] === buf, 'a Buffer path is passed as it is');
  // Stock's order: getOptions(), then the path, then the flags.
  t.strictSame(h.calls.slice(0, 4).map((c) => c.fn),
    ['getOptions', 'getValidatedPath', 'stringToFlags', 'binding.readFile']);
});

t.test('readFile: errors as stock, in stock\'s order, always as rejections', async (t) => {
  const h = loadCoro();
  await t.rejects(h.readFile('a\0b', 'no-such-encoding'),
    { code: 'ERR_INVALID_ARG_VALUE', message: 'encoding' }, 'options before the path');
  await t.rejects(h.readFile('a\0b', { flag: 'bogus' }),
    { code: 'ERR_INVALID_ARG_VALUE', message: 'path' }, 'the path before the flags');
  await t.rejects(h.readFile('/f', { flag: 'bogus' }),
    { code: 'ERR_INVALID_ARG_VALUE', message: 'flags' });
  await t.rejects(h.readFile('/f', 5), { code: 'ERR_INVALID_ARG_TYPE', message: 'options' });
  t.strictSame(h.bindingCalls(), []);

  const fakeBindingFrame = () => Object.assign(new Error('EISDIR'), { code: 'EISDIR', syscall: 'read' });
  const err = fakeBindingFrame();
  h.nextResult = { error: err };
  const got = await h.readFile('/dir', 'utf8').catch((e: unknown) => e);
  t.equal(got, err, 'the binding\'s error itself');
  t.notMatch(String(err.stack), /fakeBindingFrame/, 'stack re-captured');

  // A file over 2 GiB: the binding rejects with its size, lib makes the error.
  h.nextResult = { error: 2 ** 31 as unknown as Error };
  await t.rejects(h.readFile('/big'), {
    name: 'RangeError', code: 'ERR_FS_FILE_TOO_LARGE', message: 'File size (2147483648) is greater than 2 GiB',
  });
});

t.test('readFile: a signal is sampled before the open and after the whole read', async (t) => {
  let h = loadCoro();
  const aborted = AbortSignal.abort('why');
  const early = await h.readFile('/f', { signal: aborted })
    .catch((e: unknown) => e) as Error & { code?: string; cause?: unknown };
  t.equal(early.name, 'AbortError');
  t.equal(early.code, 'ABORT_ERR');
  t.equal(early.cause, 'why');
  t.strictSame(h.bindingCalls(), [], 'already aborted: nothing opened');

  h = loadCoro();
  const controller = new AbortController();
  const late = h.readFile('/f', { signal: controller.signal });
  controller.abort('later');
  const got = await late.catch((e: unknown) => e) as Error & { cause?: unknown };
  t.equal(got.name, 'AbortError', 'aborted while in flight: rejected at the end');
  t.equal(got.cause, 'later');
  const [read, cancel] = h.bindingCalls();
  t.equal(read?.fn, 'binding.readFile', 'the read ran once');
  t.equal(read?.args.length, 3, 'with an abort id');
  t.strictSame(cancel, { fn: 'binding.cancel', args: [read?.args[2]] }, 'the abort cancelled it by that id');

  // An open error wins over an abort, as stock samples the signal only
  // after its open succeeded; a later step's error does not.
  for (const [syscall, wins] of [['open', true], ['read', false]] as const) {
    h = loadCoro();
    const c = new AbortController();
    const error = Object.assign(new Error(syscall), { code: 'E', syscall });
    h.nextResult = { error };
    const p = h.readFile('/f', { signal: c.signal });
    c.abort('x');
    const e = await p.catch((x: unknown) => x);
    t.equal(e === error, wins, `${syscall} error ${wins ? 'wins over' : 'loses to'} the abort`);
  }
  // With a flag whose open has side effects, nothing is cancellable.
  h = loadCoro();
  h.nextResult = { value: Buffer.from('x') };
  await h.readFile('/f', { flag: 'r+', signal: new AbortController().signal });
  t.equal(h.bindingCalls()[0]?.args.length, 2, "flag 'r+': no abort id");

  h = loadCoro();
  const data = Buffer.from('data');
  h.nextResult = { value: data };
  const fine = await h.readFile('/f', { signal: new AbortController().signal });
  t.equal(fine, data, 'a signal never aborted: the data');
});

t.test('readFile: declines, touching nothing, what needs the stock code', async (t) => {
  const h = loadCoro();
  const declines = (what: string, path: unknown, options?: unknown) =>
    t.equal(h.handlesReadFile(path, options), false, what);
  t.equal(h.handlesReadFile('/f'), true, 'a path and no options: handled');

  declines('a FileHandle', { fd: 3, close() {} });
  declines('a URL', new URL('file:///tmp/x'));
  declines('no path', undefined);
  declines("the 'buffer' encoding", '/f', 'buffer');
  declines("the 'buffer' encoding, as an option", '/f', { encoding: 'buffer' });

  const log: string[] = [];
  declines('options that are a Proxy', '/f', watched(log));
  declines('options inheriting from a Proxy', '/f', Object.create(watched(log)));
  declines('an encoding getter', '/f', { get encoding() { log.push('encoding'); return 'utf8'; } });
  declines('a flag getter', '/f', { get flag() { log.push('flag'); return 'r'; } });
  const polluted = (key: string, options?: unknown) => {
    Object.defineProperty(Object.prototype, key, {
      configurable: true, get() { log.push(`Object.prototype.${key}`); return undefined; },
    });
    try {
      return h.handlesReadFile('/f', options);
    } finally {
      delete (Object.prototype as Record<string, unknown>)[key];
    }
  };
  t.equal(polluted('signal'), false, 'a signal getter on Object.prototype (stock reads defaults.signal)');
  t.equal(polluted('encoding', 'utf8'), false, 'an encoding getter on Object.prototype');
  t.strictSame(log, [], 'no trap, no getter ran');
  t.strictSame(h.calls, [], 'nothing validated, nothing called');
});
