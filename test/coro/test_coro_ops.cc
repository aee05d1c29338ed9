// Thread-pool work, getaddrinfo and timers, and the handling of synchronous
// dispatch errors: a libuv call that fails at once resumes the coroutine
// with that error, without suspending, exactly once.

#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <string>
#include <thread>

#include "coro_test_helpers.h"

namespace node {
namespace coro {
namespace test {
namespace {

using CoroOpsTest = CoroTest;

TEST_F(CoroOpsTest, WorkRunsOnThePoolAndYieldsItsValue) {
  const uv_thread_t loop_thread = uv_thread_self();
  Run([&]() -> UvTask<void> {
    std::atomic<bool> on_loop_thread{true};
    UvResult<uint64_t> result = co_await UvWork(loop(), [&] {
      const uv_thread_t self = uv_thread_self();
      on_loop_thread = uv_thread_equal(&self, &loop_thread) != 0;
      uint64_t a = 0, b = 1;
      for (int i = 0; i < 90; i++) {
        const uint64_t next = a + b;
        a = b;
        b = next;
      }
      return a;
    });
    EXPECT_EQ(result.err, 0);
    EXPECT_EQ(result.value, 2880067194370816120u);  // fib(90)
    EXPECT_FALSE(on_loop_thread);

    // Move-only values, and functions returning nothing.
    UvResult<std::unique_ptr<std::string>> text = co_await UvWork(
        loop(), [] { return std::make_unique<std::string>("made on pool"); });
    EXPECT_EQ(text.err, 0);
    CO_ASSERT_TRUE(text.value != nullptr);
    EXPECT_EQ(*text.value, "made on pool");

    int side_effect = 0;
    EXPECT_EQ(co_await UvWork(loop(), [&side_effect] { side_effect = 7; }),
              0);
    EXPECT_EQ(side_effect, 7);
  }());
}

TEST_F(CoroOpsTest, GetAddrInfoResolvesNumericHosts) {
  Run([&]() -> UvTask<void> {
    struct addrinfo hints = {};
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    auto [err, info] =
        co_await UvGetAddrInfo(loop(), "127.0.0.1", "8080", &hints);
    CO_ASSERT_EQ(err, 0);
    CO_ASSERT_TRUE(info.get() != nullptr);
    EXPECT_EQ(info.get()->ai_family, AF_INET);
    const sockaddr_in* addr =
        reinterpret_cast<const sockaddr_in*>(info.get()->ai_addr);
    EXPECT_EQ(ntohs(addr->sin_port), 8080);
    EXPECT_EQ(ntohl(addr->sin_addr.s_addr), 0x7f000001u);
  }());
}

TEST_F(CoroOpsTest, GetAddrInfoReportsResolutionErrors) {
  Run([&]() -> UvTask<void> {
    // No DNS traffic: a numeric-only lookup of a name fails locally.
    struct addrinfo hints = {};
    hints.ai_flags = AI_NUMERICHOST;
    auto [err, info] =
        co_await UvGetAddrInfo(loop(), "not-an-address", nullptr, &hints);
    EXPECT_EQ(err, UV_EAI_NONAME);
    EXPECT_EQ(info.get(), nullptr);
  }());
}

TEST_F(CoroOpsTest, TimerWaitsAtLeastItsTimeout) {
  Run([&]() -> UvTask<void> {
    // Timers run on the loop's clock, which libuv updates once per
    // iteration; that is the clock the guarantee is about.
    const uint64_t start = uv_now(loop());
    EXPECT_EQ(co_await UvSleep(loop(), 20), 0);
    EXPECT_GE(uv_now(loop()) - start, 20u);
    EXPECT_EQ(co_await UvSleep(loop(), 0), 0);
  }());
}

TEST_F(CoroOpsTest, AwaitablesCanBeHeldInAVariable) {
  WriteFile(Path("file"), "abc");
  Run([&]() -> UvTask<void> {
    auto stat = UvFsStat(loop(), uv_fs_stat, Path("file"));
    EXPECT_NE(stat.cancelable_req(), nullptr);
    auto [err, st] = co_await stat;
    EXPECT_EQ(err, 0);
    EXPECT_EQ(st.st_size, 3u);
    auto work = UvWork(loop(), [] { return 3; });
    EXPECT_EQ((co_await work).value, 3);
    auto sleep = UvSleep(loop(), 0);
    EXPECT_EQ(co_await sleep, 0);
    EXPECT_FALSE(co_await CancellationRequested());
  }());
}

// Fake dispatchers with the uv_fs_* signature, to reach the corner cases
// that real libuv calls do not produce on demand.
int FailAtOnce(uv_loop_t*, uv_fs_t*, int error, uv_fs_cb) {
  return error;
}

int CompleteInline(uv_loop_t*, uv_fs_t* req, int result, uv_fs_cb cb) {
  req->result = result;
  cb(req);
  return 0;
}

int CompleteInlineAndFail(uv_loop_t*, uv_fs_t* req, int error, uv_fs_cb cb) {
  req->result = error;
  cb(req);
  return error;
}

TEST_F(CoroOpsTest, DispatchErrorsResumeOnceWithoutSuspending) {
  int completions = 0;
  int step = 0;
  [](uv_loop_t* loop, int* step) -> UvTask<void> {
    EXPECT_EQ(co_await UvFs(loop, &FailAtOnce, UV_ENOMEM), UV_ENOMEM);
    *step = 1;
    EXPECT_EQ(co_await UvFs(loop, &CompleteInline, 42), 42);
    *step = 2;
    EXPECT_EQ(co_await UvFs(loop, &CompleteInlineAndFail, UV_EIO), UV_EIO);
    *step = 3;
  }(loop(), &step).Start([&completions]() { completions++; });
  // Nothing suspended: the task ran to completion inside Start().
  EXPECT_EQ(step, 3);
  EXPECT_EQ(completions, 1);
  uv_run(loop(), UV_RUN_DEFAULT);
  EXPECT_EQ(completions, 1);
}

TEST_F(CoroOpsTest, RealDispatchErrorsLoseNothing) {
  WriteFile(Path("file"), "x");
  Run([&]() -> UvTask<void> {
    // uv_fs_read with no buffers, uv_fs_copyfile with unknown flags,
    // uv_fs_readdir and uv_fs_closedir without a directory, getaddrinfo with
    // neither node nor service: all refused before anything is queued.
    char byte;
    uv_buf_t buf = uv_buf_init(&byte, 1);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_read, uv_file{0}, &buf, 0u,
                            int64_t{0}),
              UV_EINVAL);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_copyfile, Path("file"), Path("c"),
                            0x7fff),
              UV_EINVAL);
    uv_dirent_t entries[1];
    EXPECT_EQ((co_await UvFsReaddir(loop(), nullptr, entries, 1)).err,
              UV_EINVAL);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_closedir, nullptr), UV_EINVAL);
    auto [gai_err, info] =
        co_await UvGetAddrInfo(loop(), nullptr, nullptr, nullptr);
    EXPECT_EQ(gai_err, UV_EINVAL);

    // And the coroutine carries on normally afterwards.
    auto [err, stat] = co_await UvFsStat(loop(), uv_fs_stat, Path("file"));
    EXPECT_EQ(err, 0);
    EXPECT_EQ(stat.st_size, 1u);
  }());
}

}  // namespace
}  // namespace test
}  // namespace coro
}  // namespace node
