# Distribution: install the fork with npm beside it, pack it as a binary
# tarball in the layout of Node's official ones, and test both.
# See scripts/dist.sh and the README's "Install" section.
#
#   make install [PREFIX=/abs/dir] [DESTDIR=...]   default PREFIX: build/install
#   make uninstall [PREFIX=...]
#   make dist              build/dist/$(DIST_NAME).tar.xz + SHASUMS256.txt
#   make check-public-headers   no patch touches an installed header unsaid
#   make test-dist         install + dist, then test/dist/*.test.ts on the fork
#   make test-dist-stock   the same with NODE_OPTIONS=--no-fs-coro (npm, node-gyp
#                          and the addons on the stock fs.promises path)
#
# The node-coro version has one definition, NODE_CORO_VERSION in
# coro/node/version.h (process.versions.node_coro reports it too); the Node
# version is NODE_VERSION in mk/common.mk.

NODE_CORO_VERSION := $(shell sed -nE 's/^[#]define NODE_CORO_VERSION "([^"]+)".*/\1/p' $(REPO)/coro/node/version.h)
DIST_NAME    := node-coro-v$(NODE_VERSION)-$(NODE_CORO_VERSION)-linux-x64
DIST_DIR     := $(BUILD)/dist
DIST_TARBALL := $(DIST_DIR)/$(DIST_NAME).tar.xz
DIST_TOOLS   := $(REPO)/tools/dist-deps
DIST_NPM_STAMP := $(DIST_TOOLS)/node_modules/.node-coro-stamp
DIST_NPM_VERSION := $(shell sed -nE 's/.*"npm": "([^"]+)".*/\1/p' $(DIST_TOOLS)/package.json)
XZ_COMPRESSION ?= 6

# Never the system's /usr/local unless asked for on the command line: a
# PREFIX or DESTDIR exported by the environment (conda, Termux, ...) is
# ignored.
ifneq ($(origin PREFIX),command line)
PREFIX := $(BUILD)/install
endif
ifneq ($(origin DESTDIR),command line)
DESTDIR :=
endif
override PREFIX := $(abspath $(PREFIX))
override DESTDIR := $(if $(DESTDIR),$(abspath $(DESTDIR)))

DIST_ENV := NODE_VERSION=$(NODE_VERSION) FORK=$(FORK) XZ_COMPRESSION=$(XZ_COMPRESSION)

.PHONY: dist-deps install uninstall dist check-public-headers test-dist test-dist-stock

# npm at the version upstream v22.22.2 bundles, from the registry, checked
# by npm ci against tools/dist-deps/package-lock.json's integrity.
$(DIST_NPM_STAMP): $(DIST_TOOLS)/package-lock.json $(DIST_TOOLS)/package.json
	@echo "dist-deps: npm ci in tools/dist-deps"
	@cd $(DIST_TOOLS) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@
dist-deps: $(DIST_NPM_STAMP)

install: $(FORK_NODE) dist-deps
	@$(DIST_ENV) $(REPO)/scripts/dist.sh install $(PREFIX) $(DESTDIR)

uninstall:
	@$(DIST_ENV) $(REPO)/scripts/dist.sh uninstall $(PREFIX) $(DESTDIR)

$(DIST_TARBALL): $(FORK_NODE) $(DIST_NPM_STAMP) $(FORK)/config.gypi \
    $(REPO)/coro/node/version.h $(REPO)/scripts/dist.sh $(wildcard $(REPO)/patches/*.patch)
	@$(DIST_ENV) $(REPO)/scripts/dist.sh dist $(DIST_DIR)

dist: $(DIST_TARBALL)

check-public-headers:
	@$(REPO)/scripts/check-public-headers.sh

# The tests install the addon fixtures with the installed npm and build
# them with node-gyp from tools/fork-deps, so both are needed. tap's
# default 30 s per file is too short for npm ci plus a compile. NODE_OPTIONS
# reaches every process the tests start (npm, node-gyp, the addons' loads).
define DIST_TAP_RUN
	@DIST_PREFIX=$(DESTDIR)$(PREFIX) DIST_TARBALL=$(DIST_TARBALL) FORK_NODE=$(FORK_NODE) \
	  NODE_GYP=$(FORK_TOOLS)/node_modules/node-gyp/bin/node-gyp.js \
	  $(1) $(REPO)/scripts/tap-run.sh $(2) $(FORK_NODE) --timeout=600 \
	  $(wildcard $(REPO)/test/dist/*.test.ts)
endef

test-dist: install dist ts-tools fork-tools
	$(call DIST_TAP_RUN,env -u NODE_OPTIONS,dist)

test-dist-stock: install dist ts-tools fork-tools
	$(call DIST_TAP_RUN,env NODE_OPTIONS=--no-fs-coro,dist-stock)
