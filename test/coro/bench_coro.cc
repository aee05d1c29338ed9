// Micro-benchmarks of the coroutine layer, printed (not asserted). Built
// and run by `make bench-coro`; standalone only (it has its own main()).
//
//   1. Task create + start + complete, with and without the frame free list,
//      and a child task awaited by a parent (symmetric transfer both ways).
//   2. One fs round trip through the thread pool (uv_fs_stat): awaited from a
//      coroutine versus a raw libuv callback issuing the same call.
//   3. Frame allocation: the thread-local free list versus ::operator new.
//
// Each figure is the best of several runs (the machine may be busy).

#include <uv.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <new>
#include <string>
#include <vector>

#include "coro/coro.h"

namespace node {
namespace coro {
namespace {

constexpr int kRuns = 5;

template <typename Body>
double BestNsPerOp(int ops, int runs, Body body) {
  double best = 1e300;
  for (int run = 0; run < runs; run++) {
    const uint64_t start = uv_hrtime();
    body(ops);
    const uint64_t elapsed = uv_hrtime() - start;
    best = std::min(best, static_cast<double>(elapsed) / ops);
  }
  return best;
}

// Prints a figure; with a reference, also the ratio to it.
void Row(const char* name,
         double ns,
         double reference_ns = 0,
         const char* reference = nullptr) {
  if (reference != nullptr) {
    printf("  %-46s %9.1f ns/op  %6.2fx %s\n", name, ns, ns / reference_ns,
           reference);
  } else {
    printf("  %-46s %9.1f ns/op\n", name, ns);
  }
}

// Keeps results alive so the compiler cannot drop the work.
volatile int64_t sink = 0;

UvTask<int> Trivial(int value) {
  co_return value + 1;
}

UvTask<int64_t> AwaitChildren(int count) {
  int64_t total = 0;
  for (int i = 0; i < count; i++)
    total += co_await Trivial(i);
  co_return total;
}

void StartTrivialTasks(int ops) {
  int64_t total = 0;
  for (int i = 0; i < ops; i++)
    Trivial(i).Start([&total](int value) { total += value; });
  sink = total;
}

void BenchTasks() {
  constexpr int kOps = 2000000;
  printf("Task create + Start() + complete (no suspension):\n");
  const size_t capacity = SetFrameCacheCapacity(kDefaultFrameCacheCapacity);
  const double cached = BestNsPerOp(kOps, kRuns, StartTrivialTasks);
  SetFrameCacheCapacity(0);
  const double uncached = BestNsPerOp(kOps, kRuns, StartTrivialTasks);
  SetFrameCacheCapacity(kDefaultFrameCacheCapacity);
  Row("frame from the free list", cached);
  Row("frame from ::operator new (cache cap 0)", uncached, cached,
      "the free list");

  const double child = BestNsPerOp(kOps, kRuns, [](int ops) {
    AwaitChildren(ops).Start([](int64_t total) { sink = total; });
  });
  Row("child task awaited by a parent (per child)", child, cached,
      "a started task");
  SetFrameCacheCapacity(capacity);
}

// Sequential uv_fs_stat round trips.
struct RawStat {
  uv_loop_t* loop;
  const char* path;
  int remaining;
  uv_fs_t req;

  static void OnStat(uv_fs_t* req) {
    RawStat* self = static_cast<RawStat*>(req->data);
    CHECK_EQ(req->result, 0);
    sink = sink + static_cast<int64_t>(req->statbuf.st_size);
    uv_fs_req_cleanup(req);
    if (--self->remaining > 0)
      self->Issue();
  }

