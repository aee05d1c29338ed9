// A type-erased, move-free callable stored inline (no heap allocation), used
// for a started task's completion callback. It lives inside the coroutine
// frame, so it is constructed in place once and never moved.

#ifndef SRC_CORO_DETAIL_INLINE_CALLBACK_H_
#define SRC_CORO_DETAIL_INLINE_CALLBACK_H_

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

#include "coro/coro_check.h"

namespace node {
namespace coro {
namespace detail {

// Room for a lambda capturing four pointers (say an Environment*, a
// v8::Global and a bit of state); larger callables fail to compile.
inline constexpr size_t kInlineCallbackSize = 4 * sizeof(void*);

template <typename Signature>
class InlineCallback;

template <typename... Args>
class InlineCallback<void(Args...)> {
 public:
  InlineCallback() = default;
  ~InlineCallback() { Reset(); }

  InlineCallback(const InlineCallback&) = delete;
  InlineCallback& operator=(const InlineCallback&) = delete;

  template <typename F>
  void Emplace(F&& fn) {
    using Fn = std::decay_t<F>;
    static_assert(std::is_invocable_v<Fn&, Args...>,
                  "the callback cannot be called with the task's result");
    static_assert(sizeof(Fn) <= kInlineCallbackSize,
                  "completion callback too large to store inline: capture "
                  "less, or capture a pointer to the state");
    static_assert(alignof(Fn) <= alignof(std::max_align_t),
                  "over-aligned completion callback");
    Reset();
    new (storage_) Fn(std::forward<F>(fn));
    invoke_ = [](void* storage, Args... args) {
      (*static_cast<Fn*>(storage))(std::forward<Args>(args)...);
    };
    destroy_ = [](void* storage) { static_cast<Fn*>(storage)->~Fn(); };
  }

  bool empty() const { return invoke_ == nullptr; }

  void operator()(Args... args) {
    CHECK_NOT_NULL(invoke_);
    invoke_(storage_, std::forward<Args>(args)...);
  }

  void Reset() {
    if (destroy_ != nullptr)
      destroy_(storage_);
    invoke_ = nullptr;
    destroy_ = nullptr;
  }

 private:
  alignas(std::max_align_t) unsigned char storage_[kInlineCallbackSize];
  void (*invoke_)(void*, Args...) = nullptr;
  void (*destroy_)(void*) = nullptr;
};

}  // namespace detail
}  // namespace coro
}  // namespace node

#endif  // SRC_CORO_DETAIL_INLINE_CALLBACK_H_
