#ifndef SRC_CORO_NODE_TRACKED_TASK_INL_H_
#define SRC_CORO_NODE_TRACKED_TASK_INL_H_

#if defined(NODE_WANT_INTERNALS) && NODE_WANT_INTERNALS

#include "coro/node/tracked_task.h"

#include "coro/task_list.h"
#include "env-inl.h"

namespace node {
namespace coro {

template <typename Fn>
void ForEachTrackedTask(Environment* env, Fn&& fn) {
  for (detail::PromiseCore* task = env->coro_tasks()->first();
       task != nullptr;
       task = task->next_in_list()) {
    fn(*TaskTracking::Of(task));
  }
}

template <typename T, AsyncWrap::ProviderType Provider>
UvTrackedTask<T, Provider>
TrackedPromise<T, Provider>::get_return_object() noexcept {
  return UvTrackedTask<T, Provider>(
      std::coroutine_handle<TrackedPromise>::from_promise(*this));
}

template <typename T, AsyncWrap::ProviderType Provider>
void UvTrackedTask<T, Provider>::InitTracking(Environment* env,
                                              const char* kind) {
  promise_type& promise = this->promise();
  promise.tracking().Init(env, Provider, &promise, kind);
  this->Track(env->coro_tasks());
}

}  // namespace coro
}  // namespace node

#endif  // defined(NODE_WANT_INTERNALS) && NODE_WANT_INTERNALS

#endif  // SRC_CORO_NODE_TRACKED_TASK_INL_H_
