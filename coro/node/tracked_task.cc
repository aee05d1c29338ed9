#include "coro/node/tracked_task.h"

#include <array>
#include <cstring>
#include <string>

#include "async_context_frame.h"
#include "coro/frame_allocator.h"
#include "env-inl.h"
#include "memory_tracker-inl.h"
#include "node_internals.h"
#include "tracing/traced_value.h"
#include "util-inl.h"

namespace node {
namespace coro {

using v8::Context;
using v8::HandleScope;
using v8::Isolate;
using v8::Local;
using v8::Object;
using v8::Value;

namespace {

// Whether a trace category records, its lookup done once per call site:
// TRACE_EVENT_API_GET_CATEGORY_GROUP_ENABLED() searches the categories by
// name on every call (a strcmp per category, per operation); the flag it
// returns lives as long as the process and changes in place when tracing
// starts or stops, which is what the TRACE_EVENT_* macros rely on too.
#define CORO_TRACE_CATEGORY_ENABLED(category)                                  \
  ([] {                                                                        \
    static const uint8_t* const enabled =                                      \
        TRACE_EVENT_API_GET_CATEGORY_GROUP_ENABLED(category);                  \
    return *enabled != 0;                                                      \
  }())

// The names AsyncWrap gives its trace events, by provider.
const char* ProviderName(AsyncWrap::ProviderType provider) {
  switch (provider) {
#define V(PROVIDER)                                                            \
  case AsyncWrap::PROVIDER_##PROVIDER:                                         \
    return #PROVIDER;
    NODE_ASYNC_PROVIDER_TYPES(V)
#undef V
    default:
      UNREACHABLE();
  }
}

// The calling thread's task counters by kind. Kinds are few and fixed (the
// binding's operations), so a small array searched by pointer, then by
// content, is enough.
constexpr size_t kMaxTaskKinds = 64;
struct KindCounters {
  std::array<TaskKindStats, kMaxTaskKinds> kinds{};
  size_t count = 0;

