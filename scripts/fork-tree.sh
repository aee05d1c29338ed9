#!/usr/bin/env bash
# fork-tree.sh create|fresh|sync|export  (run from the repo root)
#
# node-fork/ is a git repository with this history:
#   1. "upstream: ..."            the pristine tree from the pinned tarball  (tag upstream)
#   2. "node-coro-generated: deps" what the repack removed, restored          (tag deps)
#   3. one commit per patch in patches/, applied with git am
#   4. "node-coro-generated: sync" the files the repo owns, copied in (below)
# Only 3 is ours to edit; `export` writes exactly those commits to patches/.
# Commits of kind 2 and 4 carry the subject prefix below so export can tell
# them apart wherever they sit in the history.
#
# The files the repo owns (sync copies them in; their source is the repo's
# copy, never node-fork's):
#   src/coro/              <- coro/
#   test/cctest/coro/      <- test/coro/ (test_*.cc and *.h)
#   lib/FILE               <- build/lib-ts/lib/FILE (lib-ts/ compiled)
#   benchmark/FILE         <- benchmark/upstream/FILE
#   test/FILE              <- test/node/FILE
#
# No command may lose work held in node-fork/ or patches/:
#   - sync commits only the owned files; any other change stays uncommitted.
#   - sync refuses an edit to an owned file made in node-fork (committed or
#     not) rather than overwrite it.
#   - sync re-lays the tree when patches/ or restore-deps' inputs changed
#     only when the tree holds no work that is not in patches/.
#   - fresh refuses over any such work unless FORCE=1.
#   - export replaces patches/ only once the new series is complete.
#   - create lays the tree under a temporary name and renames it at the end.
#
# Environment: FORK (the tree, default ./node-fork), FORCE=1 (fresh
# discards the tree's work), RESTORE_DEPS (default scripts/restore-deps.sh;
# tests put a stand-in there), VENDOR_DIR (for scripts/vendor.sh).
set -euo pipefail
# A failing command inside $(...) stops the script too, not only its output.
shopt -s inherit_errexit
# Globs (patches/*.patch) and sort in byte order: the series order.
export LC_ALL=C

