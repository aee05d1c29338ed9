// The dispatch/completion bookkeeping shared by the awaitables that own one
// libuv request or handle.
//
// libuv may report a failure in two ways: the call returns < 0 at once (no
// callback will come), or the callback runs later. An awaitable must resume
// its coroutine exactly once either way, and must also survive a callback
// that runs inside the dispatching call. The states:
//
//   kIdle --BeginDispatch--> kDispatching --EndDispatch(ok)--> kPending
//                                 |                              |
//              callback / EndDispatch(err)                  callback: resume
//                                 v                              v
//                               kDone <---------------------------
//
// A completion seen in kDispatching does not resume: await_suspend then
// returns false and the coroutine continues without suspending.

#ifndef SRC_CORO_DETAIL_OPERATION_STATE_H_
#define SRC_CORO_DETAIL_OPERATION_STATE_H_

#include <coroutine>
#include <cstdint>

#include "coro/coro_check.h"

namespace node {
namespace coro {
namespace detail {

class OperationState {
 public:
  OperationState() = default;
  OperationState(const OperationState&) = delete;
  OperationState& operator=(const OperationState&) = delete;
  // The frame (and the request in it) may not go while libuv still has it.
  ~OperationState() { CHECK_NE(state_, State::kPending); }

  void BeginDispatch(std::coroutine_handle<> handle) {
    CHECK_EQ(state_, State::kIdle);
    handle_ = handle;
    state_ = State::kDispatching;
  }

  // After the libuv call returned `err`. Returns whether the coroutine stays
  // suspended (the value for await_suspend).
  bool EndDispatch(int err) {
    CHECK_NE(state_, State::kIdle);
    if (state_ == State::kDone)
      return false;  // The callback already ran, inside the call.
    if (err < 0) {
      state_ = State::kDone;
      return false;
    }
    state_ = State::kPending;
    return true;
  }

  // The usual await_suspend in one call: `dispatch()` makes the libuv call
  // and returns its status; a dispatch error is stored in `*result` unless
  // the callback already stored the outcome there.
  template <typename Result, typename Dispatch>
  bool Suspend(std::coroutine_handle<> handle,
               Result* result,
               Dispatch&& dispatch) {
    BeginDispatch(handle);
    const int err = dispatch();
    if (err < 0 && state_ == State::kDispatching)
      *result = err;
    return EndDispatch(err);
  }

  // From the libuv callback, after the result has been stored. May resume
  // the coroutine, which may destroy the awaitable: touch nothing after.
  void Complete() {
    if (state_ == State::kDispatching) {
      state_ = State::kDone;
      return;
    }
    CHECK_EQ(state_, State::kPending);
    state_ = State::kDone;
    handle_.resume();
  }

  // Completes an operation that was never dispatched (a cancelled task's:
  // see CancellableLeaf); the caller stores UV_ECANCELED as the result.
  void CompleteWithoutDispatch() {
    CHECK_EQ(state_, State::kIdle);
    state_ = State::kDone;
  }

  bool dispatching() const { return state_ == State::kDispatching; }
  bool pending() const { return state_ == State::kPending; }
  bool done() const { return state_ == State::kDone; }

 private:
  enum class State : uint8_t { kIdle, kDispatching, kPending, kDone };

  std::coroutine_handle<> handle_;
  State state_ = State::kIdle;
};

}  // namespace detail
}  // namespace coro
}  // namespace node

#endif  // SRC_CORO_DETAIL_OPERATION_STATE_H_
