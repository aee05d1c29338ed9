// internalBinding('fs_coro'): fs operations served by tracked coroutines.
// The first two prove the tracked task inside Node before the fs.promises
// fast path is built on them:
//
//   stat(path, useBigint) -> Promise<Float64Array | BigInt64Array>
//     One libuv request, so one resource of type FSREQPROMISE, the type of
//     the request it replaces. The result has the layout of the stock
//     binding's stats array (FsStatsOffset), so lib's getStatsFromBinding()
//     reads it unchanged, but it is one fresh typed array rather than the
//     two AliasedBuffers stock allocates for every request.
//
//   readFile(path, flags) -> Promise<Buffer>
//     open, fstat, read until done, close: one coroutine, one resource of
//     type FSREQCORO, where stock shows an FSREQPROMISE per request plus a
//     FILEHANDLE and a FILEHANDLECLOSEREQ. Sizes and syscall names of errors
//     as stock's readFile(path) (lib/internal/fs/promises.js readFileHandle):
//     a regular file of known size is read in chunks of at most
//     kReadFileBufferLength, ending early on a short read when it fits in
//     one; any other file (size 0: /proc, pipes, devices) in chunks of
//     kReadFileUnknownBufferLength until a read returns 0. The file is always
//     closed, also when the task was cancelled at teardown.
//
// Argument validation is lib's job, as for the stock binding: path is a
// string or Buffer, flags an int32.

#include <fcntl.h>

#include <algorithm>
#include <initializer_list>
#include <cstring>
#include <string>
#include <type_traits>
#include <utility>

#include "coro/node/promise.h"
#include "coro/node/tracked_task-inl.h"
#include "coro/uv_file.h"
#include "coro/frame_allocator.h"
#include "coro/uv_fs.h"
#include "coro/uv_work.h"
#include "env-inl.h"
#include "node_binding.h"
#include "node_buffer.h"
#include "node_errors.h"
#include "node_external_reference.h"
#include "node_file.h"
#include "string_bytes.h"
#include "path.h"
#include "permission/permission.h"
#include "util-inl.h"

