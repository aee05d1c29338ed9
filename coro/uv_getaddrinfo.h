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
#include "coro/detail/unique_handle.h"
#include "coro/uv_result.h"

namespace node {
namespace coro {

namespace detail {

struct AddrInfoTraits {
  using value_type = struct addrinfo*;
  static constexpr struct addrinfo* kInvalid = nullptr;
  static int Close(struct addrinfo* head) {
    uv_freeaddrinfo(head);
    return 0;
  }
};

}  // namespace detail

// The result list of a getaddrinfo request; get() is its head (nullptr when
// empty).
class AddrInfo : public detail::UniqueHandle<detail::AddrInfoTraits> {
 public:
  using UniqueHandle::UniqueHandle;
};

class [[nodiscard]] UvGetAddrInfoAwaitable {
 public:
  using leaf_operation_tag = void;

  UvGetAddrInfoAwaitable(uv_loop_t* loop,
                         const char* node,
                         const char* service,
                         const struct addrinfo* hints)
      : loop_(loop), node_(node), service_(service), hints_(hints) {}
  UvGetAddrInfoAwaitable(const UvGetAddrInfoAwaitable&) = delete;
  UvGetAddrInfoAwaitable& operator=(const UvGetAddrInfoAwaitable&) = delete;

  bool await_ready() const noexcept { return false; }

  bool await_suspend(std::coroutine_handle<> handle) {
    req_.data = this;
    return op_.Suspend(handle, &status_, [this] {
      return uv_getaddrinfo(loop_, &req_, &OnComplete, node_, service_,
                            hints_);
    });
  }

  UvResult<AddrInfo> await_resume() {
    CHECK(op_.done());
    AddrInfo info(std::exchange(result_, nullptr));
    if (status_ < 0)
      return {status_, AddrInfo()};  // `info`, if any, is freed here.
    return {0, std::move(info)};
  }

  uv_req_t* cancelable_req() { return reinterpret_cast<uv_req_t*>(&req_); }
  void CompleteCancelled() {
    status_ = UV_ECANCELED;
    op_.CompleteWithoutDispatch();
  }

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
