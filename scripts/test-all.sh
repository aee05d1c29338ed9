#!/usr/bin/env bash
# test-all.sh: the three test tiers of `make test`, in order.
#
#   T1  needs no fork binary: the standalone coroutine tests (optimized and
#       ASan+UBSan), the TypeScript type-check, unit tests of the build
#       scripts and of the benchmark runner, the public-header check
#   T2  builds the fork and Node's cctest (make build build-cctest)
#   T3  runs on the binary: smoke checks, cctest, Node's own suites and our
#       tap tests, each on the fast path and on the stock path (--no-fs-coro),
#       then the installed tree and the dist tarball (npm, addons)
#
# With DEADLINE (seconds since the epoch) set, T2 is stopped in time to leave
# T3_RESERVE seconds for T3; when it cannot finish, T2 and T3 are reported
# as not run. Each T3 step is killed when it would run past DEADLINE less
# SUMMARY_RESERVE, and reported as failed (killed at the deadline), so the
# summary is always printed. A tier that did not run is never reported as
# passed.
# Exit status: non-zero when a tier that ran failed. T2 stopped for time is
# not a failure of the code, so it alone does not fail the run.
set -uo pipefail
cd "$(dirname "$0")/.."
MAKE=${MAKE:-make}
T3_RESERVE=${T3_RESERVE:-1200}
# Seconds kept after the last T3 step for the summary.
SUMMARY_RESERVE=${SUMMARY_RESERVE:-30}
# Below this many seconds of budget T2 is not started at all.
T2_MIN_BUDGET=${T2_MIN_BUDGET:-60}
logdir=${TEST_LOGDIR:-build/test-logs}
mkdir -p "$logdir"

declare -A tier_state tier_note
total_pass=0 total_fail=0 total_skip=0