namespace node {
namespace permission {
// Defined in permission/permission.cc (what Permission::ThrowAccessDenied
// and AsyncThrowAccessDenied throw), not declared in its header.
v8::MaybeLocal<v8::Value> CreateAccessDeniedError(Environment* env,
                                                  PermissionScope perm,
                                                  const std::string_view& res);
}  // namespace permission

namespace coro {
namespace fs_binding {

using v8::ArrayBuffer;
using v8::ArrayBufferView;
using v8::BigInt64Array;
using v8::Context;
using v8::Float64Array;
using v8::FunctionCallbackInfo;
using v8::Int32;
using v8::Isolate;
using v8::Local;
using v8::MaybeLocal;
using v8::Object;
using v8::ObjectTemplate;
using v8::Value;

// lib/internal/fs/utils.js
constexpr int64_t kIoMaxLength = (int64_t{1} << 31) - 1;
constexpr size_t kReadFileBufferLength = 512 * 1024;
constexpr size_t kReadFileUnknownBufferLength = 64 * 1024;

constexpr size_t kStatsFields =
    static_cast<size_t>(fs::FsStatsOffset::kFsStatsFieldsNumber);

// The stats array the stock binding fills (FillStatsArray in node_file-inl.h),
// as a fresh Float64Array or BigInt64Array.
template <typename NativeT>
void FillStats(NativeT* fields, const uv_stat_t& s) {
  using fs::FsStatsOffset;
  auto set = [fields](FsStatsOffset offset, auto value) {
    fields[static_cast<size_t>(offset)] = static_cast<NativeT>(value);
  };
  set(FsStatsOffset::kDev, s.st_dev);
  set(FsStatsOffset::kMode, s.st_mode);
  set(FsStatsOffset::kNlink, s.st_nlink);
  set(FsStatsOffset::kUid, s.st_uid);
  set(FsStatsOffset::kGid, s.st_gid);
  set(FsStatsOffset::kRdev, s.st_rdev);
  set(FsStatsOffset::kBlkSize, s.st_blksize);
  set(FsStatsOffset::kIno, s.st_ino);
  set(FsStatsOffset::kSize, s.st_size);
  set(FsStatsOffset::kBlocks, s.st_blocks);
  // As the stock binding: times through double (pre-epoch times negative).
  set(FsStatsOffset::kATimeSec, static_cast<double>(s.st_atim.tv_sec));
  set(FsStatsOffset::kATimeNsec, static_cast<double>(s.st_atim.tv_nsec));
  set(FsStatsOffset::kMTimeSec, static_cast<double>(s.st_mtim.tv_sec));
  set(FsStatsOffset::kMTimeNsec, static_cast<double>(s.st_mtim.tv_nsec));
  set(FsStatsOffset::kCTimeSec, static_cast<double>(s.st_ctim.tv_sec));
  set(FsStatsOffset::kCTimeNsec, static_cast<double>(s.st_ctim.tv_nsec));
  set(FsStatsOffset::kBirthTimeSec, static_cast<double>(s.st_birthtim.tv_sec));
  set(FsStatsOffset::kBirthTimeNsec,
      static_cast<double>(s.st_birthtim.tv_nsec));
}

MaybeLocal<Value> StatsArray(Environment* env,
                             const uv_stat_t& s,
                             bool use_bigint) {
  Isolate* isolate = env->isolate();
  Local<ArrayBuffer> ab = ArrayBuffer::New(isolate, kStatsFields * 8);
  void* data = ab->Data();
  if (use_bigint) {
    FillStats(static_cast<int64_t*>(data), s);
    return BigInt64Array::New(ab, 0, kStatsFields);
  }
  FillStats(static_cast<double*>(data), s);
  return Float64Array::New(ab, 0, kStatsFields);
}

// A path argument as the stock binding reads it, or false after rejecting
// the promise when the permission model denies `scope` on it (stock rejects
// its FSReqPromise the same way, AsyncThrowAccessDenied).
bool ReadPathWithSuffix(Environment* env,
                        Local<Value> arg,
                        permission::PermissionScope scope,
                        const char* suffix,
                        PromiseSettler* settler,
                        std::string* out) {
  BufferValue path(env->isolate(), arg);
  CHECK_NOT_NULL(*path);
  ToNamespacedPath(env, &path);
  out->assign(*path, path.length());
  out->append(suffix);
  if (!env->permission()->is_granted(env, scope, *out)) [[unlikely]] {
    Local<Value> error;
    if (permission::CreateAccessDeniedError(env, scope, *out)
            .ToLocal(&error)) {
      settler->Reject(error);
    }
    return false;
  }
  return true;
}

bool ReadPath(Environment* env,
              Local<Value> arg,
              permission::PermissionScope scope,
              PromiseSettler* settler,
              std::string* out) {
  return ReadPathWithSuffix(env, arg, scope, "", settler, out);
}

// ---------------------------------------------------------------------------
// Single-request operations: one libuv request, reported as the
// FSREQPROMISE it replaces.

template <typename Target>
UvTrackedTask<void, AsyncWrap::PROVIDER_FSREQPROMISE> StatTask(
    Environment* env,
    PromiseSettler settler,
    int (*fn)(uv_loop_t*, uv_fs_t*, Target, uv_fs_cb),
    const char* syscall,
    std::conditional_t<std::is_same_v<Target, uv_file>, uv_file, std::string>
        target,
    bool bigint) {
  auto [err, st] = co_await UvFsStat(env->event_loop(), fn, target);
  if (err < 0) {
    if constexpr (std::is_same_v<Target, uv_file>)
      co_return settler.RejectUV(err, syscall);  // fd operations: no path
    else
      co_return settler.RejectUV(err, syscall, target.c_str());
  }
  settler.Resolve([&st, bigint](Environment* env) {
    return StatsArray(env, st, bigint);
  });
}

template <int (*Fn)(uv_loop_t*, uv_fs_t*, const char*, uv_fs_cb)>
void StatPath(const FunctionCallbackInfo<Value>& args, const char* syscall) {
  Environment* env = Environment::GetCurrent(args);
  CHECK_GE(args.Length(), 2);
  PromiseSettler settler(env, args);
  std::string path;
  if (!ReadPath(env, args[0], permission::PermissionScope::kFileSystemRead,
                &settler, &path)) {
    return;
  }
  auto task = StatTask<const char*>(env, std::move(settler), Fn, syscall,
                                    std::move(path), args[1]->IsTrue());
  task.InitTracking(env, syscall);
  task.Start();
}

void Stat(const FunctionCallbackInfo<Value>& args) {
  StatPath<uv_fs_stat>(args, "stat");
}

void LStat(const FunctionCallbackInfo<Value>& args) {
  StatPath<uv_fs_lstat>(args, "lstat");
}

void FStat(const FunctionCallbackInfo<Value>& args) {
  Environment* env = Environment::GetCurrent(args);
  CHECK_GE(args.Length(), 2);
  CHECK(args[0]->IsInt32());
  PromiseSettler settler(env, args);
  auto task = StatTask<uv_file>(env, std::move(settler), uv_fs_fstat, "fstat",
                                args[0].As<Int32>()->Value(),
                                args[1]->IsTrue());
  task.InitTracking(env, "fstat");
  task.Start();
}

UvTrackedTask<void, AsyncWrap::PROVIDER_FSREQPROMISE> AccessTask(
    Environment* env, PromiseSettler settler, std::string path, int mode) {
  const ssize_t err =
      co_await UvFs(env->event_loop(), uv_fs_access, path, mode);
  if (err < 0)
    co_return settler.RejectUV(static_cast<int>(err), "access", path.c_str());
  settler.ResolveUndefined();
}

void Access(const FunctionCallbackInfo<Value>& args) {
  Environment* env = Environment::GetCurrent(args);
  CHECK_GE(args.Length(), 2);
  // As the stock binding: the mode is validated here, first, and a bad one
  // throws (ERR_INVALID_ARG_TYPE / ERR_OUT_OF_RANGE) from the call.
  int mode;
  if (!GetValidFileMode(env, args[1], UV_FS_ACCESS).To(&mode))
    return;
  PromiseSettler settler(env, args);
  std::string path;
  if (!ReadPath(env, args[0], permission::PermissionScope::kFileSystemRead,
                &settler, &path)) {
    return;
  }
  auto task = AccessTask(env, std::move(settler), std::move(path), mode);
  task.InitTracking(env, "access");
  task.Start();
}

// ---------------------------------------------------------------------------
// Whole-file operations in one pool hop. The first part of the work runs as
// ONE thread-pool job of blocking calls (libuv's synchronous fs API, so the
// errors and flags are the same as its asynchronous requests'): open, fstat,
// the first read or write of at most 512 KiB, and, when that was all, fsync
// and close. Stock needs a loop round trip per step. Larger files hand the
// pool thread back between 512 KiB chunks, as stock does; files of unknown
// size (st_size 0: /proc, pipes, devices) continue with one request per
// 64 KiB read. The job writes only into its Job struct, which lives in the
// coroutine frame; whatever fd it leaves open, the coroutine owns (UvFile)
// and closes on every path.

// A malloc'ed byte buffer that becomes the result Buffer without a copy.
class ReadBuffer {
 public:
  ReadBuffer() = default;
  ReadBuffer(const ReadBuffer&) = delete;
  ReadBuffer& operator=(const ReadBuffer&) = delete;
  ~ReadBuffer() { free(data_); }

  // Room for at least `capacity` bytes in all; false when out of memory.
  bool Reserve(size_t capacity) {
    if (capacity <= capacity_)
      return true;
    char* grown = UncheckedRealloc(data_, capacity);
    if (grown == nullptr)
      return false;
    data_ = grown;
    capacity_ = capacity;
    return true;
  }
  char* tail() { return data_ + length_; }
  size_t room() const { return capacity_ - length_; }
  size_t length() const { return length_; }
  void Grow(size_t n) { length_ += n; }

