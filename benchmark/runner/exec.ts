// Runs one child process and takes the last JSON line it printed.

import { spawn } from 'node:child_process';

export interface ExecResult {
  line: unknown;
  error: string | null;
}

export function runJson(argv: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ExecResult> {
  const [cmd, ...args] = argv;
  if (cmd === undefined) return Promise.resolve({ line: null, error: 'empty command' });
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ line: null, error: `could not start ${cmd}: ${e.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').filter((l) => l.startsWith('{')).pop();
      if (timedOut) {
        resolve({ line: null, error: `timed out after ${timeoutMs} ms` });
      } else if (code !== 0 || last === undefined) {
        const why = err.trim().split('\n').slice(-3).join(' | ') || `exit ${code ?? signal}`;
        resolve({ line: null, error: `exit ${code ?? signal}: ${why.slice(0, 400)}` });
      } else {
        try {
          resolve({ line: JSON.parse(last) as unknown, error: null });
        } catch {
          resolve({ line: null, error: `unparsable output: ${last.slice(0, 200)}` });
        }
      }
    });
  });
}
