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
  // The fs-extra workloads (not mirrored by the floor; see FLOOR_WORKLOADS).
  'fh-read-4k': 'FileHandle.read of 4 KiB at a position of a 1 MiB file (one FileHandle, opened once)',
  'fh-write-4k': 'FileHandle.write of 4 KiB at a position of a 1 MiB file (one FileHandle, opened once)',
  'readdir-recursive': 'readdir { recursive: true } (names) of a tree of 31 directories and 620 empty files: 650 entries',
  'readdir-recursive-types': 'readdir { recursive: true, withFileTypes: true } of the same tree (Dirents)',
  'rm-tree': 'rm { recursive: true } of a fresh tree of 5 directories and 40 files of 1 KiB (trees made before the timed phase)',
  'copyfile-64k': 'copyFile of a 64 KiB file (one destination per in-flight slot)',
  'cp-tree': 'cp { recursive: true } of a tree of 5 directories and 40 files of 1 KiB to a fresh destination',
};

// The workloads the C floor (../floor/uv-floor.c) implements; the others run
// on the JavaScript runtimes only.
export const FLOOR_WORKLOADS = [
  'stat', 'access', 'open-close',
  'readfile-1k-buffer', 'readfile-1k-utf8', 'readfile-64k-buffer', 'readfile-64k-utf8',
  'readfile-1m-buffer', 'readfile-1m-utf8', 'writefile-1k', 'readdir-100',
];

// FileHandle read/write: 4 KiB blocks of a 1 MiB file, at positions that
// visit all 256 blocks in a scrambled order (a stride of 167 blocks, odd, so
// a permutation), each in-flight slot starting elsewhere. The sequence is the
// same for every contender and API.
export const FH_BLOCK = 4 * KiB;
export const FH_FILE_SIZE = MiB;
const FH_BLOCKS = FH_FILE_SIZE / FH_BLOCK;

// Directory trees: `levels` levels of directories counting the top one; each
// directory above the last level holds `dirs` subdirectories, and every
// directory holds `files` files of `size` bytes.
//   readdir-recursive: 3 levels x 5 dirs x 20 empty files: 1 + 5 + 25 = 31
//     directories, 620 files; readdir returns 650 entries. (With 10 dirs a
//     level, 2,330 entries, one operation took 13 ms: a 0.5 s run at 64 in
//     flight would not finish one round.)
//   rm-tree and cp-tree: 2 levels x 4 dirs x 8 files of 1 KiB: 5 directories,
//     40 files, 44 entries under the top.
export const READDIR_TREE = { levels: 3, dirs: 5, files: 20, size: 0 };
export const SMALL_TREE = { levels: 2, dirs: 4, files: 8, size: KiB };

/** Directories and entries (everything under the top) of a tree shape. */
export function treeCounts(t) {
  let dirs = 0;
  let width = 1;
  for (let l = 0; l < t.levels; l++) {
    dirs += width;
    width *= t.dirs;
  }
  return { dirs, files: dirs * t.files, entries: dirs * t.files + dirs - 1 };
}

