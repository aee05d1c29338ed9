#!/usr/bin/env bash
# dist.sh: install the fork, or pack it as a binary tarball in the layout of
# Node's official ones (node-vX-linux-x64.tar.xz).
#
#   dist.sh install PREFIX [DESTDIR]   node, headers, docs and man page by
#                                      Node's own tools/install.py, then npm
#                                      and npx into DESTDIR/PREFIX
#   dist.sh uninstall PREFIX [DESTDIR] the reverse (install.py uninstall, npm)
#   dist.sh dist OUTDIR                OUTDIR/NAME.tar.xz and OUTDIR/SHASUMS256.txt
#   dist.sh name                       print NAME
#
# NAME is node-coro-v<node>-<node-coro>-linux-x64: the Node version from
# mk/common.mk (NODE_VERSION, passed in the environment by make) and the
# node-coro version from coro/node/version.h, its one definition.
#
# The fork is configured --without-npm (Debian's repack has no deps/npm), so
# install.py installs no npm; npm comes from tools/dist-deps/ instead, where
# `npm ci` fetched the version upstream v22.22.2 bundles and checked it
# against the lockfile's integrity. It is copied the way install.py copies
# deps/npm (every file, minus directories named test) and linked the same
# way: bin/npm -> ../lib/node_modules/npm/bin/npm-cli.js, bin/npx likewise.
#
# Environment: FORK (the tree, default node-fork/), NPM_SRC (default
# tools/dist-deps/node_modules/npm), XZ_COMPRESSION (default 6; upstream's
# release tarballs use 9, which takes minutes longer here), NODE_VERSION.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
FORK=${FORK:-$here/node-fork}
NPM_SRC=${NPM_SRC:-$here/tools/dist-deps/node_modules/npm}
XZ_COMPRESSION=${XZ_COMPRESSION:-6}

die() { echo "dist: $*" >&2; exit 1; }

coro_version() {
  sed -nE 's/^#define NODE_CORO_VERSION "([^"]+)".*/\1/p' "$here/coro/node/version.h"
}
node_version() {
  if [ -n "${NODE_VERSION:-}" ]; then echo "$NODE_VERSION"; return; fi
  sed -nE 's/^NODE_VERSION[[:space:]]*:?=[[:space:]]*([^[:space:]]+).*/\1/p' "$here/mk/common.mk"
}
pinned_npm() {
  node_json "$here/tools/dist-deps/package.json" "devDependencies.npm"
}
# node_json FILE KEY.PATH: a value from a JSON file, read by whichever node
# runs the script (the fork's, when there is one).
node_json() {
  "$fork_node" -e '
    let v = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    for (const k of process.argv[2].split(".")) v = v?.[k];
    if (v === undefined) process.exit(1);
    console.log(v);' "$1" "$2"
}
dist_name() {
  local cv nv
  cv=$(coro_version); nv=$(node_version)
  [ -n "$cv" ] || die "no NODE_CORO_VERSION in coro/node/version.h"
  [ -n "$nv" ] || die "no NODE_VERSION in mk/common.mk"
  echo "node-coro-v$nv-$cv-linux-x64"
}

fork_node=$FORK/out/Release/node

check_inputs() {
  [ -x "$fork_node" ] || die "no fork binary at $fork_node (run make build)"
  [ -f "$FORK/tools/install.py" ] || die "no $FORK/tools/install.py (run make node-fork)"
  [ -f "$FORK/config.gypi" ] || die "no $FORK/config.gypi (run make configure)"
  [ -f "$NPM_SRC/package.json" ] || die "no npm at $NPM_SRC (run make dist-deps)"
  local want got nv cv bv
  want=$(pinned_npm) || die "tools/dist-deps/package.json pins no npm"
  got=$(node_json "$NPM_SRC/package.json" version)
  [ "$want" = "$got" ] ||
    die "tools/dist-deps has npm $got, package.json pins $want (run make dist-deps)"
  nv=$(node_version)
  bv=$("$fork_node" -p 'process.versions.node')
  [ "$bv" = "$nv" ] || die "the binary is Node $bv, mk/common.mk says $nv"
  # A binary that names itself must name the version being packed; one
  # that does not (built before patch 0007) is packed with a warning.
  cv=$(coro_version)
  bv=$("$fork_node" -p 'process.versions.node_coro ?? ""')
  if [ -z "$bv" ]; then
    echo "dist: warning: the binary reports no process.versions.node_coro (built before patch 0007?)" >&2
  elif [ "$bv" != "$cv" ]; then
    die "the binary is node-coro $bv, coro/node/version.h says $cv (rebuild it)"
  fi
}

# install_tree ROOT DESTDIR PREFIX: ROOT is DESTDIR+PREFIX, where files land.
install_tree() {
  local destdir=$1 prefix=$2 root=$1$2
  # Node's installer: bin/node, include/node (the public headers, common.gypi
  # and the tree's config.gypi), share/doc/node, share/man/man1/node.1. It
  # reads config.gypi for what to install (node_install_npm is false here).
  ( cd "$FORK" && python3 tools/install.py install --silent \
      --dest-dir "$destdir" --prefix "$prefix" --root-dir "$FORK" \
      --build-dir out/Release --config-gypi-path config.gypi ) ||
    die "tools/install.py install failed"
  # npm, as install.py's npm_files() would install deps/npm. Like it, leave
  # a symlinked lib/node_modules/npm (a developer's npm) alone.
  local npm_dir=$root/lib/node_modules/npm
  if [ -L "$npm_dir" ]; then
    echo "dist: $npm_dir is a symlink, leaving it alone (as install.py does)" >&2
  else
    mkdir -p "$npm_dir"
    rsync -a --delete --exclude='test/' "$NPM_SRC/" "$npm_dir/"
  fi
  mkdir -p "$root/bin"
  ln -sfn ../lib/node_modules/npm/bin/npm-cli.js "$root/bin/npm"
  ln -sfn ../lib/node_modules/npm/bin/npx-cli.js "$root/bin/npx"
}

