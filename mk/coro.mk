# The C++20 coroutine layer (coro/) built and tested on its own: no V8, no
# Node, only deps/uv and deps/googletest from the pinned tree (mk/upstream-min.mk).
#
#   make test-coro        optimized (-O2) gtest suite, run
#   make test-coro-asan   the same sources under ASan+UBSan, halt on the first finding
#   make bench-coro       micro-benchmarks, printed
#   make coro-clean       remove $(BUILD)/coro
#
# Everything is built under $(BUILD)/coro/. googletest is compiled once (from
# gtest-all.cc and gtest_main.cc) into static libraries shared by both test
# builds. ccache is used when it is installed. When make was started without
# -j, the test targets build with -j2 (a sub-make); with -j they share the
# caller's job slots.
#
# For Node's cctest: CORO_TEST_SOURCES are the test sources (no main() in
# them; the standalone build links gtest_main, as cctest does), compiled with
# the include root that holds coro/ (here $(REPO), in the fork src/) plus the
# directory of the test sources, for coro_test_helpers.h. CORO_LIB_SOURCES are
# the layer's .cc files, which belong in the Node library itself.

CORO_DIR      := $(REPO)/coro
CORO_TEST_DIR := $(REPO)/test/coro
CORO_BUILD    := $(BUILD)/coro

CORO_LIB_SOURCES   := $(CORO_DIR)/frame_allocator.cc $(CORO_DIR)/task_list.cc \
  $(CORO_DIR)/uv_batch.cc
CORO_TEST_SOURCES  := $(addprefix $(CORO_TEST_DIR)/,\
  test_coro_allocator.cc \
  test_coro_batch.cc \
  test_coro_cancel.cc \
  test_coro_chain.cc \
  test_coro_fs.cc \
  test_coro_ops.cc \
  test_coro_task.cc)
CORO_BENCH_SOURCES := $(CORO_TEST_DIR)/bench_coro.cc

CORO_CXX      ?= g++
CORO_CCACHE   := $(shell command -v ccache 2>/dev/null)
CORO_COMPILE  := $(strip $(CORO_CCACHE) $(CORO_CXX))
CORO_STDFLAGS := -std=gnu++20 -fno-exceptions -fno-rtti -pthread
CORO_CXXFLAGS := $(CORO_STDFLAGS) -Wall -Wextra -Werror -MMD -MP
CORO_INCLUDES := -I$(REPO) -I$(UV_INCLUDE) -isystem $(GTEST_SRC)/include
CORO_LDLIBS   := -pthread -ldl

# Optimized build. -O2 is also what makes GCC emit the tail calls that
# symmetric transfer relies on (-foptimize-sibling-calls is an -O2 flag):
# at -O0/-O1 a 100,000-deep chain of awaits overflows the stack.
CORO_opt_FLAGS := -O2

# ASan+UBSan build (-g1: line tables for the reports, a quarter less compile
# time than -g): -O2 as well, for the same tail calls, plus
# --param=asan-stack=0. GCC 12 cannot turn a call into a tail call in a
# function whose stack frame carries ASan redzones (the epilogue has to
# unpoison them), and every coroutine's resume function has such slots (the
# coroutine handles and awaiter temporaries it takes the address of), so
# with stack instrumentation the chain test overflows at any -O level. What
# this gives up is redzones around stack variables only: heap (coroutine
# frames live on the heap, and the frame allocator poisons cached and slack
# bytes), globals, use-after-free, leaks and all of UBSan stay on.
CORO_asan_FLAGS := -O2 -g1 -fno-omit-frame-pointer \
  -fsanitize=address,undefined -fno-sanitize-recover=all \
  --param=asan-stack=0
CORO_ASAN_ENV := \
  ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:strict_string_checks=1:check_initialization_order=1 \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

# -j2 for a sub-make when the caller gave no -j; otherwise share its slots.
CORO_JOBS = $(if $(filter -j%,$(MAKEFLAGS)),,-j2)

# googletest, compiled once with the same language flags as the tests. -O0:
# the harness's own speed does not matter, and it halves the compile time of
# gtest-all.cc, which the calling make builds on one core.
CORO_GTEST_FLAGS := $(CORO_STDFLAGS) -O0 -w -I$(GTEST_SRC)/include -I$(GTEST_SRC)
CORO_GTEST_LIB   := $(CORO_BUILD)/gtest/libgtest.a
CORO_GTEST_MAIN  := $(CORO_BUILD)/gtest/libgtest_main.a

$(CORO_BUILD)/gtest/%.o: $(UPSTREAM_MIN)/.stamp
	@mkdir -p $(@D)
	$(CORO_COMPILE) $(CORO_GTEST_FLAGS) -c $(GTEST_SRC)/src/$*.cc -o $@