  // Hands the bytes to a Buffer (which frees them).
  MaybeLocal<Value> Release(Environment* env) {
    MaybeLocal<Object> maybe_buffer =
        length_ == 0 ? Buffer::New(env, size_t{0})
                     : Buffer::New(env, std::exchange(data_, nullptr), length_);
    capacity_ = length_ = 0;
    Local<Object> buffer;
    if (!maybe_buffer.ToLocal(&buffer))
      return MaybeLocal<Value>();
    return buffer;
  }

 private:
  char* data_ = nullptr;
  size_t capacity_ = 0;
  size_t length_ = 0;
};

namespace sync_fs {

int Open(const std::string& path, int flags, int mode) {
  uv_fs_t req;
  const int r = uv_fs_open(nullptr, &req, path.c_str(), flags, mode, nullptr);
  uv_fs_req_cleanup(&req);
  return r;
}

int Fstat(uv_file fd, uv_stat_t* st) {
  uv_fs_t req;
  const int r = uv_fs_fstat(nullptr, &req, fd, nullptr);
  if (r == 0)
    *st = req.statbuf;
  uv_fs_req_cleanup(&req);
  return r;
}

ssize_t Read(uv_file fd, char* data, size_t length) {
  uv_fs_t req;
  uv_buf_t buf = uv_buf_init(data, static_cast<unsigned>(length));
  const int r = uv_fs_read(nullptr, &req, fd, &buf, 1, -1, nullptr);
  uv_fs_req_cleanup(&req);
  return r;
}

ssize_t Write(uv_file fd, const char* data, size_t length) {
  uv_fs_t req;
  uv_buf_t buf =
      uv_buf_init(const_cast<char*>(data), static_cast<unsigned>(length));
  const int r = uv_fs_write(nullptr, &req, fd, &buf, 1, -1, nullptr);
  uv_fs_req_cleanup(&req);
  return r;
}

int Fsync(uv_file fd) {
  uv_fs_t req;
  const int r = uv_fs_fsync(nullptr, &req, fd, nullptr);
  uv_fs_req_cleanup(&req);
  return r;
}

int Ftruncate(uv_file fd, int64_t length) {
  uv_fs_t req;
  const int r = uv_fs_ftruncate(nullptr, &req, fd, length, nullptr);
  uv_fs_req_cleanup(&req);
  return r;
}

int Close(uv_file fd) {
  uv_fs_t req;
  const int r = uv_fs_close(nullptr, &req, fd, nullptr);
  uv_fs_req_cleanup(&req);
  return r;
}

}  // namespace sync_fs

// The outcome of a whole-file operation so far: the first error (and the
// syscall stock would name), and the fd while one is open.
struct FileOutcome {
  std::string path;
  int err = 0;
  const char* syscall = nullptr;
  uv_file fd = -1;
  bool done = false;  // Nothing left to do but settle (the fd is closed).

  // On the pool thread: opens `path`; false (and done) when that failed.
  bool OpenOnThread(int flags, int mode) {
    const int opened = sync_fs::Open(path, flags, mode);
    if (opened < 0) {
      Fail(opened, "open");
      done = true;  // Nothing was opened: nothing left to do.
      return false;
    }
    fd = opened;
    return true;
  }

  // Rejects with the first error, if any; true when it did. Only the open
  // names the path; the fd operations after it do not (stock: UVException
  // without a path for fstat, read, write, close...).
  bool RejectIfFailed(PromiseSettler* settler) const {
    if (err == 0)
      return false;
    const bool has_path = syscall != nullptr && strcmp(syscall, "open") == 0;
    settler->RejectUV(err, syscall, has_path ? path.c_str() : nullptr);
    return true;
  }

  void Fail(int error, const char* name) {
    if (err == 0) {
      err = error;
      syscall = name;
    }
  }
  // Ends on the pool thread: closes the fd; a close error counts only if
  // nothing failed before (stock reports the operation's error first).
  void CloseOnThread() {
    if (fd >= 0) {
      const int r = sync_fs::Close(std::exchange(fd, -1));
      if (r < 0)
        Fail(r, "close");
    }
    done = true;
  }
};

struct ReadJob : FileOutcome {
  int flags = 0;
  bool known_size = false;
  int64_t size = 0;
  int64_t too_large = -1;
  ReadBuffer buffer;

