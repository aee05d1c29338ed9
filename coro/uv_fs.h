// Awaitables for libuv file-system requests.
//
// One generic awaitable, UvFsAwaitable<Extract, Fn, Args...>, covers every
// uv_fs_* call: it embeds the uv_fs_t in the awaiting coroutine's frame,
// dispatches `fn(loop, &req, args..., callback)` when awaited, and when the
// request has completed hands the req to `Extract::Get(req, result)` to build
// the value of the co_await expression, then runs uv_fs_req_cleanup(). So
// results that live in the request (the stat buffer, a path, directory
// entries, statfs data) are copied out before the request is cleaned up, and
// the caller never sees the req itself.
//
//   ssize_t fd = co_await UvFs(loop, uv_fs_open, path, O_RDONLY, 0);
//   auto [err, st] = co_await UvFsStat(loop, uv_fs_fstat, file);
//   auto [err, dir] = co_await UvFsPath(loop, uv_fs_mkdtemp, "/tmp/xXXXXXX");
//
// A dispatch error (the uv_fs_* call returns < 0 at once) completes the
// co_await with that error without suspending. See coro/README.md for
// cancellation.

#ifndef SRC_CORO_UV_FS_H_
#define SRC_CORO_UV_FS_H_

#include <uv.h>

#include <coroutine>
#include <cstddef>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "coro/coro_check.h"
#include "coro/detail/operation_state.h"
#include "coro/uv_result.h"

namespace node {
namespace coro {

struct DirEntry {
  std::string name;
  uv_dirent_type_t type = UV_DIRENT_UNKNOWN;
};

// Extractors: turn a completed request into the value of the co_await. Each
// is called exactly once, before uv_fs_req_cleanup(); `result` is the
// request's result or the synchronous dispatch error (then `req` may be only
// partly initialized and must not be read).
namespace fs_result {

// The raw result: >= 0 on success (an fd, a byte count, 0), else an error.
struct Status {
  static ssize_t Get(uv_fs_t* req, ssize_t result) {
    static_cast<void>(req);
    return result;
  }
};

// stat, lstat, fstat.
struct Stat {
  static UvResult<uv_stat_t> Get(uv_fs_t* req, ssize_t result) {
    if (result < 0)
      return {static_cast<int>(result), {}};
    return {0, req->statbuf};
  }
};

// mkdtemp (the created path), readlink and realpath.
struct Path {
  static UvResult<std::string> Get(uv_fs_t* req, ssize_t result) {
    if (result < 0)
      return {static_cast<int>(result), {}};
    const char* path = req->fs_type == UV_FS_MKDTEMP
                           ? req->path
                           : static_cast<const char*>(req->ptr);
    CHECK_NOT_NULL(path);
    return {0, std::string(path)};
  }
};

struct Statfs {
  static UvResult<uv_statfs_t> Get(uv_fs_t* req, ssize_t result) {
    if (result < 0)
      return {static_cast<int>(result), {}};
    CHECK_NOT_NULL(req->ptr);
    return {0, *static_cast<const uv_statfs_t*>(req->ptr)};
  }
};

// scandir and readdir.
struct Entries {
  static UvResult<std::vector<DirEntry>> Get(uv_fs_t* req, ssize_t result) {
    UvResult<std::vector<DirEntry>> out;
    if (result < 0) {
      out.err = static_cast<int>(result);
      return out;
    }
    if (req->fs_type == UV_FS_SCANDIR) {
      uv_dirent_t entry;
      while (uv_fs_scandir_next(req, &entry) == 0)
        out.value.push_back(DirEntry{entry.name, entry.type});
    } else {
      CHECK_EQ(req->fs_type, UV_FS_READDIR);
      const uv_dir_t* dir = static_cast<const uv_dir_t*>(req->ptr);
      for (ssize_t i = 0; i < result; i++)
        out.value.push_back(DirEntry{dir->dirents[i].name,
                                     dir->dirents[i].type});
    }
    return out;
  }
};

}  // namespace fs_result

namespace detail {

// Arguments are stored by value in the awaitable; a std::string is passed
// on as a C string, so a path may be handed over by value.
template <typename T>
const T& FsArg(const T& arg) {
  return arg;
}
inline const char* FsArg(const std::string& arg) {
  return arg.c_str();
}

}  // namespace detail

template <typename Extract, typename Fn, typename... Args>
class [[nodiscard]] UvFsAwaitable {
 public:
  using leaf_operation_tag = void;

  UvFsAwaitable(uv_loop_t* loop, Fn fn, Args... args)
      : loop_(loop), fn_(fn), args_(std::move(args)...) {}
  UvFsAwaitable(const UvFsAwaitable&) = delete;
  UvFsAwaitable& operator=(const UvFsAwaitable&) = delete;

