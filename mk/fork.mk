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

FORK_TOOLS := $(REPO)/tools/fork-deps
GYP_PYLIB  := $(FORK_TOOLS)/node_modules/node-gyp/gyp/pylib

FORK_ICU_ARCHIVE := icu_76.1.orig.tar.gz

# The configure line. Every flag here reaches V8's or ICU's compile lines
# or not; the ones that do must stay exactly as in the ccache seed's build
# (../shared/docs/build-facts.md), or every cached V8 object misses.
FORK_CONFIGURE_FLAGS := --ninja --without-npm --without-corepack \
  --shared-openssl --shared-zlib --shared-brotli --shared-nghttp2 \
  --shared-zstd --shared-sqlite \
  --with-intl=full-icu --with-icu-source=$(VENDOR_DIR)/$(FORK_ICU_ARCHIVE)

.PHONY: sysdeps fork-tools ccache-seed verify-icu node-fork node-fork-fresh configure build smoke \
        export-patches ccache-export

sysdeps:
	@bash $(REPO)/scripts/install-sysdeps.sh

$(FORK_TOOLS)/node_modules/.node-coro-stamp: $(FORK_TOOLS)/package-lock.json
	@echo "fork-tools: npm ci in tools/fork-deps"
	@cd $(FORK_TOOLS) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@
fork-tools: $(FORK_TOOLS)/node_modules/.node-coro-stamp

# Unpack every archive listed in the seed's SHA256SUMS that was not unpacked
# yet (stamps in $(CCACHE_DIR)/node-coro-seed/), whatever else the cache
# holds. Every target that compiles through ccache depends on this.
ccache-seed:
	@CCACHE_SEED_DIR=$(CCACHE_SEED_DIR) $(REPO)/scripts/ccache-seed.sh

# Lay the tree when it is missing; otherwise bring it up to date with
# patches/ and the files we own (coro/, lib-ts output, ...).
node-fork: fork-tools lib-ts
	@if [ -d $(FORK)/.git ]; then \
	  $(REPO)/scripts/fork-tree.sh sync; \
	else \
	  $(REPO)/scripts/fork-tree.sh create; \
	fi

# Regenerate node-fork/ from scratch: the pinned tarball, the deps, patches/
# and the owned files. Refuses while node-fork holds unexported work
# (commits, uncommitted or untracked files) unless FORCE=1, which make
# passes on in the environment as it does every command-line variable.
node-fork-fresh: fork-tools lib-ts
	@$(REPO)/scripts/fork-tree.sh fresh

# Re-run configure only when what it reads changed: its line, a gyp file,
# or the set of files it searches for (lib/**/*.js and test/cctest/** are
# listed by configure.py itself, so a new lib-ts module or cctest file
# needs it). Re-running is cheap but rewrites every ninja file.
FORK_CONFIG_KEY = $(shell { echo '$(FORK_CONFIGURE_FLAGS)'; \
  cd $(FORK) 2>/dev/null && git ls-files -s -- '*.gyp' '*.gypi' configure.py && \
  git ls-files -- lib test/cctest; } | sha256sum | cut -c1-16)

# configure.py unpacks the ICU archive itself: verify it first, like every
# other archive (scripts/vendor.sh), on every run, not only when configuring.
verify-icu:
	@$(VENDOR) verify $(FORK_ICU_ARCHIVE)

configure: verify-icu node-fork
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

# Pack what the local cache holds beyond the seed's archives as a new delta,
# with a SHA256SUMS listing the seed's archives and the delta, into
# build/ccache-seed/, ready to copy into the seed folder.
ccache-export:
	@CCACHE_SEED_DIR=$(CCACHE_SEED_DIR) $(REPO)/scripts/ccache-export.sh $(BUILD)/ccache-seed