  void Issue() {
    req.data = this;
    CHECK_EQ(uv_fs_stat(loop, &req, path, &OnStat), 0);
  }
};

UvTask<void> CoroStats(uv_loop_t* loop, const char* path, int count) {
  for (int i = 0; i < count; i++) {
    auto [err, stat] = co_await UvFsStat(loop, uv_fs_stat, path);
    CHECK_EQ(err, 0);
    sink = sink + static_cast<int64_t>(stat.st_size);
  }
}

void BenchFs() {
  constexpr int kOps = 20000;
  uv_loop_t loop;
  CHECK_EQ(uv_loop_init(&loop), 0);
  const char* path = ".";
  printf("One uv_fs_stat round trip through the thread pool (sequential):\n");
  // Interleaved runs, so that both sides see the same background load.
  double raw = 1e300;
  double coro = 1e300;
  for (int run = 0; run < kRuns; run++) {
    raw = std::min(raw, BestNsPerOp(kOps, 1, [&](int ops) {
      RawStat raw_stat{&loop, path, ops, {}};
      raw_stat.Issue();
      uv_run(&loop, UV_RUN_DEFAULT);
    }));
    coro = std::min(coro, BestNsPerOp(kOps, 1, [&](int ops) {
      CoroStats(&loop, path, ops).Start();
      uv_run(&loop, UV_RUN_DEFAULT);
    }));
  }
  Row("raw libuv callback", raw);
  Row("co_await UvFsStat in a UvTask", coro, raw, "raw libuv");
  CHECK_EQ(uv_loop_close(&loop), 0);
}

void BenchAllocation() {
  constexpr int kOps = 4000000;
  constexpr size_t kSize = 640;  // About a frame holding a uv_fs_t.
  constexpr int kBatch = 64;     // Frames alive at once in the batch case.
  printf("Frame allocation, %zu bytes:\n", kSize);
  const size_t capacity = SetFrameCacheCapacity(kBatch);

  const double list_one = BestNsPerOp(kOps, kRuns, [](int ops) {
    for (int i = 0; i < ops; i++) {
      void* frame = AllocateFrame(kSize);
      sink = sink + reinterpret_cast<uintptr_t>(frame);
      FreeFrame(frame, kSize);
    }
  });
  const double new_one = BestNsPerOp(kOps, kRuns, [](int ops) {
    for (int i = 0; i < ops; i++) {
      void* frame = ::operator new(kSize);
      sink = sink + reinterpret_cast<uintptr_t>(frame);
      ::operator delete(frame);
    }
  });
  std::vector<void*> frames(kBatch);
  const double list_batch = BestNsPerOp(kOps, kRuns, [&frames](int ops) {
    for (int i = 0; i < ops; i += kBatch) {
      for (void*& frame : frames)
        frame = AllocateFrame(kSize);
      for (void* frame : frames)
        FreeFrame(frame, kSize);
    }
  });
  const double new_batch = BestNsPerOp(kOps, kRuns, [&frames](int ops) {
    for (int i = 0; i < ops; i += kBatch) {
      for (void*& frame : frames)
        frame = ::operator new(kSize);
      for (void* frame : frames)
        ::operator delete(frame);
    }
  });
  Row("free list, alloc+free one at a time", list_one);
  Row("::operator new/delete, one at a time", new_one, list_one,
      "the free list");
  Row("free list, 64 alive then freed (per frame)", list_batch);
  Row("::operator new/delete, 64 alive (per frame)", new_batch, list_batch,
      "the free list");
  SetFrameCacheCapacity(capacity);
}

}  // namespace
}  // namespace coro
}  // namespace node

int main() {
  printf("node-coro micro-benchmarks (best of %d runs)\n", node::coro::kRuns);
  node::coro::BenchTasks();
  node::coro::BenchFs();
  node::coro::BenchAllocation();
  const node::coro::FrameAllocatorStats stats =
      node::coro::GetFrameAllocatorStats();
  printf("Allocator counters at exit: %llu hits, %llu misses, %llu released, "
         "%zu frames cached\n",
         static_cast<unsigned long long>(stats.hits),
         static_cast<unsigned long long>(stats.misses),
         static_cast<unsigned long long>(stats.released),
         stats.cached_frames);
  return 0;
}
