// PromiseCore: the part of every promise type of the layer that does not
// depend on the result type. It owns
//   - frame allocation (operator new/delete go to the thread-local frame
//     allocator),
//   - the chain bookkeeping: the continuation to transfer to on completion,
//     and the root of the await chain (the task that was started; a task
//     awaited by another task shares its parent's root),
//   - cancellation: the root records the leaf operation the chain is
//     suspended on, so that Cancel() can reach it,
//   - the segment hooks (TaskHooks), the customization point through which a
//     task type observes every resume-to-suspend segment of a started task,
//   - membership in a TaskList.

#ifndef SRC_CORO_DETAIL_PROMISE_CORE_H_
#define SRC_CORO_DETAIL_PROMISE_CORE_H_

#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "coro/coro_check.h"
#include "coro/frame_allocator.h"

namespace node {
namespace coro {

class CancelToken;
class TaskList;

namespace detail {

class PromiseCore;

// How Cancel() reaches the leaf operation a chain is suspended on. `cancel`
// returns 0 if the operation will complete with UV_ECANCELED, or a negative
// error (UV_EBUSY: already running, it will complete with its real result).
// It must not resume the coroutine synchronously.
struct CancelHook {
  void* target = nullptr;
  int (*cancel)(void* target) = nullptr;
};

// Why a segment begins.
enum class SegmentStart : uint8_t {
  // Start(): the body runs inside the caller (in Node, inside the binding
  // call, which already runs in a callback scope of its own).
  kStart,
  // A leaf operation completed and resumes the body from the event loop.
  kResume,
};

// Segment hooks. A segment is a stretch of synchronous execution of a
// started task: from Start() or from the resumption by a completed leaf
// operation, to the next suspension on a leaf operation or to completion.
// Every hook receives the root promise (the started task's), whatever frame
// of the chain is running, so a task type that installs hooks sees all the
// segments of the helpers it awaits too. Calls are strictly alternating:
// segment_begin, then segment_end or finished, then (after segment_end)
// segment_begin again. An operation that completes without suspending (a
// synchronous dispatch error, or a cancelled task's operation that is not
// dispatched at all) never left the thread: it ends no segment.
//
// The hooks are plain functions so that one non-template source file can
// implement them; per-task state is reached through PromiseCore::hook_data().
struct TaskHooks {
  // The body is about to run.
  void (*segment_begin)(PromiseCore* root, SegmentStart why);
  // The body has suspended on a leaf operation, which is already
  // dispatched: the operation is registered for Cancel() before this runs,
  // so a cancellation requested from inside the hook (in Node, by JS run
  // while the callback scope closes) reaches it. The operation cannot
  // complete before control returns to the event loop.
  void (*segment_end)(PromiseCore* root);
  // The root completed: called after its completion callback, before its
  // frame is destroyed.
  void (*finished)(PromiseCore* root);
};

// Intrusive list head used by TaskList.
struct TaskListHead {
  PromiseCore* first = nullptr;
  size_t size = 0;
};

class PromiseCore {
 public:
  PromiseCore() = default;
  PromiseCore(const PromiseCore&) = delete;
  PromiseCore& operator=(const PromiseCore&) = delete;
  ~PromiseCore() {
    if (list_ != nullptr)
      Unlink();
    if (token_ != nullptr)
      UnbindCancelToken();
  }

  static void* operator new(size_t size) { return AllocateFrame(size); }
  static void operator delete(void* ptr, size_t size) noexcept {
    FreeFrame(ptr, size);
  }

  PromiseCore* root() const { return root_; }
  const TaskHooks* hooks() const { return hooks_; }
  bool started() const { return started_; }
  bool detached() const { return detached_; }
  std::coroutine_handle<> continuation() const { return continuation_; }

  // Called on the root. Sets the sticky cancel_requested() flag, then asks
  // the pending leaf operation, if any, to stop. Returns 0 when that
  // operation will complete with UV_ECANCELED, UV_EBUSY when it is already
  // running and will deliver its real result, UV_EINVAL when nothing
  // cancelable is pending (the task is between operations, or Cancel() was
  // already called for this operation).
  //
  // The flag is sticky: from then on every cancellable leaf operation the
  // chain awaits completes at once with UV_ECANCELED, without being
  // dispatched, so a cancelled task (a retry loop, a sleep, more work) runs
  // to its end without waiting on anything. Operations that release a
  // resource (closing a file or a directory) are not cancellable and still
  // run, so a cancelled task never leaks what it opened.
  int Cancel();
  bool cancel_requested() const { return cancel_requested_; }

  // Per-task state of the task type that installed the hooks (see
  // TaskHooks); the layer never reads it.
  void* hook_data() const { return hook_data_; }
  void set_hook_data(void* data) { hook_data_ = data; }

  // Lets `token` cancel this task from outside, for as long as the task
  // lives (see CancelToken). Called on the root, before it starts.
  void BindCancelToken(CancelToken* token);

  // Leaf awaiters record on the root what the chain is suspended on.
  void SetPendingOperation(CancelHook hook) { pending_ = hook; }
  void ClearPendingOperation() { pending_ = CancelHook(); }

  // The task was started with Start(): it owns itself from now on.
  void MarkDetached() {
    CHECK(!started_);
    started_ = true;
    detached_ = true;
  }

  // The task is being awaited by `parent`, whose chain root is `root`.
  void MarkAwaited(std::coroutine_handle<> parent, PromiseCore* root) {
    CHECK(!started_);
    // Only the root is listed, observed and cancelled: a tracked, hooked
    // or token-bound task that is awaited would be listed (or observed)
    // while nothing ever reaches it. Start such a task instead.
    CHECK_NULL(list_);
    CHECK_NULL(hooks_);
    CHECK_NULL(token_);
    started_ = true;
    continuation_ = parent;
    root_ = root;
  }

  void LinkInto(TaskListHead* list);
  PromiseCore* next_in_list() const { return next_; }

 protected:
  // For promise types that observe segments (see TaskHooks). Set once, in
  // the promise's constructor.
  void set_hooks(const TaskHooks* hooks) { hooks_ = hooks; }

 private:
  friend class ::node::coro::CancelToken;
  void Unlink();
  void UnbindCancelToken();

  std::coroutine_handle<> continuation_;
  PromiseCore* root_ = this;
  const TaskHooks* hooks_ = nullptr;
  void* hook_data_ = nullptr;
  CancelToken* token_ = nullptr;
  CancelHook pending_;
  TaskListHead* list_ = nullptr;
  PromiseCore* prev_ = nullptr;
  PromiseCore* next_ = nullptr;
  bool started_ = false;
  bool detached_ = false;
  bool cancel_requested_ = false;
};

}  // namespace detail
}  // namespace coro
}  // namespace node

#endif  // SRC_CORO_DETAIL_PROMISE_CORE_H_
