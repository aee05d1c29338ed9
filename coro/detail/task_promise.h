// The result-type-dependent half of the layer's promise types, and the
// owning handle shared by the task types. UvTask (coro/uv_task.h) is built
// from these, and so will be the tracked task type of the Node integration:
// a promise class deriving from TaskPromiseBase<T> that installs TaskHooks,
// plus a task class deriving from TaskOwner<ThatPromise>.

#ifndef SRC_CORO_DETAIL_TASK_PROMISE_H_
#define SRC_CORO_DETAIL_TASK_PROMISE_H_

#include <coroutine>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

#include "coro/cancel_token.h"
#include "coro/coro_check.h"
#include "coro/detail/inline_callback.h"
#include "coro/detail/leaf_awaiter.h"
#include "coro/detail/promise_core.h"
#include "coro/task_list.h"

namespace node {
namespace coro {
namespace detail {

// The result slot: return_value()/return_void(), and handing the result to
// an awaiting parent or to a completion callback.
template <typename T>
class TaskResult {
 public:
  static_assert(!std::is_reference_v<T>,
                "tasks return objects; return a pointer instead of a reference");
  using Completion = InlineCallback<void(T&&)>;

  TaskResult() noexcept {}
  TaskResult(const TaskResult&) = delete;
  TaskResult& operator=(const TaskResult&) = delete;
  ~TaskResult() {
    if (has_value_)
      value_.~T();
  }

  // The default template argument lets `co_return {a, b};` work.
  template <typename U = T>
    requires std::is_constructible_v<T, U&&>
  void return_value(U&& value) {
    CHECK(!has_value_);
    ::new (static_cast<void*>(std::addressof(value_)))
        T(std::forward<U>(value));
    has_value_ = true;
  }

  T TakeResult() {
    CHECK(has_value_);
    return std::move(value_);
  }

 protected:
  void Deliver(Completion* completion) {
    CHECK(has_value_);
    if (!completion->empty())
      (*completion)(std::move(value_));
  }

 private:
  union {
    T value_;
  };
  bool has_value_ = false;
};

template <>
class TaskResult<void> {
 public:
  using Completion = InlineCallback<void()>;

  void return_void() noexcept {}
  void TakeResult() noexcept {}

 protected:
  void Deliver(Completion* completion) {
    if (!completion->empty())
      (*completion)();
  }
};

// Final suspension: a started (detached) task delivers its result to its
// completion callback, tells its hooks, and destroys its own frame; an
// awaited one transfers control to the awaiting coroutine (symmetric
// transfer: a tail call in optimized builds, so chains do not grow the
// stack).
struct FinalAwaiter {
  bool await_ready() const noexcept { return false; }

  template <typename Promise>
  std::coroutine_handle<> await_suspend(
      std::coroutine_handle<Promise> handle) noexcept {
    Promise& promise = handle.promise();
    if (promise.detached()) {
      promise.Finish();
      handle.destroy();
      return std::noop_coroutine();
    }
    return promise.continuation();
  }

  void await_resume() const noexcept {}
};

// A task type of the layer (built on TaskOwner), awaitable as a child.
template <typename A>
concept AwaitableTask = requires { typename A::task_owner_tag; };

template <typename T>
class TaskPromiseBase : public PromiseCore, public TaskResult<T> {
 public:
  // Lazy: nothing runs until the task is awaited or started.
  std::suspend_always initial_suspend() const noexcept { return {}; }
  FinalAwaiter final_suspend() const noexcept { return {}; }

  // Node is built with -fno-exceptions; nothing can be thrown.
  void unhandled_exception() const noexcept {
    UNREACHABLE("exception escaped a coroutine");
  }

  // The customization point for awaits: leaf operations are wrapped in a
  // LeafAwaiter (segment hooks and cancellation); everything else, other
  // tasks included, passes through unchanged.
  template <typename A>
  decltype(auto) await_transform(A&& awaitable) noexcept {
    using Bare = std::remove_cvref_t<A>;
    static_assert(LeafAwaitable<Bare> || AwaitableTask<Bare> ||
                      InlineAwaitable<Bare>,
                  "a task awaits leaf operations (leaf_operation_tag), other "
                  "tasks, or awaitables that never suspend "
                  "(inline_awaitable_tag); see detail/leaf_awaiter.h");
    if constexpr (LeafAwaitable<Bare>) {
      return LeafAwaiter<std::remove_reference_t<A>>(
          std::addressof(awaitable), root());
    } else {
      return std::forward<A>(awaitable);
    }
  }

