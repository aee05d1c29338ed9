# Shared variables for every part of the build. Included first by the
# top-level Makefile; the fragments in mk/ rely on these names.

REPO            := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
VENDOR_DIR      ?= $(abspath $(REPO)/../shared/vendor)
CCACHE_SEED_DIR ?= $(abspath $(REPO)/../shared/ccache-seed)
export VENDOR_DIR

# Scratch space for everything generated that is not the fork tree itself.
BUILD      := $(REPO)/build
FORK       := $(REPO)/node-fork
NODE_VERSION := 22.22.2
NODE_TARBALL := nodejs_22.22.2+dfsg+~cs22.19.15.orig.tar.xz
NODE_TOPDIR  := node-v$(NODE_VERSION)

VENDOR := $(REPO)/scripts/vendor.sh

# The minimal upstream subset the standalone parts need (coroutine tests,
# the libuv floor benchmark): deps/uv and deps/googletest only, so they
# build in a minute without unpacking the whole tree.
UPSTREAM_MIN := $(BUILD)/upstream-min/$(NODE_TOPDIR)
UV_SRC       := $(UPSTREAM_MIN)/deps/uv
GTEST_SRC    := $(UPSTREAM_MIN)/deps/googletest
