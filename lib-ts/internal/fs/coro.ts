'use strict';

// The fs.promises fast path: operations served by internalBinding('fs_coro'),
// one C++ coroutine per call, instead of stock's chain of FSReqPromise
// requests. lib/internal/fs/promises.js asks first:
//
//   function readFile(path, options) {
//     if (useCoro() && fsCoro.handlesReadFile(path, options))
//       return fsCoro.readFile(path, options);
//     return readFileStock(path, options);
//   }
//
// handlesX() answers before doing anything a caller could observe (no
// getter, no Proxy trap, no validation), so that the stock code, when it
// runs, runs exactly as if it had been called alone. X() then does what the
// fs.promises function of the same name does, with the same validation, in
// the same order, and the same results and errors. The seam calls X()
// itself, so that a stack trace has as many frames of lib as stock's.
// Whether the fast path is on at all (--no-fs-coro) is the caller's choice.

const {
  ErrorCaptureStackTrace,
  MathMax,
  NumberIsSafeInteger,
  ObjectGetOwnPropertyDescriptor,
  ObjectGetPrototypeOf,
  ObjectPrototypeHasOwnProperty,
  PromisePrototypeThen,
  PromiseReject,
} = primordials;

const binding = internalBinding('fs_coro');
const { Buffer } = require('buffer');
const {
  AbortError,
  codes: { ERR_FS_FILE_TOO_LARGE },
} = require('internal/errors');
const {
  getOptions,
  getValidatedPath,
  stringToFlags,
  validateStringAfterArrayBufferView,
} = require('internal/fs/utils');
const {
  isArrayBufferView,
  isProxy,
  isUint8Array,
} = require('internal/util/types');
const {
  parseFileMode,
  validateAbortSignal,
  validateBoolean,
} = require('internal/validators');

// readFile()'s defaults, as stock's getOptions(options, { flag: 'r' }).
// Never mutated: getOptions() copies it before adding an encoding.
const kReadFileDefaults = { flag: 'r' };
// writeFile()'s, as stock's (appendFile() passes its own, with flag 'a').
const kWriteFileDefaults = {
  encoding: 'utf8',
  mode: 0o666,
  flag: 'w',
  flush: false,
};

// As in lib/internal/fs/promises.js: the binding settles its promise from
// the event loop, with no JS frames on the stack, so the stack trace is
// captured again here.
function handleErrorFromBinding(error: Error): Promise<never> {
  ErrorCaptureStackTrace(error, handleErrorFromBinding);
  return PromiseReject(error);
}

function fromBinding<T>(promise: Promise<T>): Promise<T> {
  // Node's primordials typings drop then()'s type parameters.
  return PromisePrototypeThen(promise, undefined, handleErrorFromBinding) as Promise<T>;
}

// Whether reading object[key] runs no user code: no Proxy on the way along
// the prototype chain, and the key, where found, is a data property. Then
// stock's reads of it, however many, all see one value, and reading it here
// first is invisible.
function isInertProperty(object: object, key: string): boolean {
  for (let o: object | null = object; o !== null; o = ObjectGetPrototypeOf(o)) {
    if (isProxy(o)) return false;
    const descriptor = ObjectGetOwnPropertyDescriptor(o, key);
    if (descriptor !== undefined)
      return ObjectPrototypeHasOwnProperty(descriptor, 'value');
  }
  return true;
}

// Whether readFile(path[, options]) runs here: for a path given as a
// string, Buffer or Uint8Array. Not (false): any other path (a FileHandle,
// which stock reads as an open file, a URL, an invalid one); options whose
// encoding, flag or signal stock would read through a getter or a Proxy;
// the 'buffer' encoding (stock opens the file, then throws
// ERR_UNKNOWN_ENCODING).
function handlesReadFile(path: unknown, options?: unknown): boolean {
  if (typeof path !== 'string' && !isUint8Array(path))
    return false;
  const readFrom: { encoding?: unknown } =
    optionsSource(options, kReadFileDefaults);
  if (!allInert(readFrom, kReadFileOptionKeys))
    return false;
  const encoding = typeof options === 'string' ? options : readFrom.encoding;
  return encoding !== 'buffer';
}

