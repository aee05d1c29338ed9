#!/usr/bin/env bash
# Seeds $CCACHE_DIR from the archives listed in $CCACHE_SEED_DIR/SHA256SUMS.
#
#   ccache-seed.sh          unpack every listed archive not unpacked yet
#   ccache-seed.sh status   say which archives are unpacked, change nothing
#
# "Seeded" is decided by what was unpacked, not by whether the cache is
# empty: after unpacking an archive we write a stamp
# $CCACHE_DIR/node-coro-seed/<archive>.sha256 holding its checksum. An
# archive whose stamp is missing or names another checksum is verified and
# unpacked, whatever else the cache already holds (the standalone coroutine
# tests, say, may have compiled into it first). Archives are unpacked in the
# order SHA256SUMS lists them (the base before its delta): together they
# form one cache directory.
set -euo pipefail

: "${CCACHE_DIR:?CCACHE_DIR is not set}"
: "${CCACHE_SEED_DIR:?CCACHE_SEED_DIR is not set}"
sums=$CCACHE_SEED_DIR/SHA256SUMS
stamps=$CCACHE_DIR/node-coro-seed
mode=${1:-seed}

die() { echo "ccache-seed: $*" >&2; exit 1; }

if [ ! -f "$sums" ]; then
  echo "ccache-seed: no $sums; building without a seed (cold)"
  exit 0
fi

mkdir -p "$stamps"
n=0 unpacked=0
while read -r want name; do
  [ -n "${want:-}" ] || continue
  name=${name#\*}
  n=$((n + 1))
  stamp=$stamps/$name.sha256
  if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    echo "ccache-seed: $name already unpacked"
    continue
  fi
  if [ "$mode" = status ]; then
    echo "ccache-seed: $name NOT unpacked"
    continue
  fi
  [ -f "$CCACHE_SEED_DIR/$name" ] || die "missing archive $CCACHE_SEED_DIR/$name"
  got=$(sha256sum "$CCACHE_SEED_DIR/$name" | awk '{ print $1 }')
  [ "$got" = "$want" ] ||
    die "checksum mismatch for $name: expected $want, got $got"
  echo "ccache-seed: unpacking $name into $CCACHE_DIR"
  tar -C "$CCACHE_DIR" --no-same-owner -xf "$CCACHE_SEED_DIR/$name"
  # Write the stamp last: an interrupted unpack is redone next time.
  echo "$want" > "$stamp.tmp" && mv "$stamp.tmp" "$stamp"
  unpacked=$((unpacked + 1))
done < "$sums"
[ "$n" -gt 0 ] || die "$sums lists no archive"
echo "ccache-seed: $n archive(s) listed, $unpacked unpacked now"
