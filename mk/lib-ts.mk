# lib-ts/: TypeScript sources of the fork's lib/ wrappers and the typings of
# the internal bindings, compiled with the repo's tsc into build/lib-ts/lib/,
# which scripts/fork-tree.sh syncs into node-fork/lib/.

LIB_TS_OUT := $(BUILD)/lib-ts
TSC := $(REPO)/node_modules/.bin/tsc

$(REPO)/node_modules/.node-coro-stamp: $(REPO)/package-lock.json
	@$(REPO)/scripts/check-node.sh
	@echo "npm ci (TypeScript and tap toolchain)"
	@cd $(REPO) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

.PHONY: ts-tools lib-ts typecheck
ts-tools: $(REPO)/node_modules/.node-coro-stamp

lib-ts: ts-tools
	@if [ -f $(REPO)/lib-ts/tsconfig.json ]; then \
	  echo "lib-ts: tsc -p lib-ts"; \
	  $(TSC) -p $(REPO)/lib-ts --outDir $(LIB_TS_OUT)/lib; \
	else echo "lib-ts: no lib-ts/tsconfig.json yet, nothing to compile"; fi
