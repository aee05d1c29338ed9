// Cancellation. uv_cancel() stops only thread-pool requests still queued: a
// queued request resumes its coroutine with UV_ECANCELED; one already
// running completes with its real result, which the coroutine sees. The
// thread pool is filled with blocked work first (PoolBlocker), so that
// "queued" and "running" are certain rather than likely. No frame, request,
// handle or fd may be left behind (the fixture checks frames and the loop;
// these tests count fds).
//
// `make test-coro` runs this suite a second time with UV_USE_IO_URING=1. Then
// libuv sends most fs requests (open, close, stat, read, write, ...) through
// io_uring instead of the pool: they cannot be cancelled (UV_EBUSY) and they
// complete with their real result even while the pool is blocked. The tests
// say what each mode must give (FsUsesIoUring), and the sticky cancellation
// still ends every task without waiting on anything.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

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
  const bool io_uring = FsUsesIoUring(loop());
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
  // Queued in the pool: uv_cancel() said 0. Through io_uring: UV_EBUSY.
  EXPECT_EQ(list.CancelAll(), io_uring ? 0u : 1u);
  // Asked again: nothing cancelable is pending any more.
  EXPECT_EQ(list.CancelAll(), 0u);

  blocker.Release();
  uv_run(loop(), UV_RUN_DEFAULT);
  // io_uring opened the file: the task got it, and dropping it closed it.
  EXPECT_EQ(seen, io_uring ? 0 : UV_ECANCELED);
  EXPECT_EQ(file_open, io_uring);
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
  const bool io_uring = FsUsesIoUring(loop());
  PoolBlocker blocker(loop());
  ASSERT_TRUE(blocker.all_running());
  TaskList list;
  int result = 1;
  auto task = StatDepth(loop(), dir(), 3);
  task.Track(&list);
  task.Start([&result](int err) { result = err; });
  EXPECT_EQ(list.CancelAll(), io_uring ? 0u : 1u);
  blocker.Release();
  uv_run(loop(), UV_RUN_DEFAULT);
  EXPECT_EQ(result, io_uring ? 0 : UV_ECANCELED);
}

TEST_F(CoroCancelTest, CancelAllOverManyTasksLeavesNothingBehind) {
  WriteFile(Path("file"), "x");
  const bool io_uring = FsUsesIoUring(loop());
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
  const size_t stopped = list.CancelAll();
  blocker.Release();
  uv_run(loop(), UV_RUN_DEFAULT);
  EXPECT_EQ(finished, kTasks);
  // Every cancel that uv_cancel() accepted shows as UV_ECANCELED, and
  // nothing else does.
  EXPECT_EQ(cancelled, static_cast<int>(stopped));
  if (io_uring) {
    // The opens that went through io_uring (one task in three, less those
    // that found the 64-entry ring full and fell back to the pool) cannot
    // be stopped: they completed with a real fd, closed when dropped.
    EXPECT_GE(cancelled, kTasks - kTasks / 3);
    EXPECT_LT(cancelled, kTasks);
  } else {
    EXPECT_EQ(cancelled, kTasks);
  }
  EXPECT_TRUE(list.empty());
  EXPECT_EQ(CountOpenFds(), fds_before);
}

