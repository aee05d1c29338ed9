// Thread-local allocator for coroutine frames.
//
// Every promise type of the layer routes its operator new/delete here. Frames
// of up to kMaxPooledFrameSize bytes are rounded up to a size class (a multiple
// of kFrameSizeClassGranularity) and, when freed, kept on the calling thread's
// free list for that class, up to a per-class cap; past the cap, and for
// larger frames, memory goes straight back to ::operator delete. Everything a
// thread holds is released when that thread exits.
//
// No locking: each thread has its own lists. A frame may be freed on a thread
// other than the one that allocated it; it then joins the freeing thread's
// list (and the per-thread live counts of both threads move accordingly).

#ifndef SRC_CORO_FRAME_ALLOCATOR_H_
#define SRC_CORO_FRAME_ALLOCATOR_H_

#include <array>
#include <cstddef>
#include <cstdint>

namespace node {
namespace coro {

inline constexpr size_t kFrameSizeClassGranularity = 128;
inline constexpr size_t kMaxPooledFrameSize = 4096;
inline constexpr size_t kFrameSizeClassCount =
    kMaxPooledFrameSize / kFrameSizeClassGranularity;
inline constexpr size_t kDefaultFrameCacheCapacity = 32;

// The size class a request of `size` bytes falls into, or kFrameSizeClassCount
// for sizes that are not pooled.
constexpr size_t FrameSizeClass(size_t size) {
  return (size == 0 || size > kMaxPooledFrameSize)
             ? kFrameSizeClassCount
             : (size - 1) / kFrameSizeClassGranularity;
}

// The block size of a size class.
constexpr size_t FrameSizeClassBytes(size_t size_class) {
  return (size_class + 1) * kFrameSizeClassGranularity;
}

struct FrameSizeClassStats {
  size_t block_size = 0;     // Bytes per frame in this class.
  size_t cached_frames = 0;  // Frames on this class's free list.
  size_t cached_bytes = 0;   // cached_frames * block_size.
};

// Counters of the calling thread. All except the cache levels are cumulative
// since the thread's first allocation.
struct FrameAllocatorStats {
  int64_t live_frames = 0;  // Allocated here minus freed here (all sizes).
  // Bytes of those frames (block sizes for pooled ones, as they occupy).
  int64_t live_bytes = 0;
  uint64_t frees = 0;       // Frames freed here (to a list or the system).
  uint64_t hits = 0;        // Pooled allocations served from a free list.
  uint64_t misses = 0;      // Pooled allocations that found the list empty.
  uint64_t oversize = 0;    // Allocations above kMaxPooledFrameSize.
  uint64_t released = 0;    // Pooled frees that went to the system (cap hit).
  size_t cached_frames = 0;  // Sum over the classes.
  size_t cached_bytes = 0;   // Sum over the classes.
  size_t capacity = 0;       // Current per-class cap.
  std::array<FrameSizeClassStats, kFrameSizeClassCount> classes{};
};

// Process-wide totals of what thread exits have given back.
struct FrameAllocatorExitStats {
  uint64_t threads = 0;  // Threads whose cache was released at exit.
  uint64_t frames = 0;   // Cached frames released at thread exit.
  uint64_t bytes = 0;    // Bytes of those frames.
};

// Allocates a frame of `size` bytes (aligned like ::operator new). Aborts on
// out-of-memory, as Node's Malloc() does.
void* AllocateFrame(size_t size);

// Frees a frame; `size` must be the size it was allocated with (promise
// types get it from the sized operator delete).
void FreeFrame(void* ptr, size_t size) noexcept;

FrameAllocatorStats GetFrameAllocatorStats();
FrameAllocatorExitStats GetFrameAllocatorExitStats();

// Sets the calling thread's per-class cap (0 disables caching) and trims
// every list down to it. Returns the previous cap.
size_t SetFrameCacheCapacity(size_t max_frames_per_class);

// Gives every frame cached by the calling thread back to the system.
void TrimFrameCache();

}  // namespace coro
}  // namespace node

#endif  // SRC_CORO_FRAME_ALLOCATOR_H_