  int IndexOf(const char* kind) {
    // Kinds are string literals: the same pointer, almost always, so that
    // is looked for first; the same text from another literal, after.
    for (size_t i = 0; i < count; i++) {
      if (kinds[i].kind == kind)
        return static_cast<int>(i);
    }
    for (size_t i = 0; i < count; i++) {
      if (strcmp(kinds[i].kind, kind) == 0)
        return static_cast<int>(i);
    }
    CHECK_LT(count, kMaxTaskKinds);
    kinds[count] = TaskKindStats{kind, 0, 0};
    return static_cast<int>(count++);
  }
};
thread_local KindCounters tls_kind_counters;

}  // namespace

const char* ActiveResourceName(AsyncWrap::ProviderType provider) {
  switch (provider) {
    case AsyncWrap::PROVIDER_FSREQCORO:
      return "FSReqCoro";
    case AsyncWrap::PROVIDER_FILEHANDLECLOSEREQ:
      return "CloseReq";  // As stock's FileHandle close request names itself.
    default:
      return "FSReqPromise";
  }
}

const CoroutineMemory& CoroutineMemory::ForCurrentThread() {
  static thread_local const CoroutineMemory instance;
  return instance;
}

void CoroutineMemory::MemoryInfo(MemoryTracker* tracker) const {
  const FrameAllocatorStats stats = GetFrameAllocatorStats();
  tracker->TrackFieldWithSize("frames_in_flight",
                              static_cast<size_t>(stats.live_bytes),
                              "CoroutineFramesInFlight");
  // Edge names must outlive the snapshot: one static name per class.
  static const std::array<std::string, kFrameSizeClassCount> names = [] {
    std::array<std::string, kFrameSizeClassCount> result;
    for (size_t i = 0; i < kFrameSizeClassCount; i++)
      result[i] = "free_list_" + std::to_string(FrameSizeClassBytes(i)) + "B";
    return result;
  }();
  for (size_t i = 0; i < kFrameSizeClassCount; i++) {
    const FrameSizeClassStats& cls = stats.classes[i];
    if (cls.cached_bytes == 0)
      continue;
    tracker->TrackFieldWithSize(names[i].c_str(), cls.cached_bytes,
                                "CoroutineFrameFreeList");
  }
}

std::vector<TaskKindStats> GetTaskKindStats() {
  const KindCounters& counters = tls_kind_counters;
  return std::vector<TaskKindStats>(counters.kinds.begin(),
                                    counters.kinds.begin() + counters.count);
}

const detail::TaskHooks TaskTracking::kHooks{
    &TaskTracking::SegmentBegin,
    &TaskTracking::SegmentEnd,
    &TaskTracking::Finished,
};

TaskTracking::~TaskTracking() {
  // The frame goes only after Finished() (or unstarted): no scope is open
  // and no request is outstanding.
  CHECK(!callback_scope_.has_value());
  CHECK(!waiting_);
}

TaskTracking* TaskTracking::From(detail::PromiseCore* root) {
  TaskTracking* tracking = static_cast<TaskTracking*>(root->hook_data());
  CHECK_NOT_NULL(tracking);
  // Started without InitTracking(): nothing to report to.
  CHECK_NOT_NULL(tracking->env_);
  return tracking;
}

bool TaskTracking::ResourceObservable() const {
  AsyncHooks* hooks = env_->async_hooks();
  return hooks->fields()[AsyncHooks::kTotals] > 0 ||
         hooks->fields()[AsyncHooks::kUsesExecutionAsyncResource] > 0;
}

void TaskTracking::CreateResource() {
  Isolate* isolate = env_->isolate();
  HandleScope handle_scope(isolate);
  resource_.Reset(isolate, Object::New(isolate));
}

Local<Object> TaskTracking::resource(Isolate* isolate) const {
  return resource_.Get(isolate);
}

void TaskTracking::Init(Environment* env,
                        AsyncWrap::ProviderType provider,
                        detail::PromiseCore* root,
                        const char* kind) {
  CHECK_NULL(env_);
  CHECK_NOT_NULL(kind);
  kind_ = tls_kind_counters.IndexOf(kind);
  tls_kind_counters.kinds[kind_].started++;
  CHECK_NOT_NULL(env);
  CHECK_NE(provider, AsyncWrap::PROVIDER_NONE);
  CHECK(!root->started());
  env_ = env;
  provider_ = provider;
  async_id_ = env->new_async_id();
  trigger_async_id_ = env->get_default_trigger_async_id();

  Isolate* isolate = env->isolate();
  HandleScope handle_scope(isolate);
  // Only the context-frame mode of AsyncLocalStorage keeps anything there;
  // otherwise it is undefined and not worth a global handle.
  Local<Value> frame = async_context_frame::current(isolate);
  if (!frame.IsEmpty() && !frame->IsUndefined())
    context_frame_.Reset(isolate, frame);

  if (CORO_TRACE_CATEGORY_ENABLED(TRACING_CATEGORY_NODE1(async_hooks))) {
    tracing::AsyncWrapArgs data(env->execution_async_id(), trigger_async_id_);
    TRACE_EVENT_NESTABLE_ASYNC_BEGIN1(TRACING_CATEGORY_NODE1(async_hooks),
                                      ProviderName(provider_),
                                      static_cast<int64_t>(async_id_),
                                      "data",
                                      tracing::CastTracedValue(data));
  }

  if (CORO_TRACE_CATEGORY_ENABLED(TRACING_CATEGORY_NODE2(fs, async))) {
    TRACE_EVENT_NESTABLE_ASYNC_BEGIN0(TRACING_CATEGORY_NODE2(fs, async),
                                      kind,
                                      static_cast<int64_t>(async_id_));
  }

  if (ResourceObservable()) {
    CreateResource();
    AsyncWrap::EmitAsyncInit(env,
                             resource_.Get(isolate),
                             env->async_hooks()->provider_string(provider_),
                             async_id_,
                             trigger_async_id_);
  }
}

void TaskTracking::OpenScope() {
  Isolate* isolate = env_->isolate();
  handle_scope_.emplace(isolate);
  context_scope_.emplace(env_->context());
  // Hooks enabled (or executionAsyncResource() first called) after init: a
  // resource from now on, the same one for every later segment.
  if (resource_.IsEmpty() && ResourceObservable())
    CreateResource();
  resource_local_ = resource_.Get(isolate);
  callback_scope_.emplace(
      env_,
      resource_local_.IsEmpty() ? static_cast<Local<Object>*>(nullptr)
                                : &resource_local_,
      async_context{async_id_, trigger_async_id_},
      InternalCallbackScope::kNoFlags,
      context_frame_.Get(isolate));
}

void TaskTracking::CloseScope() {
  if (!callback_scope_.has_value())
    return;
  // Emits after, pops the async context and, at the outermost scope, drains
  // microtasks and ticks: the continuation of a promise this segment
  // settled runs here, as FSReqPromise's does.
  callback_scope_.reset();
  resource_local_.Clear();
  context_scope_.reset();
  handle_scope_.reset();
}

void TaskTracking::SegmentBegin(detail::PromiseCore* root,
                                detail::SegmentStart why) {
  TaskTracking* self = From(root);
  if (why == detail::SegmentStart::kStart)
    return;  // Inside the binding call, in its caller's scope.
  CHECK(self->waiting_);
  self->waiting_ = false;
  self->env_->DecreaseWaitingRequestCounter();
  // During teardown nothing may run JavaScript: no scope, and the body's
  // settle calls check can_call_into_js() themselves.
  if (self->env_->can_call_into_js())
    self->OpenScope();
}

void TaskTracking::SegmentEnd(detail::PromiseCore* root) {
  TaskTracking* self = From(root);
  // The request is dispatched: count it before JS (run by the scope's close)
  // can observe the Environment, so teardown never misses it.
  CHECK(!self->waiting_);
  self->waiting_ = true;
  self->env_->IncreaseWaitingRequestCounter();
  self->CloseScope();
}

void TaskTracking::Finished(detail::PromiseCore* root) {
  TaskTracking* self = From(root);
  CHECK(!self->waiting_);
  // Counted before the scope closes: the continuation that the close runs
  // sees its own operation as finished.
  tls_kind_counters.kinds[self->kind_].finished++;
  self->CloseScope();
  Environment* env = self->env_;
  // One nestable async event per operation, as node_file.cc emits one per
  // FSReqPromise request (a multi-step operation is one event).
  if (CORO_TRACE_CATEGORY_ENABLED(TRACING_CATEGORY_NODE2(fs, async))) {
    TRACE_EVENT_NESTABLE_ASYNC_END0(
        TRACING_CATEGORY_NODE2(fs, async),
        tls_kind_counters.kinds[self->kind_].kind,
        static_cast<int64_t>(self->async_id_));
  }
  if (CORO_TRACE_CATEGORY_ENABLED(TRACING_CATEGORY_NODE1(async_hooks))) {
    TRACE_EVENT_NESTABLE_ASYNC_END0(TRACING_CATEGORY_NODE1(async_hooks),
                                    ProviderName(self->provider_),
                                    static_cast<int64_t>(self->async_id_));
  }
  // Queued like AsyncWrap's: destroy runs in the next check phase, after
  // the continuation the last segment's scope just drained. A no-op once
  // JavaScript can no longer be called.
  AsyncWrap::EmitDestroy(env, self->async_id_);
  // The Globals go with the frame, right after this returns; the Environment
  // (and its isolate) outlive every task: CleanupHandles waits for them.
}

}  // namespace coro
}  // namespace node
