// Shared helpers for the coroutine layer's tests: a fixture with a private
// loop and temp dir, a way to run a task to completion, a lifetime-counted
// type, and a thread-pool blocker for deterministic cancellation tests.
// Compiles standalone and as part of Node's cctest (no main() here).

#ifndef TEST_CORO_CORO_TEST_HELPERS_H_
#define TEST_CORO_CORO_TEST_HELPERS_H_

#include <fcntl.h>
#include <uv.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "coro/coro.h"
#include "gtest/gtest.h"

namespace node {
namespace coro {
namespace test {

// ASSERT_* cannot be used in a coroutine (it expands to `return`). These
// end a UvTask<void> body instead.
#define CO_ASSERT_TRUE(cond)                                                   \
  do {                                                                         \
    EXPECT_TRUE(cond);                                                         \
    if (::testing::Test::HasFailure())                                         \
      co_return;                                                               \
  } while (0)
#define CO_ASSERT_EQ(a, b)                                                     \
  do {                                                                         \
    EXPECT_EQ(a, b);                                                           \
    if (::testing::Test::HasFailure())                                         \
      co_return;                                                               \
  } while (0)
#define CO_ASSERT_GE(a, b)                                                     \
  do {                                                                         \
    EXPECT_GE(a, b);                                                           \
    if (::testing::Test::HasFailure())                                         \
      co_return;                                                               \
  } while (0)

// Starts `task` and runs `loop` until it has completed; returns its result.
// Aborts if the loop runs dry first (the task would never finish).
template <typename T>
T RunTask(uv_loop_t* loop, UvTask<T> task) {
  if constexpr (std::is_void_v<T>) {
    bool done = false;
    task.Start([&done]() { done = true; });
    while (!done)
      CHECK(uv_run(loop, UV_RUN_ONCE) != 0 || done);
  } else {
    std::optional<T> result;
    task.Start([&result](T&& value) { result.emplace(std::move(value)); });
    while (!result.has_value())
      CHECK(uv_run(loop, UV_RUN_ONCE) != 0 || result.has_value());
    return std::move(*result);
  }
}

// The thread pool size libuv uses, computed the way libuv computes it from
// UV_THREADPOOL_SIZE when the pool starts.
inline size_t ThreadPoolSize() {
  const char* value = getenv("UV_THREADPOOL_SIZE");
  unsigned int threads = 4;
  if (value != nullptr)
    threads = static_cast<unsigned int>(atoi(value));
  if (threads == 0)
    threads = 1;
  if (threads > 1024)
    threads = 1024;
  return threads;
}

// Occupies thread-pool threads with work that blocks until Release(), so
// that requests queued after it stay queued (cancelable) deterministically.
// The constructor returns once every blocker is running on its own thread.
// Whether this loop sends fs requests through io_uring rather than the
// thread pool. libuv 1.51 does so only on a loop configured with
// UV_LOOP_USE_IO_URING_SQPOLL (CoroTest does that when UV_USE_IO_URING is
// set; Node's own loops never are) and with UV_USE_IO_URING=1, where the
// kernel allows it. Such a request cannot be cancelled (uv_cancel() says
// UV_EBUSY: libuv leaves its work entry without work or done function) and
// completes even while the pool is full. Probed on a real request: a pool
// request gets its done function at submission, an io_uring one does not.
inline bool FsUsesIoUring(uv_loop_t* loop) {
  uv_fs_t req{};
  CHECK_EQ(uv_fs_stat(loop, &req, ".", [](uv_fs_t*) {}), 0);
  const bool io_uring = req.work_req.done == nullptr;
  uv_run(loop, UV_RUN_DEFAULT);
  uv_fs_req_cleanup(&req);
  return io_uring;
}

class PoolBlocker {
 public:
  explicit PoolBlocker(uv_loop_t* loop, size_t count = ThreadPoolSize())
      : loop_(loop), works_(count) {
    for (Work& work : works_) {
      work.owner = this;
      work.req.data = &work;
      CHECK_EQ(uv_queue_work(loop_, &work.req, &Block, &AfterBlock), 0);
    }
    std::unique_lock<std::mutex> lock(mutex_);
    all_running_ = cond_.wait_for(lock, std::chrono::seconds(30), [this] {
      return running_ == works_.size();
    });
  }

  PoolBlocker(const PoolBlocker&) = delete;
  PoolBlocker& operator=(const PoolBlocker&) = delete;

  ~PoolBlocker() {
    Release();
    while (finished_ < works_.size())
      uv_run(loop_, UV_RUN_ONCE);
  }

  // False if the pool did not run all blockers at once (it is smaller than
  // ThreadPoolSize() says).
  bool all_running() const { return all_running_; }

  void Release() {
    std::lock_guard<std::mutex> lock(mutex_);
    released_ = true;
    cond_.notify_all();
  }

 private:
  struct Work {
    PoolBlocker* owner = nullptr;
    uv_work_t req{};
  };

  static void Block(uv_work_t* req) {
    PoolBlocker* self = static_cast<Work*>(req->data)->owner;
    std::unique_lock<std::mutex> lock(self->mutex_);
    self->running_++;
    self->cond_.notify_all();
    self->cond_.wait(lock, [self] { return self->released_; });
  }

