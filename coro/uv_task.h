// UvTask<T>: the untracked coroutine type of the layer. No V8, no Node.
//
//   UvTask<ssize_t> OpenAndClose(uv_loop_t* loop, const char* path) {
//     ssize_t fd = co_await UvFs(loop, uv_fs_open, path, O_RDONLY, 0);
//     if (fd < 0) co_return fd;
//     co_return co_await UvFs(loop, uv_fs_close, static_cast<uv_file>(fd));
//   }
//
//   OpenAndClose(loop, "/etc/hosts").Start([](ssize_t err) { ... });
//
// Lazy (nothing runs before it is awaited or started), move-only and
// [[nodiscard]]. Awaiting it from another task runs it with symmetric
// transfer and yields its result; Start() runs it fire-and-forget, and its
// frame destroys itself on completion. See coro/README.md.

#ifndef SRC_CORO_UV_TASK_H_
#define SRC_CORO_UV_TASK_H_

#include <coroutine>

#include "coro/detail/task_promise.h"

namespace node {
namespace coro {

template <typename T = void>
class UvTask;

namespace detail {

template <typename T>
class UvTaskPromise final : public TaskPromiseBase<T> {
 public:
  UvTask<T> get_return_object() noexcept;
};

}  // namespace detail

template <typename T>
class [[nodiscard]] UvTask : public detail::TaskOwner<detail::UvTaskPromise<T>> {
 public:
  using promise_type = detail::UvTaskPromise<T>;
  using detail::TaskOwner<promise_type>::TaskOwner;
};

template <typename T>
UvTask<T> detail::UvTaskPromise<T>::get_return_object() noexcept {
  return UvTask<T>(
      std::coroutine_handle<UvTaskPromise>::from_promise(*this));
}

// `co_await CancellationRequested()` inside any task of the layer: whether
// Cancel() has been called on the task's root (by TaskList::CancelAll()).
// Does not suspend.
class CancellationRequested {
 public:
  using inline_awaitable_tag = void;

  bool await_ready() const noexcept { return false; }

  template <typename Promise>
  bool await_suspend(std::coroutine_handle<Promise> handle) noexcept {
    static_assert(std::is_base_of_v<detail::PromiseCore, Promise>,
                  "CancellationRequested is for the layer's own tasks");
    requested_ = handle.promise().root()->cancel_requested();
    return false;
  }

  bool await_resume() const noexcept { return requested_; }

 private:
  bool requested_ = false;
};

}  // namespace coro
}  // namespace node

#endif  // SRC_CORO_UV_TASK_H_
