// The file-system operations every contender runs, and their fixtures.
//
// Plain ESM with `node:fs` / `node:fs/promises` imports only, so that the
// same file runs unchanged on Node, Bun and Deno (`deno run -A`). The C floor
// (../floor/uv-floor.c) mirrors these definitions call for call; keep the two
// in step.

import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';

export const KiB = 1024;
export const MiB = 1024 * KiB;

export const READ_SIZES = { '1k': KiB, '64k': 64 * KiB, '1m': MiB };
export const DIR_ENTRIES = 100;
export const WRITE_SIZE = KiB;

// Workload name -> description. Names are shared with the floor and the
// runner; `readfile-<size>-<buffer|utf8>` covers the six readFile variants.
export const WORKLOADS = {
  'stat': 'stat() of a 1 KiB file',
  'access': 'access() of a 1 KiB file (F_OK)',
  'open-close': 'open(r) + close of a 1 KiB file',
  'readfile-1k-buffer': 'readFile of a 1 KiB file into a Buffer',
  'readfile-1k-utf8': 'readFile of a 1 KiB file as a utf-8 string',
  'readfile-64k-buffer': 'readFile of a 64 KiB file into a Buffer',
  'readfile-64k-utf8': 'readFile of a 64 KiB file as a utf-8 string',
  'readfile-1m-buffer': 'readFile of a 1 MiB file into a Buffer',
  'readfile-1m-utf8': 'readFile of a 1 MiB file as a utf-8 string',
  'writefile-1k': 'writeFile of 1 KiB (one target file per in-flight slot)',
  'readdir-100': 'readdir (names) of a directory of 100 files',
};

export const APIS = ['promises', 'callback', 'sync'];

// ASCII content, so utf-8 decoding takes the same path on every runtime.
function asciiBytes(size) {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = 97 + (i % 26);
  return bytes;
}

// Creates the fixture directory; returns its layout. `slots` is the number of
// in-flight operations (writeFile gets one target file per slot).
export function createFixtures(slots, base = process.env.TMPDIR || '/tmp') {
  const root = fs.mkdtempSync(`${base}/fs-bench-`);
  const files = {};
  for (const [name, size] of Object.entries(READ_SIZES)) {
    files[name] = `${root}/file-${name}`;
    fs.writeFileSync(files[name], asciiBytes(size));
  }
  const dir = `${root}/dir-${DIR_ENTRIES}`;
  fs.mkdirSync(dir);
  for (let i = 0; i < DIR_ENTRIES; i++) {
    fs.writeFileSync(`${dir}/entry-${String(i).padStart(3, '0')}`, '');
  }
  const writeTargets = [];
  for (let i = 0; i < slots; i++) writeTargets.push(`${root}/write-${i}`);
  return { root, files, dir, writeTargets, writeData: asciiBytes(WRITE_SIZE) };
}

export function removeFixtures(fixtures) {
  fs.rmSync(fixtures.root, { recursive: true, force: true });
}

