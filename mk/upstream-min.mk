# deps/uv and deps/googletest from the pinned tarball, plus a static libuv
# built from them. Used by the standalone coroutine tests and the libuv
# floor benchmark.

UV_BUILD := $(BUILD)/uv
UV_LIB   := $(UV_BUILD)/libuv.a
UV_INCLUDE := $(UV_SRC)/include

$(UPSTREAM_MIN)/.stamp: $(VENDOR)
	@echo "upstream-min: unpacking deps/uv and deps/googletest"
	@rm -rf $(BUILD)/upstream-min
	@$(VENDOR) extract $(NODE_TARBALL) $(BUILD)/upstream-min \
	  $(NODE_TOPDIR)/deps/uv $(NODE_TOPDIR)/deps/googletest
	@touch $@

# libuv's own CMake build, static, optimized, no tests.
$(UV_LIB): $(UPSTREAM_MIN)/.stamp
	@echo "upstream-min: building static libuv"
	@cmake -S $(UV_SRC) -B $(UV_BUILD)/cmake -G Ninja \
	  -DCMAKE_BUILD_TYPE=Release -DLIBUV_BUILD_TESTS=OFF \
	  -DLIBUV_BUILD_BENCH=OFF -DLIBUV_BUILD_SHARED=OFF \
	  -DCMAKE_POSITION_INDEPENDENT_CODE=ON >/dev/null
	@ninja -C $(UV_BUILD)/cmake uv_a >/dev/null
	@cp $(UV_BUILD)/cmake/libuv.a $@

.PHONY: upstream-min uv
upstream-min: $(UPSTREAM_MIN)/.stamp
uv: $(UV_LIB)
