# `make test` and its pieces. scripts/test-all.sh runs the tiers in order:
# T1 (no fork binary), T2 (build), T3 (on the binary).

# Node's own suites for the areas the fork touches.
NODE_SUITES := parallel/test-fs-* async-hooks parallel/test-async-local-storage-* \
  parallel/test-async-wrap-* sequential/test-async-wrap-getasyncid \
  parallel/test-filehandle-* parallel/test-permission-fs-* sequential/test-fs-* \
  parallel/test-worker-*fs*
NODE_KNOWN_FAILURES := $(REPO)/test/node-known-failures.txt
# test/types-sample is a user's project on the fork's public typings
# (types/node-coro): its @ts-expect-error lines fail the check if a misuse
# stops being a type error.
TSCONFIGS = $(wildcard $(REPO)/test/tsconfig.json $(REPO)/lib-ts/tsconfig.json \
  $(REPO)/benchmark/runner/tsconfig.json $(REPO)/test/types-sample/tsconfig.json)

.PHONY: test typecheck test-scripts test-node-suites test-node-suites-stock test-tap \
  test-tap-stock test-cctest build-cctest

# The ccache seed is unpacked before T1 compiles anything through ccache.
test: sysdeps ccache-seed ts-tools
	@$(REPO)/scripts/test-all.sh

typecheck: ts-tools
	@n=0; for c in $(TSCONFIGS); do \
	  echo "typecheck: tsc --noEmit -p $${c#$(REPO)/}"; \
	  $(TSC) --noEmit -p $$c || exit 1; n=$$((n + 1)); \
	done; echo "typecheck: $$n passed, 0 failed"

# Unit tests of the build scripts, on the machine's node: no fork needed.
test-scripts: ts-tools
	@$(REPO)/scripts/tap-run.sh scripts node $(REPO)/test/scripts

# NODE_SUITES_TIMEOUT: seconds before tools/test.py is killed (a failure).
# Node's suites run twice: on the fast path (the default) and on the stock
# path, with --no-fs-coro in every process a test starts (--node-options:
# the children too); both must pass.
define NODE_SUITES_RUN
	@mkdir -p $(BUILD)/test-logs
	@$(REPO)/scripts/node-suites.py --node $(FORK_NODE) --tree $(FORK) \
	  --known $(NODE_KNOWN_FAILURES) --mode $(1) $(2) \
	  $(if $(NODE_SUITES_TIMEOUT),--timeout $(NODE_SUITES_TIMEOUT)) \
	  --tap-out $(BUILD)/test-logs/$(1).tap $(NODE_SUITES)
endef

test-node-suites: $(FORK_NODE)
	$(call NODE_SUITES_RUN,node-suites,)

test-node-suites-stock: $(FORK_NODE)
	$(call NODE_SUITES_RUN,node-suites-stock,--node-args=--no-fs-coro --node-options=--no-fs-coro)

# Our tap tests, run by the fork binary (which strips the types itself),
# on the fast path and again on the stock path (NODE_OPTIONS reaches every
# process a test starts).
test-tap: $(FORK_NODE) ts-tools
	@env -u NODE_OPTIONS $(REPO)/scripts/tap-run.sh tap $(FORK_NODE) $(REPO)/test/tap

test-tap-stock: $(FORK_NODE) ts-tools
	@NODE_OPTIONS=--no-fs-coro $(REPO)/scripts/tap-run.sh tap-stock $(FORK_NODE) $(REPO)/test/tap

# Node's cctest, which includes the coroutine layer's gtest suite
# (test/cctest/coro/, synced from test/coro/), built against the real tree.
# Run from the tree's root, as upstream does: some tests load test/common/.
# T2 builds it (make build-cctest); here ninja only checks it is current.
test-cctest: build-cctest
	@cd $(FORK) && out/Release/cctest

# Node's cctest is a build step: T2 builds it after the node binary.
build-cctest: sysdeps ccache-seed configure
	@ninja -C $(FORK_OUT) -j$(JOBS) cctest
