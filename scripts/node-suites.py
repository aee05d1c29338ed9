#!/usr/bin/env python3
"""Run a selection of Node's own test suites on the fork binary.

    node-suites.py --node BIN --tree node-fork --known FILE [--mode NAME]
                   [--node-args "ARGS"] [--node-options "OPTIONS"]
                   [--tap-out FILE] SELECTOR...

Runs upstream's tools/test.py (TAP output), then holds the result against
the known-failures file: one test per line, `<suite>/<test-name>  # reason`,
for failures that stock v22.22.2 also has on this repack (removed deps,
missing fixtures, no network). A failure not listed there fails the run; a
listed test that passed is reported as stale (the list should shrink).
Prints one closing line: `<mode>: N passed, N failed, N skipped`.

--node-args reaches each test's own process only; --node-options becomes
the NODE_OPTIONS of every process a test starts as well (through the
fork's tools/test.py, which otherwise drops NODE_OPTIONS).
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
    ap.add_argument('--node-options', default='')
    ap.add_argument('--tap-out')
    ap.add_argument('--jobs', default=str(os.cpu_count() or 2))
    ap.add_argument('--timeout', type=float, default=None,
                    help='seconds before tools/test.py is killed (a failure)')
    ap.add_argument('selectors', nargs='+')
    a = ap.parse_args()

    known = read_known(a.known)
    cmd = [sys.executable, 'tools/test.py', '-p', 'tap', '-j', a.jobs,
           '--shell', os.path.abspath(a.node), '--timeout', '240']
    if a.node_args:
        cmd += ['--node-args=' + a.node_args]
    cmd += a.selectors
    print(f'{a.mode}: {" ".join(cmd)}', flush=True)
    env = dict(os.environ)
    env.pop('NODE_OPTIONS', None)
    env.pop('NODE_CORO_TEST_NODE_OPTIONS', None)
    if a.node_options:
        env['NODE_CORO_TEST_NODE_OPTIONS'] = a.node_options
    timed_out = False
    try:
        proc = subprocess.run(cmd, cwd=a.tree, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True,
                              errors='replace', timeout=a.timeout,
                              start_new_session=True)
        tap, returncode = proc.stdout, proc.returncode
    except subprocess.TimeoutExpired as e:
        # subprocess.run kills tools/test.py; its workers share its session.
        timed_out = True
        out = e.stdout or b''
        tap = out.decode('utf-8', 'replace') if isinstance(out, bytes) else out
        returncode = None
    if a.tap_out:
        with open(a.tap_out, 'w', encoding='utf-8') as f:
            f.write(tap)

    # The plan line says how many tests tools/test.py meant to run; a crash
    # or a kill leaves fewer results than that, which must not read as green.
    plans = re.findall(r'^1\.\.(\d+)\s*$', tap, re.M)
    planned = int(plans[-1]) if plans else None
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
        print(f'{a.mode}: tools/test.py ran no test (exit {returncode})')
        print(f'{a.mode}: 0 passed, 1 failed, 0 skipped')
        return 1

    # Reasons the run as a whole cannot be trusted, whatever its lines say.
    broken = []
    ran = len(passed) + len(failed) + len(skipped)
    if timed_out:
        broken.append(f'tools/test.py killed after {a.timeout:.0f}s')
    if planned is None:
        broken.append('tools/test.py printed no TAP plan (1..N)')
    elif ran != planned:
        broken.append(f'TAP plan 1..{planned} but {ran} results')
    # tools/test.py exits 1 when a test failed; that alone is judged against
    # the known failures below. Any other status is a crash or a signal.
    if returncode not in (0, 1, None):
        broken.append(f'tools/test.py exited with status {returncode}')
    elif returncode == 1 and not failed:
        broken.append('tools/test.py exited 1 with no failed test')
    elif returncode == 0 and failed:
        broken.append('tools/test.py exited 0 despite failed tests')

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
    for why in broken:
        print(f'  BROKEN RUN     {why}')
    print(f'{a.mode}: {len(passed)} passed, {len(unexpected) + len(broken)} '
          f'failed, {len(skipped)} skipped')
    return 1 if unexpected or broken else 0


if __name__ == '__main__':
    sys.exit(main())