  bool await_ready() const noexcept { return false; }

  bool await_suspend(std::coroutine_handle<> handle) {
    req_.data = this;
    return op_.Suspend(handle, &result_, [this] {
      return std::apply(
          [this](const auto&... args) {
            return fn_(loop_, &req_, detail::FsArg(args)..., &OnComplete);
          },
          args_);
    });
  }

  auto await_resume() {
    CHECK(op_.done());
    auto value = Extract::Get(&req_, result_);
    uv_fs_req_cleanup(&req_);
    return value;
  }

  // For cancellation (uv_cancel) while suspended.
  uv_req_t* cancelable_req() { return reinterpret_cast<uv_req_t*>(&req_); }
  // A cancelled task's operation: complete with UV_ECANCELED, undispatched.
  void CompleteCancelled() {
    result_ = UV_ECANCELED;
    op_.CompleteWithoutDispatch();
  }

 private:
  static void OnComplete(uv_fs_t* req) {
    UvFsAwaitable* self = static_cast<UvFsAwaitable*>(req->data);
    self->result_ = req->result;
    self->op_.Complete();
  }

  uv_loop_t* loop_;
  Fn fn_;
  std::tuple<Args...> args_;
  ssize_t result_ = 0;
  detail::OperationState op_;
  // Zeroed, so that cleaning up after a dispatcher that failed before
  // initializing the request is harmless.
  uv_fs_t req_{};
};

// Any uv_fs_* call, with a custom extractor.
template <typename Extract, typename Fn, typename... Args>
UvFsAwaitable<Extract, Fn, std::decay_t<Args>...> UvFsWith(uv_loop_t* loop,
                                                           Fn fn,
                                                           Args&&... args) {
  return UvFsAwaitable<Extract, Fn, std::decay_t<Args>...>(
      loop, fn, std::forward<Args>(args)...);
}

// Any uv_fs_* call; yields the raw ssize_t result (fd, byte count, 0, or a
// negative error).
template <typename Fn, typename... Args>
auto UvFs(uv_loop_t* loop, Fn fn, Args&&... args) {
  return UvFsWith<fs_result::Status>(loop, fn, std::forward<Args>(args)...);
}

// uv_fs_stat, uv_fs_lstat, uv_fs_fstat; yields UvResult<uv_stat_t>.
template <typename Fn, typename... Args>
auto UvFsStat(uv_loop_t* loop, Fn fn, Args&&... args) {
  return UvFsWith<fs_result::Stat>(loop, fn, std::forward<Args>(args)...);
}

// uv_fs_mkdtemp, uv_fs_readlink, uv_fs_realpath; yields
// UvResult<std::string>.
template <typename Fn, typename... Args>
auto UvFsPath(uv_loop_t* loop, Fn fn, Args&&... args) {
  return UvFsWith<fs_result::Path>(loop, fn, std::forward<Args>(args)...);
}

template <typename PathArg>
auto UvFsStatfs(uv_loop_t* loop, PathArg&& path) {
  return UvFsWith<fs_result::Statfs>(
      loop, uv_fs_statfs, std::forward<PathArg>(path));
}

// Yields UvResult<std::vector<DirEntry>>.
template <typename PathArg>
auto UvFsScandir(uv_loop_t* loop, PathArg&& path, int flags = 0) {
  return UvFsWith<fs_result::Entries>(
      loop, uv_fs_scandir, std::forward<PathArg>(path), flags);
}

namespace detail {

inline int ReaddirInto(uv_loop_t* loop,
                       uv_fs_t* req,
                       uv_dir_t* dir,
                       uv_dirent_t* entries,
                       size_t capacity,
                       uv_fs_cb cb) {
  if (dir != nullptr) {
    dir->dirents = entries;
    dir->nentries = capacity;
  }
  return uv_fs_readdir(loop, req, dir, cb);
}

}  // namespace detail

// Reads up to `capacity` entries of a directory opened with uv_fs_opendir
// (see UvFsOpendir in coro/uv_file.h) into `entries`, a buffer that must
// stay alive until the co_await completes; yields the entries (an empty list
// at the end of the directory).
inline auto UvFsReaddir(uv_loop_t* loop,
                        uv_dir_t* dir,
                        uv_dirent_t* entries,
                        size_t capacity) {
  return UvFsWith<fs_result::Entries>(
      loop, &detail::ReaddirInto, dir, entries, capacity);
}

}  // namespace coro
}  // namespace node

#endif  // SRC_CORO_UV_FS_H_
