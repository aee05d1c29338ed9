// Owning results for the fs requests that create a resource: UvFsOpen yields
// a UvFile, UvFsOpendir a UvDir. Each releases what it holds when it is
// dropped, so that a resource is not leaked on any path, including an open
// that was already running when its task was cancelled and that completes
// with a real fd (see "Cancellation" in coro/README.md).
//
//   auto [err, file] = co_await UvFsOpen(loop, path, O_RDONLY, 0);
//   if (err < 0) co_return err;
//   ...
//   co_return co_await file.Close(loop);  // The usual, asynchronous close.
//
// The drop-time release is synchronous (uv_fs_close / uv_fs_closedir without
// a callback, on the calling thread): a fallback for early exits, not the
// normal path.

#ifndef SRC_CORO_UV_FILE_H_
#define SRC_CORO_UV_FILE_H_

#include <uv.h>

#include <utility>

#include "coro/detail/leaf_awaiter.h"
#include "coro/detail/unique_handle.h"
#include "coro/uv_fs.h"
#include "coro/uv_result.h"

namespace node {
namespace coro {

namespace detail {

struct FileTraits {
  using value_type = uv_file;
  static constexpr uv_file kInvalid = -1;
  static int Close(uv_file fd) {
    uv_fs_t req;
    const int err = uv_fs_close(nullptr, &req, fd, nullptr);
    uv_fs_req_cleanup(&req);
    return err;
  }
};

struct DirTraits {
  using value_type = uv_dir_t*;
  static constexpr uv_dir_t* kInvalid = nullptr;
  static int Close(uv_dir_t* dir) {
    uv_fs_t req;
    const int err = uv_fs_closedir(nullptr, &req, dir, nullptr);
    uv_fs_req_cleanup(&req);
    return err;
  }
};

}  // namespace detail

// An open file. Release() gives up ownership.
class UvFile : public detail::UniqueHandle<detail::FileTraits> {
 public:
  using UniqueHandle::UniqueHandle;

  bool is_open() const { return valid(); }
  uv_file fd() const { return get(); }

  // Asynchronous close; the co_await yields 0 or an error. Not
  // cancellable, and it runs even in a cancelled task: ownership is given
  // up here, so a close stopped by a cancellation would leak the fd.
  auto Close(uv_loop_t* loop) {
    return NonCancellable(
        [loop, fd = Release()] { return UvFs(loop, uv_fs_close, fd); });
  }

  // Synchronous close on the calling thread; 0 if nothing was open.
  int CloseNow() { return Reset(); }
};

// A directory stream from uv_fs_opendir.
class UvDir : public detail::UniqueHandle<detail::DirTraits> {
 public:
  using UniqueHandle::UniqueHandle;

  bool is_open() const { return valid(); }

  // Not cancellable either, for the same reason as UvFile::Close.
  auto Close(uv_loop_t* loop) {
    return NonCancellable(
        [loop, dir = Release()] { return UvFs(loop, uv_fs_closedir, dir); });
  }

  int CloseNow() { return Reset(); }
};

namespace fs_result {

struct OpenFile {
  static UvResult<UvFile> Get(uv_fs_t* req, ssize_t result) {
    static_cast<void>(req);
    if (result < 0)
      return {static_cast<int>(result), UvFile()};
    return {0, UvFile(static_cast<uv_file>(result))};
  }
};

struct OpenDir {
  static UvResult<UvDir> Get(uv_fs_t* req, ssize_t result) {
    if (result < 0)
      return {static_cast<int>(result), UvDir()};
    return {0, UvDir(static_cast<uv_dir_t*>(req->ptr))};
  }
};

}  // namespace fs_result

// uv_fs_open; yields UvResult<UvFile>.
template <typename PathArg>
auto UvFsOpen(uv_loop_t* loop, PathArg&& path, int flags, int mode) {
  return UvFsWith<fs_result::OpenFile>(
      loop, uv_fs_open, std::forward<PathArg>(path), flags, mode);
}

// uv_fs_opendir; yields UvResult<UvDir>.
template <typename PathArg>
auto UvFsOpendir(uv_loop_t* loop, PathArg&& path) {
  return UvFsWith<fs_result::OpenDir>(
      loop, uv_fs_opendir, std::forward<PathArg>(path));
}

}  // namespace coro
}  // namespace node

#endif  // SRC_CORO_UV_FILE_H_
