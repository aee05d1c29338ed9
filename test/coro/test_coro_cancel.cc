// Cancellation. uv_cancel() stops only thread-pool requests still queued: a
// queued request resumes its coroutine with UV_ECANCELED; one already
// running completes with its real result, which the coroutine sees. The
// thread pool is filled with blocked work first (PoolBlocker), so that
// "queued" and "running" are certain rather than likely. No frame, request,
// handle or fd may be left behind (the fixture checks frames and the loop;
// these tests count fds).

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>

#include "coro_test_helpers.h"

namespace node {
namespace coro {
namespace test {
namespace {

using CoroCancelTest = CoroTest;

// Open descriptors of this process, or -1 where that cannot be counted.
int CountOpenFds() {
#ifdef __linux__
  std::error_code ec;
  int count = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end;
       !ec && it != end;
       it.increment(ec)) {
    count++;
  }
  return ec ? -1 : count;
#else
  return -1;
#endif
}

bool IsOpenFd(uv_file fd) {
  return fd >= 0 && fcntl(fd, F_GETFD) != -1;
}

// A one-shot gate between the loop thread and a pool thread.
class Gate {
 public:
  void Open() {
    std::lock_guard<std::mutex> lock(mutex_);
    open_ = true;
    cond_.notify_all();
  }
  void Wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    cond_.wait(lock, [this] { return open_; });
  }
  bool WaitFor(std::chrono::seconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    return cond_.wait_for(lock, timeout, [this] { return open_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable cond_;
  bool open_ = false;
};

TEST_F(CoroCancelTest, QueuedFsRequestResumesWithEcanceled) {
  WriteFile(Path("file"), "x");
  const int fds_before = CountOpenFds();
  PoolBlocker blocker(loop());
  ASSERT_TRUE(blocker.all_running());

  TaskList list;
  int seen = 1;
  bool file_open = true;
  auto task = [](uv_loop_t* loop, std::string path, int* seen,
                 bool* file_open) -> UvTask<void> {
    auto [err, file] = co_await UvFsOpen(loop, path, O_RDONLY, 0);
    *seen = err;
    *file_open = file.is_open();
  }(loop(), Path("file"), &seen, &file_open);
  task.Track(&list);
  task.Start();
  EXPECT_EQ(list.size(), 1u);
  EXPECT_EQ(list.CancelAll(), 1u);  // uv_cancel() said 0: it was queued.
  // Asked again: nothing cancelable is pending any more.
  EXPECT_EQ(list.CancelAll(), 0u);

  blocker.Release();
  uv_run(loop(), UV_RUN_DEFAULT);
  EXPECT_EQ(seen, UV_ECANCELED);
  EXPECT_FALSE(file_open);
  EXPECT_TRUE(list.empty());
  EXPECT_EQ(CountOpenFds(), fds_before);
}

TEST_F(CoroCancelTest, QueuedWorkAndGetAddrInfoResumeWithEcanceled) {
  PoolBlocker blocker(loop());
  ASSERT_TRUE(blocker.all_running());

  TaskList list;
  bool work_ran = false;
  UvResult<int> work_result{1, 1};
  auto work = [](uv_loop_t* loop, bool* ran,
                 UvResult<int>* out) -> UvTask<void> {
    *out = co_await UvWork(loop, [ran] {
      *ran = true;
      return 5;
    });
  }(loop(), &work_ran, &work_result);
  int gai_err = 1;
  bool gai_info = true;
  auto resolve = [](uv_loop_t* loop, int* err_out,
                    bool* info_out) -> UvTask<void> {
    struct addrinfo hints = {};
    hints.ai_flags = AI_NUMERICHOST;
    auto [err, info] =
        co_await UvGetAddrInfo(loop, "127.0.0.1", nullptr, &hints);
    *err_out = err;
    *info_out = info.get() != nullptr;
  }(loop(), &gai_err, &gai_info);
  work.Track(&list);
  resolve.Track(&list);
  work.Start();
  resolve.Start();
  EXPECT_EQ(list.CancelAll(), 2u);

  blocker.Release();
  uv_run(loop(), UV_RUN_DEFAULT);
  EXPECT_FALSE(work_ran);
  EXPECT_EQ(work_result.err, UV_ECANCELED);
  EXPECT_EQ(work_result.value, 0);
  EXPECT_EQ(gai_err, UV_ECANCELED);
  EXPECT_FALSE(gai_info);
}

TEST_F(CoroCancelTest, RunningWorkCompletesWithItsRealResult) {
  Gate started;
  Gate proceed;
  TaskList list;
  UvResult<int> result{1, 1};
  bool saw_cancel_request = false;
  auto task = [](uv_loop_t* loop, Gate* started, Gate* proceed,
                 UvResult<int>* out, bool* saw) -> UvTask<void> {
    *out = co_await UvWork(loop, [started, proceed] {
      started->Open();
      proceed->Wait();
      return 99;
    });
    *saw = co_await CancellationRequested();
  }(loop(), &started, &proceed, &result, &saw_cancel_request);
  task.Track(&list);
  task.Start();
  ASSERT_TRUE(started.WaitFor(std::chrono::seconds(30)));
  // Running: uv_cancel() refuses (UV_EBUSY), nothing is counted.
  EXPECT_EQ(list.CancelAll(), 0u);
  proceed.Open();
  uv_run(loop(), UV_RUN_DEFAULT);
  EXPECT_EQ(result.err, 0);
  EXPECT_EQ(result.value, 99);
  EXPECT_TRUE(saw_cancel_request);
}

// An open that is already running when it is cancelled completes with a
// real fd. Whoever receives the result owns it; with UvFsOpen that is a
// UvFile, so a task that gives up on seeing the cancellation still closes
// the fd, without any code for it.
TEST_F(CoroCancelTest, RunningOpenDeliversItsFdAndItIsClosed) {
#ifdef _WIN32
  GTEST_SKIP() << "uses a FIFO to hold an open() inside the thread pool";
#else
  const std::string fifo = Path("fifo");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  const int fds_before = CountOpenFds();

  TaskList list;
  int seen_err = 1;
  uv_file seen_fd = -1;
  bool gave_up = false;
  auto task = [](uv_loop_t* loop, std::string path, int* err_out,
                 uv_file* fd_out, bool* gave_up) -> UvTask<void> {
    // Blocks in the pool until a writer opens the FIFO.
    auto [err, file] = co_await UvFsOpen(loop, path, O_RDONLY, 0);
    *err_out = err;
    *fd_out = file.fd();
    if (co_await CancellationRequested()) {
      *gave_up = true;
      co_return;  // `file` is dropped here, open.
    }
    co_await file.Close(loop);
  }(loop(), fifo, &seen_err, &seen_fd, &gave_up);
  task.Track(&list);
  task.Start();

  // A non-blocking writer can open the FIFO only once a reader is inside
  // open(): then the request is certainly running in the pool.
  int writer = -1;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (writer < 0 && std::chrono::steady_clock::now() < deadline) {
    writer = open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
    if (writer < 0) {
      ASSERT_EQ(errno, ENXIO);
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  ASSERT_GE(writer, 0) << "the open() never reached the thread pool";
  EXPECT_EQ(list.CancelAll(), 0u);  // Running: UV_EBUSY.
  uv_run(loop(), UV_RUN_DEFAULT);
  close(writer);

  EXPECT_EQ(seen_err, 0);
  EXPECT_GE(seen_fd, 0);
  EXPECT_TRUE(gave_up);
  EXPECT_FALSE(IsOpenFd(seen_fd));
  EXPECT_EQ(CountOpenFds(), fds_before);
#endif
}

TEST_F(CoroCancelTest, TimerIsStoppedAndClosed) {
  TaskList list;
  int status = 1;
  uint64_t start = uv_hrtime();
  auto task = [](uv_loop_t* loop, int* out) -> UvTask<void> {
    *out = co_await UvSleep(loop, 60 * 1000);
  }(loop(), &status);
  task.Track(&list);
  task.Start();
  EXPECT_EQ(list.CancelAll(), 1u);
  uv_run(loop(), UV_RUN_DEFAULT);
  EXPECT_EQ(status, UV_ECANCELED);
  EXPECT_LT(uv_hrtime() - start, uint64_t{10} * 1000 * 1000 * 1000);
}

UvTask<int> StatDepth(uv_loop_t* loop, std::string path, int depth) {
  if (depth == 0)
    co_return (co_await UvFsStat(loop, uv_fs_stat, path)).err;
  co_return co_await StatDepth(loop, path, depth - 1);
}

TEST_F(CoroCancelTest, CancelReachesTheOperationOfANestedHelper) {
  PoolBlocker blocker(loop());
  ASSERT_TRUE(blocker.all_running());
  TaskList list;
  int result = 1;
  auto task = StatDepth(loop(), dir(), 3);
  task.Track(&list);
  task.Start([&result](int err) { result = err; });
  EXPECT_EQ(list.CancelAll(), 1u);
  blocker.Release();
  uv_run(loop(), UV_RUN_DEFAULT);
  EXPECT_EQ(result, UV_ECANCELED);
}

TEST_F(CoroCancelTest, CancelAllOverManyTasksLeavesNothingBehind) {
  WriteFile(Path("file"), "x");
  const int fds_before = CountOpenFds();
  PoolBlocker blocker(loop());
  ASSERT_TRUE(blocker.all_running());

  TaskList list;
  constexpr int kTasks = 300;
  int cancelled = 0;
  int finished = 0;
  for (int i = 0; i < kTasks; i++) {
    auto task = [](uv_loop_t* loop, std::string path, int i) -> UvTask<int> {
      switch (i % 3) {
        case 0:
          co_return (co_await UvFsOpen(loop, path, O_RDONLY, 0)).err;
        case 1:
          co_return (co_await UvWork(loop, [] { return 1; })).err;
        default:
          co_return co_await UvSleep(loop, 60 * 1000);
      }
    }(loop(), Path("file"), i);
    task.Track(&list);
    task.Start([&cancelled, &finished](int err) {
      finished++;
      if (err == UV_ECANCELED)
        cancelled++;
    });
  }
  EXPECT_EQ(list.size(), static_cast<size_t>(kTasks));
  EXPECT_EQ(list.CancelAll(), static_cast<size_t>(kTasks));
  blocker.Release();
  uv_run(loop(), UV_RUN_DEFAULT);
  EXPECT_EQ(finished, kTasks);
  EXPECT_EQ(cancelled, kTasks);
  EXPECT_TRUE(list.empty());
  EXPECT_EQ(CountOpenFds(), fds_before);
}

}  // namespace
}  // namespace test
}  // namespace coro
}  // namespace node
