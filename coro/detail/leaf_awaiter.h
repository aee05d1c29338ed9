// LeafAwaiter: what a task's await_transform turns a leaf awaitable into.
//
// A leaf awaitable is one that suspends on something outside the task
// machinery (a libuv request or handle). It says so by exposing
// `uv_req_t* cancelable_req()` (a request uv_cancel() can stop) or
// `int Cancel()` (its own way to stop; preferred when both exist). Awaiting
// another task is not a leaf: the child runs inside its parent's segment.
//
// Around the inner awaitable the wrapper
//   - ends the root's segment before dispatch (TaskHooks::segment_end) and
//     begins a new one on resumption (segment_begin),
//   - records the operation on the root so that Cancel() can reach it.
// It stores only pointers: the inner awaitable is the temporary (or the
// lvalue) of the co_await expression and lives until its end.

#ifndef SRC_CORO_DETAIL_LEAF_AWAITER_H_
#define SRC_CORO_DETAIL_LEAF_AWAITER_H_

#include <uv.h>

#include <concepts>
#include <coroutine>

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
concept LeafAwaitable = HasCancelableReq<A> || HasCancel<A>;

template <typename A>
class LeafAwaiter {
 public:
  LeafAwaiter(A* inner, PromiseCore* root) noexcept
      : inner_(inner), root_(root) {}

  bool await_ready() { return inner_->await_ready(); }

  template <typename Promise>
  decltype(auto) await_suspend(std::coroutine_handle<Promise> handle) {
    suspended_ = true;
    if (const TaskHooks* hooks = root_->hooks())
      hooks->segment_end(root_);
    root_->SetPendingOperation(CancelHook{inner_, &CancelThunk});
    // Nothing may be touched after this call: once the operation is
    // dispatched the coroutine can be resumed (and finish) at any time.
    return inner_->await_suspend(handle);
  }

  decltype(auto) await_resume() {
    // An inner awaitable that was ready did not suspend: no segment ended.
    if (suspended_) {
      root_->ClearPendingOperation();
      if (const TaskHooks* hooks = root_->hooks())
        hooks->segment_begin(root_);
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
}  // namespace coro
}  // namespace node

#endif  // SRC_CORO_DETAIL_LEAF_AWAITER_H_
