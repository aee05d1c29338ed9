// UvSleep: a one-shot timer as an awaitable. The uv_timer_t lives in the
// awaiting coroutine's frame; the co_await completes (with 0) once the timer
// has fired and its handle has been closed, so nothing in libuv points into
// the frame afterwards.
//
//   int status = co_await UvSleep(loop, 10);  // 0, or UV_ECANCELED
//
// Being a handle rather than a request, the timer has no cancelable_req();
// it provides Cancel() instead, which stops it: the co_await then completes
// with UV_ECANCELED (after the close callback).

#ifndef SRC_CORO_UV_TIMER_H_
#define SRC_CORO_UV_TIMER_H_

#include <uv.h>

#include <coroutine>
#include <cstdint>

#include "coro/coro_check.h"
#include "coro/detail/operation_state.h"

namespace node {
namespace coro {

class [[nodiscard]] UvTimerAwaitable {
 public:
  using leaf_operation_tag = void;

  UvTimerAwaitable(uv_loop_t* loop, uint64_t timeout_ms)
      : loop_(loop), timeout_ms_(timeout_ms) {}
  UvTimerAwaitable(const UvTimerAwaitable&) = delete;
  UvTimerAwaitable& operator=(const UvTimerAwaitable&) = delete;

  bool await_ready() const noexcept { return false; }

  bool await_suspend(std::coroutine_handle<> handle) {
    op_.BeginDispatch(handle);
    int err = uv_timer_init(loop_, &timer_);
    if (err < 0) {
      status_ = err;  // Nothing was initialized: nothing to close.
      return op_.EndDispatch(err);
    }
    timer_.data = this;
    err = uv_timer_start(&timer_, &OnTimer, timeout_ms_, 0);
    if (err < 0) {
      // The handle exists now: report the error once it is closed.
      status_ = err;
      Close();
    }
    return op_.EndDispatch(0);
  }

  int await_resume() const {
    CHECK(op_.done());
    return status_;
  }

  // A cancelled task's sleep: no timer is started.
  void CompleteCancelled() {
    status_ = UV_ECANCELED;
    op_.CompleteWithoutDispatch();
  }

  // 0 if the timer was stopped (the co_await yields UV_ECANCELED), UV_EBUSY
  // if it had already fired.
  int Cancel() {
    if (!op_.pending() || closing_)
      return UV_EBUSY;
    uv_timer_stop(&timer_);
    status_ = UV_ECANCELED;
    Close();
    return 0;
  }

 private:
  static void OnTimer(uv_timer_t* timer) {
    UvTimerAwaitable* self = static_cast<UvTimerAwaitable*>(timer->data);
    self->status_ = 0;
    self->Close();
  }

  void Close() {
    closing_ = true;
    uv_close(reinterpret_cast<uv_handle_t*>(&timer_), &OnClose);
  }

  static void OnClose(uv_handle_t* handle) {
    static_cast<UvTimerAwaitable*>(handle->data)->op_.Complete();
  }

  uv_loop_t* loop_;
  uint64_t timeout_ms_;
  int status_ = 0;
  bool closing_ = false;
  detail::OperationState op_;
  uv_timer_t timer_;
};

inline UvTimerAwaitable UvSleep(uv_loop_t* loop, uint64_t timeout_ms) {
  return UvTimerAwaitable(loop, timeout_ms);
}

}  // namespace coro
}  // namespace node

#endif  // SRC_CORO_UV_TIMER_H_
