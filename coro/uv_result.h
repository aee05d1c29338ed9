// UvResult<T>: an error code and a value, the way awaitables that produce
// more than a number report their outcome. No exceptions: `err` is 0 on
// success or a negative libuv error code (UV_ENOENT, UV_ECANCELED, ...), and
// `value` is meaningful only when err == 0 (it is value-initialized
// otherwise). An aggregate, so structured bindings work:
//
//   auto [err, stat] = co_await UvFsStat(loop, uv_fs_stat, path);

#ifndef SRC_CORO_UV_RESULT_H_
#define SRC_CORO_UV_RESULT_H_

namespace node {
namespace coro {

template <typename T>
struct UvResult {
  int err = 0;
  T value{};

  bool ok() const { return err == 0; }
};

}  // namespace coro
}  // namespace node

#endif  // SRC_CORO_UV_RESULT_H_
