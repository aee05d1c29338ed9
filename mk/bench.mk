# Benchmarks (issue 4): the fs workload on every contender, the libuv floor,
# the malloc counter and the TypeScript comparison runner. See
# benchmark/README.md.
#
#   make bench-deps    peers (npm ci in benchmark/), floor, malloc counter, runner
#   make bench-quick   stat + readFile 1 KiB at 1, 16 and 64 in flight, 3 runs (< 5 min)
#   make bench         the full matrix (about 30 minutes on 2 cores)
#   make bench-proof   the headline configurations, 15 paired runs each, with
#                      95% intervals (< 30 min; on a quiet machine)
#   make bench-fs-extra  FileHandle read/write, recursive readdir, rm and cp of
#                      a tree, copyFile at 1, 16 and 64: fast path vs stock,
#                      5 runs (< 10 min)
#   make bench-test    unit tests of the runner; bench-check: short self-check
#
# The runner exits non-zero when a requested contender is missing or any run
# fails (the causes are printed last), so every bench target fails with it.
#
# Variables: BENCH_SYSTEM_NODE=1 adds the machine's node as a contender
# labelled NOT the fork (development stand-in); BENCH_ARGS passes more
# runner options (e.g. BENCH_ARGS='--runs=5 --seed=1 --baseline=fork-callback').

BENCH_DIR       := $(REPO)/benchmark
BENCH_BUILD     := $(BUILD)/bench
BENCH_FLOOR     := $(BENCH_BUILD)/uv-floor
BENCH_MALLOC    := $(BENCH_BUILD)/libmalloc-count.so
BENCH_RUNNER    := $(BENCH_BUILD)/runner/main.js
BENCH_PEERS     := $(BENCH_DIR)/node_modules/.package-lock.json
BENCH_HOST_NODE ?= node
BENCH_FORK_NODE ?= $(FORK)/out/Release/node
BENCH_CC        ?= cc
BENCH_CFLAGS    ?= -O2 -g0 -std=gnu11 -Wall -Wextra
BENCH_ARGS      ?=
BENCH_SYSTEM_NODE ?=

