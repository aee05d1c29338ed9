#!/usr/bin/env python3
"""Run a selection of Node's own test suites on the fork binary.

    node-suites.py --node BIN --tree node-fork --known FILE [--mode NAME]
                   [--node-args "ARGS"] [--tap-out FILE] SELECTOR...

Runs upstream's tools/test.py (TAP output), then holds the result against
the known-failures file: one test per line, `<suite>/<test-name>  # reason`,
for failures that stock v22.22.2 also has on this repack (removed deps,
missing fixtures, no network). A failure not listed there fails the run; a
listed test that passed is reported as stale (the list should shrink).
Prints one closing line: `<mode>: N passed, N failed, N skipped`.
"""
import argparse
import os
import re
import subprocess
import sys


def read_known(path):
    known = {}
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            name, sep, reason = line.partition('#')
            name = name.strip()
            if not sep or not reason.strip():
                sys.exit(f'{path}:{n}: every known failure needs a reason after #')
            known[name] = reason.strip()
    return known


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--node', required=True)
    ap.add_argument('--tree', required=True)
    ap.add_argument('--known', required=True)
    ap.add_argument('--mode', default='node-suites')
    ap.add_argument('--node-args', default='')
    ap.add_argument('--tap-out')
    ap.add_argument('--jobs', default=str(os.cpu_count() or 2))
    ap.add_argument('selectors', nargs='+')
    a = ap.parse_args()

    known = read_known(a.known)
    cmd = [sys.executable, 'tools/test.py', '-p', 'tap', '-j', a.jobs,
           '--shell', os.path.abspath(a.node), '--timeout', '240']
    if a.node_args:
        cmd += ['--node-args', a.node_args]
    cmd += a.selectors
    print(f'{a.mode}: {" ".join(cmd)}', flush=True)
    env = dict(os.environ)
    env.pop('NODE_OPTIONS', None)
    proc = subprocess.run(cmd, cwd=a.tree, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, errors='replace')
    tap = proc.stdout
    if a.tap_out:
        with open(a.tap_out, 'w', encoding='utf-8') as f:
            f.write(tap)

    result = re.compile(r'^(ok|not ok) \d+ (\S+)(.*)$')
    passed, failed, skipped = [], [], []
    for line in tap.splitlines():
        m = result.match(line)
        if not m:
            continue
        status, name, rest = m.groups()
        if '# skip' in rest.lower():
            skipped.append(name)
        elif status == 'ok':
            passed.append(name)
        else:
            failed.append(name)

    if not (passed or failed or skipped):
        print(tap[-4000:])
        print(f'{a.mode}: tools/test.py ran no test (exit {proc.returncode})')
        print(f'{a.mode}: 0 passed, 1 failed, 0 skipped')
        return 1

    unexpected = [t for t in failed if t not in known]
    expected = [t for t in failed if t in known]
    stale = [t for t in passed if t in known]
    for t in expected:
        print(f'  known failure  {t}  # {known[t]}')
    for t in stale:
        print(f'  stale entry    {t} passed; remove it from {a.known}')
    for t in unexpected:
        print(f'  FAILED         {t}')
    if unexpected and a.tap_out:
        print(f'  (full TAP output in {a.tap_out})')
    print(f'{a.mode}: {len(expected)} known failures (listed in {a.known}), '
          f'{len(stale)} stale entries')
    print(f'{a.mode}: {len(passed)} passed, {len(unexpected)} failed, '
          f'{len(skipped)} skipped')
    return 1 if unexpected else 0


if __name__ == '__main__':
    sys.exit(main())
