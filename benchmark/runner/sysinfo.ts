// What the machine is and how busy it is: recorded with every result,
// because figures taken while a build runs on the same two cores are noisy.

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import type { Load } from './types.js';

/** Processes whose presence means a compile is competing for the CPU. */
const BUILD_COMMANDS = new Set(['ninja', 'cc1plus', 'cc1', 'mksnapshot', 'torque', 'ld', 'ld.gold']);

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export function buildProcesses(): number {
  let n = 0;
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return 0;
  }
  for (const pid of pids) {
    if (BUILD_COMMANDS.has(readText(`/proc/${pid}/comm`).trim())) n++;
  }
  return n;
}

export function load(): Load {
  const avg = readText('/proc/loadavg').split(' ');
  return { loadavg1: Number(avg[0] ?? NaN), build_processes: buildProcesses() };
}

export interface Machine {
  cpus: number;
  nproc: number;
  model: string;
  memory_gib: number;
  kernel: string;
  os: string;
  host_node: string;
  uv_threadpool_size: string;
  tmpdir: string;
}

/** `threadpool`: the UV_THREADPOOL_SIZE the runner gives every child. */
export function machine(tmpdir: string, threadpool: string): Machine {
  const cpuinfo = readText('/proc/cpuinfo');
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readText('/etc/os-release'))?.[1] ?? os.type();
  let nproc = os.availableParallelism();
  try {
    nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
  } catch {
    // keep availableParallelism()
  }
  return {
    cpus: os.cpus().length,
    nproc,
    model,
    memory_gib: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    kernel: os.release(),
    os: pretty,
    host_node: process.version,
    uv_threadpool_size: threadpool,
    tmpdir,
  };
}
