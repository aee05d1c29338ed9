#!/usr/bin/env bash
# Verified access to the pinned upstream archives in $VENDOR_DIR.
#
#   vendor.sh verify NAME...            check NAME against SHA256SUMS
#   vendor.sh extract NAME DEST [MEMBER...]
#                                       verify, then unpack NAME (or only the
#                                       listed members) into DEST
#
# Every build step that reads an archive goes through here, so a missing or
# altered file stops the build with a message naming it, before anything is
# unpacked.
set -euo pipefail

: "${VENDOR_DIR:?VENDOR_DIR is not set}"
sums="$VENDOR_DIR/SHA256SUMS"

die() { echo "vendor: $*" >&2; exit 1; }

verify_one() {
  local name=$1 want got
  [ -f "$sums" ] || die "missing $sums"
  [ -f "$VENDOR_DIR/$name" ] || die "missing archive $VENDOR_DIR/$name"
  want=$(awk -v n="$name" '$2 == n || $2 == "*" n { print $1 }' "$sums")
  [ -n "$want" ] || die "$name has no entry in $sums"
  got=$(sha256sum "$VENDOR_DIR/$name" | awk '{ print $1 }')
  [ "$want" = "$got" ] ||
    die "checksum mismatch for $name: expected $want, got $got"
}

cmd=${1:-}; shift || true
case "$cmd" in
  verify)
    [ $# -gt 0 ] || die "usage: vendor.sh verify NAME..."
    for n in "$@"; do verify_one "$n"; done
    ;;
  extract)
    [ $# -ge 2 ] || die "usage: vendor.sh extract NAME DEST [MEMBER...]"
    name=$1 dest=$2; shift 2
    verify_one "$name"
    mkdir -p "$dest"
    # --no-same-owner: files belong to whoever builds, not to the uid that
    # packed the archive (git refuses a repository it does not own).
    tar -C "$dest" --no-same-owner -xf "$VENDOR_DIR/$name" "$@"
    ;;
  *) die "usage: vendor.sh verify|extract ..." ;;
esac
