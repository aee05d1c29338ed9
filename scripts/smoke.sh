#!/usr/bin/env bash
# smoke.sh NODE: run the smoke checks on a built binary.
set -euo pipefail
node=${1:?usage: smoke.sh NODE}
[ -x "$node" ] || { echo "smoke: no binary at $node (run make)" >&2; exit 1; }
here=$(cd "$(dirname "$0")/.." && pwd)
echo "smoke: $node $("$node" --version)"
# node:sqlite is experimental in v22 and says so on stderr; not news here.
exec "$node" --disable-warning=ExperimentalWarning "$here/test/smoke/smoke.mjs"