// Stock's readFile() then open(), in order: getOptions(), the flag, the
// signal, the path, stringToFlags(); then the whole file from the binding.
//
// The signal: stock samples it before the open, then after the open, after
// fstat and before each read. The coroutine samples it before (already
// aborted: rejected before anything is opened, as stock) and after; an
// abort in between cancels the job if it is still queued (see
// readFileAbortable()). An abort that came in the meantime rejects with the
// AbortError stock's next sample would have thrown, the data discarded and
// the file closed, unless the open failed: stock reports that error, as it
// samples the signal only after a successful open. (Stock resolves when the
// abort came after its last read was dispatched; the coroutine, seeing it at
// the end, rejects: a window that depends on timing either way.)
async function readFile(path: string | Uint8Array, options: unknown) {
  const validated = getOptions(options, kReadFileDefaults);
  const flag = validated.flag || 'r';
  const { signal } = validated;
  checkAborted(signal);
  const validatedPath = getValidatedPath(path);
  const flags = stringToFlags(flag);
  let buffer: Awaited<ReturnType<typeof binding.readFile>>;
  try {
    buffer = await (signal === undefined || !isReadOnly(flags) ?
      binding.readFile(validatedPath, flags) :
      readFileAbortable(validatedPath, flags, signal));
  } catch (error) {
    // The binding rejects a file over 2 GiB with its size: the error is
    // made here, as stock's readFileHandle() makes it (its stack names the
    // code). Stock has sampled the signal after the open by then.
    if (typeof error === 'number') {
      checkAborted(signal);
      throw new ERR_FS_FILE_TOO_LARGE(error);
    }
    if (signal !== undefined && !isOpenError(error))
      checkAborted(signal);
    // Settled from the event loop, with no JS frames on the stack: the
    // stack is captured again, as handleErrorFromBinding() does for stock.
    ErrorCaptureStackTrace(error as Error, readFile);
    throw error;
  }
  checkAborted(signal);
  const { encoding } = validated;
  if (!encoding)
    return buffer;
  return buffer.toString(encoding);
}

// Flags whose open has no side effect ('r', 'rs'): only then may an abort
// stop readFile's job before its open. With any other (readFile(p, {flag:
// 'a+'}) creates the file, 'w+' truncates it), stock's open has happened
// whatever the signal says, and so has ours.
let readOnlyFlags: readonly number[] | undefined;  // Made on first use.
function isReadOnly(flags: number): boolean {
  readOnlyFlags ??= [stringToFlags('r'), stringToFlags('rs')];
  return flags === readOnlyFlags[0] || flags === readOnlyFlags[1];
}

// Whether a readFile error is one stock would report before it samples the
// signal again: the open's, or a permission denial (thrown by its open).
function isOpenError(error: unknown): boolean {
  const { syscall, code } = error as { syscall?: unknown; code?: unknown };
  return syscall === 'open' || code === 'ERR_ACCESS_DENIED';
}

// The ids lib gives abortable operations (binding.cancel(id)): unique
// among running ones, from 1 (0 is "none").
let lastAbortId = 0;
function nextAbortId(): number {
  lastAbortId = lastAbortId === 0xffffffff ? 1 : lastAbortId + 1;
  return lastAbortId;
}

