// UvWork: run a function on the libuv thread pool (uv_queue_work) and
// co_await its return value.
//
//   UvResult<uint64_t> r = co_await UvWork(loop, [n] { return Fib(n); });
//   if (r.err == UV_ECANCELED) ...   // Cancelled while still queued.
//
// The function runs on a pool thread: it must not touch loop-thread state.
// Its return type must be default-constructible and move-assignable (the
// value-initialized object is what a cancelled or failed co_await carries).
// A function returning void gives an int status instead of a UvResult.

#ifndef SRC_CORO_UV_WORK_H_
#define SRC_CORO_UV_WORK_H_

#include <uv.h>

#include <coroutine>
#include <type_traits>
#include <utility>

#include "coro/coro_check.h"
#include "coro/detail/operation_state.h"
#include "coro/uv_result.h"

namespace node {
namespace coro {

template <typename F>
class [[nodiscard]] UvWorkAwaitable {
 public:
  using Value = std::invoke_result_t<F&>;
  static constexpr bool kReturnsVoid = std::is_void_v<Value>;
  using Result = std::conditional_t<kReturnsVoid, int, UvResult<Value>>;

  static_assert(kReturnsVoid || (std::is_default_constructible_v<Value> &&
                                 std::is_move_assignable_v<Value>),
                "UvWork functions return a default-constructible, "
                "move-assignable type");

  using leaf_operation_tag = void;

  UvWorkAwaitable(uv_loop_t* loop, F fn) : loop_(loop), fn_(std::move(fn)) {}
  UvWorkAwaitable(const UvWorkAwaitable&) = delete;
  UvWorkAwaitable& operator=(const UvWorkAwaitable&) = delete;

  bool await_ready() const noexcept { return false; }

  bool await_suspend(std::coroutine_handle<> handle) {
    req_.data = this;
    return op_.Suspend(handle, &status_, [this] {
      return uv_queue_work(loop_, &req_, &Work, &AfterWork);
    });
  }

  Result await_resume() {
    CHECK(op_.done());
    if constexpr (kReturnsVoid) {
      return status_;
    } else {
      if (status_ < 0)
        return Result{status_, Value{}};
      return Result{0, std::move(value_)};
    }
  }

  uv_req_t* cancelable_req() { return reinterpret_cast<uv_req_t*>(&req_); }
  // A cancelled task's operation: the function never runs.
  void CompleteCancelled() {
    status_ = UV_ECANCELED;
    op_.CompleteWithoutDispatch();
  }

 private:
  // A placeholder member when the function returns nothing.
  using Stored = std::conditional_t<kReturnsVoid, char, Value>;

  static void Work(uv_work_t* req) {
    UvWorkAwaitable* self = static_cast<UvWorkAwaitable*>(req->data);
    if constexpr (kReturnsVoid)
      self->fn_();
    else
      self->value_ = self->fn_();
  }

  static void AfterWork(uv_work_t* req, int status) {
    UvWorkAwaitable* self = static_cast<UvWorkAwaitable*>(req->data);
    self->status_ = status;
    self->op_.Complete();
  }

  uv_loop_t* loop_;
  F fn_;
  Stored value_{};
  int status_ = 0;
  detail::OperationState op_;
  uv_work_t req_{};
};

template <typename F>
UvWorkAwaitable<std::decay_t<F>> UvWork(uv_loop_t* loop, F&& fn) {
  return UvWorkAwaitable<std::decay_t<F>>(loop, std::forward<F>(fn));
}

}  // namespace coro
}  // namespace node

#endif  // SRC_CORO_UV_WORK_H_
