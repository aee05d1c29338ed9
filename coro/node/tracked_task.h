// UvTrackedTask<T, Provider>: a coroutine started from a binding that is, to
// JavaScript, one async resource like any ReqWrap-based request, except for
// its cost. The Node-aware half of the layer: it compiles only inside the
// fork (it needs Node's internal headers), while coro/*.h stays standalone.
//
//   UvTrackedTask<void, AsyncWrap::PROVIDER_FSREQPROMISE> Stat(
//       Environment* env, PromiseSettler settler, std::string path) {
//     auto [err, st] = co_await UvFsStat(env->event_loop(), uv_fs_stat, path);
//     ...settle...
//   }
//
//   auto task = Stat(env, std::move(settler), std::move(path));
//   task.InitTracking(env);  // async id, trigger id, init hook, trace event,
//                            // and the Environment's task list
//   task.Start();            // runs until the first libuv request is queued
//
// What JavaScript sees (see coro/node/README.md for the rules):
//   - init at InitTracking, synchronously inside the binding call, with
//     triggerAsyncId the executionAsyncId at the call, as AsyncWrap does;
//   - every segment resumed from the event loop runs inside an
//     InternalCallbackScope: before/after, the task's AsyncLocalStorage
//     context (both modes), and microtasks and ticks drained when the
//     segment ends, so the continuation of a promise the segment settled
//     runs before the next I/O callback;
//   - destroy once, when the task finishes, through the same queue as
//     AsyncWrap's (the next check phase).
// The first segment, from Start(), runs inside the binding call and its
// caller's scope, as a ReqWrap's dispatch does: no extra before/after.
//
// The Environment's request_waiting_ counter is held exactly while the task
// is suspended on a libuv request, so that Environment teardown
// (CleanupHandles) cancels the task and runs the loop until it finished.
// After teardown began (can_call_into_js() false) a task opens no scope and
// must not touch JavaScript: settle through coro/node/promise.h, which checks.
//
// A V8 HandleScope declared in a coroutine body must not live across a
// co_await: each resumed segment has its own HandleScope, opened and closed
// by the hooks, and scopes must nest.

#ifndef SRC_CORO_NODE_TRACKED_TASK_H_
#define SRC_CORO_NODE_TRACKED_TASK_H_

#if defined(NODE_WANT_INTERNALS) && NODE_WANT_INTERNALS

#include <cstdint>
#include <optional>
#include <vector>

#include "async_wrap.h"
#include "coro/detail/task_promise.h"
#include "memory_tracker.h"
#include "node_internals.h"
#include "v8.h"

namespace node {

class Environment;

namespace coro {

// Counts of tracked tasks by kind ("stat", "readFile", ...), for the calling
// thread: every Environment runs on a thread of its own, so a worker sees its
// own. live = started - finished.
struct TaskKindStats {
  const char* kind;
  uint64_t started;
  uint64_t finished;
};
std::vector<TaskKindStats> GetTaskKindStats();

// The name process.getActiveResourcesInfo() lists for an in-flight tracked
// task: what a ReqWrap of its provider calls itself (FSReqPromise, CloseReq),
// or FSReqCoro for a task of several requests (async_hooks type FSREQCORO).
const char* ActiveResourceName(AsyncWrap::ProviderType provider);

// Calls `fn(tracking)` for each tracked task of `env` in flight.
template <typename Fn>
void ForEachTrackedTask(Environment* env, Fn&& fn);

// What an Environment's coroutines hold, for heap snapshots (tracked by
// Environment::MemoryInfo): the calling thread's frames in flight and the
// frame free-list, per size class, as nodes named CoroutineFramesInFlight and
// CoroutineFrameFreeList. The frames are C++ memory V8 cannot see; their sizes
// come from the frame allocator's counters.
class CoroutineMemory final : public MemoryRetainer {
 public:
  // The calling thread's instance. The heap snapshot keeps a pointer to the
  // retainer it was handed until the snapshot is built, so it must not be a
  // temporary.
  static const CoroutineMemory& ForCurrentThread();