  template <typename F>
  void set_completion(F&& on_done) {
    completion_.Emplace(std::forward<F>(on_done));
  }

  // Called by FinalAwaiter on a detached task, just before its frame goes.
  void Finish() {
    this->Deliver(&completion_);
    if (const TaskHooks* task_hooks = hooks())
      task_hooks->finished(this);
  }

 private:
  typename TaskResult<T>::Completion completion_;
};

// Owns a coroutine of promise type `Promise` until it is started or
// destroyed. Move-only.
template <typename Promise>
class TaskOwner {
 public:
  using handle_type = std::coroutine_handle<Promise>;
  using task_owner_tag = void;

  // Awaiting a task starts it and suspends the awaiting coroutine until the
  // task completes; both transfers are symmetric.
  class Awaiter {
   public:
    explicit Awaiter(handle_type child) noexcept : child_(child) {}

    bool await_ready() const noexcept { return false; }

    template <typename Parent>
    std::coroutine_handle<> await_suspend(
        std::coroutine_handle<Parent> parent) noexcept {
      PromiseCore* root = &child_.promise();
      if constexpr (std::is_base_of_v<PromiseCore, Parent>)
        root = parent.promise().root();
      child_.promise().MarkAwaited(parent, root);
      return child_;
    }

    decltype(auto) await_resume() { return child_.promise().TakeResult(); }

   private:
    handle_type child_;
  };

  TaskOwner() noexcept = default;
  explicit TaskOwner(handle_type handle) noexcept : handle_(handle) {}
  TaskOwner(TaskOwner&& other) noexcept
      : handle_(std::exchange(other.handle_, nullptr)) {}
  TaskOwner& operator=(TaskOwner&& other) noexcept {
    if (this != &other) {
      Reset();
      handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
  }
  TaskOwner(const TaskOwner&) = delete;
  TaskOwner& operator=(const TaskOwner&) = delete;
  ~TaskOwner() { Reset(); }

  // Whether this object holds a coroutine (false once moved from, started
  // or awaited-and-destroyed).
  bool valid() const noexcept { return handle_ != nullptr; }

  // Adds the task to `list` (for TaskList::CancelAll()); call before
  // Start(). The task leaves the list when its frame is destroyed.
  void Track(TaskList* list) {
    CHECK(valid());
    CHECK_NOT_NULL(list);
    handle_.promise().LinkInto(&list->head_);
  }

  // The promise, for a task type that sets up per-task state (its hook
  // data, say) between creating the task and starting it.
  Promise& promise() {
    CHECK(valid());
    return handle_.promise();
  }

  // Lets `token` cancel the task once it runs (see coro/cancel_token.h);
  // call before Start().
  void BindCancelToken(CancelToken* token) {
    CHECK(valid());
    handle_.promise().BindCancelToken(token);
  }

  // Fire and forget: runs the task now, synchronously, until its first real
  // suspension; from then on the task owns itself and its frame is destroyed
  // when it completes. The result is discarded.
  void Start() { Launch(); }

  // Same, and `on_done` receives the result (as T&&, or nothing for void)
  // when the task completes, just before the frame is destroyed. Stored
  // inline in the frame: captures are limited to kInlineCallbackSize bytes.
  template <typename F>
  void Start(F&& on_done) {
    CHECK(valid());
    handle_.promise().set_completion(std::forward<F>(on_done));
    Launch();
  }

  Awaiter operator co_await() & noexcept {
    CHECK(valid());
    return Awaiter(handle_);
  }
  Awaiter operator co_await() && noexcept {
    CHECK(valid());
    return Awaiter(handle_);
  }

 private:
  void Launch() {
    CHECK(valid());
    handle_type handle = std::exchange(handle_, nullptr);
    Promise& promise = handle.promise();
    promise.MarkDetached();
    if (const TaskHooks* hooks = promise.hooks())
      hooks->segment_begin(&promise, SegmentStart::kStart);
    handle.resume();
  }

  void Reset() {
    if (handle_ == nullptr)
      return;
    // An owner may only destroy a task that never ran or that finished; a
    // suspended one still has a libuv operation pointing into its frame.
    CHECK(!handle_.promise().started() || handle_.done());
    handle_.destroy();
    handle_ = nullptr;
  }

  handle_type handle_;
};

}  // namespace detail
}  // namespace coro
}  // namespace node

#endif  // SRC_CORO_DETAIL_TASK_PROMISE_H_
