#!/usr/bin/env bash
# fork-tree.sh create|fresh|sync|export  (run from the repo root)
#
# node-fork/ is a git repository with this history:
#   1. "upstream: ..."            the pristine tree from the pinned tarball  (tag upstream)
#   2. "node-coro-generated: deps" what the repack removed, restored          (tag deps)
#   3. one commit per patch in patches/, applied with git am
#   4. "node-coro-generated: sync" coro/ -> src/coro/, lib-ts output -> lib/
# Only 3 is ours to edit; `export` writes exactly those commits to patches/.
# Commits of kind 2 and 4 carry the subject prefix below so export can tell
# them apart wherever they sit in the history.
set -euo pipefail

repo=$(pwd)
fork=${FORK:-$repo/node-fork}
patches=$repo/patches
gen_prefix="node-coro-generated:"
tarball=nodejs_22.22.2+dfsg+~cs22.19.15.orig.tar.xz
topdir=node-v22.22.2

say() { echo "fork-tree: $*"; }
die() { echo "fork-tree: $*" >&2; exit 1; }

g() { git -C "$fork" "$@"; }
commit_all() {
  g add -A
  g -c user.name=node-coro -c user.email=node-coro@localhost \
    commit -q --allow-empty -m "$1"
}

series() { ls "$patches"/*.patch 2>/dev/null | LC_ALL=C sort || true; }
series_hash() { (cat $(series) 2>/dev/null || true) | sha256sum | cut -c1-16; }

apply_patches() {
  local p n=0
  for p in $(series); do
    g -c user.name=node-coro -c user.email=node-coro@localhost \
      am -q --keep-cr --committer-date-is-author-date "$p" ||
      die "patch does not apply: $p (resolve in node-fork, then make export-patches)"
    n=$((n + 1))
  done
  say "applied $n patches"
  series_hash > "$fork/.git/node-coro-series"
}

# Copy a directory's files into the tree only where they differ, so files
# that did not change keep their mtime and ninja does not rebuild them.
sync_dir() {
  local from=$1 to=$2
  mkdir -p "$to"
  rsync -a --checksum --delete "$from/" "$to/"
}

sync_owned() {
  [ -d "$repo/coro" ] && sync_dir "$repo/coro" "$fork/src/coro"
  [ -d "$repo/build/lib-ts/lib" ] && rsync -a --checksum "$repo/build/lib-ts/lib/" "$fork/lib/"
  [ -d "$repo/benchmark/upstream" ] && rsync -a --checksum "$repo/benchmark/upstream/" "$fork/benchmark/"
  [ -d "$repo/test/node" ] && rsync -a --checksum "$repo/test/node/" "$fork/test/"
  # The coroutine layer's gtest suite doubles as cctest (not its benchmark,
  # which has a main()).
  if [ -d "$repo/test/coro" ]; then
    mkdir -p "$fork/test/cctest/coro"
    rsync -a --checksum --delete --include='test_*.cc' --include='*.h' --exclude='*' \
      "$repo/test/coro/" "$fork/test/cctest/coro/"
  fi
  if [ -n "$(g status --porcelain)" ]; then
    # Keep one sync commit at the tip: amend it when it is already there.
    if g log -1 --format=%s | grep -q "^$gen_prefix sync"; then
      g add -A
      g -c user.name=node-coro -c user.email=node-coro@localhost commit -q --amend --no-edit
    else
      commit_all "$gen_prefix sync coro/, test/coro/, lib-ts/, benchmark/upstream/ and test/node/ into the tree"
    fi
    say "synced owned files"
  fi
}

write_excludes() {
  cat > "$fork/.git/info/exclude" <<'EOX'
/out/
/deps/icu/
/config.gypi
/config.mk
/config.status
/icu_config.gypi
/tools/.pycache/
__pycache__/
*.pyc
/test/.tmp.*
/.node-coro-*
EOX
}

create() {
  [ -e "$fork" ] && die "$fork exists"
  local tmp=$fork.tmp
  rm -rf "$tmp"; mkdir -p "$tmp"
  say "unpacking $tarball"
  "$repo/scripts/vendor.sh" extract "$tarball" "$tmp"
  mv "$tmp/$topdir" "$fork"; rmdir "$tmp"
  g init -q -b main
  # The repack ships no .gitignore: keep configure's and the build's
  # outputs out of every commit (above all the sync commit, which adds
  # whatever is new).
  write_excludes
  g config advice.detachedHead false
  g add -A -f
  g -c user.name=node-coro -c user.email=node-coro@localhost \
    commit -q -m "upstream: Node.js v22.22.2 (Debian DFSG repack, pristine)"
  g tag upstream
  "$repo/scripts/restore-deps.sh" "$fork"
  g add -A -f deps
  g -c user.name=node-coro -c user.email=node-coro@localhost \
    commit -q -m "$gen_prefix deps: restore what the repack removed (scripts/restore-deps.sh)"
  g tag deps
  apply_patches
  sync_owned
}

# True when node-fork's patch commits are exactly patches/ as last applied.
patches_current() {
  [ -f "$fork/.git/node-coro-series" ] &&
    [ "$(cat "$fork/.git/node-coro-series")" = "$(series_hash)" ]
}

# Bring an existing tree up to date: re-apply the series when patches/
# changed (git only rewrites files that differ, so ninja rebuilds only
# those), then sync owned files.
sync() {
  [ -d "$fork/.git" ] || die "$fork is not a fork tree; run 'make node-fork'"
  if ! patches_current; then
    [ -z "$(g status --porcelain --untracked-files=no)" ] ||
      die "node-fork has uncommitted edits and patches/ changed; commit and export them first"
    [ "$(unexported)" = 0 ] ||
      die "node-fork has patch commits that are not in patches/; run 'make export-patches' first"
    say "patches/ changed: re-applying the series"
    g reset -q --hard deps
    apply_patches
  fi
  sync_owned
}

# Patch commits: everything after the deps tag that is not generated.
patch_commits() {
  g rev-list --reverse deps..HEAD --invert-grep --grep="^$gen_prefix" --
}
unexported() {
  local tmp n
  tmp=$(mktemp -d)
  export_to "$tmp" >/dev/null
  if diff -q <(cd "$tmp" && cat *.patch 2>/dev/null | grep -v '^From [0-9a-f]\{40\}' ) \
             <(cat $(series) 2>/dev/null | grep -v '^From [0-9a-f]\{40\}') >/dev/null; then n=0; else n=1; fi
  rm -rf "$tmp"
  echo $n
}

export_to() {
  local dest=$1 i=0 c subj
  mkdir -p "$dest"
  for c in $(patch_commits); do
    i=$((i + 1))
    g format-patch -q -1 "$c" --zero-commit --no-signature --no-numbered \
      --start-number "$i" -o "$dest"
  done
  echo "$i"
}

export_patches() {
  local tmp n
  tmp=$(mktemp -d)
  n=$(export_to "$tmp")
  mkdir -p "$patches"
  rm -f "$patches"/*.patch
  [ "$n" -gt 0 ] && mv "$tmp"/*.patch "$patches"/
  rm -rf "$tmp"
  series_hash > "$fork/.git/node-coro-series"
  say "exported $n patches to patches/"
}

# Lay the tree anew (node-fork/out goes with it; ccache keeps the objects).
# Refuses while the tree holds work that is not in patches/.
fresh() {
  if [ -d "$fork/.git" ]; then
    [ -z "$(g status --porcelain --untracked-files=no)" ] ||
      die "node-fork has uncommitted edits; commit and export them first"
    if patches_current && [ "$(unexported)" != 0 ]; then
      die "node-fork has patch commits that are not in patches/; run 'make export-patches' first"
    fi
    rm -rf "$fork"
  fi
  create
}

case "${1:-}" in
  create) create ;;
  fresh) fresh ;;
  sync) sync ;;
  export) export_patches ;;
  *) die "usage: fork-tree.sh create|fresh|sync|export" ;;
esac