cmd=${1:-}; shift || true
case "$cmd" in
  name)
    dist_name
    ;;
  install)
    [ $# -ge 1 ] || die "usage: dist.sh install PREFIX [DESTDIR]"
    prefix=$1 destdir=${2:-}
    case "$prefix" in /*) ;; *) die "PREFIX must be absolute: $prefix" ;; esac
    check_inputs
    install_tree "$destdir" "$prefix"
    root=$destdir$prefix
    npmv=$(PATH="$root/bin:$PATH" "$root/bin/node" "$root/bin/npm" --version 2>/dev/null) ||
      die "the installed npm does not run"
    echo "install: node $("$root/bin/node" --version) (node-coro $(coro_version)), npm $npmv, headers in include/node -> $root"
    ;;
  uninstall)
    [ $# -ge 1 ] || die "usage: dist.sh uninstall PREFIX [DESTDIR]"
    prefix=$1 destdir=${2:-} root=${2:-}$1
    [ -f "$FORK/tools/install.py" ] || die "no $FORK/tools/install.py"
    ( cd "$FORK" && python3 tools/install.py uninstall --silent \
        --dest-dir "$destdir" --prefix "$prefix" --root-dir "$FORK" \
        --build-dir out/Release --config-gypi-path config.gypi )
    for l in npm npx; do
      case "$(readlink "$root/bin/$l" 2>/dev/null)" in
        ../lib/node_modules/npm/*) rm -f "$root/bin/$l" ;;
      esac
    done
    [ -L "$root/lib/node_modules/npm" ] || rm -rf "$root/lib/node_modules/npm"
    rmdir "$root/lib/node_modules" "$root/lib" "$root/bin" 2>/dev/null || true
    echo "uninstall: removed node-coro from $root"
    ;;
  dist)
    [ $# -eq 1 ] || die "usage: dist.sh dist OUTDIR"
    out=$1
    check_inputs
    name=$(dist_name)
    mkdir -p "$out"
    out=$(cd "$out" && pwd)
    stage=$out/$name
    rm -rf "$stage" "$out/$name.tar.xz" "$out/$name.tar.xz.tmp" "$out/SHASUMS256.txt"
    # As upstream's `make binary`: install DESTDIR=NAME with prefix /.
    install_tree "$stage" /
    # Upstream's tarball carries README.md, LICENSE and the major's
    # changelog as CHANGELOG.md at its top; ours adds what the fork is.
    cp "$FORK/README.md" "$FORK/LICENSE" "$stage/"
    cp "$FORK/doc/changelogs/CHANGELOG_V$(node_version | cut -d. -f1).md" "$stage/CHANGELOG.md"
    {
      echo "# node-coro $(coro_version)"
      echo
      echo "A fork of Node.js v$(node_version): same ABI (process.versions.modules"
      echo "$("$fork_node" -p process.versions.modules), N-API $("$fork_node" -p process.versions.napi)), fs.promises on C++20 coroutines"
      echo "(\`--no-fs-coro\` for the stock path). npm $(node_json "$NPM_SRC/package.json" version) as upstream v$(node_version) bundles."
      echo
      echo "Built from node-coro $(git -C "$here" describe --always --dirty 2>/dev/null || echo unknown) with the patch series:"
      echo
      for p in "$here"/patches/*.patch; do [ -e "$p" ] && echo "- $(basename "$p")"; done
      echo
      echo "The binary links the system's OpenSSL 3, zlib, brotli, nghttp2, zstd and"
      echo "sqlite3 (Debian bookworm: libssl3 zlib1g libbrotli1 libnghttp2-14 libzstd1"
      echo "libsqlite3-0); their headers are not in include/node: native addons that"
      echo "include openssl/ or zlib.h need the -dev packages."
    } > "$stage/NODE-CORO.md"
    # Reproducible: sorted, root-owned, every mtime the last commit's.
    epoch=$(git -C "$here" log -1 --format=%ct 2>/dev/null || date +%s)
    tar -C "$out" --sort=name --owner=0 --group=0 --numeric-owner \
        --mtime="@$epoch" -cf - "$name" |
      xz -T0 "-$XZ_COMPRESSION" > "$out/$name.tar.xz.tmp"
    mv "$out/$name.tar.xz.tmp" "$out/$name.tar.xz"
    rm -rf "$stage"
    ( cd "$out" && sha256sum "$name.tar.xz" > SHASUMS256.txt )
    size=$(du -m "$out/$name.tar.xz" | cut -f1)
    echo "dist: $out/$name.tar.xz ($size MB), $(cut -c1-16 "$out/SHASUMS256.txt")... in SHASUMS256.txt"
    ;;
  *) die "usage: dist.sh install|uninstall|dist|name ..." ;;
esac
