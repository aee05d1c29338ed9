// UvTask semantics: laziness, Start(), composition and value chaining,
// completion callbacks, lifetimes, concurrency, segment hooks, TaskList.

#include <memory>
#include <string>
#include <vector>

#include "coro_test_helpers.h"

namespace node {
namespace coro {
namespace test {
namespace {

using CoroTaskTest = CoroTest;

UvTask<int> Add(int a, int b) {
  co_return a + b;
}

UvTask<int> AddLater(uv_loop_t* loop, int a, int b) {
  EXPECT_EQ(co_await UvSleep(loop, 0), 0);
  co_return a + b;
}

UvTask<std::string> Describe(uv_loop_t* loop, int value) {
  const int doubled = co_await AddLater(loop, value, value);
  co_return "value=" + std::to_string(doubled);
}

TEST_F(CoroTaskTest, IsLazyAndFreesAnUnstartedFrame) {
  const int64_t live_before = GetFrameAllocatorStats().live_frames;
  bool ran = false;
  {
    auto task = [](bool* ran) -> UvTask<void> {
      *ran = true;
      co_return;
    }(&ran);
    EXPECT_TRUE(task.valid());
    EXPECT_EQ(GetFrameAllocatorStats().live_frames, live_before + 1);
  }
  EXPECT_FALSE(ran);
  EXPECT_EQ(GetFrameAllocatorStats().live_frames, live_before);
}

TEST_F(CoroTaskTest, StartRunsSynchronouslyUntilTheFirstSuspension) {
  int step = 0;
  auto task = [](uv_loop_t* loop, int* step) -> UvTask<void> {
    *step = 1;
    co_await UvSleep(loop, 0);
    *step = 2;
  }(loop(), &step);
  EXPECT_EQ(step, 0);
  task.Start();
  EXPECT_FALSE(task.valid());
  EXPECT_EQ(step, 1);
  uv_run(loop(), UV_RUN_DEFAULT);
  EXPECT_EQ(step, 2);
}

TEST_F(CoroTaskTest, TaskWithoutSuspensionCompletesInsideStart) {
  const int64_t live_before = GetFrameAllocatorStats().live_frames;
  int result = 0;
  Add(2, 3).Start([&result](int value) { result = value; });
  EXPECT_EQ(result, 5);
  EXPECT_EQ(GetFrameAllocatorStats().live_frames, live_before);
}

TEST_F(CoroTaskTest, ValuesChainThroughAwaits) {
  auto outer = [](uv_loop_t* loop) -> UvTask<std::string> {
    const int sum = co_await Add(1, 2);
    const int later = co_await AddLater(loop, sum, 10);
    std::string text = co_await Describe(loop, later);
    co_return text + "!";
  };
  EXPECT_EQ(Run(outer(loop())), "value=26!");
}

TEST_F(CoroTaskTest, MoveOnlyResults) {
  auto make = [](uv_loop_t* loop, int value) -> UvTask<std::unique_ptr<int>> {
    co_await UvSleep(loop, 0);
    co_return std::make_unique<int>(value);
  };
  auto outer = [&make](uv_loop_t* loop) -> UvTask<int> {
    std::unique_ptr<int> a = co_await make(loop, 20);
    std::unique_ptr<int> b = co_await make(loop, 22);
    co_return *a + *b;
  };
  EXPECT_EQ(Run(outer(loop())), 42);
}

TEST_F(CoroTaskTest, VoidTasksCompose) {
  auto bump = [](uv_loop_t* loop, int* counter) -> UvTask<void> {
    co_await UvSleep(loop, 0);
    ++*counter;
  };
  auto outer = [&bump](uv_loop_t* loop, int* counter) -> UvTask<void> {
    for (int i = 0; i < 5; i++)
      co_await bump(loop, counter);
  };
  int counter = 0;
  Run(outer(loop(), &counter));
  EXPECT_EQ(counter, 5);
}

TEST_F(CoroTaskTest, AwaitsATaskHeldInAVariable) {
  auto outer = [](uv_loop_t* loop) -> UvTask<int> {
    UvTask<int> first = AddLater(loop, 1, 1);
    UvTask<int> second = Add(3, 4);
    const int b = co_await second;
    const int a = co_await std::move(first);
    co_return a * 10 + b;
  };
  EXPECT_EQ(Run(outer(loop())), 27);
}

TEST_F(CoroTaskTest, MoveTransfersOwnership) {
  const int64_t live_before = GetFrameAllocatorStats().live_frames;
  UvTask<int> a = Add(1, 1);
  UvTask<int> b = std::move(a);
  EXPECT_FALSE(a.valid());  // NOLINT(bugprone-use-after-move)
  EXPECT_TRUE(b.valid());
  UvTask<int> c = Add(2, 2);
  EXPECT_EQ(GetFrameAllocatorStats().live_frames, live_before + 2);
  c = std::move(b);  // Destroys c's own, unstarted frame.
  EXPECT_EQ(GetFrameAllocatorStats().live_frames, live_before + 1);
  int result = 0;
  c.Start([&result](int value) { result = value; });
  EXPECT_EQ(result, 2);
  EXPECT_EQ(GetFrameAllocatorStats().live_frames, live_before);
}

TEST_F(CoroTaskTest, CompletionCallbackRunsOnceWithTheResult) {
  int calls = 0;
  std::string seen;
  Describe(loop(), 4).Start([&calls, &seen](std::string&& text) {
    calls++;
    seen = std::move(text);
  });
  EXPECT_EQ(calls, 0);
  uv_run(loop(), UV_RUN_DEFAULT);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(seen, "value=8");

  int void_calls = 0;
  [](uv_loop_t* loop) -> UvTask<void> {
    co_await UvSleep(loop, 0);
  }(loop()).Start([&void_calls]() { void_calls++; });
  uv_run(loop(), UV_RUN_DEFAULT);
  EXPECT_EQ(void_calls, 1);
}

// GCC 12 destroys a temporary twice when a co_await sits inside an
// aggregate's brace initializer; UvResult has a constructor so that this
// common shape is safe (the ASan build would report a double free).
TEST_F(CoroTaskTest, CoAwaitInsideAUvResultInitializer) {
  auto task = [](uv_loop_t* loop) -> UvTask<UvResult<std::string>> {
    std::string text(100, 'x');
    UvResult<std::string> local{co_await AddLater(loop, 1, 2), std::move(text)};
    EXPECT_EQ(local.value.size(), 100u);
    co_return {co_await Add(local.err, 4), std::string(200, 'y')};
  };
  UvResult<std::string> result = Run(task(loop()));
  EXPECT_EQ(result.err, 7);
  EXPECT_EQ(result.value, std::string(200, 'y'));
}

UvTask<Counted> MakeCounted(uv_loop_t* loop, Counted param) {
  Counted local(param.value() + 1);
  EXPECT_EQ(co_await UvSleep(loop, 0), 0);
  co_return local;
}

UvTask<int> SumCounted(uv_loop_t* loop, Counted param) {
  Counted first = co_await MakeCounted(loop, param);
  Counted second = co_await MakeCounted(loop, Counted(100));
  co_return first.value() + second.value();
}

TEST_F(CoroTaskTest, EveryFrameHeldObjectIsDestroyedExactlyOnce) {
  const uint64_t constructed_before = Counted::constructed();
  const uint64_t destroyed_before = Counted::destroyed();

  // Parameters, locals across suspensions, results moving up a chain.
  EXPECT_EQ(Run(SumCounted(loop(), Counted(1))), 2 + 101);

  // A task destroyed before it ever ran destroys its parameters.
  {
    UvTask<Counted> never_started = MakeCounted(loop(), Counted(5));
    EXPECT_GE(Counted::live(), 1u);
  }

  // A detached task whose result nobody takes, and a completion callback
  // that owns a Counted by capture.
  MakeCounted(loop(), Counted(7)).Start();
  int seen = 0;
  MakeCounted(loop(), Counted(8))
      .Start([keep = Counted(9), &seen](Counted&& result) {
        seen = result.value() + keep.value();
      });
  EXPECT_GE(Counted::live(), 4u);
  uv_run(loop(), UV_RUN_DEFAULT);
  EXPECT_EQ(seen, 18);

  EXPECT_EQ(Counted::live(), 0u);
  EXPECT_GT(Counted::constructed(), constructed_before);
  EXPECT_EQ(Counted::constructed() - constructed_before,
            Counted::destroyed() - destroyed_before);
}

TEST_F(CoroTaskTest, TenThousandConcurrentTasksOnOneLoop) {
  constexpr int kTasks = 10000;
  const int64_t live_before = GetFrameAllocatorStats().live_frames;
  auto task = [](uv_loop_t* loop, std::string path, int i) -> UvTask<int> {
    if (co_await UvSleep(loop, i % 3) != 0)
      co_return -1;
    auto [err, stat] = co_await UvFsStat(loop, uv_fs_stat, path);
    if (err != 0 || (stat.st_mode & S_IFMT) != S_IFDIR)
      co_return -1;
    co_return i;
  };
  int completed = 0;
  int64_t sum = 0;
  for (int i = 0; i < kTasks; i++) {
    task(loop(), dir(), i).Start([&completed, &sum](int value) {
      completed++;
      sum += value;
    });
  }
  // All of them are suspended at the same time.
  EXPECT_EQ(GetFrameAllocatorStats().live_frames, live_before + kTasks);
  EXPECT_EQ(completed, 0);
  uv_run(loop(), UV_RUN_DEFAULT);
  EXPECT_EQ(completed, kTasks);
  EXPECT_EQ(sum, int64_t{kTasks} * (kTasks - 1) / 2);
  EXPECT_EQ(GetFrameAllocatorStats().live_frames, live_before);
}

// A task type built from the layer's detail pieces, the way the Node
// integration's tracked task will be: its promise installs TaskHooks.
std::string* hook_log = nullptr;
detail::PromiseCore* hook_root = nullptr;

template <typename T>
class RecordingTask;

template <typename T>
class RecordingPromise final : public detail::TaskPromiseBase<T> {
 public:
  RecordingPromise() { this->set_hooks(&kHooks); }
  RecordingTask<T> get_return_object() noexcept;

