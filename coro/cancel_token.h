// CancelToken: cancels one started task from outside, for as long as the
// task lives, without owning it. The use is an abort signal: the binding
// that starts a task binds a token to it, and whoever holds the token (the
// object behind an AbortSignal listener, say) cancels the task through it.
//
//   CancelToken token;
//   auto task = Copy(loop, from, to);
//   task.BindCancelToken(&token);   // before Start()
//   task.Start();
//   ...
//   token.Cancel();                 // the task's root: Cancel() (sticky)
//
// The task and the token point at each other and each unbinds on
// destruction: a token outliving its task cancels nothing (UV_EINVAL), and a
// task outliving its token is simply no longer reachable through it. Both
// live on the loop thread.

#ifndef SRC_CORO_CANCEL_TOKEN_H_
#define SRC_CORO_CANCEL_TOKEN_H_

#include <uv.h>

#include "coro/detail/promise_core.h"

namespace node {
namespace coro {

class CancelToken {
 public:
  CancelToken() = default;
  CancelToken(const CancelToken&) = delete;
  CancelToken& operator=(const CancelToken&) = delete;
  ~CancelToken() {
    if (root_ != nullptr)
      root_->token_ = nullptr;
  }

  // Whether the task it was bound to is still alive.
  bool bound() const { return root_ != nullptr; }

  // The bound task's Cancel() (see detail::PromiseCore::Cancel), or
  // UV_EINVAL when the task has finished or none was bound.
  int Cancel() {
    if (root_ == nullptr)
      return UV_EINVAL;
    return root_->Cancel();
  }

 private:
  friend class detail::PromiseCore;
  detail::PromiseCore* root_ = nullptr;
};

}  // namespace coro
}  // namespace node

#endif  // SRC_CORO_CANCEL_TOKEN_H_
