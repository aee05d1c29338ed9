// CHECK macros for the coroutine layer.
//
// Inside Node (NODE_WANT_INTERNALS) they are Node's own, from "util.h". In a
// standalone build they come from the minimal definitions below, which print
// the file, line and expression to stderr and abort. Only the subset that the
// layer and its tests use is provided; each macro is defined only if nothing
// else has defined it already.

#ifndef SRC_CORO_CORO_CHECK_H_
#define SRC_CORO_CORO_CHECK_H_

#if defined(NODE_WANT_INTERNALS) && NODE_WANT_INTERNALS

#include "util.h"

#else  // Standalone build.

#include <cstdio>
#include <cstdlib>

namespace node {
namespace coro {
namespace detail {

[[noreturn]] inline void CheckFailed(const char* location,
                                     const char* expression) {
  fprintf(stderr, "%s: Assertion `%s' failed.\n", location, expression);
  fflush(stderr);
  abort();
}

}  // namespace detail
}  // namespace coro
}  // namespace node

#define CORO_STRINGIFY_(x) #x
#define CORO_STRINGIFY(x) CORO_STRINGIFY_(x)
#define CORO_CHECK_FAILED(message)                                             \
  ::node::coro::detail::CheckFailed(__FILE__ ":" CORO_STRINGIFY(__LINE__),     \
                                    message)

#ifndef CHECK
#define CHECK(expr)                                                            \
  do {                                                                         \
    if (!(expr)) [[unlikely]] {                                                \
      CORO_CHECK_FAILED(#expr);                                                \
    }                                                                          \
  } while (0)
#endif
#ifndef CHECK_EQ
#define CHECK_EQ(a, b) CHECK((a) == (b))
#endif
#ifndef CHECK_NE
#define CHECK_NE(a, b) CHECK((a) != (b))
#endif
#ifndef CHECK_GE
#define CHECK_GE(a, b) CHECK((a) >= (b))
#endif
#ifndef CHECK_GT
#define CHECK_GT(a, b) CHECK((a) > (b))
#endif
#ifndef CHECK_LE
#define CHECK_LE(a, b) CHECK((a) <= (b))
#endif
#ifndef CHECK_LT
#define CHECK_LT(a, b) CHECK((a) < (b))
#endif
#ifndef CHECK_NULL
#define CHECK_NULL(val) CHECK((val) == nullptr)
#endif
#ifndef CHECK_NOT_NULL
#define CHECK_NOT_NULL(val) CHECK((val) != nullptr)
#endif
#ifndef UNREACHABLE
#define UNREACHABLE(...)                                                       \
  CORO_CHECK_FAILED("Unreachable code reached" __VA_OPT__(": ") __VA_ARGS__)
#endif

#ifndef DCHECK
#ifdef DEBUG
#define DCHECK(expr) CHECK(expr)
#define DCHECK_EQ(a, b) CHECK((a) == (b))
#define DCHECK_NE(a, b) CHECK((a) != (b))
#define DCHECK_NOT_NULL(val) CHECK((val) != nullptr)
#else
#define DCHECK(expr)
#define DCHECK_EQ(a, b)
#define DCHECK_NE(a, b)
#define DCHECK_NOT_NULL(val)
#endif
#endif

#endif  // defined(NODE_WANT_INTERNALS) && NODE_WANT_INTERNALS

#endif  // SRC_CORO_CORO_CHECK_H_
