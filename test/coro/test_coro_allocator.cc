// The thread-local frame allocator: size classes, free-list hits and
// misses, the per-class cap, the fallback for large frames, coroutine frames
// going through it, and the release of a thread's cache when it exits.

#include <vector>

#include "coro_test_helpers.h"

namespace node {
namespace coro {
namespace test {
namespace {

// Each test starts from an empty cache with the default cap, and leaves the
// thread that way.
class CoroAllocatorTest : public CoroTest {
 protected:
  void SetUp() override {
    CoroTest::SetUp();
    previous_capacity_ = SetFrameCacheCapacity(kDefaultFrameCacheCapacity);
    TrimFrameCache();
  }
  void TearDown() override {
    SetFrameCacheCapacity(previous_capacity_);
    CoroTest::TearDown();
  }

 private:
  size_t previous_capacity_ = 0;
};

TEST_F(CoroAllocatorTest, SizeClasses) {
  EXPECT_EQ(FrameSizeClass(1), 0u);
  EXPECT_EQ(FrameSizeClass(128), 0u);
  EXPECT_EQ(FrameSizeClass(129), 1u);
  EXPECT_EQ(FrameSizeClass(kMaxPooledFrameSize), kFrameSizeClassCount - 1);
  EXPECT_EQ(FrameSizeClass(kMaxPooledFrameSize + 1), kFrameSizeClassCount);
  EXPECT_EQ(FrameSizeClassBytes(0), kFrameSizeClassGranularity);
  EXPECT_EQ(FrameSizeClassBytes(kFrameSizeClassCount - 1),
            kMaxPooledFrameSize);
}

TEST_F(CoroAllocatorTest, FreedFramesAreReusedAndCounted) {
  const FrameAllocatorStats before = GetFrameAllocatorStats();
  EXPECT_EQ(before.cached_frames, 0u);
  EXPECT_EQ(before.capacity, kDefaultFrameCacheCapacity);

  void* first = AllocateFrame(200);
  FrameAllocatorStats stats = GetFrameAllocatorStats();
  EXPECT_EQ(stats.misses, before.misses + 1);
  EXPECT_EQ(stats.live_frames, before.live_frames + 1);
  // A pooled frame occupies its whole block.
  EXPECT_EQ(stats.live_bytes, before.live_bytes + 256);

  FreeFrame(first, 200);
  stats = GetFrameAllocatorStats();
  EXPECT_EQ(stats.live_frames, before.live_frames);
  EXPECT_EQ(stats.live_bytes, before.live_bytes);
  EXPECT_EQ(stats.frees, before.frees + 1);
  EXPECT_EQ(stats.classes[1].cached_frames, 1u);
  EXPECT_EQ(stats.classes[1].cached_bytes, 256u);
  EXPECT_EQ(stats.cached_bytes, 256u);

  // Any size of the same class gets the cached block back.
  void* second = AllocateFrame(256);
  EXPECT_EQ(second, first);
  stats = GetFrameAllocatorStats();
  EXPECT_EQ(stats.hits, before.hits + 1);
  EXPECT_EQ(stats.misses, before.misses + 1);
  EXPECT_EQ(stats.cached_frames, 0u);
  FreeFrame(second, 256);
}

TEST_F(CoroAllocatorTest, EachClassKeepsAtMostItsCap) {
  ASSERT_EQ(SetFrameCacheCapacity(4), kDefaultFrameCacheCapacity);
  const FrameAllocatorStats before = GetFrameAllocatorStats();
  std::vector<void*> frames;
  for (int i = 0; i < 10; i++)
    frames.push_back(AllocateFrame(300));
  for (void* frame : frames)
    FreeFrame(frame, 300);
  FrameAllocatorStats stats = GetFrameAllocatorStats();
  EXPECT_EQ(stats.classes[2].cached_frames, 4u);
  EXPECT_EQ(stats.classes[2].cached_bytes, 4u * 384);
  EXPECT_EQ(stats.released, before.released + 6);

  // Lowering the cap trims at once; zero disables caching.
  EXPECT_EQ(SetFrameCacheCapacity(2), 4u);
  EXPECT_EQ(GetFrameAllocatorStats().classes[2].cached_frames, 2u);
  SetFrameCacheCapacity(0);
  EXPECT_EQ(GetFrameAllocatorStats().cached_frames, 0u);
  void* frame = AllocateFrame(300);
  FreeFrame(frame, 300);
  stats = GetFrameAllocatorStats();
  EXPECT_EQ(stats.cached_frames, 0u);
  EXPECT_EQ(stats.released, before.released + 7);
}

TEST_F(CoroAllocatorTest, LargeFramesBypassTheCache) {
  const FrameAllocatorStats before = GetFrameAllocatorStats();
  void* frame = AllocateFrame(kMaxPooledFrameSize + 1);
  FrameAllocatorStats stats = GetFrameAllocatorStats();
  EXPECT_EQ(stats.oversize, before.oversize + 1);
  EXPECT_EQ(stats.live_frames, before.live_frames + 1);
  EXPECT_EQ(stats.live_bytes,
            before.live_bytes + static_cast<int64_t>(kMaxPooledFrameSize + 1));
  EXPECT_EQ(stats.misses, before.misses);
  FreeFrame(frame, kMaxPooledFrameSize + 1);
  stats = GetFrameAllocatorStats();
  EXPECT_EQ(stats.live_frames, before.live_frames);
  EXPECT_EQ(stats.live_bytes, before.live_bytes);
  EXPECT_EQ(stats.frees, before.frees + 1);
  EXPECT_EQ(stats.cached_frames, 0u);
}

UvTask<int> SmallTask(int value) {
  co_return value;
}

UvTask<int> BigTask(int value) {
  char scratch[8192];
  scratch[value & 1023] = static_cast<char>(value);
  co_await SmallTask(0);  // Keeps `scratch` in the frame.
  co_return scratch[value & 1023];
}

TEST_F(CoroAllocatorTest, CoroutineFramesGoThroughTheAllocator) {
  const FrameAllocatorStats before = GetFrameAllocatorStats();
  {
    UvTask<int> task = SmallTask(1);
    EXPECT_EQ(GetFrameAllocatorStats().live_frames, before.live_frames + 1);
    EXPECT_EQ(GetFrameAllocatorStats().misses, before.misses + 1);
  }
  EXPECT_EQ(GetFrameAllocatorStats().cached_frames, 1u);
  int result = 0;
  SmallTask(5).Start([&result](int value) { result = value; });
  EXPECT_EQ(result, 5);
  FrameAllocatorStats stats = GetFrameAllocatorStats();
  EXPECT_EQ(stats.hits, before.hits + 1);
  EXPECT_EQ(stats.live_frames, before.live_frames);

  BigTask(7).Start([&result](int value) { result = value; });
  EXPECT_EQ(result, 7);
  stats = GetFrameAllocatorStats();
  EXPECT_EQ(stats.oversize, before.oversize + 1);
  EXPECT_EQ(stats.live_frames, before.live_frames);
}

struct ThreadReport {
  FrameAllocatorStats at_exit;
  int completed = 0;
};

void ThreadBody(void* arg) {
  ThreadReport* report = static_cast<ThreadReport*>(arg);
  uv_loop_t loop;
  CHECK_EQ(uv_loop_init(&loop), 0);
  // 100 frames alive at once, so that more are freed than the cap keeps.
  for (int i = 0; i < 100; i++) {
    [](uv_loop_t* loop) -> UvTask<void> {
      co_await UvSleep(loop, 0);
    }(&loop).Start([report]() { report->completed++; });
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  CHECK_EQ(uv_loop_close(&loop), 0);
  report->at_exit = GetFrameAllocatorStats();
}

TEST_F(CoroAllocatorTest, ThreadExitReleasesTheThreadsCache) {
  const FrameAllocatorExitStats before = GetFrameAllocatorExitStats();
  ThreadReport report;
  uv_thread_t thread;
  ASSERT_EQ(uv_thread_create(&thread, &ThreadBody, &report), 0);
  ASSERT_EQ(uv_thread_join(&thread), 0);

  EXPECT_EQ(report.completed, 100);
  EXPECT_EQ(report.at_exit.live_frames, 0);
  EXPECT_EQ(report.at_exit.cached_frames, kDefaultFrameCacheCapacity);
  EXPECT_GT(report.at_exit.cached_bytes, 0u);
  EXPECT_EQ(report.at_exit.released, 100 - kDefaultFrameCacheCapacity);

  const FrameAllocatorExitStats after = GetFrameAllocatorExitStats();
  EXPECT_EQ(after.threads, before.threads + 1);
  EXPECT_EQ(after.frames, before.frames + report.at_exit.cached_frames);
  EXPECT_EQ(after.bytes, before.bytes + report.at_exit.cached_bytes);
}

}  // namespace
}  // namespace test
}  // namespace coro
}  // namespace node