repo=$(pwd)
here=$(cd "$(dirname "$0")" && pwd)
fork=${FORK:-$repo/node-fork}
patches=$repo/patches
restore_deps=${RESTORE_DEPS:-$here/restore-deps.sh}
gen_prefix="node-coro-generated:"
sync_subject="$gen_prefix sync coro/, test/coro/, lib-ts/, benchmark/upstream/ and test/node/ into the tree"
deps_subject="$gen_prefix deps: restore what the repack removed (scripts/restore-deps.sh)"
tarball=nodejs_22.22.2+dfsg+~cs22.19.15.orig.tar.xz
topdir=node-v22.22.2
# How messages name the tree: node-fork, when it sits in the repo.
name=${fork#"$repo"/}

say() { echo "fork-tree: $*"; }
die() { echo "fork-tree: $*" >&2; exit 1; }

# Scratch space, removed however the script ends.
tmpd=$(mktemp -d)
cleanup=("$tmpd")
trap 'rm -rf "${cleanup[@]}"' EXIT

# The tree git works on: node-fork, except while create lays it under a
# temporary name.
tree=$fork
g() { git -C "$tree" -c core.quotePath=false "$@"; }
bot=(-c user.name=node-coro -c user.email=node-coro@localhost)

# State kept in node-fork/.git (so it goes with the tree):
#   node-coro-series   hash of patches/ as last applied to or exported from the tree
#   node-coro-applied  the tree's patch commits at that moment, one hash per patch
#   node-coro-deps     hash of restore-deps' inputs when it last ran on the tree
#   node-coro-rebuild  HEAD where an interrupted re-apply stopped
state() { cat "$tree/.git/node-coro-$1" 2>/dev/null || true; }
has_state() { [ -f "$tree/.git/node-coro-$1" ]; }
set_state() { printf '%s\n' "$2" > "$tree/.git/node-coro-$1"; }

# --- the series --------------------------------------------------------------

series_files() {
  local f
  for f in "$patches"/*.patch; do
    if [ -e "$f" ]; then printf '%s\n' "$f"; fi
  done
}
# One hash for a directory's *.patch files, in series order.
hash_patches() {
  local f
  for f in "$1"/*.patch; do
    if [ -e "$f" ]; then cat "$f"; fi
  done | sha256sum | cut -c1-16
}
# One hash per patch, one a line, in series order.
patch_hashes() {
  local f
  for f in "$1"/*.patch; do
    if [ -e "$f" ]; then sha256sum < "$f" | cut -c1-16; fi
  done
}
series_hash() { hash_patches "$patches"; }

has_tag() { g rev-parse -q --verify "refs/tags/$1" >/dev/null; }
require_tags() {
  local t
  for t in "$@"; do
    has_tag "$t" ||
      die "$name has no '$t' tag (an interrupted create?): 'make node-fork-fresh FORCE=1' lays it anew"
  done
}

# Patch commits: everything after the deps tag that is not generated.
patch_commits() {
  g rev-list --reverse deps..HEAD --invert-grep --grep="^$gen_prefix" --
}

# Write the tree's patch commits to DIR as NNNN-*.patch; print "COMMIT HASH"
# for each. Stops the script when it cannot (no deps tag, git failing), so
# that no caller takes a failure for an empty series.
export_to() {
  local dest=$1 i=0 c commits file
  require_tags deps
  commits=$(patch_commits)
  mkdir -p "$dest"
  for c in $commits; do
    i=$((i + 1))
    file=$(g format-patch -1 "$c" --zero-commit --no-signature --no-numbered \
      --start-number "$i" -o "$dest")
    echo "$c $(sha256sum < "$file" | cut -c1-16)"
  done
}

# Remember patches/ as the tree now holds it. DIR: the tree's patch commits
# already exported there (else export them now).
record_series() {
  local dir=${1:-}
  if [ -z "$dir" ]; then
    dir=$tmpd/record; rm -rf "$dir"
    export_to "$dir" >/dev/null
  fi
  set_state series "$(series_hash)"
  set_state applied "$(patch_hashes "$dir")"
}

# The patch commits that are not in patches/, as it is or as it was when
# last applied to or exported from the tree, one line each; nothing when
# every commit is there.
unexported_commits() {
  local out=$tmpd/unexported lines mine theirs applied known c h listed=0
  rm -rf "$out"
  lines=$(export_to "$out")
  mine=$(patch_hashes "$out")
  theirs=$(patch_hashes "$patches")
  applied=$(state applied)
  if [ "$mine" = "$theirs" ]; then return 0; fi
  # Left so by an interrupted re-apply, nothing added since: what it holds
  # came from patches/.
  if has_state rebuild && [ "$(state rebuild)" = "$(g rev-parse HEAD)" ]; then
    return 0
  fi
  # As last applied or exported. A tree laid before node-coro-applied was
  # kept has only the series hash; its patches/ was written by export,
  # which reproduces it byte for byte.
  if has_state applied; then
    if [ "$mine" = "$applied" ]; then return 0; fi
  elif [ "$(hash_patches "$out")" = "$(state series)" ]; then
    return 0
  fi
  known=$(printf '%s\n%s\n' "$theirs" "$applied")
  while read -r c h; do
    [ -n "$c" ] || continue
    if ! grep -qxF "$h" <<<"$known"; then
      echo "  commit $(g log -1 --format='%h %s' "$c") is not in patches/"
      listed=1
    fi
  done <<<"$lines"
  if [ "$listed" = 0 ]; then
    echo "  its patch commits differ from patches/ (reordered or dropped)"
  fi
  return 0
}

# A git am, rebase, merge... left half done in the tree.
operation_in_progress() {
  local f
  for f in rebase-apply rebase-merge MERGE_HEAD CHERRY_PICK_HEAD REVERT_HEAD; do
    if [ -e "$tree/.git/$f" ]; then echo "$f"; return 0; fi
  done
}

# --- owned files -------------------------------------------------------------

# The repo's source of a tree path the repo owns, or nothing. In src/coro/
# and test/cctest/coro/ a path is owned even when its source is gone (sync
# deletes it there); elsewhere only the files the repo has are owned.
source_of() {
  local p=$1 base
  if [[ $p == src/coro/* ]] && [ -d "$repo/coro" ]; then
    echo "coro/${p#src/coro/}"; return 0
  fi
  if [[ $p == test/cctest/coro/* && ${p#test/cctest/coro/} != */* ]] && [ -d "$repo/test/coro" ]; then
    base=${p##*/}
    case $base in
      test_*.cc | *.h) echo "test/coro/$base"; return 0 ;;
    esac
  fi
  case $p in
    lib/*) if [ -e "$repo/build/lib-ts/lib/${p#lib/}" ]; then echo "build/lib-ts/lib/${p#lib/}"; fi ;;
    benchmark/*) if [ -e "$repo/benchmark/upstream/${p#benchmark/}" ]; then echo "benchmark/upstream/${p#benchmark/}"; fi ;;
    test/*) if [ -e "$repo/test/node/${p#test/}" ]; then echo "test/node/${p#test/}"; fi ;;
  esac
  return 0
}
# How messages name a source: lib-ts output says where it comes from.
source_name() {
  case $1 in
    build/lib-ts/lib/*) echo "$1 in the repo (compiled from lib-ts/)" ;;
    *) echo "$1 in the repo" ;;
  esac
}

# Every tree path sync_owned may write or delete, one a line: the sources'
# files mapped into the tree, and whatever the owned directories hold.
owned_paths() {
  {
    if [ -d "$repo/coro" ]; then
      (cd "$repo/coro" && find . ! -type d) | sed 's|^\./|src/coro/|'
      g ls-files -co --exclude-standard -- src/coro
    fi
    if [ -d "$repo/test/coro" ]; then
      (cd "$repo/test/coro" && find . -maxdepth 1 ! -type d \( -name 'test_*.cc' -o -name '*.h' \)) |
        sed 's|^\./|test/cctest/coro/|'
      g ls-files -co --exclude-standard -- test/cctest/coro |
        { grep -E '^test/cctest/coro/(test_[^/]*\.cc|[^/]*\.h)$' || true; }
    fi
    if [ -d "$repo/build/lib-ts/lib" ]; then
      (cd "$repo/build/lib-ts/lib" && find . ! -type d) | sed 's|^\./|lib/|'
    fi
    if [ -d "$repo/benchmark/upstream" ]; then
      (cd "$repo/benchmark/upstream" && find . ! -type d) | sed 's|^\./|benchmark/|'
    fi
    if [ -d "$repo/test/node" ]; then
      (cd "$repo/test/node" && find . ! -type d) | sed 's|^\./|test/|'
    fi
  } | sort -u
}

# Uncommitted changes as "XY PATH" lines (git status --porcelain), build
# output left out by .git/info/exclude. $1: untracked files too (all) or not (no).
changes() {
  g status --porcelain -z --no-renames --untracked-files="$1" -- "${@:2}" | tr '\0' '\n'
}

# Refuse when sync would overwrite or delete an owned file edited in the
# tree and not committed. A file already equal to the repo's copy (a sync
# interrupted before its commit) is no edit.
check_owned_uncommitted() {
  local line p src bad=""
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    p=${line:3}
    src=$(source_of "$p")
    [ -n "$src" ] || continue
    # Deleted in the tree: sync puts the repo's copy back, nothing is lost.
    [ -e "$tree/$p" ] || [ -L "$tree/$p" ] || continue
    if [ -e "$repo/$src" ]; then
      cmp -s "$repo/$src" "$tree/$p" && continue
      bad+="$name/$p has uncommitted edits in $name; $(source_name "$src") is the source: move the change there (then: git -C $name checkout -- $p)"$'\n'
    else
      bad+="$name/$p is only in $name; $(source_name "$src") would be its source: move the file there (sync would delete it)"$'\n'
    fi
  done <<<"$(changes all src/coro test/cctest/coro lib benchmark test)"
  [ -z "$bad" ] || die "refusing to overwrite edits made in $name:"$'\n'"${bad%$'\n'}"
}

# Refuse when a patch commit (or any non-generated commit, e.g. one made
# after the sync commit) changes an owned file: sync would overwrite the
# change, and export would carry it into patches/ beside the repo's copy.
check_owned_commits() {
  local c p src bad=""
  for c in $(patch_commits); do
    while IFS= read -r p; do
      [ -n "$p" ] || continue
      src=$(source_of "$p")
      [ -n "$src" ] || continue
      bad+="$name/$p was edited in $name; $(source_name "$src") is the source: move the change there ($(g log -1 --format='commit %h "%s"' "$c"), then drop it from that commit)"$'\n'
    done <<<"$(g diff-tree --no-commit-id --name-only -r --no-renames "$c")"
  done
  [ -z "$bad" ] || die "refusing to overwrite owned files changed by commits in $name:"$'\n'"${bad%$'\n'}"
}

# Copy a directory's files into the tree only where they differ, so files
# that did not change keep their mtime and ninja does not rebuild them.
sync_dir() {
  local from=$1 to=$2
  mkdir -p "$to"
  rsync -a --checksum --delete "$from/" "$to/"
}

sync_owned() {
  if [ -d "$repo/coro" ]; then sync_dir "$repo/coro" "$tree/src/coro"; fi
  if [ -d "$repo/build/lib-ts/lib" ]; then rsync -a --checksum "$repo/build/lib-ts/lib/" "$tree/lib/"; fi
  if [ -d "$repo/benchmark/upstream" ]; then rsync -a --checksum "$repo/benchmark/upstream/" "$tree/benchmark/"; fi
  if [ -d "$repo/test/node" ]; then rsync -a --checksum "$repo/test/node/" "$tree/test/"; fi
  # The coroutine layer's gtest suite doubles as cctest (not its benchmark,
  # which has a main()).
  if [ -d "$repo/test/coro" ]; then
    mkdir -p "$tree/test/cctest/coro"
    rsync -a --checksum --delete --include='test_*.cc' --include='*.h' --exclude='*' \
      "$repo/test/coro/" "$tree/test/cctest/coro/"
  fi
  commit_owned
}

# Commit the owned files, and only them: build the commit in a scratch
# index (HEAD plus the owned paths as the work tree has them), so whatever
# else is changed, staged or untracked in the tree stays as it is.
commit_owned() {
  local list idx=$tmpd/sync-index new parent msg commit
  list=$(owned_paths)
  [ -n "$list" ] || return 0
  rm -f "$idx"
  GIT_INDEX_FILE=$idx g read-tree HEAD
  # --remove: an owned file gone from the work tree (sync deleted it)
  # leaves the commit too. Paths in neither are skipped.
  tr '\n' '\0' <<<"$list" | GIT_INDEX_FILE=$idx g update-index --add --remove -z --stdin
  new=$(GIT_INDEX_FILE=$idx g write-tree)
  [ "$new" != "$(g rev-parse 'HEAD^{tree}')" ] || return 0
  # Keep one sync commit at the tip: replace it when it is already there.
  if [[ $(g log -1 --format=%s HEAD) == "$gen_prefix sync"* ]]; then
    parent=$(g rev-parse HEAD^)
    msg=$(g log -1 --format=%B HEAD)
  else
    parent=$(g rev-parse HEAD)
    msg=$sync_subject
  fi
  commit=$(g "${bot[@]}" commit-tree "$new" -p "$parent" -m "$msg")
  g update-ref -m "fork-tree: sync owned files" HEAD "$commit"
  # The real index: the owned paths as committed, the rest untouched.
  tr '\n' '\0' <<<"$list" | g update-index --add --remove -z --stdin
  say "synced owned files"
}

# --- laying the tree -----------------------------------------------------------

write_excludes() {
  cat > "$tree/.git/info/exclude" <<'EOX'
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

# What restore-deps reads besides the pinned archives (whose names it holds
# itself): tools/fork-deps without its node_modules, and the script.
deps_inputs_hash() {
  {
    if [ -d "$repo/tools/fork-deps" ]; then
      (cd "$repo/tools/fork-deps" &&
        find . -path ./node_modules -prune -o ! -type d -print0 | sort -z | xargs -0 -r sha256sum)
    fi
    if [ -f "$restore_deps" ]; then sha256sum < "$restore_deps"; else echo "no $restore_deps"; fi
  } | sha256sum | cut -c1-16
}

# Restore the deps on top of upstream and commit them (tag deps).
# add -f: the npm packages carry .gitignore files of their own, yet every
# file restored belongs to the tree; the excluded pathspecs keep out what
# configure and the build leave under deps/ (see write_excludes).
commit_deps() {
  "$restore_deps" "$tree" ||
    die "${restore_deps#"$repo"/} failed; once fixed, 'make node-fork' takes up where it stopped"
  if [ -d "$tree/deps" ]; then
    g add -A -f -- deps ':(exclude)deps/icu' ':(exclude,glob)**/__pycache__/**' ':(exclude,glob)**/*.pyc'
  fi
  g "${bot[@]}" commit -q --allow-empty -m "$deps_subject"
  # From here an interrupted re-apply may restart on this commit.
  set_state rebuild "$(g rev-parse HEAD)"
  g tag -f deps >/dev/null
  set_state deps "$(deps_inputs_hash)"
}

