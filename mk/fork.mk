# The fork: node-fork/ laid from the pinned sources, configured and built
# with ninja through ccache. See scripts/fork-tree.sh for the tree's history.

FORK_OUT  := $(FORK)/out/Release
FORK_NODE := $(FORK_OUT)/node
JOBS      ?= $(shell nproc)

# ccache lives outside the repo so a long build survives a fresh clone.
CCACHE_DIR ?= $(HOME)/.cache/node-coro-ccache
export CCACHE_DIR
# Generated headers are newer than the compile; without this ccache falls
# back to (slower) preprocessed mode for almost every V8 object.
export CCACHE_SLOPPINESS := include_file_mtime,include_file_ctime
export CCACHE_MAXSIZE ?= 20G
CCACHE_SEED := $(CCACHE_SEED_DIR)/node-v22.22.2-gcc12.ccache.tar

FORK_TOOLS := $(REPO)/tools/fork-deps
GYP_PYLIB  := $(FORK_TOOLS)/node_modules/node-gyp/gyp/pylib

# The configure line. Every flag here reaches V8's or ICU's compile lines
# or not; the ones that do must stay exactly as in the ccache seed's build
# (../shared/docs/build-facts.md), or every cached V8 object misses.
FORK_CONFIGURE_FLAGS := --ninja --without-npm --without-corepack \
  --shared-openssl --shared-zlib --shared-brotli --shared-nghttp2 \
  --shared-zstd --shared-sqlite \
  --with-intl=full-icu --with-icu-source=$(VENDOR_DIR)/icu_76.1.orig.tar.gz

.PHONY: sysdeps fork-tools ccache-seed node-fork node-fork-fresh configure build smoke \
        export-patches ccache-export

sysdeps:
	@bash $(REPO)/scripts/install-sysdeps.sh

$(FORK_TOOLS)/node_modules/.node-coro-stamp: $(FORK_TOOLS)/package-lock.json
	@echo "fork-tools: npm ci in tools/fork-deps"
	@cd $(FORK_TOOLS) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@
fork-tools: $(FORK_TOOLS)/node_modules/.node-coro-stamp

# Seed the cache once, when it is empty.
ccache-seed:
	@if [ -n "$$(ls -A $(CCACHE_DIR) 2>/dev/null)" ]; then \
	  echo "ccache: $(CCACHE_DIR) in use, not seeding"; \
	elif [ -f "$(CCACHE_SEED)" ]; then \
	  echo "ccache: seeding $(CCACHE_DIR) from $(CCACHE_SEED)"; \
	  (cd $(CCACHE_SEED_DIR) && sha256sum -c --quiet SHA256SUMS) || \
	    { echo "ccache: seed checksum mismatch: $(CCACHE_SEED)" >&2; exit 1; }; \
	  mkdir -p $(CCACHE_DIR) && tar -C $(CCACHE_DIR) -xf $(CCACHE_SEED); \
	else \
	  echo "ccache: no seed at $(CCACHE_SEED); building cold"; \
	fi

# Lay the tree when it is missing; otherwise bring it up to date with
# patches/ and the files we own (coro/, lib-ts output, ...).
node-fork: fork-tools lib-ts
	@if [ -d $(FORK)/.git ]; then \
	  $(REPO)/scripts/fork-tree.sh sync; \
	else \
	  $(REPO)/scripts/fork-tree.sh create; \
	fi

# Regenerate node-fork/ from scratch: the pinned tarball, the deps, patches/
# and the owned files. Refuses while node-fork holds unexported work.
node-fork-fresh: fork-tools lib-ts
	@$(REPO)/scripts/fork-tree.sh fresh

# Re-run configure only when what it reads changed: its line, a gyp file,
# or the set of files it searches for (lib/**/*.js and test/cctest/** are
# listed by configure.py itself, so a new lib-ts module or cctest file
# needs it). Re-running is cheap but rewrites every ninja file.
FORK_CONFIG_KEY = $(shell { echo '$(FORK_CONFIGURE_FLAGS)'; \
  cd $(FORK) 2>/dev/null && git ls-files -s -- '*.gyp' '*.gypi' configure.py && \
  git ls-files -- lib test/cctest; } | sha256sum | cut -c1-16)

configure: node-fork
	@mkdir -p $(BUILD)
	@if [ "$$(cat $(FORK_OUT)/.node-coro-config 2>/dev/null)" != "$(FORK_CONFIG_KEY)" ]; then \
	  echo "configure: $(FORK_CONFIGURE_FLAGS)"; \
	  cd $(FORK) && PYTHONPATH=$(GYP_PYLIB) CC='ccache gcc' CXX='ccache g++' \
	    python3 configure.py $(FORK_CONFIGURE_FLAGS) >$(BUILD)/configure.log 2>&1 || \
	    { cat $(BUILD)/configure.log; exit 1; }; \
	  echo "$(FORK_CONFIG_KEY)" > $(FORK_OUT)/.node-coro-config; \
	else echo "configure: up to date"; fi

build: sysdeps ccache-seed configure
	@mkdir -p $(BUILD)
	@echo "build: ninja -j$(JOBS) in $(FORK_OUT) (ccache $(CCACHE_DIR))"
	@ninja -C $(FORK_OUT) -j$(JOBS) node
	@ccache -s | sed -n '/Hits/,/Misses/p'

smoke: $(FORK_NODE)
	@$(REPO)/scripts/smoke.sh $(FORK_NODE)

export-patches:
	@$(REPO)/scripts/fork-tree.sh export

# Pack the local cache as a seed archive (same name and layout as
# ../shared/ccache-seed/), with its checksum, into build/ccache-seed/.
ccache-export:
	@mkdir -p $(BUILD)/ccache-seed
	@tar -C $(CCACHE_DIR) -cf $(BUILD)/ccache-seed/$(notdir $(CCACHE_SEED)) .
	@cd $(BUILD)/ccache-seed && sha256sum $(notdir $(CCACHE_SEED)) > SHA256SUMS
	@ls -l $(BUILD)/ccache-seed; cat $(BUILD)/ccache-seed/SHA256SUMS