// The close of a file is not cancellable: a CancelAll() that lands while
// the close is queued must not stop it, or the fd (whose ownership the close
// took over) would leak.
TEST_F(CoroCancelTest, AQueuedCloseIsNotCancelledAndTheFdIsClosed) {
  WriteFile(Path("file"), "x");
  const bool io_uring = FsUsesIoUring(loop());
  const int fds_before = CountOpenFds();
  TaskList list;
  uv_file fd = -1;
  int close_result = 1;
  bool close_dispatched = false;
  auto task = [](uv_loop_t* loop, std::string path, uv_file* fd_out,
                 bool* dispatched, int* out) -> UvTask<void> {
    auto [err, file] = co_await UvFsOpen(loop, path, O_RDONLY, 0);
    EXPECT_EQ(err, 0);
    *fd_out = file.fd();
    co_await UvSleep(loop, 1);  // Lets the test fill the pool first.
    *dispatched = true;
    *out = static_cast<int>(co_await file.Close(loop));
  }(loop(), Path("file"), &fd, &close_dispatched, &close_result);
  task.Track(&list);
  task.Start();
  while (fd < 0)
    uv_run(loop(), UV_RUN_ONCE);

  PoolBlocker blocker(loop());
  ASSERT_TRUE(blocker.all_running());
  while (!close_dispatched)
    uv_run(loop(), UV_RUN_ONCE);
  // Queued behind the blockers (through io_uring the kernel may already
  // have closed it).
  if (!io_uring) {
    EXPECT_TRUE(IsOpenFd(fd));
  }
  EXPECT_EQ(list.CancelAll(), 0u);  // Nothing cancellable is pending.

  blocker.Release();
  uv_run(loop(), UV_RUN_DEFAULT);
  EXPECT_EQ(close_result, 0);
  EXPECT_FALSE(IsOpenFd(fd));
  EXPECT_EQ(CountOpenFds(), fds_before);
}

// Cancellation is sticky: a task that goes on after a cancellation (a
// retry, a sleep, more work) must not wait on anything, or it would stall
// Node's teardown, which runs the loop until every task is done. Every later
// cancellable operation completes at once with UV_ECANCELED, undispatched.
TEST_F(CoroCancelTest, EveryOperationAfterACancelCompletesAtOnce) {
  WriteFile(Path("file"), "x");
  TaskList list;
  bool work_ran = false;
  std::vector<int> results;
  const uint64_t start = uv_hrtime();
  auto task = [](uv_loop_t* loop, std::string path, bool* work_ran,
                 std::vector<int>* out) -> UvTask<void> {
    out->push_back(co_await UvSleep(loop, 60 * 1000));
    // A retry loop that would spin forever on a non-sticky cancel.
    for (int i = 0; i < 3; i++)
      out->push_back((co_await UvFsStat(loop, uv_fs_stat, path)).err);
    out->push_back((co_await UvWork(loop, [work_ran] {
                     *work_ran = true;
                     return 1;
                   })).err);
    out->push_back(co_await UvSleep(loop, 60 * 1000));
    struct addrinfo hints = {};
    hints.ai_flags = AI_NUMERICHOST;
    out->push_back(
        (co_await UvGetAddrInfo(loop, "127.0.0.1", nullptr, &hints)).err);
    // An open still yields its result type: an empty, closed UvFile.
    auto [err, file] = co_await UvFsOpen(loop, path, O_RDONLY, 0);
    out->push_back(err);
    EXPECT_FALSE(file.is_open());
    out->push_back(co_await CancellationRequested() ? 1 : 0);
  }(loop(), Path("file"), &work_ran, &results);
  task.Track(&list);
  task.Start();
  EXPECT_EQ(list.CancelAll(), 1u);  // The first sleep.
  uv_run(loop(), UV_RUN_DEFAULT);
  EXPECT_TRUE(list.empty());
  EXPECT_FALSE(work_ran);
  const std::vector<int> expected = {UV_ECANCELED, UV_ECANCELED, UV_ECANCELED,
                                     UV_ECANCELED, UV_ECANCELED, UV_ECANCELED,
                                     UV_ECANCELED, UV_ECANCELED, 1};
  EXPECT_EQ(results, expected);
  EXPECT_LT(uv_hrtime() - start, uint64_t{10} * 1000 * 1000 * 1000);
}