// Returns { expect, promises, callback, sync } for one workload:
//   promises(slot) -> Promise
//   callback(slot, cb)  cb(err, result)
//   sync(slot) -> result
// and expect(result), which throws if a result is wrong (used on warm-up
// results only, so the timed loop carries no checking cost).
export function makeOps(workload, fx) {
  const small = fx.files['1k'];
  switch (workload) {
    case 'stat':
      return {
        expect: (st) => check(st.size === KiB, 'stat size'),
        promises: () => fsp.stat(small),
        callback: (_, cb) => fs.stat(small, cb),
        sync: () => fs.statSync(small),
      };
    case 'access':
      return {
        expect: (r) => check(r === undefined || r === null, 'access result'),
        promises: () => fsp.access(small),
        callback: (_, cb) => fs.access(small, cb),
        sync: () => fs.accessSync(small),
      };
    case 'open-close':
      return {
        expect: () => {},
        promises: async () => {
          const fh = await fsp.open(small, 'r');
          await fh.close();
        },
        callback: (_, cb) => fs.open(small, 'r', (err, fd) => {
          if (err) cb(err);
          else fs.close(fd, cb);
        }),
        sync: () => fs.closeSync(fs.openSync(small, 'r')),
      };
    case 'writefile-1k': {
      const data = fx.writeData;
      const t = fx.writeTargets;
      return {
        expect: () => {},
        promises: (slot) => fsp.writeFile(t[slot], data),
        callback: (slot, cb) => fs.writeFile(t[slot], data, cb),
        sync: (slot) => fs.writeFileSync(t[slot], data),
      };
    }
    case 'readdir-100':
      return {
        expect: (names) => check(names.length === DIR_ENTRIES, 'readdir count'),
        promises: () => fsp.readdir(fx.dir),
        callback: (_, cb) => fs.readdir(fx.dir, cb),
        sync: () => fs.readdirSync(fx.dir),
      };
    default: {
      const m = /^readfile-(1k|64k|1m)-(buffer|utf8)$/.exec(workload);
      if (!m) throw new Error(`unknown workload: ${workload}`);
      const file = fx.files[m[1]];
      const size = READ_SIZES[m[1]];
      if (m[2] === 'utf8') {
        return {
          expect: (s) => check(typeof s === 'string' && s.length === size, 'readFile utf8 length'),
          promises: () => fsp.readFile(file, 'utf8'),
          callback: (_, cb) => fs.readFile(file, 'utf8', cb),
          sync: () => fs.readFileSync(file, 'utf8'),
        };
      }
      return {
        expect: (b) => check(typeof b !== 'string' && b.length === size, 'readFile length'),
        promises: () => fsp.readFile(file),
        callback: (_, cb) => fs.readFile(file, cb),
        sync: () => fs.readFileSync(file),
      };
    }
  }
}

function check(ok, what) {
  if (!ok) throw new Error(`wrong result: ${what}`);
}

// Runs `op` with `concurrency` operations in flight until `keepGoing()`
// returns false; every completed operation calls `keepGoing()` once, and the
// promise resolves with the number of operations completed.
//
// promises: `concurrency` async loops, each awaiting one operation at a time.
// callback: `concurrency` callback chains, each starting its next operation
//           from the previous one's callback.
// sync:     a plain loop (concurrency must be 1).
export function drive(api, ops, concurrency, keepGoing, onResult) {
  const op = ops[api];
  if (api === 'sync') {
    if (concurrency !== 1) throw new Error('the sync API runs with concurrency 1 only');
    let n = 0;
    do {
      const r = op(0);
      n++;
      if (onResult) onResult(r);
    } while (keepGoing());
    return Promise.resolve(n);
  }
  if (api === 'promises') {
    let n = 0;
    const loop = async (slot) => {
      do {
        const r = await op(slot);
        n++;
        if (onResult) onResult(r);
      } while (keepGoing());
    };
    const loops = [];
    for (let s = 0; s < concurrency; s++) loops.push(loop(s));
    return Promise.all(loops).then(() => n);
  }
  if (api === 'callback') {
    return new Promise((resolve, reject) => {
      let n = 0;
      let live = concurrency;
      let failed = false;
      const next = (slot) => op(slot, (err, r) => {
        if (failed) return;
        if (err) {
          failed = true;
          reject(err);
          return;
        }
        n++;
        if (onResult) onResult(r);
        if (keepGoing()) next(slot);
        else if (--live === 0) resolve(n);
      });
      for (let s = 0; s < concurrency; s++) next(s);
    });
  }
  throw new Error(`unknown api: ${api}`);
}

// `--key=value` arguments into an object (values stay strings).
export function parseArgs(argv) {
  const out = {};
  for (const a of argv) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
    if (!m) throw new Error(`bad argument: ${a} (expected --key=value)`);
    out[m[1]] = m[2] === undefined ? 'true' : m[2];
  }
  return out;
}

export function runtimeInfo() {
  const g = globalThis;
  if (g.Bun) return { name: 'bun', version: g.Bun.version };
  if (g.Deno) return { name: 'deno', version: g.Deno.version.deno };
  return { name: 'node', version: process.version };
}