  static void AfterBlock(uv_work_t* req, int status) {
    CHECK_EQ(status, 0);
    static_cast<Work*>(req->data)->owner->finished_++;
  }

  uv_loop_t* loop_;
  std::vector<Work> works_;
  std::mutex mutex_;
  std::condition_variable cond_;
  size_t running_ = 0;
  bool released_ = false;
  bool all_running_ = false;
  size_t finished_ = 0;
};

// A value whose every construction and destruction is recorded, to prove
// that each object a frame holds is destroyed exactly once.
class Counted {
 public:
  explicit Counted(int value = 0) : value_(value) { Register(); }
  Counted(const Counted& other) : value_(other.value_) { Register(); }
  Counted(Counted&& other) noexcept : value_(other.value_) { Register(); }
  Counted& operator=(const Counted& other) {
    CHECK(IsLive(this));
    value_ = other.value_;
    return *this;
  }
  Counted& operator=(Counted&& other) noexcept {
    CHECK(IsLive(this));
    value_ = other.value_;
    return *this;
  }
  ~Counted() {
    // Erasing fails for an object destroyed twice (or never constructed).
    CHECK_EQ(Live().erase(this), 1u);
    destroyed_++;
  }

  int value() const { return value_; }

  static size_t live() { return Live().size(); }
  static uint64_t constructed() { return constructed_; }
  static uint64_t destroyed() { return destroyed_; }
  static bool IsLive(const Counted* counted) {
    return Live().count(counted) == 1;
  }

 private:
  void Register() {
    CHECK(Live().insert(this).second);
    constructed_++;
  }

  static std::set<const Counted*>& Live() {
    static std::set<const Counted*> live;
    return live;
  }

  int value_;
  static inline uint64_t constructed_ = 0;
  static inline uint64_t destroyed_ = 0;
};

// Writes `contents` to `path` synchronously (test set-up).
inline void WriteFile(const std::string& path, const std::string& contents) {
  uv_fs_t req;
  const int fd = uv_fs_open(
      nullptr, &req, path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644,
      nullptr);
  uv_fs_req_cleanup(&req);
  CHECK_GE(fd, 0);
  uv_buf_t buf = uv_buf_init(const_cast<char*>(contents.data()),
                             static_cast<unsigned int>(contents.size()));
  CHECK_EQ(uv_fs_write(nullptr, &req, fd, &buf, 1, 0, nullptr),
           static_cast<int>(contents.size()));
  uv_fs_req_cleanup(&req);
  CHECK_EQ(uv_fs_close(nullptr, &req, fd, nullptr), 0);
  uv_fs_req_cleanup(&req);
}

inline bool Exists(const std::string& path) {
  uv_fs_t req;
  const int err = uv_fs_lstat(nullptr, &req, path.c_str(), nullptr);
  uv_fs_req_cleanup(&req);
  return err == 0;
}

// A loop and a scratch directory per test; checks at the end that the loop
// has nothing left, that no coroutine frame outlived the test and that no
// Counted object leaked.
class CoroTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(uv_loop_init(&loop_), 0);
    // `make test-coro` runs the cancellation tests again with
    // UV_USE_IO_URING=1; libuv then needs the loop to opt in as well.
    const char* io_uring = getenv("UV_USE_IO_URING");
    if (io_uring != nullptr && atoi(io_uring) > 0) {
      ASSERT_EQ(uv_loop_configure(&loop_, UV_LOOP_USE_IO_URING_SQPOLL), 0);
      // The ring (and its fd) is set up by the first fs request: do that
      // now, so that tests counting fds see the same count before and after.
      FsUsesIoUring(&loop_);
    }
    live_frames_at_start_ = GetFrameAllocatorStats().live_frames;
    live_counted_at_start_ = Counted::live();
    std::error_code ec;
    std::string base = std::filesystem::temp_directory_path(ec).string();
    if (ec)
      base = "/tmp";
    std::string tmpl = base + "/node-coro-test-XXXXXX";
    uv_fs_t req;
    ASSERT_EQ(uv_fs_mkdtemp(nullptr, &req, tmpl.c_str(), nullptr), 0);
    dir_ = req.path;
    uv_fs_req_cleanup(&req);
  }

  void TearDown() override {
    uv_run(&loop_, UV_RUN_DEFAULT);
    EXPECT_EQ(uv_loop_close(&loop_), 0) << "handles or requests left";
    EXPECT_EQ(GetFrameAllocatorStats().live_frames, live_frames_at_start_)
        << "coroutine frames leaked";
    EXPECT_EQ(Counted::live(), live_counted_at_start_)
        << "Counted objects leaked";
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    EXPECT_FALSE(ec) << "could not remove " << dir_ << ": " << ec.message();
  }

  uv_loop_t* loop() { return &loop_; }
  const std::string& dir() const { return dir_; }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  template <typename T>
  T Run(UvTask<T> task) {
    return RunTask(&loop_, std::move(task));
  }

 private:
  uv_loop_t loop_;
  std::string dir_;
  int64_t live_frames_at_start_ = 0;
  size_t live_counted_at_start_ = 0;
};

}  // namespace test
}  // namespace coro
}  // namespace node

#endif  // TEST_CORO_CORO_TEST_HELPERS_H_