  // On a pool thread.
  void Run() {
    if (!OpenOnThread(flags, 0666))
      return;
    uv_stat_t st{};
    const int r = sync_fs::Fstat(fd, &st);
    if (r < 0) {
      Fail(r, "fstat");
      return CloseOnThread();
    }
    known_size = (st.st_mode & S_IFMT) == S_IFREG && st.st_size > 0;
    if (!known_size)
      return;  // Unknown size: the coroutine reads, a request per chunk.
    size = static_cast<int64_t>(st.st_size);
    if (size > kIoMaxLength) {
      too_large = size;
      return CloseOnThread();
    }
    if (!buffer.Reserve(static_cast<size_t>(size))) {
      Fail(UV_ENOMEM, "read");
      return CloseOnThread();
    }
    const size_t want =
        std::min(static_cast<size_t>(size), kReadFileBufferLength);
    const ssize_t n = sync_fs::Read(fd, buffer.tail(), want);
    if (n < 0) {
      Fail(static_cast<int>(n), "read");
      return CloseOnThread();
    }
    buffer.Grow(static_cast<size_t>(n));
    // A file that fits in one read is done after it, short or not (stock
    // ends on a short single read); a larger one is done at its size or EOF.
    if (static_cast<size_t>(size) <= kReadFileBufferLength || n == 0 ||
        buffer.length() == static_cast<size_t>(size)) {
      CloseOnThread();
    }
  }
};

UvTrackedTask<void, AsyncWrap::PROVIDER_FSREQCORO> ReadFileTask(
    Environment* env, PromiseSettler settler, std::string path, int flags) {
  uv_loop_t* loop = env->event_loop();
  ReadJob job;
  job.path = std::move(path);
  job.flags = flags;
  const int status = co_await UvWork(loop, [&job] { job.Run(); });
  // Whatever the job left open is this coroutine's from here on.
  UvFile file(std::exchange(job.fd, -1));
  if (status < 0)
    co_return;  // Cancelled at teardown before it ran: nothing to settle.

  if (!job.done) {
    // Larger than one chunk, or of unknown size: one request per chunk.
    while (true) {
      size_t want;
      if (job.known_size) {
        want = std::min(static_cast<size_t>(job.size) - job.buffer.length(),
                        kReadFileBufferLength);
      } else {
        if (job.buffer.room() == 0 &&
            !job.buffer.Reserve(job.buffer.length() +
                                kReadFileUnknownBufferLength)) {
          job.Fail(UV_ENOMEM, "read");
          break;
        }
        want = std::min(job.buffer.room(), kReadFileUnknownBufferLength);
      }
      uv_buf_t buf =
          uv_buf_init(job.buffer.tail(), static_cast<unsigned>(want));
      const ssize_t n =
          co_await UvFs(loop, uv_fs_read, file.fd(), &buf, 1u, int64_t{-1});
      if (n < 0) {
        job.Fail(static_cast<int>(n), "read");
        break;
      }
      job.buffer.Grow(static_cast<size_t>(n));
      if (n == 0 ||
          (job.known_size &&
           job.buffer.length() == static_cast<size_t>(job.size))) {
        break;
      }
    }
    const int close_err = static_cast<int>(co_await file.Close(loop));
    if (close_err < 0)
      job.Fail(close_err, "close");
  }

  if (job.too_large >= 0) {
    const int64_t size = job.too_large;
    co_return settler.RejectWith([size](Environment* env) {
      return ERR_FS_FILE_TOO_LARGE(
          env->isolate(), "File size (%d) is greater than 2 GiB", size);
    });
  }
  if (job.RejectIfFailed(&settler))
    co_return;
  settler.Resolve([&job](Environment* env) { return job.buffer.Release(env); });
}

void ReadFile(const FunctionCallbackInfo<Value>& args) {
  Environment* env = Environment::GetCurrent(args);
  CHECK_GE(args.Length(), 2);
  CHECK(args[1]->IsInt32());
  PromiseSettler settler(env, args);
  std::string path;
  if (!ReadPath(env, args[0], permission::PermissionScope::kFileSystemRead,
                &settler, &path)) {
    return;
  }
  auto task = ReadFileTask(env, std::move(settler), std::move(path),
                           args[1].As<Int32>()->Value());
  task.InitTracking(env, "readFile");
  task.Start();
}

constexpr size_t kWriteFileMaxChunkSize = 512 * 1024;

struct WriteJob : FileOutcome {
  int flags = 0;
  int mode = 0;
  bool flush = false;
  const char* data = nullptr;
  size_t length = 0;
  size_t written = 0;

  // On a pool thread: open, the first write, and when that was all, fsync
  // (flush) and close.
  void Run() {
    if (!OpenOnThread(flags, mode))
      return;
    if (length > 0) {  // Empty data: no write at all, as stock.
      const ssize_t n = sync_fs::Write(
          fd, data, std::min(length, kWriteFileMaxChunkSize));
      if (n < 0) {
        Fail(static_cast<int>(n), "write");
        return CloseOnThread();
      }
      written = static_cast<size_t>(n);
      if (written < length)
        return;  // More chunks: the coroutine writes them.
    }
    if (flush) {
      const int r = sync_fs::Fsync(fd);
      if (r < 0)
        Fail(r, "fsync");
    }
    CloseOnThread();
  }
};

UvTrackedTask<void, AsyncWrap::PROVIDER_FSREQCORO> WriteFileTask(
    Environment* env,
    PromiseSettler settler,
    std::string path,
    v8::Global<Object> data_holder,
    const char* data,
    size_t length,
    int flags,
    int mode,
    bool flush) {
  uv_loop_t* loop = env->event_loop();
  WriteJob job;
  job.path = std::move(path);
  job.flags = flags;
  job.mode = mode;
  job.flush = flush;
  job.data = data;
  job.length = length;
  const int status = co_await UvWork(loop, [&job] { job.Run(); });
  UvFile file(std::exchange(job.fd, -1));
  if (status < 0)
    co_return;  // Cancelled at teardown before it ran.

  if (!job.done) {
    while (job.written < job.length) {
      const size_t chunk =
          std::min(job.length - job.written, kWriteFileMaxChunkSize);
      uv_buf_t buf = uv_buf_init(const_cast<char*>(job.data + job.written),
                                 static_cast<unsigned>(chunk));
      const ssize_t n =
          co_await UvFs(loop, uv_fs_write, file.fd(), &buf, 1u, int64_t{-1});
      if (n < 0) {
        job.Fail(static_cast<int>(n), "write");
        break;
      }
      job.written += static_cast<size_t>(n);
    }
    if (job.err == 0 && job.flush) {
      const ssize_t r = co_await UvFs(loop, uv_fs_fsync, file.fd());
      if (r < 0)
        job.Fail(static_cast<int>(r), "fsync");
    }
    const int close_err = static_cast<int>(co_await file.Close(loop));
    if (close_err < 0)
      job.Fail(close_err, "close");
  }
  // The view stays reachable until every write finished.
  data_holder.Reset();
  if (job.RejectIfFailed(&settler))
    co_return;
  settler.ResolveUndefined();
}

// writeFile(path, data, flags, mode, flush): data an ArrayBufferView (lib
// turns strings into Buffers first, as stock does).
void WriteFile(const FunctionCallbackInfo<Value>& args) {
  Environment* env = Environment::GetCurrent(args);
  CHECK_GE(args.Length(), 5);
  CHECK(args[1]->IsArrayBufferView());
  CHECK(args[2]->IsInt32());
  CHECK(args[3]->IsInt32());
  PromiseSettler settler(env, args);
  std::string path;
  if (!ReadPath(env, args[0], permission::PermissionScope::kFileSystemWrite,
                &settler, &path)) {
    return;
  }
  Local<ArrayBufferView> view = args[1].As<ArrayBufferView>();
  const char* data =
      static_cast<const char*>(view->Buffer()->Data()) + view->ByteOffset();
  auto task = WriteFileTask(env, std::move(settler), std::move(path),
                            v8::Global<Object>(env->isolate(), view), data,
                            view->ByteLength(), args[2].As<Int32>()->Value(),
                            args[3].As<Int32>()->Value(), args[4]->IsTrue());
  task.InitTracking(env, "writeFile");
  task.Start();
}

struct TruncateJob : FileOutcome {
  int64_t length = 0;

