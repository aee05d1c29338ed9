#!/usr/bin/env bash
# Packs what the local cache holds beyond the seed as a new delta archive.
#
#   ccache-export.sh OUTDIR
#
# Writes OUTDIR/node-v22.22.2-gcc12-delta-<UTC date>-<commit>.ccache.tar with
# every cache file of $CCACHE_DIR that no archive listed in
# $CCACHE_SEED_DIR/SHA256SUMS holds (or holds at another size: a manifest a
# later build extended), and OUTDIR/SHA256SUMS listing the seed's archives,
# in their order, followed by the new delta. Copying OUTDIR's files into the
# seed folder gives a seed whose archives, unpacked in order, are this cache.
set -euo pipefail

: "${CCACHE_DIR:?CCACHE_DIR is not set}"
: "${CCACHE_SEED_DIR:?CCACHE_SEED_DIR is not set}"
out=${1:?usage: ccache-export.sh OUTDIR}
sums=$CCACHE_SEED_DIR/SHA256SUMS
die() { echo "ccache-export: $*" >&2; exit 1; }
[ -f "$sums" ] || die "no $sums: nothing to make a delta against"
[ -d "$CCACHE_DIR" ] || die "no cache at $CCACHE_DIR"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# "size path" of every file the seed's archives hold, later archives winning.
while read -r _ name; do
  [ -n "${name:-}" ] || continue
  name=${name#\*}
  [ -f "$CCACHE_SEED_DIR/$name" ] || die "missing archive $CCACHE_SEED_DIR/$name"
  tar -tvf "$CCACHE_SEED_DIR/$name" | awk '$1 !~ /^d/ { print $3, $6 }'
done < "$sums" | awk '{ size[$2] = $1 } END { for (p in size) print size[p], p }' |
  LC_ALL=C sort -k2 > "$tmp/seed.list"

# The cache's own files, less our seed stamps, ccache's temporary files and
# its statistics counters (every build rewrites those).
(cd "$CCACHE_DIR" && find . -type f \
   ! -path './node-coro-seed/*' ! -path './tmp/*' ! -name stats ! -name '*.lock' \
   -printf '%s %p\n') | LC_ALL=C sort -k2 > "$tmp/cache.list"

# New or changed files: in the cache, not in the seed with the same size.
LC_ALL=C join -1 2 -2 2 -a 1 -o 1.2,1.1,2.1 -e none "$tmp/cache.list" "$tmp/seed.list" |
  awk '$2 != $3 { print $1 }' > "$tmp/delta.list"
n=$(wc -l < "$tmp/delta.list")
[ "$n" -gt 0 ] || die "the cache holds nothing the seed lacks; no delta written"

commit=$(git -C "$(dirname "$0")/.." rev-parse --short=8 HEAD 2>/dev/null || echo nocommit)
name=node-v22.22.2-gcc12-delta-$(date -u +%Y%m%d)-$commit.ccache.tar
mkdir -p "$out"
rm -f "$out"/*.ccache.tar "$out/SHA256SUMS"
tar -C "$CCACHE_DIR" --owner=0 --group=0 -cf "$out/$name" -T "$tmp/delta.list"
{ grep -v '^[[:space:]]*$' "$sums"; (cd "$out" && sha256sum "$name"); } > "$out/SHA256SUMS"
echo "ccache-export: $n files not in the seed -> $out/$name ($(du -h "$out/$name" | cut -f1))"
echo "ccache-export: $out/SHA256SUMS lists the seed's archives and the new delta:"
cat "$out/SHA256SUMS"
echo "ccache-export: to use it, copy $out/$name and $out/SHA256SUMS into the seed folder"
