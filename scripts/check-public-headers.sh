#!/usr/bin/env bash
# check-public-headers.sh [--tree DIR | --pristine] [PATCH...]: the fork keeps Node 22's
# ABI (process.versions.modules 127, its N-API version), so no patch may
# change a header that tools/install.py installs (include/node/: node.h,
# node_api.h, js_native_api*.h, node_version.h, common.gypi, V8's and
# libuv's public headers, ...) or install.py itself, unless its message
# says why, on a line of its own:
#
#   Public header: <reason>
#
# The list of installed headers is install.py's own (scripts/public-headers.py
# runs it), from DIR (default node-fork/, else, or with --pristine, the
# pristine tarball's tree, unpacked into build/public-headers/). PATCH
# defaults to patches/*.patch.
# Prints one line per patch that touches such a file and closes with
# `check-public-headers: N passed, N failed`; exits 1 on any failure.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
tree= pristine=
patches=()
while [ $# -gt 0 ]; do
  case "$1" in
    --tree) tree=$2; shift 2 ;;
    --tree=*) tree=${1#--tree=}; shift ;;
    --pristine) pristine=1; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) patches+=("$1"); shift ;;
  esac
done
if [ ${#patches[@]} -eq 0 ]; then
  shopt -s nullglob
  patches=("$here"/patches/*.patch)
  shopt -u nullglob
fi

die() { echo "check-public-headers: $*" >&2; exit 2; }

# The tree whose install.py decides. Without node-fork/, the pristine one:
# install.py, common.gypi and the directories it copies headers from.
if [ -z "$tree" ]; then
  if [ -z "$pristine" ] && [ -f "$here/node-fork/tools/install.py" ]; then
    tree=$here/node-fork
  else
    ver=$(sed -nE 's/^NODE_VERSION[[:space:]]*:=[[:space:]]*([^[:space:]]+).*/\1/p' "$here/mk/common.mk")
    tarball=$(sed -nE 's/^NODE_TARBALL[[:space:]]*:=[[:space:]]*([^[:space:]]+).*/\1/p' "$here/mk/common.mk")
    top=node-v$ver
    base=$here/build/public-headers
    tree=$base/$top
    if [ ! -f "$base/.from-$tarball" ]; then
      echo "check-public-headers: unpacking $top's headers from $tarball"
      rm -rf "$base"
      VENDOR_DIR=${VENDOR_DIR:-$(cd "$here/.." && pwd)/shared/vendor} \
        "$here/scripts/vendor.sh" extract "$tarball" "$base.tmp" \
        "$top/tools/install.py" "$top/common.gypi" "$top/src" \
        "$top/deps/v8/include" "$top/deps/uv/include" ||
        die "cannot unpack $tarball"
      mv "$base.tmp" "$base"
      touch "$base/.from-$tarball"
    fi
  fi
fi
[ -f "$tree/tools/install.py" ] || die "no tools/install.py in $tree"

public=$(python3 "$here/scripts/public-headers.py" "$tree") ||
  die "scripts/public-headers.py failed on $tree"
[ -n "$public" ] || die "install.py in $tree installs no header?"

# is_public PATH: installed by install.py (a listed file, or a .h under a
# directory it copies whole), or install.py itself.
is_public() {
  local p=$1 e
  [ "$p" = tools/install.py ] && return 0
  while IFS= read -r e; do
    case "$e" in
      */) case "$p" in "$e"*.h) return 0 ;; esac ;;
      *) [ "$p" = "$e" ] && return 0 ;;
    esac
  done <<<"$public"
  return 1
}

pass=0 fail=0
for patch in "${patches[@]}"; do
  [ -f "$patch" ] || die "no such patch: $patch"
  name=$(basename "$patch")
  # Files the patch touches: both sides of every `diff --git a/X b/Y`.
  touched=$(sed -nE 's|^diff --git a/([^ ]+) b/([^ ]+)$|\1\n\2|p' "$patch" | sort -u)
  hits=()
  while IFS= read -r f; do
    [ -n "$f" ] && is_public "$f" && hits+=("$f")
  done <<<"$touched"
  if [ ${#hits[@]} -eq 0 ]; then
    pass=$((pass + 1)); continue
  fi
  # The message: everything before format-patch's `---` line.
  reason=$(sed -n '/^---$/q; p' "$patch" | sed -nE 's/^Public header:[[:space:]]*(.*[^[:space:]].*)$/\1/p' | head -1)
  if [ -n "$reason" ]; then
    echo "check-public-headers: $name touches ${hits[*]}; says why: $reason"
    pass=$((pass + 1))
  else
    echo "check-public-headers: $name touches ${hits[*]} (installed by tools/install.py into include/node/), and its message does not say why: add a line 'Public header: <reason>' or keep the change out of public headers" >&2
    fail=$((fail + 1))
  fi
done
echo "check-public-headers: ${#patches[@]} patches against $tree/tools/install.py's $(wc -l <<<"$public") public headers and directories"
echo "check-public-headers: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