/** Creates a tree of shape `t` at `dir` with synchronous calls (never timed). */
export function makeTree(dir, t, data = asciiBytes(t.size), level = 1) {
  fs.mkdirSync(dir);
  for (let f = 0; f < t.files; f++) fs.writeFileSync(`${dir}/f-${String(f).padStart(2, '0')}`, data);
  if (level < t.levels) {
    for (let d = 0; d < t.dirs; d++) makeTree(`${dir}/d-${String(d).padStart(2, '0')}`, t, data, level + 1);
  }
}

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
  return { root, slots, files, dir, writeTargets, writeData: asciiBytes(WRITE_SIZE) };
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
//
// Some workloads add (the drivers in fs-workload.mjs and alloc.mjs call
// them, never inside a timed phase or a counted batch):
//   setup(api) -> Promise   before the first operation (opens the FileHandle)
//   teardown() -> Promise   after the last one (closes it)
//   ensure(n)               makes sure that n consumable fixtures are ready
//                           (rm-tree: n fresh trees, made synchronously)
//   left() -> number        consumable fixtures ready and not yet used; the
//                           drivers stop starting operations at 0
// Workload fixtures beyond the common ones are made here, under fx.root.
export function makeOps(workload, fx) {
  const small = fx.files['1k'];
  switch (workload) {
    case 'fh-read-4k':
    case 'fh-write-4k': {
      const write = workload === 'fh-write-4k';
      const file = `${fx.root}/fh-${write ? 'write' : 'read'}`;
      fs.writeFileSync(file, asciiBytes(FH_FILE_SIZE));
      const bufs = [];
      const step = [];
      for (let i = 0; i < fx.slots; i++) {
        bufs.push(write ? asciiBytes(FH_BLOCK) : new Uint8Array(FH_BLOCK));
        step.push(i * 37);
      }
      const pos = (slot) => {
        const k = step[slot]++;
        return ((k * 167) % FH_BLOCKS) * FH_BLOCK;
      };
      let fh = null;
      let fd = -1;
      const n = (r) => (typeof r === 'number' ? r : write ? r?.bytesWritten : r?.bytesRead);
      return {
        expect: (r) => check(n(r) === FH_BLOCK, write ? 'bytes written' : 'bytes read'),
        setup: async (api) => {
          if (api === 'promises') fh = await fsp.open(file, write ? 'r+' : 'r');
          else fd = fs.openSync(file, write ? 'r+' : 'r');
        },
        teardown: async () => {
          if (fh) await fh.close();
          if (fd >= 0) fs.closeSync(fd);
          fh = null;
          fd = -1;
        },
        promises: write
          ? (slot) => fh.write(bufs[slot], 0, FH_BLOCK, pos(slot))
          : (slot) => fh.read(bufs[slot], 0, FH_BLOCK, pos(slot)),
        callback: write
          ? (slot, cb) => fs.write(fd, bufs[slot], 0, FH_BLOCK, pos(slot), cb)
          : (slot, cb) => fs.read(fd, bufs[slot], 0, FH_BLOCK, pos(slot), cb),
        sync: write
          ? (slot) => fs.writeSync(fd, bufs[slot], 0, FH_BLOCK, pos(slot))
          : (slot) => fs.readSync(fd, bufs[slot], 0, FH_BLOCK, pos(slot)),
      };
    }
    case 'readdir-recursive':
    case 'readdir-recursive-types': {
      const dir = `${fx.root}/tree`;
      if (!fs.existsSync(dir)) makeTree(dir, READDIR_TREE);
      const { entries } = treeCounts(READDIR_TREE);
      const opts = workload === 'readdir-recursive' ? { recursive: true } : { recursive: true, withFileTypes: true };
      const types = workload === 'readdir-recursive-types';
      return {
        expect: (list) => check(list.length === entries && (typeof list[0] === 'string') !== types, 'readdir recursive entries'),
        promises: () => fsp.readdir(dir, opts),
        callback: (_, cb) => fs.readdir(dir, opts, cb),
        sync: () => fs.readdirSync(dir, opts),
      };
    }
    case 'rm-tree': {
      // A pool of fresh trees, made by ensure() outside any timed phase; each
      // operation removes the next one.
      const base = `${fx.root}/rm-pool`;
      fs.mkdirSync(base, { recursive: true });
      const data = asciiBytes(SMALL_TREE.size);
      const pool = [];
      let made = 0;
      let next = 0;
      const opts = { recursive: true };
      const take = () => {
        if (next >= pool.length) throw new Error('rm-tree: no fresh tree left (ensure() was not called)');
        return pool[next++];
      };
      return {
        expect: (r) => check(r === undefined || r === null, 'rm result'),
        ensure: (n) => {
          while (pool.length - next < n) {
            const t = `${base}/t-${made++}`;
            makeTree(t, SMALL_TREE, data);
            pool.push(t);
          }
        },
        left: () => pool.length - next,
        made: () => made,
        promises: () => fsp.rm(take(), opts),
        callback: (_, cb) => fs.rm(take(), opts, cb),
        sync: () => fs.rmSync(take(), opts),
      };
    }
    case 'copyfile-64k': {
      const src = fx.files['64k'];
      const t = [];
      for (let i = 0; i < fx.slots; i++) t.push(`${fx.root}/copy-${i}`);
      return {
        expect: (r) => check(r === undefined || r === null, 'copyFile result'),
        promises: (slot) => fsp.copyFile(src, t[slot]),
        callback: (slot, cb) => fs.copyFile(src, t[slot], cb),
        sync: (slot) => fs.copyFileSync(src, t[slot]),
      };
    }
    case 'cp-tree': {
      // The source is made once; every operation copies it to a new
      // destination under cp-out (never an existing one), left in place until
      // the fixtures are removed at exit.
      const src = `${fx.root}/cp-src`;
      if (!fs.existsSync(src)) makeTree(src, SMALL_TREE);
      const out = `${fx.root}/cp-out`;
      fs.mkdirSync(out, { recursive: true });
      let n = 0;
      const opts = { recursive: true };
      return {
        expect: (r) => check(r === undefined || r === null, 'cp result'),
        promises: () => fsp.cp(src, `${out}/c-${n++}`, opts),
        callback: (_, cb) => fs.cp(src, `${out}/c-${n++}`, opts, cb),
        sync: () => fs.cpSync(src, `${out}/c-${n++}`, opts),
      };
    }
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
