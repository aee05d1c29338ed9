#include "coro/frame_allocator.h"

#include <atomic>
#include <new>

#include "coro/coro_check.h"

#if defined(__SANITIZE_ADDRESS__)
#define CORO_FRAME_ALLOCATOR_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CORO_FRAME_ALLOCATOR_ASAN 1
#endif
#endif

#ifdef CORO_FRAME_ALLOCATOR_ASAN
#include <sanitizer/asan_interface.h>
#endif

namespace node {
namespace coro {

namespace {

// Under ASan a cached block is poisoned as a whole, and the slack between a
// frame's size and its block size is poisoned while the frame is live, so
// that the free list hides neither a use-after-free nor an overflow.
inline void Poison(void* ptr, size_t size) {
#ifdef CORO_FRAME_ALLOCATOR_ASAN
  ASAN_POISON_MEMORY_REGION(ptr, size);
#else
  static_cast<void>(ptr);
  static_cast<void>(size);
#endif
}

inline void Unpoison(void* ptr, size_t size) {
#ifdef CORO_FRAME_ALLOCATOR_ASAN
  ASAN_UNPOISON_MEMORY_REGION(ptr, size);
#else
  static_cast<void>(ptr);
  static_cast<void>(size);
#endif
}

void* SystemAllocate(size_t size) {
  void* ptr = ::operator new(size, std::nothrow);
  CHECK_NOT_NULL(ptr);
  return ptr;
}

struct FreeBlock {
  FreeBlock* next;
};

struct ThreadFrameCache {
  std::array<FreeBlock*, kFrameSizeClassCount> heads{};
  std::array<size_t, kFrameSizeClassCount> counts{};
  size_t capacity = kDefaultFrameCacheCapacity;
  int64_t live_frames = 0;
  int64_t live_bytes = 0;
  uint64_t frees = 0;
  uint64_t hits = 0;
  uint64_t misses = 0;
  uint64_t oversize = 0;
  uint64_t released = 0;

  // Pops frames of `size_class` until at most `keep` remain; returns how many
  // were given back to the system.
  size_t Shrink(size_t size_class, size_t keep) {
    const size_t block_size = FrameSizeClassBytes(size_class);
    size_t freed = 0;
    while (counts[size_class] > keep) {
      FreeBlock* block = heads[size_class];
      Unpoison(block, block_size);
      heads[size_class] = block->next;
      counts[size_class]--;
      ::operator delete(block);
      freed++;
    }
    return freed;
  }
};

std::atomic<uint64_t> exit_threads{0};
std::atomic<uint64_t> exit_frames{0};
std::atomic<uint64_t> exit_bytes{0};

// The pointer and the flag are trivially destructible, so they stay readable
// while the holder below is being destroyed at thread exit and afterwards
// (other thread_local destructors may still free frames then).
thread_local ThreadFrameCache* tls_cache = nullptr;
thread_local bool tls_cache_gone = false;

struct ThreadFrameCacheHolder {
  ThreadFrameCache cache;

