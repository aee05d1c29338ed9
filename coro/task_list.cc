#include "coro/task_list.h"

#include "coro/cancel_token.h"

#include <uv.h>

namespace node {
namespace coro {

namespace detail {

int PromiseCore::Cancel() {
  cancel_requested_ = true;
  CancelHook hook = std::exchange(pending_, CancelHook());
  if (hook.cancel == nullptr)
    return UV_EINVAL;
  return hook.cancel(hook.target);
}

void PromiseCore::BindCancelToken(CancelToken* token) {
  CHECK_NOT_NULL(token);
  CHECK(!started_);
  CHECK_NULL(token_);
  CHECK_NULL(token->root_);
  token_ = token;
  token->root_ = this;
}

void PromiseCore::UnbindCancelToken() {
  token_->root_ = nullptr;
  token_ = nullptr;
}

void PromiseCore::LinkInto(TaskListHead* list) {
  CHECK_NOT_NULL(list);
  CHECK_NULL(list_);
  list_ = list;
  prev_ = nullptr;
  next_ = list->first;
  if (next_ != nullptr)
    next_->prev_ = this;
  list->first = this;
  list->size++;
}

void PromiseCore::Unlink() {
  if (prev_ != nullptr)
    prev_->next_ = next_;
  else
    list_->first = next_;
  if (next_ != nullptr)
    next_->prev_ = prev_;
  list_->size--;
  list_ = nullptr;
  prev_ = nullptr;
  next_ = nullptr;
}

}  // namespace detail

size_t TaskList::CancelAll() {
  size_t cancelled = 0;
  detail::PromiseCore* task = head_.first;
  while (task != nullptr) {
    // Read before the call, so that the walk does not depend on `task`
    // once its operation has been told to stop.
    detail::PromiseCore* next = task->next_in_list();
    if (task->Cancel() == 0)
      cancelled++;
    task = next;
  }
  return cancelled;
}

}  // namespace coro
}  // namespace node
