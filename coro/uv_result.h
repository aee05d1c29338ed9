// UvResult<T>: an error code and a value, the way awaitables that produce
// more than a number report their outcome. No exceptions: `err` is 0 on
// success or a negative libuv error code (UV_ENOENT, UV_ECANCELED, ...), and
// `value` is meaningful only when err == 0 (it is value-initialized
// otherwise). Structured bindings work:
//
//   auto [err, stat] = co_await UvFsStat(loop, uv_fs_stat, path);
//
// Deliberately not an aggregate: GCC 12 destroys the temporary twice when a
// co_await appears inside an aggregate's brace initializer (say
// `co_return {co_await Close(), std::move(data)};`), a use-after-free. With a
// constructor the same braces are a constructor call, which GCC gets right.
// The same hazard applies to any aggregate with a non-trivial member: in a
// coroutine, co_await into a local first, or give the type a constructor.

#ifndef SRC_CORO_UV_RESULT_H_
#define SRC_CORO_UV_RESULT_H_

#include <utility>

namespace node {
namespace coro {

template <typename T>
struct UvResult {
  UvResult() = default;
  UvResult(int error, T result) : err(error), value(std::move(result)) {}

  bool ok() const { return err == 0; }

  int err = 0;
  T value{};
};

}  // namespace coro
}  // namespace node

#endif  // SRC_CORO_UV_RESULT_H_