  ~ThreadFrameCacheHolder() {
    uint64_t frames = 0;
    uint64_t bytes = 0;
    for (size_t i = 0; i < kFrameSizeClassCount; i++) {
      const size_t freed = cache.Shrink(i, 0);
      frames += freed;
      bytes += freed * FrameSizeClassBytes(i);
    }
    exit_threads.fetch_add(1, std::memory_order_relaxed);
    exit_frames.fetch_add(frames, std::memory_order_relaxed);
    exit_bytes.fetch_add(bytes, std::memory_order_relaxed);
    tls_cache = nullptr;
    tls_cache_gone = true;
  }
};

// Constructed on the first use by each thread; its destructor runs at that
// thread's exit.
thread_local ThreadFrameCacheHolder tls_holder;

// The calling thread's cache, or nullptr once it has been released.
inline ThreadFrameCache* Cache() {
  ThreadFrameCache* cache = tls_cache;
  if (cache != nullptr) [[likely]]
    return cache;
  if (tls_cache_gone)
    return nullptr;
  tls_cache = &tls_holder.cache;
  return tls_cache;
}

}  // namespace

void* AllocateFrame(size_t size) {
  const size_t size_class = FrameSizeClass(size);
  ThreadFrameCache* cache = Cache();
  if (size_class == kFrameSizeClassCount) {
    if (cache != nullptr) {
      cache->live_frames++;
      cache->live_bytes += static_cast<int64_t>(size);
      cache->oversize++;
    }
    return SystemAllocate(size);
  }
  const size_t block_size = FrameSizeClassBytes(size_class);
  if (cache == nullptr)
    return SystemAllocate(block_size);
  cache->live_frames++;
  cache->live_bytes += static_cast<int64_t>(block_size);
  void* ptr;
  FreeBlock* block = cache->heads[size_class];
  if (block != nullptr) {
    Unpoison(block, block_size);
    cache->heads[size_class] = block->next;
    cache->counts[size_class]--;
    cache->hits++;
    ptr = block;
  } else {
    cache->misses++;
    ptr = SystemAllocate(block_size);
  }
  Poison(static_cast<char*>(ptr) + size, block_size - size);
  return ptr;
}

void FreeFrame(void* ptr, size_t size) noexcept {
  if (ptr == nullptr)
    return;
  const size_t size_class = FrameSizeClass(size);
  ThreadFrameCache* cache = Cache();
  if (cache == nullptr || size_class == kFrameSizeClassCount) {
    if (cache != nullptr) {
      cache->live_frames--;
      cache->live_bytes -= static_cast<int64_t>(size);
      cache->frees++;
    }
    ::operator delete(ptr);
    return;
  }
  const size_t block_size = FrameSizeClassBytes(size_class);
  Unpoison(ptr, block_size);
  cache->live_frames--;
  cache->live_bytes -= static_cast<int64_t>(block_size);
  cache->frees++;
  if (cache->counts[size_class] >= cache->capacity) {
    cache->released++;
    ::operator delete(ptr);
    return;
  }
  FreeBlock* block = static_cast<FreeBlock*>(ptr);
  block->next = cache->heads[size_class];
  cache->heads[size_class] = block;
  cache->counts[size_class]++;
  Poison(block, block_size);
}

FrameAllocatorStats GetFrameAllocatorStats() {
  FrameAllocatorStats stats;
  for (size_t i = 0; i < kFrameSizeClassCount; i++)
    stats.classes[i].block_size = FrameSizeClassBytes(i);
  ThreadFrameCache* cache = Cache();
  if (cache == nullptr)
    return stats;
  stats.live_frames = cache->live_frames;
  stats.live_bytes = cache->live_bytes;
  stats.frees = cache->frees;
  stats.hits = cache->hits;
  stats.misses = cache->misses;
  stats.oversize = cache->oversize;
  stats.released = cache->released;
  stats.capacity = cache->capacity;
  for (size_t i = 0; i < kFrameSizeClassCount; i++) {
    FrameSizeClassStats& cls = stats.classes[i];
    cls.cached_frames = cache->counts[i];
    cls.cached_bytes = cls.cached_frames * cls.block_size;
    stats.cached_frames += cls.cached_frames;
    stats.cached_bytes += cls.cached_bytes;
  }
  return stats;
}

FrameAllocatorExitStats GetFrameAllocatorExitStats() {
  FrameAllocatorExitStats stats;
  stats.threads = exit_threads.load(std::memory_order_relaxed);
  stats.frames = exit_frames.load(std::memory_order_relaxed);
  stats.bytes = exit_bytes.load(std::memory_order_relaxed);
  return stats;
}

size_t SetFrameCacheCapacity(size_t max_frames_per_class) {
  ThreadFrameCache* cache = Cache();
  if (cache == nullptr)
    return 0;
  const size_t previous = cache->capacity;
  cache->capacity = max_frames_per_class;
  for (size_t i = 0; i < kFrameSizeClassCount; i++)
    cache->Shrink(i, max_frames_per_class);
  return previous;
}

void TrimFrameCache() {
  ThreadFrameCache* cache = Cache();
  if (cache == nullptr)
    return;
  for (size_t i = 0; i < kFrameSizeClassCount; i++)
    cache->Shrink(i, 0);
}

}  // namespace coro
}  // namespace node
