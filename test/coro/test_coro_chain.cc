// Deep chains: symmetric transfer must keep the machine stack flat however
// deep a chain of awaiting tasks gets, and however many synchronously
// completing children a loop awaits. This relies on the compiler turning the
// transfers into tail calls (see mk/coro.mk for the flags that guarantee it).

#include <algorithm>
#include <cstdint>

#include "coro_test_helpers.h"

namespace node {
namespace coro {
namespace test {
namespace {

using CoroChainTest = CoroTest;

constexpr int kDepth = 100000;
// Far below what kDepth nested frames would use (kDepth * 16 bytes at the
// very least), far above what a flat stack needs.
constexpr uintptr_t kMaxStackGrowth = 64 * 1024;

// The lowest stack address seen by any frame of the chain.
uintptr_t lowest_stack = UINTPTR_MAX;

// Not inlined, so that it sees the machine stack of the resumed coroutine.
[[gnu::noinline]] void NoteStack() {
  const uintptr_t here =
      reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  lowest_stack = std::min(lowest_stack, here);
}

[[gnu::noinline]] uintptr_t StackTop() {
  lowest_stack = UINTPTR_MAX;
  return reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
}

UvTask<int> Chain(uv_loop_t* loop, int depth, bool suspend_at_leaf) {
  NoteStack();
  if (depth == 0) {
    if (suspend_at_leaf) {
      EXPECT_EQ(co_await UvSleep(loop, 0), 0);
    }
    NoteStack();
    co_return 0;
  }
  const int below = co_await Chain(loop, depth - 1, suspend_at_leaf);
  NoteStack();
  co_return below + 1;
}

TEST_F(CoroChainTest, HundredThousandDeepChainCompletingSynchronously) {
  const uintptr_t top = StackTop();
  int result = -1;
  Chain(loop(), kDepth, false).Start([&result](int value) { result = value; });
  EXPECT_EQ(result, kDepth);
  EXPECT_LT(top - lowest_stack, kMaxStackGrowth);
}

TEST_F(CoroChainTest, HundredThousandDeepChainSuspendedAtTheLeaf) {
  const uintptr_t top = StackTop();
  int result = -1;
  Chain(loop(), kDepth, true).Start([&result](int value) { result = value; });
  EXPECT_EQ(result, -1);
  // The whole chain is suspended at once: one frame per level.
  EXPECT_GE(GetFrameAllocatorStats().live_frames, kDepth + 1);
  uv_run(loop(), UV_RUN_DEFAULT);
  EXPECT_EQ(result, kDepth);
  // Resumed from the loop, deeper in the stack than `top`, but unwinding the
  // chain does not grow it either.
  EXPECT_LT(top - lowest_stack, kMaxStackGrowth);
}

UvTask<int64_t> Identity(int64_t value) {
  co_return value;
}

TEST_F(CoroChainTest, LoopAwaitingHundredThousandSynchronousChildren) {
  auto sum = [](int count) -> UvTask<int64_t> {
    int64_t total = 0;
    for (int i = 0; i < count; i++) {
      total += co_await Identity(i);
      NoteStack();
    }
    co_return total;
  };
  const uintptr_t top = StackTop();
  int64_t result = -1;
  sum(kDepth).Start([&result](int64_t value) { result = value; });
  EXPECT_EQ(result, int64_t{kDepth} * (kDepth - 1) / 2);
  EXPECT_LT(top - lowest_stack, kMaxStackGrowth);
}

}  // namespace
}  // namespace test
}  // namespace coro
}  // namespace node
