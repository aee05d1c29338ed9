// UniqueHandle<Traits>: move-only ownership of a resource identified by a
// plain value (an fd, a pointer), released with Traits::Close() when the
// owner is dropped. The base of UvFile, UvDir and AddrInfo.
//
//   struct Traits {
//     using value_type = ...;
//     static constexpr value_type kInvalid = ...;
//     static int Close(value_type value);  // 0 or a negative error
//   };

#ifndef SRC_CORO_DETAIL_UNIQUE_HANDLE_H_
#define SRC_CORO_DETAIL_UNIQUE_HANDLE_H_

#include <utility>

namespace node {
namespace coro {
namespace detail {

template <typename Traits>
class UniqueHandle {
 public:
  using value_type = typename Traits::value_type;

  UniqueHandle() = default;
  explicit UniqueHandle(value_type value) : value_(value) {}
  UniqueHandle(UniqueHandle&& other) noexcept : value_(other.Release()) {}
  UniqueHandle& operator=(UniqueHandle&& other) noexcept {
    if (this != &other) {
      Reset();
      value_ = other.Release();
    }
    return *this;
  }
  UniqueHandle(const UniqueHandle&) = delete;
  UniqueHandle& operator=(const UniqueHandle&) = delete;
  ~UniqueHandle() { Reset(); }

  value_type get() const { return value_; }
  bool valid() const { return value_ != Traits::kInvalid; }

  // Gives up ownership.
  value_type Release() { return std::exchange(value_, Traits::kInvalid); }

  // Releases the resource now; 0 if there was none.
  int Reset() { return valid() ? Traits::Close(Release()) : 0; }

 private:
  value_type value_ = Traits::kInvalid;
};

}  // namespace detail
}  // namespace coro
}  // namespace node

#endif  // SRC_CORO_DETAIL_UNIQUE_HANDLE_H_