  void MemoryInfo(MemoryTracker* tracker) const override;
  SET_MEMORY_INFO_NAME(CoroutineMemory)
  SET_SELF_SIZE(CoroutineMemory)
};

// The per-task state behind the hooks: one lives in every tracked task's
// promise, reached through PromiseCore::hook_data(). Not a template, so the
// hooks are compiled once, in tracked_task.cc.
class TaskTracking {
 public:
  TaskTracking() = default;
  TaskTracking(const TaskTracking&) = delete;
  TaskTracking& operator=(const TaskTracking&) = delete;
  ~TaskTracking();

  // Assigns the async id and trigger id (as AsyncWrap::AsyncReset does),
  // captures the async context frame, creates the resource object if
  // anything can observe it, and emits init and the trace event. Once,
  // before Start(); UvTrackedTask::InitTracking also lists the task in
  // env->coro_tasks().
  // `kind` names the operation in GetTaskKindStats(); a string literal (it
  // is kept, not copied).
  void Init(Environment* env,
            AsyncWrap::ProviderType provider,
            detail::PromiseCore* root,
            const char* kind);

  Environment* env() const { return env_; }
  double async_id() const { return async_id_; }
  double trigger_async_id() const { return trigger_async_id_; }
  AsyncWrap::ProviderType provider() const { return provider_; }
  // The tracking state of a listed task (a root of env->coro_tasks()).
  static TaskTracking* Of(detail::PromiseCore* root) {
    return static_cast<TaskTracking*>(root->hook_data());
  }

  // The resource object, or an empty handle when nothing could observe one
  // yet. For tests and diagnostics.
  v8::Local<v8::Object> resource(v8::Isolate* isolate) const;

  static const detail::TaskHooks kHooks;

 private:
  static TaskTracking* From(detail::PromiseCore* root);
  static void SegmentBegin(detail::PromiseCore* root,
                           detail::SegmentStart why);
  static void SegmentEnd(detail::PromiseCore* root);
  static void Finished(detail::PromiseCore* root);

  void OpenScope();
  void CloseScope();
  // Whether a resource object must exist: any async hook is enabled, or
  // executionAsyncResource() was ever called. The context-frame mode of
  // AsyncLocalStorage reads the frame, not the resource.
  bool ResourceObservable() const;
  void CreateResource();

  Environment* env_ = nullptr;
  double async_id_ = -1;
  double trigger_async_id_ = -1;
  AsyncWrap::ProviderType provider_ = AsyncWrap::PROVIDER_NONE;
  int kind_ = -1;  // Index into the thread's kind counters.
  bool waiting_ = false;  // Holds one count of env_->request_waiting_.
  v8::Global<v8::Object> resource_;
  v8::Global<v8::Value> context_frame_;

  // Open only during a segment resumed from the event loop.
  std::optional<v8::HandleScope> handle_scope_;
  std::optional<v8::Context::Scope> context_scope_;
  // The scope keeps a pointer to this Local (InternalCallbackScope does not
  // hold a Global), so it lives here, beside the scope, for the segment.
  v8::Local<v8::Object> resource_local_;
  std::optional<InternalCallbackScope> callback_scope_;
};

template <typename T, AsyncWrap::ProviderType Provider>
class UvTrackedTask;

template <typename T, AsyncWrap::ProviderType Provider>
class TrackedPromise final : public detail::TaskPromiseBase<T> {
 public:
  TrackedPromise() {
    this->set_hooks(&TaskTracking::kHooks);
    this->set_hook_data(&tracking_);
  }
  UvTrackedTask<T, Provider> get_return_object() noexcept;

  TaskTracking& tracking() { return tracking_; }

 private:
  TaskTracking tracking_;
};

template <typename T, AsyncWrap::ProviderType Provider>
class [[nodiscard]] UvTrackedTask
    : public detail::TaskOwner<TrackedPromise<T, Provider>> {
 public:
  using promise_type = TrackedPromise<T, Provider>;
  using detail::TaskOwner<promise_type>::TaskOwner;

  // See TaskTracking::Init. Required before Start(): a tracked task that was
  // not initialized has no Environment to report to.
  inline void InitTracking(Environment* env, const char* kind);
};

}  // namespace coro
}  // namespace node

#endif  // defined(NODE_WANT_INTERNALS) && NODE_WANT_INTERNALS

#endif  // SRC_CORO_NODE_TRACKED_TASK_H_
