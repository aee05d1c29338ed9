#!/usr/bin/env bash
# The tooling (TypeScript 5.9, tap 21, the benchmark runner) runs on the
# machine's Node.js, not the fork's; the root lockfile's tools need
# ^20.19 || ^22.12 || >=23 (Debian bookworm's own nodejs 18 is too old).
# Fails with a clear message instead of an obscure error deep in npm ci.
set -euo pipefail
node=${NODE:-node}
command -v "$node" >/dev/null 2>&1 ||
  { echo "check-node: no '$node' on PATH: install Node.js ^20.19 || ^22.12 || >=23" >&2; exit 1; }
v=$("$node" -p 'process.versions.node')
IFS=. read -r major minor _ <<<"$v"
ok=0
if [ "$major" -ge 23 ]; then ok=1
elif [ "$major" -eq 22 ] && [ "$minor" -ge 12 ]; then ok=1
elif [ "$major" -eq 20 ] && [ "$minor" -ge 19 ]; then ok=1
fi
if [ "$ok" -ne 1 ]; then
  echo "check-node: Node.js $v is too old for the tooling: need ^20.19 || ^22.12 || >=23" >&2
  exit 1
fi