# git am the series in one go, so that after a conflict `git am --continue`
# applies the rest. When a patch does not apply, leaves the am in progress
# and sets $am_failed to the message for the caller's die.
am_failed=""
apply_patches() {
  local files=() n
  mapfile -t files < <(series_files)
  if [ ${#files[@]} -gt 0 ] &&
     ! g "${bot[@]}" am -q --keep-cr --committer-date-is-author-date "${files[@]}"; then
    n=$(cat "$tree/.git/rebase-apply/next" 2>/dev/null || echo 1)
    am_failed="patch does not apply: ${files[$((n - 1))]#"$repo"/}; resolve it in $name (git am --continue applies the rest, git am --abort gives up), then make export-patches"
    return 0
  fi
  say "applied ${#files[@]} patches"
  record_series
}

create() {
  if [ -e "$fork" ]; then
    [ -d "$fork/.git" ] ||
      die "$name exists but is no fork tree (left by an interrupted create?): 'make node-fork-fresh FORCE=1' lays it anew"
    die "$name exists: 'make node-fork' brings it up to date, 'make node-fork-fresh' lays it anew"
  fi
  # Leftovers of an interrupted create or fresh.
  rm -rf "$fork.tmp" "$fork".tmp-*
  # Lay the tree under a temporary name next to node-fork and rename it when
  # done: a create that stops half way leaves no half tree in its place.
  local work=$fork.tmp-$$
  cleanup+=("$work")
  mkdir -p "$work"
  say "unpacking $tarball"
  "$here/vendor.sh" extract "$tarball" "$work"
  tree=$work/$topdir
  [ -d "$tree" ] || die "$tarball has no $topdir/"
  g init -q -b main
  # The repack ships no .gitignore: keep configure's and the build's
  # outputs out of every commit.
  write_excludes
  g config advice.detachedHead false
  g add -A -f
  g "${bot[@]}" commit -q -m "upstream: Node.js v22.22.2 (Debian DFSG repack, pristine)"
  g tag upstream
  commit_deps
  apply_patches
  if [ -n "$am_failed" ]; then
    # Put the tree in place so the patch can be resolved there.
    mv "$tree" "$fork"
    die "$am_failed"
  fi
  sync_owned
  rm -f "$tree/.git/node-coro-rebuild"
  mv "$tree" "$fork"
  tree=$fork
  say "laid $name"
}

# --- bringing a tree up to date ----------------------------------------------

# Lay the tree again from FROM (upstream: restore the deps anew; deps: the
# series only). The caller made sure no work is lost. The old tip stays
# reachable as refs/node-coro/before-reapply (and in the reflog).
rebuild() {
  local from=$1
  g update-ref -m "fork-tree: before re-applying" refs/node-coro/before-reapply HEAD
  if [ "$from" = upstream ]; then
    set_state rebuild "$(g rev-parse "refs/tags/upstream^{commit}")"
    g reset -q --hard refs/tags/upstream
    say "restore-deps' inputs changed: restoring the deps anew"
    commit_deps
  fi
  set_state rebuild "$(g rev-parse "refs/tags/deps^{commit}")"
  g reset -q --hard refs/tags/deps
  say "re-applying the series"
  apply_patches
  [ -z "$am_failed" ] || die "$am_failed"
  rm -f "$tree/.git/node-coro-rebuild"
}

# Work in the tree that re-laying it would drop: patch commits not in
# patches/, and uncommitted changes to files it does not own.
rebuild_losses() {
  local line
  unexported_commits
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    [ -n "$(source_of "${line:3}")" ] || echo "  uncommitted: $line"
  done <<<"$(changes no)"
}

# Re-lay the tree when patches/ or restore-deps' inputs changed since it
# was laid, when that loses nothing.
bring_up_to_date() {
  local from="" why="" now losses out
  now=$(deps_inputs_hash)
  if ! has_state deps; then
    # A tree laid before the inputs were recorded: take it as current.
    set_state deps "$now"
    say "recorded restore-deps' inputs (the tree was laid before they were tracked)"
  elif [ "$(state deps)" != "$now" ]; then
    from=upstream
    why="tools/fork-deps or ${restore_deps#"$repo"/} changed since the deps were restored"
  fi
  # A re-apply that stopped half way (restore-deps or a patch failed) left
  # the tree short of its series, whatever patches/ is now.
  if [ -z "$from" ] && has_state rebuild; then
    from=deps
    why="a re-apply stopped half way"
  fi
  if [ "$from" != deps ] && [ "$(state series)" != "$(series_hash)" ]; then
    out=$tmpd/current; rm -rf "$out"
    export_to "$out" >/dev/null
    if [ -z "$from" ] && [ "$(patch_hashes "$out")" = "$(patch_hashes "$patches")" ]; then
      # The tree holds patches/ already (e.g. exported elsewhere, byte for byte).
      record_series "$out"
    else
      from=${from:-deps}
      why="${why:+$why, and }patches/ changed since it was applied"
    fi
  fi
  [ -n "$from" ] || return 0

  # unexported_commits counts nothing when a re-apply stopped where the
  # tree is now: it is taken up again.
  losses=$(rebuild_losses)
  if [ -n "$losses" ]; then
    die "$why; re-applying would drop work in $name that is not in patches/:
$losses
Either keep it: commit it in $name and run 'make export-patches' (this writes
the tree's series over patches/: if patches/ changed, e.g. in a pull, merge
that series back in by hand from git), then 'make node-fork' again;
or discard it: 'make node-fork-fresh FORCE=1'."
  fi
  say "$why"
  rebuild "$from"
}

sync() {
  [ -e "$fork" ] || die "$name does not exist: 'make node-fork' lays it"
  [ -d "$fork/.git" ] ||
    die "$name exists but is no fork tree (left by an interrupted create?): 'make node-fork-fresh FORCE=1' lays it anew"
  local op
  op=$(operation_in_progress)
  [ -z "$op" ] ||
    die "a git operation is in progress in $name (.git/$op): finish it (then 'make export-patches') or abort it first"
  require_tags upstream deps
  # Before anything rewrites the work tree.
  check_owned_uncommitted
  bring_up_to_date
  check_owned_commits
  sync_owned
}

export_patches() {
  [ -d "$fork/.git" ] || die "$name is no fork tree: nothing to export"
  local op out=$tmpd/export n
  op=$(operation_in_progress)
  [ -z "$op" ] ||
    die "a git operation is in progress in $name (.git/$op): finish or abort it first"
  # Write the whole series aside first: patches/ changes only once it is.
  n=$(export_to "$out" | wc -l)
  mkdir -p "$patches"
  rm -f "$patches"/*.patch
  if [ "$n" -gt 0 ]; then mv "$out"/*.patch "$patches"/; fi
  record_series "$patches"
  # The tree's series is patches/ now, however a re-apply ended.
  rm -f "$fork/.git/node-coro-rebuild"
  say "exported $n patches to patches/"
  if [ -n "$(changes no)" ]; then
    say "note: $name has uncommitted changes; they are not in patches/"
  fi
}

# Everything in the tree that fresh would throw away, one line each.
fresh_losses() {
  local line n=0 count b op
  if has_tag deps; then
    unexported_commits
  else
    echo "  no 'deps' tag: its patch commits cannot be told from generated ones"
  fi
  op=$(operation_in_progress)
  if [ -n "$op" ]; then echo "  a git operation in progress (.git/$op)"; fi
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    n=$((n + 1))
    if [ "$n" -le 20 ]; then
      case $line in
        '?? '*) echo "  untracked: ${line:3}" ;;
        *) echo "  uncommitted: $line" ;;
      esac
    fi
  done <<<"$(changes all)"
  if [ "$n" -gt 20 ]; then echo "  ... and $((n - 20)) more uncommitted or untracked paths"; fi
  count=$(g stash list | wc -l)
  if [ "$count" -gt 0 ]; then echo "  $count stash entries"; fi
  for b in $(g for-each-ref --format='%(refname:short)' --no-merged HEAD refs/heads); do
    echo "  branch $b has commits that HEAD has not"
  done
}

# Lay the tree anew (node-fork/out goes with it; ccache keeps the objects).
# Refuses while the tree holds anything that is not in patches/, unless
# FORCE=1.
fresh() {
  local losses old
  if [ -e "$fork" ]; then
    if [ "${FORCE:-}" = 1 ]; then
      say "FORCE=1: discarding $name and whatever it holds"
    else
      [ -d "$fork/.git" ] ||
        die "$name exists but is no fork tree (left by an interrupted create?): 'make node-fork-fresh FORCE=1' discards it"
      losses=$(fresh_losses)
      [ -z "$losses" ] || die "$name holds work that is not in patches/:
$losses
Keep it: commit it in $name and run 'make export-patches' (then commit
patches/). Or discard it: 'make node-fork-fresh FORCE=1'."
    fi
    # Out of the way at once (a rename); a delete cut short leaves a
    # node-fork.tmp-* that the next create removes.
    old=$fork.tmp-$$-old
    mv "$fork" "$old"
    rm -rf "$old"
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
