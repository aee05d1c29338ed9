// LeafAwaiter: what a task's await_transform turns a leaf awaitable into.
//
// A leaf awaitable suspends on something outside the task machinery (a
// libuv request or handle). Two notions are kept apart:
//
//   - leaf: the awaitable declares the member type `leaf_operation_tag`.
//     Awaiting it ends the root's segment (TaskHooks::segment_end) once it
//     is dispatched and suspended, and begins a new one when it resumes the
//     task (segment_begin with SegmentStart::kResume). Its await_suspend
//     returns bool: false when it completed without suspending (a
//     synchronous dispatch error), and then no segment ends.
//   - cancellable: the leaf also exposes `uv_req_t* cancelable_req()` (a
//     request uv_cancel() can stop) or `int Cancel()` (its own way to stop;
//     preferred when both exist), and `void CompleteCancelled()`, which
//     completes it with UV_ECANCELED without dispatching anything. A
//     cancellable leaf is recorded on the root so that Cancel() reaches it,
//     and once the root was cancelled it is not dispatched at all.
//
// A leaf that is not cancellable (closing a file: see NonCancellable) is
// still a leaf: it ends and begins segments like any other.
//
// Awaiting another task is not a leaf: the child runs inside its parent's
// segment. Awaitables that never suspend to the event loop declare
// `inline_awaitable_tag`; await_transform refuses anything else, so that an
// awaitable which suspends without saying so cannot skip segment_end.
//
// The wrapper stores only pointers: the inner awaitable is the temporary (or
// the lvalue) of the co_await expression and lives until its end.

#ifndef SRC_CORO_DETAIL_LEAF_AWAITER_H_
#define SRC_CORO_DETAIL_LEAF_AWAITER_H_

#include <uv.h>

#include <concepts>
#include <coroutine>
#include <type_traits>
#include <utility>

#include "coro/detail/promise_core.h"

namespace node {
namespace coro {
namespace detail {

template <typename A>
concept HasCancelableReq = requires(A& a) {
  { a.cancelable_req() } -> std::same_as<uv_req_t*>;
};

template <typename A>
concept HasCancel = requires(A& a) {
  { a.Cancel() } -> std::same_as<int>;
};

template <typename A>
concept LeafAwaitable = requires { typename A::leaf_operation_tag; };

template <typename A>
concept CancellableLeaf =
    LeafAwaitable<A> && (HasCancelableReq<A> || HasCancel<A>) &&
    requires(A& a) { a.CompleteCancelled(); };

template <typename A>
concept InlineAwaitable = requires { typename A::inline_awaitable_tag; };

template <typename A>
class LeafAwaiter {
 public:
  static constexpr bool kCancellable = CancellableLeaf<A>;

  LeafAwaiter(A* inner, PromiseCore* root) noexcept
      : inner_(inner), root_(root) {}

  bool await_ready() {
    if constexpr (kCancellable) {
      // Sticky cancellation: once the task was cancelled, a cancellable
      // operation completes at once with UV_ECANCELED, undispatched.
      if (root_->cancel_requested()) {
        inner_->CompleteCancelled();
        return true;
      }
    }
    return inner_->await_ready();
  }

  template <typename Promise>
  bool await_suspend(std::coroutine_handle<Promise> handle) {
    static_assert(
        std::is_same_v<decltype(inner_->await_suspend(handle)), bool>,
        "a leaf operation's await_suspend returns bool");
    if constexpr (kCancellable)
      root_->SetPendingOperation(CancelHook{inner_, &CancelThunk});
    if (!inner_->await_suspend(handle)) {
      // Completed without suspending: the segment goes on.
      if constexpr (kCancellable)
        root_->ClearPendingOperation();
      return false;
    }
    // Dispatched and pending. The operation completes only from the event
    // loop, so the frame (this awaiter included) stays valid until we
    // return; ending the segment only now means a Cancel() from inside
    // segment_end finds the operation registered.
    suspended_ = true;
    if (const TaskHooks* hooks = root_->hooks())
      hooks->segment_end(root_);
    return true;
  }

  decltype(auto) await_resume() {
    if (suspended_) {
      if constexpr (kCancellable)
        root_->ClearPendingOperation();
      if (const TaskHooks* hooks = root_->hooks())
        hooks->segment_begin(root_, SegmentStart::kResume);
    }
    return inner_->await_resume();
  }

 private:
  static int CancelThunk(void* target) {
    A* awaitable = static_cast<A*>(target);
    if constexpr (HasCancel<A>)
      return awaitable->Cancel();
    else
      return uv_cancel(awaitable->cancelable_req());
  }

  A* inner_;
  PromiseCore* root_;
  bool suspended_ = false;
};

}  // namespace detail

// A leaf operation that must run even in a cancelled task: the wrapped
// awaitable is neither cancellable nor skipped by sticky cancellation. For
// operations that release a resource (UvFile::Close, UvDir::Close): a close
// that a cancellation stopped while queued would leak the descriptor.
//
//   auto close = NonCancellable([&] { return UvFs(loop, uv_fs_close, fd); });
//
// Awaitables cannot move, so the wrapper builds the inner one in place from
// `make`, a callable returning it (guaranteed copy elision).
template <typename A>
class [[nodiscard]] NonCancellable {
 public:
  using leaf_operation_tag = void;

  template <typename Make>
  explicit NonCancellable(Make&& make) : inner_(std::forward<Make>(make)()) {}
  NonCancellable(const NonCancellable&) = delete;
  NonCancellable& operator=(const NonCancellable&) = delete;

  bool await_ready() { return inner_.await_ready(); }
  bool await_suspend(std::coroutine_handle<> handle) {
    return inner_.await_suspend(handle);
  }
  decltype(auto) await_resume() { return inner_.await_resume(); }

 private:
  A inner_;
};

template <typename Make>
NonCancellable(Make&&) -> NonCancellable<std::invoke_result_t<Make&>>;

}  // namespace coro
}  // namespace node

#endif  // SRC_CORO_DETAIL_LEAF_AWAITER_H_