// A cancelled task still closes what it opened: the close is not skipped
// by the sticky cancellation.
TEST_F(CoroCancelTest, ACancelledTaskStillClosesItsFile) {
  WriteFile(Path("file"), "x");
  const int fds_before = CountOpenFds();
  TaskList list;
  uv_file fd = -1;
  int close_result = 1;
  auto task = [](uv_loop_t* loop, std::string path, uv_file* fd_out,
                 int* out) -> UvTask<void> {
    auto [err, file] = co_await UvFsOpen(loop, path, O_RDONLY, 0);
    EXPECT_EQ(err, 0);
    *fd_out = file.fd();
    EXPECT_EQ(co_await UvSleep(loop, 60 * 1000), UV_ECANCELED);
    *out = static_cast<int>(co_await file.Close(loop));
  }(loop(), Path("file"), &fd, &close_result);
  task.Track(&list);
  task.Start();
  while (fd < 0)
    uv_run(loop(), UV_RUN_ONCE);
  EXPECT_EQ(list.CancelAll(), 1u);
  uv_run(loop(), UV_RUN_DEFAULT);
  EXPECT_EQ(close_result, 0);  // It ran, rather than yielding UV_ECANCELED.
  EXPECT_FALSE(IsOpenFd(fd));
  EXPECT_EQ(CountOpenFds(), fds_before);
}

// A task type whose segment_end cancels the task, the way JS run by Node's
// callback scope as it closes (an AbortSignal listener in a microtask) can.
// The operation the task suspends on must already be registered then.
bool cancel_in_segment_end = false;

template <typename T>
class CancellingTask;

template <typename T>
class CancellingPromise final : public detail::TaskPromiseBase<T> {
 public:
  CancellingPromise() { this->set_hooks(&kHooks); }
  CancellingTask<T> get_return_object() noexcept;

 private:
  static void Begin(detail::PromiseCore*, detail::SegmentStart) {}
  static void End(detail::PromiseCore* root) {
    if (cancel_in_segment_end)
      cancel_result = root->Cancel();
  }
  static void Finished(detail::PromiseCore*) {}
  static constexpr detail::TaskHooks kHooks{&Begin, &End, &Finished};

 public:
  static inline int cancel_result = 1;
};

template <typename T>
class [[nodiscard]] CancellingTask
    : public detail::TaskOwner<CancellingPromise<T>> {
 public:
  using promise_type = CancellingPromise<T>;
  using detail::TaskOwner<promise_type>::TaskOwner;
};

template <typename T>
CancellingTask<T> CancellingPromise<T>::get_return_object() noexcept {
  return CancellingTask<T>(
      std::coroutine_handle<CancellingPromise>::from_promise(*this));
}

TEST_F(CoroCancelTest, ACancelFromSegmentEndReachesTheDispatchedOperation) {
  bool work_ran = false;
  int result = 1;
  auto task = [](uv_loop_t* loop, bool* ran, int* out) -> CancellingTask<void> {
    *out = (co_await UvWork(loop, [ran] {
             *ran = true;
             return 1;
           })).err;
  }(loop(), &work_ran, &result);
  PoolBlocker blocker(loop());
  ASSERT_TRUE(blocker.all_running());
  cancel_in_segment_end = true;
  task.Start();
  cancel_in_segment_end = false;
  EXPECT_EQ(CancellingPromise<void>::cancel_result, 0);  // It was queued.
  blocker.Release();
  uv_run(loop(), UV_RUN_DEFAULT);
  EXPECT_EQ(result, UV_ECANCELED);
  EXPECT_FALSE(work_ran);
}

