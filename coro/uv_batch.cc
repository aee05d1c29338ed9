#include "coro/uv_batch.h"

#include <utility>

namespace node {
namespace coro {

// A pool job: up to kJobSize items, linked through Item::next_.
struct UvWorkBatcher::Job {
  uv_work_t req{};
  UvWorkBatcher* batcher = nullptr;
  Item* head = nullptr;
  Job* next_free = nullptr;
};

UvWorkBatcher::UvWorkBatcher(uv_loop_t* loop) : loop_(loop) {
  CHECK_EQ(uv_prepare_init(loop, &prepare_), 0);
  prepare_.data = this;
}

UvWorkBatcher::~UvWorkBatcher() {
  CHECK_EQ(waiting_, 0u);
  CHECK_EQ(jobs_in_flight_, 0u);
  // The prepare handle is the loop's until closed (Close()).
  CHECK(closing_);
  while (free_jobs_ != nullptr)
    delete std::exchange(free_jobs_, free_jobs_->next_free);
}

void UvWorkBatcher::Submit(Item* item) {
  CHECK(!closing_);
  CHECK(item->state_ == Item::State::kIdle);
  item->state_ = Item::State::kWaiting;
  item->next_ = nullptr;
  if (tail_ == nullptr)
    head_ = item;
  else
    tail_->next_ = item;
  tail_ = item;
  waiting_++;
  if (!prepare_active_) {
    CHECK_EQ(uv_prepare_start(&prepare_, &OnPrepare), 0);
    prepare_active_ = true;
  }
}

int UvWorkBatcher::Cancel(Item* item) {
  if (item->state_ == Item::State::kWaiting) {
    item->state_ = Item::State::kCancelled;
    return 0;  // Completed by the next Flush().
  }
  return item->state_ == Item::State::kCancelled ? 0 : UV_EBUSY;
}

UvWorkBatcher::Job* UvWorkBatcher::NewJob() {
  Job* job = free_jobs_;
  if (job != nullptr)
    free_jobs_ = job->next_free;
  else
    job = new Job();
  job->batcher = this;
  job->head = nullptr;
  job->req.data = job;
  return job;
}

void UvWorkBatcher::FreeJob(Job* job) {
  job->next_free = free_jobs_;
  free_jobs_ = job;
}

void UvWorkBatcher::Flush() {
  // Completing a cancelled item resumes its coroutine, which may submit
  // more: go on until nothing waits.
  while (head_ != nullptr) {
    Item* item = std::exchange(head_, nullptr);
    tail_ = nullptr;
    waiting_ = 0;
    Item* cancelled = nullptr;
    Item** cancelled_tail = &cancelled;
    Job* job = nullptr;
    Item** job_tail = nullptr;
    size_t in_job = 0;
    while (item != nullptr) {
      Item* next = std::exchange(item->next_, nullptr);
      if (item->state_ == Item::State::kCancelled) {
        *cancelled_tail = item;
        cancelled_tail = &item->next_;
      } else {
        if (job == nullptr) {
          job = NewJob();
          job_tail = &job->head;
          in_job = 0;
        }
        item->state_ = Item::State::kRunning;
        *job_tail = item;
        job_tail = &item->next_;
        if (++in_job == kJobSize || next == nullptr) {
          CHECK_EQ(uv_queue_work(loop_, &job->req, &RunJob, &AfterJob), 0);
          jobs_in_flight_++;
          jobs_submitted_++;
          job = nullptr;
        }
      }
      item = next;
    }
    if (job != nullptr) {  // The last items were cancelled ones.
      CHECK_EQ(uv_queue_work(loop_, &job->req, &RunJob, &AfterJob), 0);
      jobs_in_flight_++;
      jobs_submitted_++;
    }
    while (cancelled != nullptr) {
      Item* next = std::exchange(cancelled->next_, nullptr);
      cancelled->state_ = Item::State::kIdle;
      cancelled->done_(cancelled, UV_ECANCELED);  // May destroy it.
      cancelled = next;
    }
  }
  if (prepare_active_) {
    CHECK_EQ(uv_prepare_stop(&prepare_), 0);
    prepare_active_ = false;
  }
}

void UvWorkBatcher::OnPrepare(uv_prepare_t* handle) {
  static_cast<UvWorkBatcher*>(handle->data)->Flush();
}

void UvWorkBatcher::RunJob(uv_work_t* req) {
  Job* job = static_cast<Job*>(req->data);
  for (Item* item = job->head; item != nullptr; item = item->next_)
    item->run_(item);
}

void UvWorkBatcher::AfterJob(uv_work_t* req, int status) {
  Job* job = static_cast<Job*>(req->data);
  UvWorkBatcher* self = job->batcher;
  self->jobs_in_flight_--;
  Item* item = job->head;
  self->FreeJob(job);
  while (item != nullptr) {
    Item* next = std::exchange(item->next_, nullptr);
    item->state_ = Item::State::kIdle;
    if (status == 0)
      self->items_run_++;
    item->done_(item, status);  // Resumes, and may destroy, the item.
    item = next;
  }
  // What the resumed coroutines submitted leaves together.
  if (self->head_ != nullptr)
    self->Flush();
}

uv_prepare_t* UvWorkBatcher::ReleaseHandleForClose() {
  CHECK(!closing_);
  CHECK_EQ(waiting_, 0u);
  CHECK_EQ(jobs_in_flight_, 0u);
  closing_ = true;
  return &prepare_;
}

void UvWorkBatcher::Close(void (*on_closed)(UvWorkBatcher*)) {
  on_closed_ = on_closed;
  uv_close(reinterpret_cast<uv_handle_t*>(ReleaseHandleForClose()),
           [](uv_handle_t* h) {
    UvWorkBatcher* self = static_cast<UvWorkBatcher*>(h->data);
    if (self->on_closed_ != nullptr)
      self->on_closed_(self);
  });
}

}  // namespace coro
}  // namespace node