// readFile with a signal (and read-only flags): an abort while the read
// runs cancels it in C++ (a job still queued does not run, a later step is
// not started); the read then rejects (UV_ECANCELED), and readFile() with
// the signal's AbortError, as stock's next sample of the signal would.
// The one difference from stock, by design: a job cancelled before its
// open never reports what the open would have (a missing file's ENOENT),
// and never opens a FIFO its writer waits on; stock cannot stop its open.
async function readFileAbortable(path: string | Uint8Array, flags: number,
                                 signal: AbortSignal) {
  const id = nextAbortId();
  const onAbort = () => binding.cancel(id);
  signal.addEventListener('abort', onAbort, { __proto__: null, once: true });
  try {
    return await binding.readFile(path, flags, id);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

// As lib/internal/fs/promises.js's.
function checkAborted(signal: AbortSignal | undefined) {
  if (signal?.aborted)
    throw new AbortError(undefined, { cause: signal.reason });
}

// The object whose properties stock's getOptions() leaves to be read:
// `options` when it is an object; otherwise the defaults (a string becomes a
// copy of them with that encoding; null, undefined and functions, the
// defaults themselves, whose reads go up to Object.prototype).
function optionsSource(options: unknown, defaults: object): object {
  return typeof options === 'object' && options !== null ? options : defaults;
}

// Whether stock's reads of `keys` from `object`, however many, run no user
// code (see isInertProperty), so that reading them here is invisible.
function allInert(object: object, keys: readonly string[]): boolean {
  for (const key of keys) {
    if (!isInertProperty(object, key))
      return false;
  }
  return true;
}

const kReadFileOptionKeys = ['encoding', 'flag', 'signal'];
const kWriteFileOptionKeys = ['encoding', 'mode', 'flag', 'flush', 'signal'];

// Whether writeFile(path, data[, options]) (and appendFile(), which calls it
// with flag 'a') runs here: for a string or Uint8Array path and data that
// is a string or an ArrayBufferView. Not: a FileHandle or URL path,
// iterables and streams (stock writes them chunk by chunk as they come), an
// empty view (a detached one among them, which stock rejects as it makes
// its Uint8Array), a signal, options read through getters or proxies.
function handlesWriteFile(path: unknown, data: unknown, options?: unknown): boolean {
  if (typeof path !== 'string' && !isUint8Array(path))
    return false;
  if (typeof data !== 'string' && !(isArrayBufferView(data) && data.byteLength > 0))
    return false;
  // No signal either: stock samples it between steps, and a late sample
  // here would have written data stock never writes.
  const readFrom: { signal?: unknown } = optionsSource(options, kWriteFileDefaults);
  return allInert(readFrom, kWriteFileOptionKeys) && readFrom.signal === undefined;
}

// Stock's writeFile() then open(), in order: getOptions(), the flag, flush,
// the data (a string becomes a Buffer in the encoding), the signal; then
// open()'s path, flags and mode; then the whole write from the binding.
type Data = string | ArrayBufferView;
async function writeFile(path: string | Uint8Array, data: Data, options: unknown) {
  const validated = getOptions(options, kWriteFileDefaults);
  const flag = validated.flag || 'w';
  const flush = validated['flush'] ?? false;
  validateBoolean(flush, 'options.flush');
  let bytes: ArrayBufferView;
  if (isArrayBufferView(data)) {
    bytes = data;
  } else {
    validateStringAfterArrayBufferView(data, 'data');
    bytes = Buffer.from(data, validated.encoding || 'utf8');
  }
  validateAbortSignal(validated.signal);
  const validatedPath = getValidatedPath(path);
  const flags = stringToFlags(flag);
  const mode = parseFileMode(validated['mode'], 'mode', 0o666);
  // flush passed validateBoolean() above.
  await fromBinding(
    binding.writeFile(validatedPath, bytes, flags, mode, flush === true));
}

// Whether truncate(path[, len]) runs here: when `len` is an integer (stock
// opens the file before validating it: other values stay on the stock
// path, so an open error still wins over a bad length, as there) and the
// path a string or Uint8Array.
function handlesTruncate(path: unknown, len: unknown = 0): boolean {
  return typeof len === 'number' && NumberIsSafeInteger(len) &&
    (typeof path === 'string' || isUint8Array(path));
}

async function truncate(path: string | Uint8Array, len = 0) {
  // open(path, 'r+')'s validation, then open, ftruncate and close as one.
  const validatedPath = getValidatedPath(path);
  await fromBinding(binding.truncate(validatedPath, MathMax(0, len)));
}

module.exports = {
  handlesReadFile,
  handlesTruncate,
  handlesWriteFile,
  readFile,
  truncate,
  writeFile,
};