 private:
  static void Note(detail::PromiseCore* root, char event) {
    EXPECT_EQ(root, hook_root);
    *hook_log += event;
  }
  static void Begin(detail::PromiseCore* root, detail::SegmentStart why) {
    Note(root, why == detail::SegmentStart::kStart ? 's' : 'b');
  }
  static void End(detail::PromiseCore* root) { Note(root, 'e'); }
  static void Finished(detail::PromiseCore* root) { Note(root, 'f'); }

  static constexpr detail::TaskHooks kHooks{&Begin, &End, &Finished};
};

template <typename T>
class [[nodiscard]] RecordingTask
    : public detail::TaskOwner<RecordingPromise<T>> {
 public:
  using promise_type = RecordingPromise<T>;
  using detail::TaskOwner<promise_type>::TaskOwner;
};

template <typename T>
RecordingTask<T> RecordingPromise<T>::get_return_object() noexcept {
  hook_root = this;
  return RecordingTask<T>(
      std::coroutine_handle<RecordingPromise>::from_promise(*this));
}

UvTask<int> HelperWithOperations(uv_loop_t* loop, std::string path) {
  auto [err, stat] = co_await UvFsStat(loop, uv_fs_stat, path);
  EXPECT_EQ(err, 0);
  // A dispatch error: ends a segment and begins the next without
  // suspending.
  char byte;
  uv_buf_t buf = uv_buf_init(&byte, 1);
  EXPECT_EQ(co_await UvFs(loop, uv_fs_read, 0, &buf, 0u, int64_t{-1}),
            UV_EINVAL);
  co_return co_await Add(1, 1);  // Not a leaf: no hooks.
}

TEST_F(CoroTaskTest, HooksSeeEverySegmentOfTheRootIncludingHelpers) {
  std::string log;
  hook_log = &log;
  auto root = [](uv_loop_t* loop, std::string path) -> RecordingTask<int> {
    co_await UvSleep(loop, 0);
    co_return co_await HelperWithOperations(loop, path);
  };
  int result = 0;
  root(loop(), dir()).Start([&result, &log](int value) {
    result = value;
    log += 'c';
  });
  EXPECT_EQ(log, "se");  // Started, then suspended on the timer.
  uv_run(loop(), UV_RUN_DEFAULT);
  EXPECT_EQ(result, 2);
  // Resumed by the timer, suspended on the stat, resumed by it; the
  // dispatch error never left the thread (no segment change); then the
  // completion callback and finish.
  EXPECT_EQ(log, "se" "be" "b" "cf");
  hook_log = nullptr;
  hook_root = nullptr;
}

TEST_F(CoroTaskTest, TaskListHoldsTrackedTasksUntilTheirFramesGo) {
  TaskList list;
  auto sleeper = [](uv_loop_t* loop) -> UvTask<void> {
    co_await UvSleep(loop, 1);
  };
  auto a = sleeper(loop());
  auto b = sleeper(loop());
  a.Track(&list);
  b.Track(&list);
  EXPECT_EQ(list.size(), 2u);
  {
    auto never_started = sleeper(loop());
    never_started.Track(&list);
    EXPECT_EQ(list.size(), 3u);
  }
  EXPECT_EQ(list.size(), 2u);
  a.Start();
  b.Start();
  EXPECT_EQ(list.size(), 2u);
  uv_run(loop(), UV_RUN_DEFAULT);
  EXPECT_TRUE(list.empty());
}

}  // namespace
}  // namespace test
}  // namespace coro
}  // namespace node
