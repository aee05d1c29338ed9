#!/usr/bin/env bash
# tap-run.sh NAME NODE TAP-ARGS...: run tap with NODE, then print the
# closing line `NAME: N passed, N failed, N skipped` from tap's summary.
set -uo pipefail
name=$1 node=$2; shift 2
here=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp)
"$node" "$here/node_modules/tap/dist/esm/run.mjs" --disable-coverage "$@" 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
summary=$(grep -aE '^# \{ total: [0-9]+' "$out" | tail -1)
rm -f "$out"
num() { sed -nE "s/.*[ {]$1: ([0-9]+).*/\1/p" <<<"$summary"; }
pass=$(num pass); fail=$(num fail); skip=$(num skip); todo=$(num todo)
if [ -z "$summary" ]; then
  echo "$name: tap printed no summary (exit $rc)"
  echo "$name: 0 passed, 1 failed, 0 skipped"
  exit 1
fi
fail=${fail:-0}
[ "$rc" -ne 0 ] && [ "$fail" -eq 0 ] && fail=1
echo "$name: ${pass:-0} passed, $fail failed, $(( ${skip:-0} + ${todo:-0} )) skipped"
exit "$rc"
