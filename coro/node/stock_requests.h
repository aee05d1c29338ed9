// How many of the stock fs binding's promise requests the calling thread has
// constructed: FSReqPromise (a binding function called with kUsePromises)
// and FileHandle's CloseReq. src/node_file counts them;
// internalBinding('fs_coro').getStockRequestCounts() reads them, so a test
// (with --expose-internals) can prove that the fast path constructed none.
// Per thread, like the requests: each worker counts its own.
#ifndef SRC_CORO_NODE_STOCK_REQUESTS_H_
#define SRC_CORO_NODE_STOCK_REQUESTS_H_

#if defined(NODE_WANT_INTERNALS) && NODE_WANT_INTERNALS

#include <cstdint>

namespace node {
namespace coro {

struct StockRequestCounts {
  uint64_t promise_requests = 0;  // FSReqPromise
  uint64_t close_requests = 0;    // FileHandle's CloseReq
};

// The calling thread's counts (defined in fs_binding.cc).
StockRequestCounts& StockRequestCountsForCurrentThread();

}  // namespace coro
}  // namespace node

#endif  // defined(NODE_WANT_INTERNALS) && NODE_WANT_INTERNALS

#endif  // SRC_CORO_NODE_STOCK_REQUESTS_H_
