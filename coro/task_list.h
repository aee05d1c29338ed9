// TaskList: the started tasks of one owner, so that they can be cancelled
// together (Node's Environment will keep one and call CancelAll() during
// teardown). A task joins with task.Track(&list) before Start(), and leaves
// the list by itself when its frame is destroyed.

#ifndef SRC_CORO_TASK_LIST_H_
#define SRC_CORO_TASK_LIST_H_

#include <cstddef>

#include "coro/detail/promise_core.h"

namespace node {
namespace coro {

namespace detail {
template <typename Promise>
class TaskOwner;
}  // namespace detail

class TaskList {
 public:
  TaskList() = default;
  TaskList(const TaskList&) = delete;
  TaskList& operator=(const TaskList&) = delete;
  // Every tracked task must have completed (or been destroyed) first.
  ~TaskList() { CHECK(empty()); }

  size_t size() const { return head_.size; }
  // The listed tasks' root promises, for walks that do not change the
  // list: first(), then PromiseCore::next_in_list() until nullptr.
  detail::PromiseCore* first() const { return head_.first; }
  bool empty() const { return head_.size == 0; }

  // Calls Cancel() on every task (see detail::PromiseCore::Cancel). Returns
  // how many tasks had an operation that will now complete with
  // UV_ECANCELED. Cancellation never resumes a task synchronously: the tasks
  // finish from the event loop, as their operations complete.
  size_t CancelAll();

 private:
  template <typename Promise>
  friend class detail::TaskOwner;

  detail::TaskListHead head_;
};

}  // namespace coro
}  // namespace node

#endif  // SRC_CORO_TASK_LIST_H_
