// UvWorkBatcher and UvBatchedWork: thread-pool work submitted in batches.
//
// Every uv_queue_work() is a pool round trip of its own: a mutex, usually a
// futex wake-up of an idle worker thread, and on completion a wake-up of the
// loop. For short blocking calls (a stat(2) takes about a microsecond) those
// wake-ups cost several times the call. A batcher gathers the work that
// coroutines submit while the loop thread runs and hands it to the pool as
// a few jobs of up to kJobSize items each, at two points:
//
//   - at the end of a job's completion, after its items resumed their
//     coroutines: what they submitted in the meantime (the next operation
//     of each) leaves in one go;
//   - otherwise just before the loop polls for I/O (a uv_prepare handle,
//     active only while work waits, and so keeping the loop alive for it).
//
//   UvWorkBatcher batcher(loop);
//   ...
//   int status = co_await UvBatchedWork(&batcher, [&] { DoBlockingCall(); });
//   ...
//   batcher.Close(on_closed);   // once no work waits or runs
//
// An item's function runs on a pool thread, in submission order with the
// other items of its job; its coroutine resumes on the loop thread with
// status 0. So an item must not wait for anything that may never come (an
// open of a FIFO waits for its peer): it would hold up the items after it,
// which stock would have run on other threads. Batch stats, not opens. Cancellation: an item still waiting to be handed to the pool
// completes with UV_ECANCELED without running (at the next hand-over, never
// inside Cancel()); once handed over it runs (UV_EBUSY).

#ifndef SRC_CORO_UV_BATCH_H_
#define SRC_CORO_UV_BATCH_H_

#include <uv.h>

#include <coroutine>
#include <cstddef>
#include <type_traits>
#include <utility>

#include "coro/coro_check.h"
#include "coro/detail/operation_state.h"

namespace node {
namespace coro {

class UvWorkBatcher {
 public:
  // The most items one pool job runs; a larger batch is split, so that
  // several pool threads share it.
  static constexpr size_t kJobSize = 8;

  // One piece of work; UvBatchedWork embeds it.
  class Item {
   public:
    using RunFn = void (*)(Item*);
    using DoneFn = void (*)(Item*, int status);
    Item(RunFn run, DoneFn done) : run_(run), done_(done) {}
    Item(const Item&) = delete;
    Item& operator=(const Item&) = delete;

   private:
    friend class UvWorkBatcher;
    enum class State : unsigned char { kIdle, kWaiting, kCancelled, kRunning };

    RunFn run_;
    DoneFn done_;
    Item* next_ = nullptr;
    State state_ = State::kIdle;
  };

  explicit UvWorkBatcher(uv_loop_t* loop);
  UvWorkBatcher(const UvWorkBatcher&) = delete;
  UvWorkBatcher& operator=(const UvWorkBatcher&) = delete;
  ~UvWorkBatcher();

  // Queues `item` for the next hand-over to the pool.
  void Submit(Item* item);

  // 0 if `item` will complete with UV_ECANCELED without running, UV_EBUSY
  // if it was handed to the pool already.
  int Cancel(Item* item);

  // Hands the waiting items to the pool now; completes cancelled ones.
  void Flush();

  // Closes the prepare handle; `on_closed(this)` runs from the loop once it
  // is closed. Nothing may wait or run any more.
  void Close(void (*on_closed)(UvWorkBatcher*));
  // For an owner that closes the handle itself (Node's Environment, which
  // counts the handles it waits for): marks the batcher closed, with the
  // same checks, and returns the handle to uv_close(). Its `data` is this.
  uv_prepare_t* ReleaseHandleForClose();

  uv_loop_t* loop() const { return loop_; }
  // Items waiting for the next hand-over, and jobs in the pool.
  size_t waiting() const { return waiting_; }
  size_t jobs_in_flight() const { return jobs_in_flight_; }
  // Pool jobs handed over so far, and items they ran.
  uint64_t jobs_submitted() const { return jobs_submitted_; }
  uint64_t items_run() const { return items_run_; }

 private:
  struct Job;

  static void OnPrepare(uv_prepare_t* handle);
  static void RunJob(uv_work_t* req);
  static void AfterJob(uv_work_t* req, int status);
  Job* NewJob();
  void FreeJob(Job* job);

  uv_loop_t* loop_;
  uv_prepare_t prepare_{};
  bool prepare_active_ = false;
  bool closing_ = false;
  void (*on_closed_)(UvWorkBatcher*) = nullptr;
  Item* head_ = nullptr;  // Waiting items, in submission order.
  Item* tail_ = nullptr;
  size_t waiting_ = 0;
  size_t jobs_in_flight_ = 0;
  uint64_t jobs_submitted_ = 0;
  uint64_t items_run_ = 0;
  Job* free_jobs_ = nullptr;
};

// co_await UvBatchedWork(batcher, fn): runs `fn()` (returning void) on a
// pool thread as an item of a batch; yields 0, or UV_ECANCELED when it was
// cancelled before it was handed to the pool (then `fn` never ran).
template <typename F>
class [[nodiscard]] UvBatchedWorkAwaitable : private UvWorkBatcher::Item {
 public:
  static_assert(std::is_void_v<std::invoke_result_t<F&>>,
                "UvBatchedWork functions return void");
  using leaf_operation_tag = void;

  UvBatchedWorkAwaitable(UvWorkBatcher* batcher, F fn)
      : Item(&Run, &Done), batcher_(batcher), fn_(std::move(fn)) {}
  UvBatchedWorkAwaitable(const UvBatchedWorkAwaitable&) = delete;
  UvBatchedWorkAwaitable& operator=(const UvBatchedWorkAwaitable&) = delete;

  bool await_ready() const noexcept { return false; }

  bool await_suspend(std::coroutine_handle<> handle) {
    return op_.Suspend(handle, &status_, [this] {
      batcher_->Submit(this);
      return 0;
    });
  }

  int await_resume() {
    CHECK(op_.done());
    return status_;
  }

  int Cancel() { return batcher_->Cancel(this); }
  void CompleteCancelled() {
    status_ = UV_ECANCELED;
    op_.CompleteWithoutDispatch();
  }

 private:
  static void Run(Item* item) {
    static_cast<UvBatchedWorkAwaitable*>(item)->fn_();
  }
  static void Done(Item* item, int status) {
    auto* self = static_cast<UvBatchedWorkAwaitable*>(item);
    self->status_ = status;
    self->op_.Complete();  // May resume, and so destroy, `self`.
  }

  UvWorkBatcher* batcher_;
  F fn_;
  int status_ = 0;
  detail::OperationState op_;
};

template <typename F>
UvBatchedWorkAwaitable<std::decay_t<F>> UvBatchedWork(UvWorkBatcher* batcher,
                                                      F&& fn) {
  return UvBatchedWorkAwaitable<std::decay_t<F>>(batcher, std::forward<F>(fn));
}

}  // namespace coro
}  // namespace node

#endif  // SRC_CORO_UV_BATCH_H_