BENCH_RUNNER_SRC := $(wildcard $(BENCH_DIR)/runner/*.ts $(BENCH_DIR)/runner/test/*.ts) \
  $(BENCH_DIR)/runner/tsconfig.json
BENCH_RUN := cd $(REPO) && $(BENCH_HOST_NODE) $(BENCH_RUNNER) \
  --bench-dir=$(BENCH_DIR) --fork-node=$(BENCH_FORK_NODE) \
  --floor=$(BENCH_FLOOR) --malloc-count=$(BENCH_MALLOC) \
  $(if $(BENCH_SYSTEM_NODE),--system-node) $(BENCH_ARGS)

.PHONY: bench-lock bench-deps bench-quick bench bench-proof bench-fs-extra bench-check bench-test bench-upstream-check bench-clean

# Bun and Deno from npm, pinned by benchmark/package-lock.json.
$(BENCH_PEERS): $(BENCH_DIR)/package.json $(BENCH_DIR)/package-lock.json
	@echo "bench: installing peers (bun, deno) with npm ci"
	@cd $(BENCH_DIR) && npm ci --no-audit --no-fund
	@touch $@

# Regenerates the lock after a change to benchmark/package.json (see
# complete-lock.mjs for why the lock needs completing).
bench-lock:
	@cd $(BENCH_DIR) && npm install --package-lock-only --no-audit --no-fund && node complete-lock.mjs

# The top-level toolchain (typescript) comes from the top-level lockfile,
# installed by ts-tools (mk/lib-ts.mk).

$(BENCH_FLOOR): $(BENCH_DIR)/floor/uv-floor.c $(UV_LIB)
	@mkdir -p $(@D)
	@echo "bench: building the libuv floor"
	@$(BENCH_CC) $(BENCH_CFLAGS) -I$(UV_INCLUDE) -o $@ $< $(UV_LIB) -lpthread -ldl -lm

$(BENCH_MALLOC): $(BENCH_DIR)/malloc-count/malloc-count.c
	@mkdir -p $(@D)
	@echo "bench: building the malloc counter"
	@$(BENCH_CC) $(BENCH_CFLAGS) -shared -fPIC -o $@ $<

$(BENCH_RUNNER): $(BENCH_RUNNER_SRC) | ts-tools
	@echo "bench: compiling the runner"
	@$(TSC) -p $(BENCH_DIR)/runner/tsconfig.json --outDir $(BENCH_BUILD)/runner
	@echo '{"type":"module"}' > $(BENCH_BUILD)/runner/package.json

bench-deps: $(BENCH_PEERS) $(BENCH_FLOOR) $(BENCH_MALLOC) $(BENCH_RUNNER)

bench-quick: bench-deps
	@$(BENCH_RUN) --preset=quick

bench: bench-deps
	@$(BENCH_RUN) --preset=full

# The proof preset: stat @1 and @64, readFile 1 KiB @16 and @64, readFile
# 64 KiB @16, writeFile 1 KiB @16; 15 paired runs of each contender the
# headline compares, allocation counts repeated 3 times. Run it on a quiet
# machine: the report says whether it was, by its own measure.
bench-proof: bench-deps
	@$(BENCH_RUN) --preset=proof

# The fs-extra workloads (fh-read-4k, fh-write-4k, readdir-recursive,
# readdir-recursive-types, rm-tree, copyfile-64k, cp-tree) at 1, 16 and 64 in
# flight: fork-promises against fork-promises-no-coro only, 5 paired runs of
# 0.5 s, allocation counts at 1 in flight (2 repeats), fixtures on tmpfs
# (/dev/shm; BENCH_ARGS='--tmpdir=DIR' for another). Under 10 minutes.
bench-fs-extra: bench-deps
	@$(BENCH_RUN) --preset=fs-extra

# Unit tests of the runner (statistics, plan, noise, report, chart; exit status
# end to end with stand-in binaries): no benchmark binaries needed.
bench-test: $(BENCH_RUNNER)
	@$(BENCH_HOST_NODE) --test $(BENCH_BUILD)/runner/test/*.test.js

# Fast self-check of the harness: one short run of every piece (workload on
# each runtime, floor, alloc counts) on stat only. Fails, like every bench
# target, when a contender is missing or a run fails.
bench-check: bench-deps
	@$(BENCH_RUN) --preset=quick --workloads=stat --concurrency=1 --runs=1 \
	  --duration=0.1 --warmup=0.05 --alloc-repeats=1 --out=$(BENCH_BUILD)/check --tag=check

# The Node-style benchmark files, run in upstream's --test mode against
# upstream's benchmark/common.js from the pinned tarball, with the fork
# binary when it exists (else the machine's node).
BENCH_UPSTREAM := $(BENCH_BUILD)/upstream/$(NODE_TOPDIR)
$(BENCH_UPSTREAM)/.stamp: $(VENDOR)
	@rm -rf $(BENCH_BUILD)/upstream
	@$(VENDOR) extract $(NODE_TARBALL) $(BENCH_BUILD)/upstream \
	  $(NODE_TOPDIR)/benchmark/common.js $(NODE_TOPDIR)/benchmark/_http-benchmarkers.js \
	  $(NODE_TOPDIR)/benchmark/_cli.js $(NODE_TOPDIR)/benchmark/run.js \
	  $(NODE_TOPDIR)/benchmark/_benchmark_progress.js \
	  $(NODE_TOPDIR)/test/common
	@echo '{"type":"commonjs"}' > $(BENCH_UPSTREAM)/package.json
	@touch $@

bench-upstream-check: $(BENCH_UPSTREAM)/.stamp
	@mkdir -p $(BENCH_UPSTREAM)/benchmark/fs
	@cp $(BENCH_DIR)/upstream/fs/*.js $(BENCH_UPSTREAM)/benchmark/fs/
	@node=$(BENCH_FORK_NODE); [ -x "$$node" ] || { node=$(BENCH_HOST_NODE); \
	  echo "bench: fork binary missing, checking with $$($$node --version) (NOT the fork)"; }; \
	cd $(BENCH_UPSTREAM) && for f in $(notdir $(wildcard $(BENCH_DIR)/upstream/fs/coro-*.js)); do \
	  echo "bench: $$f"; $$node benchmark/fs/$$f --test || exit 1; done

bench-clean:
	@rm -rf $(BENCH_BUILD)