$(CORO_GTEST_LIB): $(CORO_BUILD)/gtest/gtest-all.o
	@rm -f $@
	ar rcs $@ $^

$(CORO_GTEST_MAIN): $(CORO_BUILD)/gtest/gtest_main.o
	@rm -f $@
	ar rcs $@ $^

# $(1): variant (opt, asan, bench). Objects go to $(CORO_BUILD)/$(1)/, mirroring
# their path under $(REPO).
define CORO_VARIANT
CORO_$(1)_LIB_OBJS  := $$(patsubst $(REPO)/%.cc,$(CORO_BUILD)/$(1)/%.o,$(CORO_LIB_SOURCES))
CORO_$(1)_TEST_OBJS := $$(patsubst $(REPO)/%.cc,$(CORO_BUILD)/$(1)/%.o,$(CORO_TEST_SOURCES))

$(CORO_BUILD)/$(1)/%.o: $(REPO)/%.cc | $(UPSTREAM_MIN)/.stamp
	@mkdir -p $$(@D)
	$$(CORO_COMPILE) $$(CORO_CXXFLAGS) $$(CORO_$(1)_FLAGS) $$(CORO_INCLUDES) -c $$< -o $$@

$(CORO_BUILD)/$(1)/coro_tests: $$(CORO_$(1)_TEST_OBJS) $$(CORO_$(1)_LIB_OBJS) \
    $(CORO_GTEST_MAIN) $(CORO_GTEST_LIB) $(UV_LIB)
	$$(CORO_CXX) $$(CORO_$(1)_FLAGS) $$^ $$(CORO_LDLIBS) -o $$@

-include $$(CORO_$(1)_LIB_OBJS:.o=.d) $$(CORO_$(1)_TEST_OBJS:.o=.d)
endef

# The benchmarks get a directory of their own (same flags as opt), so that
# no two sub-makes ever write the same file.
CORO_bench_FLAGS := $(CORO_opt_FLAGS)

$(eval $(call CORO_VARIANT,opt))
$(eval $(call CORO_VARIANT,asan))
$(eval $(call CORO_VARIANT,bench))

CORO_bench_MAIN_OBJS := $(patsubst $(REPO)/%.cc,$(CORO_BUILD)/bench/%.o,$(CORO_BENCH_SOURCES))
-include $(CORO_bench_MAIN_OBJS:.o=.d)

$(CORO_BUILD)/bench/bench_coro: $(CORO_bench_MAIN_OBJS) $(CORO_bench_LIB_OBJS) $(UV_LIB)
	$(CORO_CXX) $(CORO_bench_FLAGS) $^ $(CORO_LDLIBS) -o $@

.PHONY: test-coro test-coro-asan bench-coro coro-clean \
  coro-build-opt coro-build-asan coro-build-bench

coro-build-opt: $(CORO_BUILD)/opt/coro_tests
coro-build-asan: $(CORO_BUILD)/asan/coro_tests
coro-build-bench: $(CORO_BUILD)/bench/bench_coro

# What both test builds share is made here, by the calling make, so that
# `make -j2 test-coro test-coro-asan` builds it once; each sub-make then
# writes only under its own $(CORO_BUILD)/<variant>/.
CORO_SHARED := $(UV_LIB) $(CORO_GTEST_LIB) $(CORO_GTEST_MAIN)
# The seed goes in before the first compile through ccache (mk/fork.mk).
$(CORO_SHARED): | ccache-seed

# The cancellation tests run a second time with UV_USE_IO_URING=1: libuv
# then sends fs requests through io_uring (see test/coro/test_coro_cancel.cc).
CORO_IO_URING_RUN := UV_USE_IO_URING=1 $(CORO_BUILD)/opt/coro_tests \
  --gtest_filter='CoroCancel*'

test-coro: ccache-seed $(CORO_SHARED)
	+@$(MAKE) --no-print-directory -C $(REPO) $(CORO_JOBS) coro-build-opt
	$(CORO_BUILD)/opt/coro_tests
	$(CORO_IO_URING_RUN)

test-coro-asan: ccache-seed $(CORO_SHARED)
	+@$(MAKE) --no-print-directory -C $(REPO) $(CORO_JOBS) coro-build-asan
	$(CORO_ASAN_ENV) $(CORO_BUILD)/asan/coro_tests
	$(CORO_ASAN_ENV) UV_USE_IO_URING=1 $(CORO_BUILD)/asan/coro_tests \
	  --gtest_filter='CoroCancel*'

bench-coro: ccache-seed $(UV_LIB)
	+@$(MAKE) --no-print-directory -C $(REPO) $(CORO_JOBS) coro-build-bench
	$(CORO_BUILD)/bench/bench_coro

coro-clean:
	rm -rf $(CORO_BUILD)