// A token cancels a started task for as long as it lives, and nothing after.
TEST_F(CoroCancelTest, ACancelTokenReachesAStartedTaskUntilItEnds) {
  CancelToken token;
  EXPECT_FALSE(token.bound());
  EXPECT_EQ(token.Cancel(), UV_EINVAL);
  int result = 1;
  auto task = [](uv_loop_t* loop, int* out) -> UvTask<void> {
    *out = co_await UvSleep(loop, 60 * 1000);
  }(loop(), &result);
  task.BindCancelToken(&token);
  task.Start();
  EXPECT_TRUE(token.bound());
  EXPECT_EQ(token.Cancel(), 0);
  uv_run(loop(), UV_RUN_DEFAULT);
  EXPECT_EQ(result, UV_ECANCELED);
  EXPECT_FALSE(token.bound());
  EXPECT_EQ(token.Cancel(), UV_EINVAL);

  // A token that goes first leaves the task running, unreachable.
  int second = 1;
  auto other = [](uv_loop_t* loop, int* out) -> UvTask<void> {
    *out = co_await UvSleep(loop, 1);
  }(loop(), &second);
  {
    CancelToken short_lived;
    other.BindCancelToken(&short_lived);
    other.Start();
  }
  uv_run(loop(), UV_RUN_DEFAULT);
  EXPECT_EQ(second, 0);
}

// With UV_USE_IO_URING=1 where the kernel has io_uring, an fs request is in
// the kernel's hands: the cancel is refused with UV_EBUSY, the operation
// delivers its real result, and the task still ends at once after it.
TEST_F(CoroCancelTest, IoUringRequestsRefuseCancelAndTheTaskStillEnds) {
  WriteFile(Path("file"), "x");
  const bool io_uring = FsUsesIoUring(loop());
  if (!io_uring) {
    printf("io_uring not available (or UV_USE_IO_URING unset): the pool "
           "path is checked instead\n");
  }
  PoolBlocker blocker(loop());
  ASSERT_TRUE(blocker.all_running());
  CancelToken token;
  std::vector<int> results;
  auto task = [](uv_loop_t* loop, std::string path,
                 std::vector<int>* out) -> UvTask<void> {
    out->push_back((co_await UvFsStat(loop, uv_fs_stat, path)).err);
    out->push_back((co_await UvFsStat(loop, uv_fs_stat, path)).err);
  }(loop(), Path("file"), &results);
  task.BindCancelToken(&token);
  task.Start();
  const int cancel = token.Cancel();
  if (io_uring) {
    EXPECT_EQ(cancel, UV_EBUSY);
    // Completes through the kernel while the pool is still blocked.
    while (results.size() < 2)
      uv_run(loop(), UV_RUN_ONCE);
    EXPECT_EQ(results, (std::vector<int>{0, UV_ECANCELED}));
  } else {
    EXPECT_EQ(cancel, 0);
  }
  blocker.Release();
  uv_run(loop(), UV_RUN_DEFAULT);
  if (!io_uring) {
    EXPECT_EQ(results, (std::vector<int>{UV_ECANCELED, UV_ECANCELED}));
  }
}

// Misuse that would silently lose tracking or cancellation is a CHECK.
using CoroCancelDeathTest = CoroCancelTest;

UvTask<int> Leaf(uv_loop_t* loop) {
  co_return co_await UvSleep(loop, 0);
}

TEST_F(CoroCancelDeathTest, AwaitingATrackedTaskIsACheckFailure) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        TaskList list;
        auto child = Leaf(loop());
        child.Track(&list);
        auto parent = [](UvTask<int> child) -> UvTask<int> {
          co_return co_await child;
        }(std::move(child));
        parent.Start();
      },
      "");
}

TEST_F(CoroCancelDeathTest, AwaitingAHookedTaskIsACheckFailure) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        auto child = [](uv_loop_t* loop) -> CancellingTask<int> {
          co_return co_await UvSleep(loop, 0);
        }(loop());
        auto parent = [](CancellingTask<int> child) -> UvTask<int> {
          co_return co_await child;
        }(std::move(child));
        parent.Start();
      },
      "");
}

TEST_F(CoroCancelDeathTest, AwaitingATokenBoundTaskIsACheckFailure) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        CancelToken token;
        auto child = Leaf(loop());
        child.BindCancelToken(&token);
        auto parent = [](UvTask<int> child) -> UvTask<int> {
          co_return co_await child;
        }(std::move(child));
        parent.Start();
      },
      "");
}

}  // namespace
}  // namespace test
}  // namespace coro
}  // namespace node
