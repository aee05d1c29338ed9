# `make test` and its pieces. scripts/test-all.sh runs the tiers in order:
# T1 (no fork binary), T2 (build), T3 (on the binary).

# Node's own suites for the areas the fork touches.
NODE_SUITES := parallel/test-fs-* async-hooks parallel/test-async-local-storage-*
NODE_KNOWN_FAILURES := $(REPO)/test/node-known-failures.txt
TSCONFIGS = $(wildcard $(REPO)/test/tsconfig.json $(REPO)/lib-ts/tsconfig.json \
  $(REPO)/benchmark/runner/tsconfig.json)

.PHONY: test typecheck test-scripts test-node-suites test-tap test-cctest

test: sysdeps ts-tools
	@$(REPO)/scripts/test-all.sh

typecheck: ts-tools
	@n=0; for c in $(TSCONFIGS); do \
	  echo "typecheck: tsc --noEmit -p $${c#$(REPO)/}"; \
	  $(TSC) --noEmit -p $$c || exit 1; n=$$((n + 1)); \
	done; echo "typecheck: $$n passed, 0 failed"

# Unit tests of the build scripts, on the machine's node: no fork needed.
test-scripts: ts-tools
	@$(REPO)/scripts/tap-run.sh scripts node $(REPO)/test/scripts

test-node-suites: $(FORK_NODE)
	@mkdir -p $(BUILD)/test-logs
	@$(REPO)/scripts/node-suites.py --node $(FORK_NODE) --tree $(FORK) \
	  --known $(NODE_KNOWN_FAILURES) --mode node-suites \
	  --tap-out $(BUILD)/test-logs/node-suites.tap $(NODE_SUITES)

# Our tap tests, run by the fork binary (which strips the types itself).
test-tap: $(FORK_NODE) ts-tools
	@$(REPO)/scripts/tap-run.sh tap $(FORK_NODE) $(REPO)/test/tap

# Node's cctest, which includes the coroutine layer's gtest suite
# (test/cctest/coro/, synced from test/coro/), built against the real tree.
# Run from the tree's root, as upstream does: some tests load test/common/.
test-cctest: configure
	@ninja -C $(FORK_OUT) -j$(JOBS) cctest
	@cd $(FORK) && out/Release/cctest
