# Benchmarks (issue 4): the fs workload on every contender, the libuv floor,
# the malloc counter and the TypeScript comparison runner. See
# benchmark/README.md.
#
#   make bench-deps    peers (npm ci in benchmark/), floor, malloc counter, runner
#   make bench-quick   stat + readFile 1 KiB, 1 and 16 in flight, 3 runs (< 5 min)
#   make bench         the full matrix (about 20-25 minutes on 2 cores)
#   make bench-test    unit tests of the runner; bench-check: 10 s self-check
#
# Variables: BENCH_SYSTEM_NODE=1 adds the machine's node as a contender
# labelled NOT the fork (development stand-in); BENCH_ARGS passes more
# runner options (e.g. BENCH_ARGS='--runs=5 --baseline=fork-callback').

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

.PHONY: bench-lock bench-deps bench-quick bench bench-check bench-test bench-upstream-check bench-clean

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

# Unit tests of the runner (statistics, report, chart); no binaries needed.
bench-test: $(BENCH_RUNNER)
	@$(BENCH_HOST_NODE) --test $(BENCH_BUILD)/runner/test/*.test.js

# Fast self-check of the harness: type-check, then one short run of every
# piece (workload on each runtime, floor, alloc counts) on stat only.
bench-check: bench-deps
	@$(BENCH_RUN) --preset=quick --workloads=stat --concurrency=1 --runs=1 \
	  --duration=0.1 --warmup=0.05 --out=$(BENCH_BUILD)/check --tag=check

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
