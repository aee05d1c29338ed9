// UvGetAddrInfo: uv_getaddrinfo as an awaitable yielding
// UvResult<AddrInfo>; AddrInfo owns the list and frees it with
// uv_freeaddrinfo.
//
//   addrinfo hints{};
//   hints.ai_flags = AI_NUMERICHOST;
//   auto [err, info] = co_await UvGetAddrInfo(loop, "127.0.0.1", "80",
//                                             &hints);
//
// `node`, `service` and `hints` are copied by libuv when the request is
// dispatched (at the co_await), so they need to live only until then.
// Errors are libuv's UV_EAI_* codes, except that a request cancelled while
// queued reports UV_ECANCELED (libuv says UV_EAI_CANCELED), like every other
// awaitable of the layer.

#ifndef SRC_CORO_UV_GETADDRINFO_H_
#define SRC_CORO_UV_GETADDRINFO_H_

#include <uv.h>

#include <coroutine>
#include <utility>

#include "coro/coro_check.h"
#include "coro/detail/operation_state.h"
#include "coro/uv_result.h"

namespace node {
namespace coro {

class AddrInfo {
 public:
  AddrInfo() = default;
  explicit AddrInfo(struct addrinfo* head) : head_(head) {}
  AddrInfo(AddrInfo&& other) noexcept : head_(other.Release()) {}
  AddrInfo& operator=(AddrInfo&& other) noexcept {
    if (this != &other) {
      Reset();
      head_ = other.Release();
    }
    return *this;
  }
  AddrInfo(const AddrInfo&) = delete;
  AddrInfo& operator=(const AddrInfo&) = delete;
  ~AddrInfo() { Reset(); }

  const struct addrinfo* get() const { return head_; }
  struct addrinfo* Release() { return std::exchange(head_, nullptr); }

 private:
  void Reset() {
    if (head_ != nullptr)
      uv_freeaddrinfo(Release());
  }

  struct addrinfo* head_ = nullptr;
};

class [[nodiscard]] UvGetAddrInfoAwaitable {
 public:
  UvGetAddrInfoAwaitable(uv_loop_t* loop,
                         const char* node,
                         const char* service,
                         const struct addrinfo* hints)
      : loop_(loop), node_(node), service_(service), hints_(hints) {}
  UvGetAddrInfoAwaitable(const UvGetAddrInfoAwaitable&) = delete;
  UvGetAddrInfoAwaitable& operator=(const UvGetAddrInfoAwaitable&) = delete;

  bool await_ready() const noexcept { return false; }

  bool await_suspend(std::coroutine_handle<> handle) {
    op_.BeginDispatch(handle);
    req_.data = this;
    const int err =
        uv_getaddrinfo(loop_, &req_, &OnComplete, node_, service_, hints_);
    if (err < 0 && op_.dispatching())
      status_ = err;
    return op_.EndDispatch(err);
  }

  UvResult<AddrInfo> await_resume() {
    CHECK(op_.done());
    AddrInfo info(std::exchange(result_, nullptr));
    if (status_ < 0)
      return {status_, AddrInfo()};  // `info`, if any, is freed here.
    return {0, std::move(info)};
  }

  uv_req_t* cancelable_req() { return reinterpret_cast<uv_req_t*>(&req_); }

 private:
  static void OnComplete(uv_getaddrinfo_t* req,
                         int status,
                         struct addrinfo* result) {
    UvGetAddrInfoAwaitable* self =
        static_cast<UvGetAddrInfoAwaitable*>(req->data);
    self->status_ = status == UV_EAI_CANCELED ? UV_ECANCELED : status;
    self->result_ = result;
    self->op_.Complete();
  }

  uv_loop_t* loop_;
  const char* node_;
  const char* service_;
  const struct addrinfo* hints_;
  struct addrinfo* result_ = nullptr;
  int status_ = 0;
  detail::OperationState op_;
  uv_getaddrinfo_t req_{};
};

inline UvGetAddrInfoAwaitable UvGetAddrInfo(
    uv_loop_t* loop,
    const char* node,
    const char* service,
    const struct addrinfo* hints = nullptr) {
  return UvGetAddrInfoAwaitable(loop, node, service, hints);
}

}  // namespace coro
}  // namespace node

#endif  // SRC_CORO_UV_GETADDRINFO_H_
