// UvWorkBatcher / UvBatchedWork: work submitted during one turn of the loop
// leaves for the pool as a few jobs, not one uv_queue_work() per item; the
// work submitted by coroutines as they resume from a job leaves together;
// waiting items keep the loop alive and can be cancelled without running;
// handed-over items cannot.

#include <atomic>
#include <optional>
#include <vector>

#include "coro_test_helpers.h"

namespace node {
namespace coro {
namespace test {
namespace {

class CoroBatchTest : public CoroTest {
 protected:
  void SetUp() override {
    CoroTest::SetUp();  // Initializes the loop.
    batcher_.emplace(loop());
  }
  void TearDown() override {
    batcher_->Close([](UvWorkBatcher*) {});
    uv_run(loop(), UV_RUN_DEFAULT);  // Finishes the close.
    batcher_.reset();
    CoroTest::TearDown();
  }

  UvWorkBatcher* batcher() { return &*batcher_; }

 private:
  std::optional<UvWorkBatcher> batcher_;
};

// Runs `n` coroutines of `steps` batched items each, all started in the same
// turn; records the order in which items ran on the pool.
struct Wave {
  std::vector<UvTask<void>> tasks;
  std::vector<int> results;
  std::atomic<int> ran{0};
};

UvTask<void> Steps(UvWorkBatcher* batcher, std::atomic<int>* ran, int steps,
                   int* result) {
  for (int i = 0; i < steps; i++) {
    *result = co_await UvBatchedWork(batcher, [ran] { ran->fetch_add(1); });
    if (*result < 0)
      co_return;
  }
}

TEST_F(CoroBatchTest, OneTurnOfSubmissionsLeavesAsFewJobs) {
  constexpr int kTasks = 20;
  Wave wave;
  wave.results.assign(kTasks, 1);
  for (int i = 0; i < kTasks; i++)
    wave.tasks.push_back(Steps(batcher(), &wave.ran, 1, &wave.results[i]));
  for (UvTask<void>& task : wave.tasks)
    task.Start();
  // Nothing was handed over yet: that happens before the loop polls.
  EXPECT_EQ(batcher()->waiting(), static_cast<size_t>(kTasks));
  EXPECT_EQ(batcher()->jobs_submitted(), 0u);
  uv_run(loop(), UV_RUN_DEFAULT);  // Returns only when all are done.
  EXPECT_EQ(wave.ran.load(), kTasks);
  for (int result : wave.results)
    EXPECT_EQ(result, 0);
  // 20 items, at most kJobSize (8) per job: 3 jobs.
  EXPECT_EQ(batcher()->jobs_submitted(), 3u);
  EXPECT_EQ(batcher()->items_run(), static_cast<uint64_t>(kTasks));
}

TEST_F(CoroBatchTest, WhatResumedCoroutinesSubmitLeavesTogether) {
  constexpr int kTasks = 8;
  constexpr int kSteps = 5;
  Wave wave;
  wave.results.assign(kTasks, 1);
  for (int i = 0; i < kTasks; i++)
    wave.tasks.push_back(Steps(batcher(), &wave.ran, kSteps, &wave.results[i]));
  for (UvTask<void>& task : wave.tasks)
    task.Start();
  uv_run(loop(), UV_RUN_DEFAULT);
  EXPECT_EQ(wave.ran.load(), kTasks * kSteps);
  // One job per step: each job's 8 coroutines submit their next step while
  // it completes, and those leave as one job again.
  EXPECT_EQ(batcher()->jobs_submitted(), static_cast<uint64_t>(kSteps));
}

TEST_F(CoroBatchTest, RunsOnThePoolNotTheLoopThread) {
  const uv_thread_t loop_thread = uv_thread_self();
  bool on_loop_thread = true;
  Run([&]() -> UvTask<void> {
    const int status = co_await UvBatchedWork(batcher(), [&] {
      const uv_thread_t self = uv_thread_self();
      on_loop_thread = uv_thread_equal(&self, &loop_thread) != 0;
    });
    EXPECT_EQ(status, 0);
  }());
  EXPECT_FALSE(on_loop_thread);
}

// A waiting item is cancelled without running, and completes at the next
// hand-over, not inside the cancel; one handed over already runs.
TEST_F(CoroBatchTest, CancelStopsWaitingItemsOnly) {
  std::atomic<int> ran{0};
  int waiting_result = 1;
  auto waiting = Steps(batcher(), &ran, 1, &waiting_result);
  CancelToken waiting_token;
  waiting.BindCancelToken(&waiting_token);
  waiting.Start();
  EXPECT_EQ(waiting_token.Cancel(), 0);
  EXPECT_EQ(waiting_result, 1) << "completed inside Cancel()";
  uv_run(loop(), UV_RUN_DEFAULT);
  EXPECT_EQ(waiting_result, UV_ECANCELED);
  EXPECT_EQ(ran.load(), 0);
  EXPECT_EQ(batcher()->jobs_submitted(), 0u);

  PoolBlocker blocker(loop());
  ASSERT_TRUE(blocker.all_running());
  int handed_result = 1;
  auto handed = Steps(batcher(), &ran, 1, &handed_result);
  CancelToken handed_token;
  handed.BindCancelToken(&handed_token);
  handed.Start();
  batcher()->Flush();  // Handed over; queued behind the blocked pool.
  EXPECT_EQ(handed_token.Cancel(), UV_EBUSY);
  blocker.Release();
  uv_run(loop(), UV_RUN_DEFAULT);
  EXPECT_EQ(handed_result, 0);
  EXPECT_EQ(ran.load(), 1);
}

}  // namespace
}  // namespace test
}  // namespace coro
}  // namespace node
