# node-coro: top-level build. `make help` lists the targets.
#
# The pieces live in mk/*.mk; this file only wires them together.

include mk/common.mk
include mk/upstream-min.mk
include mk/lib-ts.mk
include mk/fork.mk
include mk/test.mk
include mk/coro.mk
include mk/bench.mk
include mk/dist.mk

.DEFAULT_GOAL := all
.PHONY: all help

all: build smoke

help:
	@echo "node-coro: make targets"
	@echo
	@echo "  make                 sysdeps + node-fork + configure + build, then the smoke checks"
	@echo "  make test            T1 (no binary), T2 (build), T3 (on the binary), with a summary per tier"
	@echo "  make bench-quick     stat and readFile 1 KiB, 1 and 16 in flight, every contender (minutes)"
	@echo "  make bench           the full benchmark matrix; results in benchmark/results/"
	@echo "  make bench-fs-extra  FileHandle read/write, readdir recursive, rm/cp of a tree, copyFile: fast vs stock (< 10 min)"
	@echo "  make bench-deps      Bun and Deno from npm, the libuv floor, the malloc counter, the runner"
	@echo "  make bench-check     ten-second self-check of the whole harness"
	@echo "  make bench-test      unit tests of the benchmark runner (T1)"
	@echo "  make bench-upstream-check  benchmark/upstream/fs in upstream's --test mode"
	@echo
	@echo "  make install         node, npm/npx, include/node headers, docs, man page into PREFIX"
	@echo "                       (PREFIX=/abs/dir on the command line; default build/install; DESTDIR=)"
	@echo "  make uninstall       remove what make install put into PREFIX"
	@echo "  make dist            build/dist/node-coro-v$(NODE_VERSION)-$(NODE_CORO_VERSION)-linux-x64.tar.xz"
	@echo "                       + SHASUMS256.txt, laid out like Node's official tarballs (XZ_COMPRESSION=$(XZ_COMPRESSION))"
	@echo "  make dist-deps       npm $(DIST_NPM_VERSION) from the registry, pinned by tools/dist-deps/package-lock.json"
	@echo "  make check-public-headers  fail if a patch touches a header install.py installs, unsaid"
	@echo "  make test-dist       install + dist, then test/dist on them: npm, npx, npm ci, addons (T3)"
	@echo
	@echo "  make node-fork       lay node-fork/ or bring it up to date with patches/ and owned files"
	@echo "  make node-fork-fresh regenerate node-fork/ from scratch (refuses over unexported work)"
	@echo "  make configure       run configure.py when its line or a gyp file changed"
	@echo "  make build           ninja the fork (JOBS=N, default: all cores)"
	@echo "  make smoke           smoke checks on node-fork/out/Release/node"
	@echo "  make export-patches  node-fork's patch commits -> patches/"
	@echo "  make sysdeps         install the Debian packages the build needs"
	@echo "  make ccache-seed     fill an empty CCACHE_DIR from ../shared/ccache-seed"
	@echo "  make ccache-export   pack CCACHE_DIR as a new seed archive into build/ccache-seed/"
	@echo
	@echo "  make test-coro       coroutine layer tests, optimized (T1)"
	@echo "  make test-coro-asan  the same under ASan+UBSan (T1)"
	@echo "  make bench-coro      coroutine micro-benchmarks"
	@echo "  make typecheck       tsc --noEmit over test/, lib-ts/, benchmark/runner/ (T1)"
	@echo "  make test-scripts    tap tests of the build scripts (T1)"
	@echo "  make test-node-suites  Node's own fs, async-hooks and ALS suites on the binary (T3)"
	@echo "  make test-tap        test/tap on the binary (T3)"
	@echo
	@echo "Variables: VENDOR_DIR (default ../shared/vendor), CCACHE_DIR"
	@echo "(default ~/.cache/node-coro-ccache), CCACHE_SEED_DIR, JOBS; PREFIX, DESTDIR and"
	@echo "XZ_COMPRESSION for install and dist."