  // open 'r+', ftruncate, close, as stock's truncate(path, len).
  void Run() {
    if (!OpenOnThread(O_RDWR, 0666))
      return;
    const int r = sync_fs::Ftruncate(fd, length);
    if (r < 0)
      Fail(r, "ftruncate");
    CloseOnThread();
  }
};

UvTrackedTask<void, AsyncWrap::PROVIDER_FSREQCORO> TruncateTask(
    Environment* env, PromiseSettler settler, std::string path, int64_t len) {
  TruncateJob job;
  job.path = std::move(path);
  job.length = len;
  const int status =
      co_await UvWork(env->event_loop(), [&job] { job.Run(); });
  UvFile file(std::exchange(job.fd, -1));  // Closed by the job; belt only.
  if (status < 0)
    co_return;
  if (job.RejectIfFailed(&settler))
    co_return;
  settler.ResolveUndefined();
}

// truncate(path, len): len an integer >= 0 (lib validates and clamps).
void Truncate(const FunctionCallbackInfo<Value>& args) {
  Environment* env = Environment::GetCurrent(args);
  CHECK_GE(args.Length(), 2);
  CHECK(args[1]->IsNumber());
  PromiseSettler settler(env, args);
  std::string path;
  if (!ReadPath(env, args[0], permission::PermissionScope::kFileSystemWrite,
                &settler, &path)) {
    return;
  }
  const int64_t len = static_cast<int64_t>(args[1].As<v8::Number>()->Value());
  auto task = TruncateTask(env, std::move(settler), std::move(path), len);
  task.InitTracking(env, "truncate");
  task.Start();
}

// ---------------------------------------------------------------------------
// The other single-request operations of fs.promises. Each takes the
// arguments of the stock binding function of the same name, in the same
// order (a trailing kUsePromises is ignored), so lib's validation and
// shaping stay stock's and only the binding object differs. Each is one
// libuv request: one FSREQPROMISE resource, the type it replaces.

// Runs `dispatch(loop)` (which returns the awaitable) and settles with
// undefined or with UVException(err, syscall, path, dest) as stock's
// AfterNoArgs does; empty path/dest are left out, as for fd operations.
template <typename Dispatch>
UvTrackedTask<void, AsyncWrap::PROVIDER_FSREQPROMISE> VoidTask(
    Environment* env,
    PromiseSettler settler,
    const char* syscall,
    std::string path,
    std::string dest,
    Dispatch dispatch) {
  const ssize_t err = co_await dispatch(env->event_loop());
  if (err < 0) {
    co_return settler.RejectUV(static_cast<int>(err), syscall,
                               path.empty() ? nullptr : path.c_str(),
                               dest.empty() ? nullptr : dest.c_str());
  }
  settler.ResolveUndefined();
}

template <typename Dispatch>
void StartVoid(Environment* env,
               PromiseSettler settler,
               const char* syscall,
               std::string path,
               std::string dest,
               Dispatch dispatch) {
  auto task = VoidTask(env, std::move(settler), syscall, std::move(path),
                       std::move(dest), std::move(dispatch));
  task.InitTracking(env, syscall);
  task.Start();
}

// Reads path arguments `indices` with their permission scopes; false once
// the promise was rejected for a denied one.
bool ReadPaths(Environment* env,
               const FunctionCallbackInfo<Value>& args,
               PromiseSettler* settler,
               std::initializer_list<
                   std::pair<int, permission::PermissionScope>> wanted,
               std::string* first,
               std::string* second = nullptr) {
  std::string* out[] = {first, second};
  size_t n = 0;
  for (const auto& [index, scope] : wanted) {
    if (!ReadPath(env, args[index], scope, settler, out[n++]))
      return false;
  }
  return true;
}

constexpr permission::PermissionScope kRead =
    permission::PermissionScope::kFileSystemRead;
constexpr permission::PermissionScope kWrite =
    permission::PermissionScope::kFileSystemWrite;

int Int32Arg(const FunctionCallbackInfo<Value>& args, int i) {
  CHECK(args[i]->IsInt32());
  return args[i].As<Int32>()->Value();
}

uv_file FdArg(const FunctionCallbackInfo<Value>& args) {
  return Int32Arg(args, 0);
}

int64_t IntegerArg(const FunctionCallbackInfo<Value>& args, int i) {
  CHECK(args[i]->IsNumber());
  return args[i].As<v8::Integer>()->Value();
}

double NumberArg(const FunctionCallbackInfo<Value>& args, int i) {
  CHECK(args[i]->IsNumber());
  return args[i].As<v8::Number>()->Value();
}

// rename(oldPath, newPath), link(existingPath, newPath): the error names
// both paths (path, dest). The first needs `kFromScope`, the second write.
template <int (*Fn)(uv_loop_t*, uv_fs_t*, const char*, const char*, uv_fs_cb),
          permission::PermissionScope kFromScope>
void TwoPaths(const FunctionCallbackInfo<Value>& args, const char* syscall) {
  Environment* env = Environment::GetCurrent(args);
  PromiseSettler settler(env, args);
  std::string from, to;
  if (!ReadPaths(env, args, &settler, {{0, kFromScope}, {1, kWrite}}, &from,
                 &to)) {
    return;
  }
  StartVoid(env, std::move(settler), syscall, from, to,
            [from, to](uv_loop_t* loop) { return UvFs(loop, Fn, from, to); });
}
void Rename(const FunctionCallbackInfo<Value>& args) {
  TwoPaths<uv_fs_rename, kWrite>(args, "rename");
}
void Link(const FunctionCallbackInfo<Value>& args) {
  TwoPaths<uv_fs_link, kRead>(args, "link");
}

// symlink(target, path, flags): the target is not a path that is opened,
// and stock checks write permission on the link only.
void Symlink(const FunctionCallbackInfo<Value>& args) {
  Environment* env = Environment::GetCurrent(args);
  PromiseSettler settler(env, args);
  BufferValue target_value(env->isolate(), args[0]);
  CHECK_NOT_NULL(*target_value);
  std::string target(*target_value, target_value.length());
  std::string path;
  if (!ReadPath(env, args[1], kWrite, &settler, &path))
    return;
  const int flags = Int32Arg(args, 2);
  StartVoid(env, std::move(settler), "symlink", target, path,
            [target, path, flags](uv_loop_t* loop) {
              return UvFs(loop, uv_fs_symlink, target, path, flags);
            });
}

// copyFile(src, dest, mode): syscall "copyfile", as stock.
void CopyFile(const FunctionCallbackInfo<Value>& args) {
  Environment* env = Environment::GetCurrent(args);
  // Validated first, throwing from the call, as the stock binding does.
  int mode;
  if (!GetValidFileMode(env, args[2], UV_FS_COPYFILE).To(&mode))
    return;
  PromiseSettler settler(env, args);
  std::string from, to;
  if (!ReadPaths(env, args, &settler, {{0, kRead}, {1, kWrite}}, &from, &to))
    return;
  StartVoid(env, std::move(settler), "copyfile", from, to,
            [from, to, mode](uv_loop_t* loop) {
              return UvFs(loop, uv_fs_copyfile, from, to, mode);
            });
}

// unlink(path), rmdir(path)
template <int (*Fn)(uv_loop_t*, uv_fs_t*, const char*, uv_fs_cb)>
void PathOnly(const FunctionCallbackInfo<Value>& args, const char* syscall) {
  Environment* env = Environment::GetCurrent(args);
  PromiseSettler settler(env, args);
  std::string path;
  if (!ReadPath(env, args[0], kWrite, &settler, &path))
    return;
  StartVoid(env, std::move(settler), syscall, path, std::string(),
            [path](uv_loop_t* loop) { return UvFs(loop, Fn, path); });
}
void Unlink(const FunctionCallbackInfo<Value>& args) {
  PathOnly<uv_fs_unlink>(args, "unlink");
}
void RMDir(const FunctionCallbackInfo<Value>& args) {
  PathOnly<uv_fs_rmdir>(args, "rmdir");
}

// mkdir(path, mode, recursive): the recursive form stays on the stock path
// (lib does not route it here).
void MKDir(const FunctionCallbackInfo<Value>& args) {
  Environment* env = Environment::GetCurrent(args);
  CHECK(!args[2]->IsTrue());
  PromiseSettler settler(env, args);
  std::string path;
  if (!ReadPath(env, args[0], kWrite, &settler, &path))
    return;
  const int mode = Int32Arg(args, 1);
  StartVoid(env, std::move(settler), "mkdir", path, std::string(),
            [path, mode](uv_loop_t* loop) {
              return UvFs(loop, uv_fs_mkdir, path, mode);
            });
}

// chmod(path, mode)
void Chmod(const FunctionCallbackInfo<Value>& args) {
  Environment* env = Environment::GetCurrent(args);
  PromiseSettler settler(env, args);
  std::string path;
  if (!ReadPath(env, args[0], kWrite, &settler, &path))
    return;
  const int mode = Int32Arg(args, 1);
  StartVoid(env, std::move(settler), "chmod", path, std::string(),
            [path, mode](uv_loop_t* loop) {
              return UvFs(loop, uv_fs_chmod, path, mode);
            });
}

// chown(path, uid, gid), lchown(path, uid, gid)
template <int (*Fn)(uv_loop_t*, uv_fs_t*, const char*, uv_uid_t, uv_gid_t,
                    uv_fs_cb)>
void OwnerOfPath(const FunctionCallbackInfo<Value>& args,
                 const char* syscall) {
  Environment* env = Environment::GetCurrent(args);
  PromiseSettler settler(env, args);
  std::string path;
  if (!ReadPath(env, args[0], kWrite, &settler, &path))
    return;
  const uv_uid_t uid = static_cast<uv_uid_t>(IntegerArg(args, 1));
  const uv_gid_t gid = static_cast<uv_gid_t>(IntegerArg(args, 2));
  StartVoid(env, std::move(settler), syscall, path, std::string(),
            [path, uid, gid](uv_loop_t* loop) {
              return UvFs(loop, Fn, path, uid, gid);
            });
}
void Chown(const FunctionCallbackInfo<Value>& args) {
  OwnerOfPath<uv_fs_chown>(args, "chown");
}
void LChown(const FunctionCallbackInfo<Value>& args) {
  OwnerOfPath<uv_fs_lchown>(args, "lchown");
}

// utimes(path, atime, mtime), lutimes(...): syscalls "utime", "lutime".
template <int (*Fn)(uv_loop_t*, uv_fs_t*, const char*, double, double,
                    uv_fs_cb)>
void TimesOfPath(const FunctionCallbackInfo<Value>& args,
                 const char* syscall) {
  Environment* env = Environment::GetCurrent(args);
  PromiseSettler settler(env, args);
  std::string path;
  if (!ReadPath(env, args[0], kWrite, &settler, &path))
    return;
  const double atime = NumberArg(args, 1);
  const double mtime = NumberArg(args, 2);
  StartVoid(env, std::move(settler), syscall, path, std::string(),
            [path, atime, mtime](uv_loop_t* loop) {
              return UvFs(loop, Fn, path, atime, mtime);
            });
}
void UTimes(const FunctionCallbackInfo<Value>& args) {
  TimesOfPath<uv_fs_utime>(args, "utime");
}
void LUTimes(const FunctionCallbackInfo<Value>& args) {
  TimesOfPath<uv_fs_lutime>(args, "lutime");
}

// fsync(fd), fdatasync(fd)
template <int (*Fn)(uv_loop_t*, uv_fs_t*, uv_file, uv_fs_cb)>
void FdOnly(const FunctionCallbackInfo<Value>& args, const char* syscall) {
  Environment* env = Environment::GetCurrent(args);
  PromiseSettler settler(env, args);
  const uv_file fd = FdArg(args);
  StartVoid(env, std::move(settler), syscall, std::string(), std::string(),
            [fd](uv_loop_t* loop) { return UvFs(loop, Fn, fd); });
}
void Fsync(const FunctionCallbackInfo<Value>& args) {
  FdOnly<uv_fs_fsync>(args, "fsync");
}
void Fdatasync(const FunctionCallbackInfo<Value>& args) {
  FdOnly<uv_fs_fdatasync>(args, "fdatasync");
}

// ftruncate(fd, len)
void FTruncate(const FunctionCallbackInfo<Value>& args) {
  Environment* env = Environment::GetCurrent(args);
  PromiseSettler settler(env, args);
  const uv_file fd = FdArg(args);
  const int64_t len = IntegerArg(args, 1);
  StartVoid(env, std::move(settler), "ftruncate", std::string(),
            std::string(), [fd, len](uv_loop_t* loop) {
              return UvFs(loop, uv_fs_ftruncate, fd, len);
            });
}

// fchmod(fd, mode)
void FChmod(const FunctionCallbackInfo<Value>& args) {
  Environment* env = Environment::GetCurrent(args);
  PromiseSettler settler(env, args);
  const uv_file fd = FdArg(args);
  const int mode = Int32Arg(args, 1);
  StartVoid(env, std::move(settler), "fchmod", std::string(), std::string(),
            [fd, mode](uv_loop_t* loop) {
              return UvFs(loop, uv_fs_fchmod, fd, mode);
            });
}

// fchown(fd, uid, gid)
void FChown(const FunctionCallbackInfo<Value>& args) {
  Environment* env = Environment::GetCurrent(args);
  PromiseSettler settler(env, args);
  const uv_file fd = FdArg(args);
  const uv_uid_t uid = static_cast<uv_uid_t>(IntegerArg(args, 1));
  const uv_gid_t gid = static_cast<uv_gid_t>(IntegerArg(args, 2));
  StartVoid(env, std::move(settler), "fchown", std::string(), std::string(),
            [fd, uid, gid](uv_loop_t* loop) {
              return UvFs(loop, uv_fs_fchown, fd, uid, gid);
            });
}

// futimes(fd, atime, mtime): syscall "futime".
void FUTimes(const FunctionCallbackInfo<Value>& args) {
  Environment* env = Environment::GetCurrent(args);
  PromiseSettler settler(env, args);
  const uv_file fd = FdArg(args);
  const double atime = NumberArg(args, 1);
  const double mtime = NumberArg(args, 2);
  StartVoid(env, std::move(settler), "futime", std::string(), std::string(),
            [fd, atime, mtime](uv_loop_t* loop) {
              return UvFs(loop, uv_fs_futime, fd, atime, mtime);
            });
}

// readlink(path, encoding), realpath(path, encoding), mkdtemp(prefix,
// encoding): a path string, encoded as stock's StringBytes::Encode does.
template <int (*Fn)(uv_loop_t*, uv_fs_t*, const char*, uv_fs_cb)>
UvTrackedTask<void, AsyncWrap::PROVIDER_FSREQPROMISE> PathResultTask(
    Environment* env,
    PromiseSettler settler,
    const char* syscall,
    std::string path,
    enum encoding encoding) {
  auto [err, result] = co_await UvFsPath(env->event_loop(), Fn, path);
  if (err < 0)
    co_return settler.RejectUV(err, syscall, path.c_str());
  settler.Resolve([&result, encoding](Environment* env) -> MaybeLocal<Value> {
    Local<Value> error;
    MaybeLocal<Value> value =
        StringBytes::Encode(env->isolate(), result.c_str(), encoding, &error);
    if (value.IsEmpty() && !error.IsEmpty())
      env->isolate()->ThrowException(error);  // Resolve() rejects with it.
    return value;
  });
}

// `suffix` is appended to the path first (mkdtemp's "XXXXXX", as stock).
template <int (*Fn)(uv_loop_t*, uv_fs_t*, const char*, uv_fs_cb)>
void PathResult(const FunctionCallbackInfo<Value>& args,
                const char* syscall,
                permission::PermissionScope scope,
                const char* suffix = "") {
  Environment* env = Environment::GetCurrent(args);
  PromiseSettler settler(env, args);
  std::string path;
  if (!ReadPathWithSuffix(env, args[0], scope, suffix, &settler, &path))
    return;
  const enum encoding encoding = ParseEncoding(env->isolate(), args[1], UTF8);
  auto task = PathResultTask<Fn>(env, std::move(settler), syscall,
                                 std::move(path), encoding);
  task.InitTracking(env, syscall);
  task.Start();
}
void ReadLink(const FunctionCallbackInfo<Value>& args) {
  PathResult<uv_fs_readlink>(args, "readlink", kRead);
}
void RealPath(const FunctionCallbackInfo<Value>& args) {
  PathResult<uv_fs_realpath>(args, "realpath", kRead);
}
void MkdTemp(const FunctionCallbackInfo<Value>& args) {
  PathResult<uv_fs_mkdtemp>(args, "mkdtemp", kWrite, "XXXXXX");
}

// ---------------------------------------------------------------------------
// getStats(): the calling thread's coroutine counters, for node:coro.
//   { frames: { live, liveBytes, allocations, reuses, frees, released,
//               oversize, cachedFrames, cachedBytes, capacity,
//               classes: [{ blockSize, cachedFrames, cachedBytes }] },
//     tasks: { live, kinds: { <kind>: { started, finished, live } } } }
// Only size classes holding frames are listed.

void SetNumber(Local<Context> context, Local<Object> target, const char* name,
               double value) {
  Isolate* isolate = context->GetIsolate();
  target
      ->Set(context, OneByteString(isolate, name),
            v8::Number::New(isolate, value))
      .Check();
}

void GetStats(const FunctionCallbackInfo<Value>& args) {
  Environment* env = Environment::GetCurrent(args);
  Isolate* isolate = env->isolate();
  Local<Context> context = env->context();
  const FrameAllocatorStats frames = GetFrameAllocatorStats();

  Local<Object> frames_obj = Object::New(isolate);
  SetNumber(context, frames_obj, "live", static_cast<double>(frames.live_frames));
  SetNumber(context, frames_obj, "liveBytes",
            static_cast<double>(frames.live_bytes));
  SetNumber(context, frames_obj, "allocations",
            static_cast<double>(frames.hits + frames.misses + frames.oversize));
  SetNumber(context, frames_obj, "reuses", static_cast<double>(frames.hits));
  SetNumber(context, frames_obj, "frees", static_cast<double>(frames.frees));
  SetNumber(context, frames_obj, "released",
            static_cast<double>(frames.released));
  SetNumber(context, frames_obj, "oversize",
            static_cast<double>(frames.oversize));
  SetNumber(context, frames_obj, "cachedFrames",
            static_cast<double>(frames.cached_frames));
  SetNumber(context, frames_obj, "cachedBytes",
            static_cast<double>(frames.cached_bytes));
  SetNumber(context, frames_obj, "capacity",
            static_cast<double>(frames.capacity));
  v8::LocalVector<Value> classes(isolate);
  for (const FrameSizeClassStats& cls : frames.classes) {
    if (cls.cached_frames == 0)
      continue;
    Local<Object> entry = Object::New(isolate);
    SetNumber(context, entry, "blockSize", static_cast<double>(cls.block_size));
    SetNumber(context, entry, "cachedFrames",
              static_cast<double>(cls.cached_frames));
    SetNumber(context, entry, "cachedBytes",
              static_cast<double>(cls.cached_bytes));
    classes.push_back(entry);
  }
  frames_obj
      ->Set(context, OneByteString(isolate, "classes"),
            v8::Array::New(isolate, classes.data(), classes.size()))
      .Check();

  Local<Object> tasks_obj = Object::New(isolate);
  SetNumber(context, tasks_obj, "live",
            static_cast<double>(env->coro_tasks()->size()));
  Local<Object> kinds = Object::New(isolate);
  for (const TaskKindStats& kind : GetTaskKindStats()) {
    Local<Object> entry = Object::New(isolate);
    SetNumber(context, entry, "started", static_cast<double>(kind.started));
    SetNumber(context, entry, "finished", static_cast<double>(kind.finished));
    SetNumber(context, entry, "live",
              static_cast<double>(kind.started - kind.finished));
    kinds->Set(context, OneByteString(isolate, kind.kind), entry).Check();
  }
  tasks_obj->Set(context, OneByteString(isolate, "kinds"), kinds).Check();

  Local<Object> result = Object::New(isolate);
  result->Set(context, OneByteString(isolate, "frames"), frames_obj).Check();
  result->Set(context, OneByteString(isolate, "tasks"), tasks_obj).Check();
  args.GetReturnValue().Set(result);
}

void CreatePerIsolateProperties(IsolateData* isolate_data,
                                Local<ObjectTemplate> target) {
  Isolate* isolate = isolate_data->isolate();
  SetMethod(isolate, target, "access", Access);
  SetMethod(isolate, target, "rename", Rename);
  SetMethod(isolate, target, "link", Link);
  SetMethod(isolate, target, "symlink", Symlink);
  SetMethod(isolate, target, "copyFile", CopyFile);
  SetMethod(isolate, target, "unlink", Unlink);
  SetMethod(isolate, target, "rmdir", RMDir);
  SetMethod(isolate, target, "mkdir", MKDir);
  SetMethod(isolate, target, "chmod", Chmod);
  SetMethod(isolate, target, "chown", Chown);
  SetMethod(isolate, target, "lchown", LChown);
  SetMethod(isolate, target, "utimes", UTimes);
  SetMethod(isolate, target, "lutimes", LUTimes);
  SetMethod(isolate, target, "fsync", Fsync);
  SetMethod(isolate, target, "fdatasync", Fdatasync);
  SetMethod(isolate, target, "ftruncate", FTruncate);
  SetMethod(isolate, target, "fchmod", FChmod);
  SetMethod(isolate, target, "fchown", FChown);
  SetMethod(isolate, target, "futimes", FUTimes);
  SetMethod(isolate, target, "readlink", ReadLink);
  SetMethod(isolate, target, "realpath", RealPath);
  SetMethod(isolate, target, "mkdtemp", MkdTemp);
  SetMethod(isolate, target, "fstat", FStat);
  SetMethod(isolate, target, "getStats", GetStats);
  SetMethod(isolate, target, "lstat", LStat);
  SetMethod(isolate, target, "readFile", ReadFile);
  SetMethod(isolate, target, "stat", Stat);
  SetMethod(isolate, target, "truncate", Truncate);
  SetMethod(isolate, target, "writeFile", WriteFile);
}

void CreatePerContextProperties(Local<Object> target,
                                Local<Value> unused,
                                Local<Context> context,
                                void* priv) {}

void RegisterExternalReferences(ExternalReferenceRegistry* registry) {
  registry->Register(Access);
  registry->Register(Rename);
  registry->Register(Link);
  registry->Register(Symlink);
  registry->Register(CopyFile);
  registry->Register(Unlink);
  registry->Register(RMDir);
  registry->Register(MKDir);
  registry->Register(Chmod);
  registry->Register(Chown);
  registry->Register(LChown);
  registry->Register(UTimes);
  registry->Register(LUTimes);
  registry->Register(Fsync);
  registry->Register(Fdatasync);
  registry->Register(FTruncate);
  registry->Register(FChmod);
  registry->Register(FChown);
  registry->Register(FUTimes);
  registry->Register(ReadLink);
  registry->Register(RealPath);
  registry->Register(MkdTemp);
  registry->Register(FStat);
  registry->Register(GetStats);
  registry->Register(LStat);
  registry->Register(ReadFile);
  registry->Register(Stat);
  registry->Register(Truncate);
  registry->Register(WriteFile);
}

}  // namespace fs_binding
}  // namespace coro
}  // namespace node

NODE_BINDING_CONTEXT_AWARE_INTERNAL(
    fs_coro, node::coro::fs_binding::CreatePerContextProperties)
NODE_BINDING_PER_ISOLATE_INIT(
    fs_coro, node::coro::fs_binding::CreatePerIsolateProperties)
NODE_BINDING_EXTERNAL_REFERENCE(
    fs_coro, node::coro::fs_binding::RegisterExternalReferences)