# Add up the test counts a log reports, in the three forms our steps print:
# our own closing lines `N passed, N failed[, N skipped]`, googletest's
# `[  PASSED  ] N tests.` / `[  FAILED  ] N tests` / `[  SKIPPED ] N tests`,
# and node --test's `# pass N` / `# fail N` / `# skipped N`.
count() {
  local log=$1 p f s
  read -r p f s < <(awk '
    /^([A-Za-z0-9_.-]+: )?[0-9]+ passed, [0-9]+ failed/ {
      sub(/^[A-Za-z0-9_.-]+: /, "")
      split($0, w, /[ ,]+/); P += w[1]; F += w[3]
      if ($0 ~ /skipped/) S += w[5]
    }
    /^\[  PASSED  \] [0-9]+ test/ { P += $4 }
    /^\[  FAILED  \] [0-9]+ test/ { F += $4 }
    /^\[  SKIPPED \] [0-9]+ test/ { S += $4 }
    /^# pass [0-9]+$/ { P += $3 }
    /^# fail [0-9]+$/ { F += $3 }
    /^# skipped [0-9]+$/ { S += $3 }
    END { print P + 0, F + 0, S + 0 }' "$log")
  total_pass=$((total_pass + p)); total_fail=$((total_fail + f)); total_skip=$((total_skip + s))
  # What this step reported, for the tier summary.
  step_counts="$p passed, $f failed, $s skipped" step_failed=$f
}

# Seconds left before DEADLINE less the summary's reserve (empty: no limit).
time_left() {
  [ -n "${DEADLINE:-}" ] || return 0
  echo $((DEADLINE - $(date +%s) - SUMMARY_RESERVE))
}

# run TIER NAME CMD...: one step of a tier, its output teed to a log. With
# STEP_DEADLINE=1 in the environment the step is killed (its whole process
# group) when it would pass DEADLINE less SUMMARY_RESERVE.
run() {
  local tier=$1 name=$2; shift 2
  local log=$logdir/$tier-$name.log rc left="" killed=""
  echo "=== $tier: $name"
  if [ -n "${STEP_DEADLINE:-}" ] && [ -n "${DEADLINE:-}" ]; then
    left=$(time_left)
    if [ "$left" -le 0 ]; then
      echo "$name: no time left before the deadline" | tee "$log"
      rc=124
    else
      timeout -k 10 "$left" "$@" 2>&1 | tee "$log"
      rc=${PIPESTATUS[0]}
    fi
    { [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; } && killed=1
  else
    "$@" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
  fi
  count "$log"
  if [ -n "$killed" ]; then
    tier_state[$tier]=failed
    tier_note[$tier]+="$name KILLED AT THE DEADLINE ($step_counts so far; log $log); "
    total_fail=$((total_fail + 1))
  elif [ "$rc" -ne 0 ]; then
    tier_state[$tier]=failed
    tier_note[$tier]+="$name FAILED ($step_counts; log $log); "
    # A step that failed without reporting a failed test still counts as one.
    [ "$step_failed" -gt 0 ] || total_fail=$((total_fail + 1))
  else
    tier_note[$tier]+="$name ($step_counts); "
  fi
  return "$rc"
}

# ---- T1 -------------------------------------------------------------------
tier_state[T1]=passed
run T1 coro $MAKE --no-print-directory test-coro
run T1 coro-asan $MAKE --no-print-directory test-coro-asan
run T1 typecheck $MAKE --no-print-directory typecheck
run T1 scripts $MAKE --no-print-directory test-scripts
run T1 bench-runner $MAKE --no-print-directory bench-test
run T1 public-headers $MAKE --no-print-directory check-public-headers

# ---- T2 -------------------------------------------------------------------
t2_start=$(date +%s)
if [ -n "${DEADLINE:-}" ]; then
  budget=$((DEADLINE - t2_start - T3_RESERVE))
else
  budget=0
fi
if [ -n "${DEADLINE:-}" ] && [ "$budget" -le "$T2_MIN_BUDGET" ]; then
  tier_state[T2]="did not run"; tier_note[T2]="no time left before the deadline"
else
  echo "=== T2: build${DEADLINE:+ (time budget ${budget}s)}"
  if [ -n "${DEADLINE:-}" ]; then
    timeout -k 30 "$budget" $MAKE --no-print-directory build build-cctest 2>&1 | tee "$logdir/T2-build.log"
    rc=${PIPESTATUS[0]}
  else
    $MAKE --no-print-directory build build-cctest 2>&1 | tee "$logdir/T2-build.log"
    rc=${PIPESTATUS[0]}
  fi
  mins=$(( ($(date +%s) - t2_start + 59) / 60 ))
  if [ "$rc" -eq 0 ]; then
    tier_state[T2]=passed; tier_note[T2]="fork and cctest built in ${mins} min"
  elif [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    tier_state[T2]="did not finish"
    tier_note[T2]="stopped after ${mins} min to stay inside the time limit; ccache keeps what was compiled ($(grep -aoE '^\[[0-9]+/[0-9]+\]' "$logdir/T2-build.log" | tail -1) steps)"
  else
    tier_state[T2]=failed; tier_note[T2]="build failed (log $logdir/T2-build.log)"
    total_fail=$((total_fail + 1))
  fi
fi

# ---- T3 -------------------------------------------------------------------
if [ "${tier_state[T2]}" = passed ]; then
  tier_state[T3]=passed
  export STEP_DEADLINE=1
  run T3 smoke $MAKE --no-print-directory smoke
  run T3 cctest $MAKE --no-print-directory test-cctest
  # tools/test.py runs its tests in sessions of their own, out of reach of
  # the step's timeout: node-suites.py kills it itself a little earlier.
  for mode in node-suites node-suites-stock; do
    left=$(time_left)
    run T3 $mode $MAKE --no-print-directory test-$mode \
      ${left:+NODE_SUITES_TIMEOUT=$((left > 40 ? left - 20 : 20))}
  done
  run T3 tap $MAKE --no-print-directory test-tap
  run T3 tap-stock $MAKE --no-print-directory test-tap-stock
  # make install, make dist, and addons and npm on the installed tree.
  run T3 dist $MAKE --no-print-directory test-dist
  unset STEP_DEADLINE
else
  tier_state[T3]="did not run"; tier_note[T3]="needs the fork binary from T2"
fi

# ---- summary --------------------------------------------------------------
echo
echo "=== summary"
for t in T1 T2 T3; do
  printf '%s: %s. %s\n' "$t" "${tier_state[$t]^^}" "${tier_note[$t]:-}"
done
echo "tests: $total_pass passed, $total_fail failed, $total_skip skipped"
status=0
for t in T1 T2 T3; do
  [ "${tier_state[$t]}" = failed ] && status=1
done
exit $status
