# node-coro: top-level build. `make help` lists the targets.
#
# The pieces live in mk/*.mk; this file only wires them together.

include mk/common.mk
include mk/upstream-min.mk
include mk/lib-ts.mk
include mk/fork.mk
include mk/test.mk
-include mk/coro.mk
-include mk/bench.mk

.DEFAULT_GOAL := all
.PHONY: all help

all: build smoke

help:
	@echo "node-coro targets:"
	@echo "  make              deps + node-fork + build, ends with a smoke run"
	@echo "  make uv           static libuv from the pinned tree (standalone parts)"
