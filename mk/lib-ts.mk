# lib-ts/: TypeScript sources of the fork's lib/ wrappers and the typings of
# the internal bindings, type-checked with the repo's tsc against Node's own
# typings/ and turned into build/lib-ts/lib/ by scripts/lib-ts-emit.mjs
# (types erased, the source's layout kept), which scripts/fork-tree.sh syncs
# into node-fork/lib/. See lib-ts/README.md.

# Both can be set on make's command line (test/scripts/lib-ts.test.ts builds
# scratch copies that way).
LIB_TS_SRC := $(REPO)/lib-ts
LIB_TS_OUT := $(BUILD)/lib-ts
TSC := $(REPO)/node_modules/.bin/tsc
# Node's typings/ (primordials.d.ts, globals.d.ts, internalBinding/*.d.ts)
# from the pinned tarball, so lib-ts type-checks without node-fork/.
# lib-ts/tsconfig.json names them by this path.
NODE_TYPINGS := $(BUILD)/node-typings
NODE_TYPINGS_STAMP := $(NODE_TYPINGS)/.from-$(NODE_TOPDIR)

$(REPO)/node_modules/.node-coro-stamp: $(REPO)/package-lock.json
	@$(REPO)/scripts/check-node.sh
	@echo "npm ci (TypeScript and tap toolchain)"
	@cd $(REPO) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(NODE_TYPINGS_STAMP): $(VENDOR)
	@echo "node-typings: unpacking $(NODE_TOPDIR)/typings"
	@rm -rf $(NODE_TYPINGS) $(NODE_TYPINGS).tmp
	@$(VENDOR) extract $(NODE_TARBALL) $(NODE_TYPINGS).tmp $(NODE_TOPDIR)/typings
	@mv $(NODE_TYPINGS).tmp/$(NODE_TOPDIR)/typings $(NODE_TYPINGS)
	@rm -rf $(NODE_TYPINGS).tmp
	@touch $@

.PHONY: ts-tools node-typings lib-ts
ts-tools: $(REPO)/node_modules/.node-coro-stamp
node-typings: $(NODE_TYPINGS_STAMP)

# Type errors fail the target and leave the previous output in place; the
# output directory is replaced whole, so a removed source leaves no file.
lib-ts: ts-tools node-typings
	@if [ -f $(LIB_TS_SRC)/tsconfig.json ]; then \
	  node $(REPO)/scripts/lib-ts-emit.mjs $(LIB_TS_SRC) $(LIB_TS_OUT)/lib; \
	else echo "lib-ts: no lib-ts/tsconfig.json yet, nothing to compile"; fi

# T1 type-checks lib-ts/ (mk/test.mk) and test/scripts/lib-ts.test.ts
# compiles it: both need Node's typings, not node-fork/.
typecheck test-scripts: node-typings
