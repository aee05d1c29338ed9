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
#include <cstring>
#include <string>

#include "coro/node/promise.h"
#include "coro/node/tracked_task-inl.h"
#include "coro/uv_file.h"
#include "coro/uv_fs.h"
#include "env-inl.h"
#include "node_binding.h"
#include "node_buffer.h"
#include "node_errors.h"
#include "node_external_reference.h"
#include "node_file.h"
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
using v8::BigInt64Array;
using v8::Context;
using v8::Float64Array;
using v8::FunctionCallbackInfo;
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
bool ReadPath(Environment* env,
              Local<Value> arg,
              permission::PermissionScope scope,
              PromiseSettler* settler,
              std::string* out) {
  BufferValue path(env->isolate(), arg);
  CHECK_NOT_NULL(*path);
  ToNamespacedPath(env, &path);
  if (!env->permission()->is_granted(env, scope, path.ToStringView()))
      [[unlikely]] {
    Local<Value> error;
    if (permission::CreateAccessDeniedError(env, scope, path.ToStringView())
            .ToLocal(&error)) {
      settler->Reject(error);
    }
    return false;
  }
  out->assign(*path, path.length());
  return true;
}

UvTrackedTask<void, AsyncWrap::PROVIDER_FSREQPROMISE> StatTask(
    Environment* env, PromiseSettler settler, std::string path, bool bigint) {
  auto [err, st] = co_await UvFsStat(env->event_loop(), uv_fs_stat, path);
  if (err < 0)
    co_return settler.RejectUV(err, "stat", path.c_str());
  settler.Resolve([&st, bigint](Environment* env) {
    return StatsArray(env, st, bigint);
  });
}

void Stat(const FunctionCallbackInfo<Value>& args) {
  Environment* env = Environment::GetCurrent(args);
  CHECK_GE(args.Length(), 2);
  PromiseSettler settler(env, args);
  std::string path;
  if (!ReadPath(env, args[0], permission::PermissionScope::kFileSystemRead,
                &settler, &path)) {
    return;
  }
  auto task = StatTask(env, std::move(settler), std::move(path),
                       args[1]->IsTrue());
  task.InitTracking(env);
  task.Start();
}

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

UvTrackedTask<void, AsyncWrap::PROVIDER_FSREQCORO> ReadFileTask(
    Environment* env, PromiseSettler settler, std::string path, int flags) {
  uv_loop_t* loop = env->event_loop();
  auto [open_err, file] = co_await UvFsOpen(loop, path, flags, 0666);
  if (open_err < 0)
    co_return settler.RejectUV(open_err, "open", path.c_str());

  // From here on every path closes the file: errors are settled after the
  // close, as stock's handleFdClose does.
  int err = 0;
  const char* syscall = nullptr;
  int64_t too_large = -1;
  ReadBuffer buffer;
  {
    auto [stat_err, st] = co_await UvFsStat(loop, uv_fs_fstat, file.fd());
    const bool known_size =
        stat_err == 0 && (st.st_mode & S_IFMT) == S_IFREG && st.st_size > 0;
    const int64_t size = known_size ? static_cast<int64_t>(st.st_size) : 0;
    if (stat_err < 0) {
      err = stat_err;
      syscall = "fstat";
    } else if (size > kIoMaxLength) {
      err = UV_EFBIG;  // Reported as ERR_FS_FILE_TOO_LARGE below.
    } else if (!buffer.Reserve(known_size ? static_cast<size_t>(size)
                                          : kReadFileUnknownBufferLength)) {
      err = UV_ENOMEM;
      syscall = "read";
    }
    const bool chunked =
        known_size && static_cast<size_t>(size) > kReadFileBufferLength;
    while (err == 0) {
      if (!known_size && buffer.room() == 0 &&
          !buffer.Reserve(buffer.length() + kReadFileUnknownBufferLength)) {
        err = UV_ENOMEM;
        syscall = "read";
        break;
      }
      const size_t want =
          known_size ? std::min(static_cast<size_t>(size) - buffer.length(),
                                kReadFileBufferLength)
                     : std::min(buffer.room(), kReadFileUnknownBufferLength);
      uv_buf_t buf = uv_buf_init(buffer.tail(), static_cast<unsigned>(want));
      const ssize_t n =
          co_await UvFs(loop, uv_fs_read, file.fd(), &buf, 1u, int64_t{-1});
      if (n < 0) {
        err = static_cast<int>(n);
        syscall = "read";
        break;
      }
      buffer.Grow(static_cast<size_t>(n));
      if (n == 0)
        break;
      if (known_size) {
        if (buffer.length() == static_cast<size_t>(size))
          break;
        if (!chunked && static_cast<size_t>(n) < want)
          break;  // A short single read ends it, as stock.
      }
    }
    if (err == UV_EFBIG)
      too_large = size;
  }
  const int close_err = static_cast<int>(co_await file.Close(loop));
  if (too_large >= 0) {
    co_return settler.RejectWith([too_large](Environment* env) {
      return ERR_FS_FILE_TOO_LARGE(
          env->isolate(), "File size (%d) is greater than 2 GiB", too_large);
    });
  }
  if (err < 0)
    co_return settler.RejectUV(err, syscall);
  if (close_err < 0)
    co_return settler.RejectUV(close_err, "close");
  settler.Resolve([&buffer](Environment* env) { return buffer.Release(env); });
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
                           args[1].As<v8::Int32>()->Value());
  task.InitTracking(env);
  task.Start();
}

void CreatePerIsolateProperties(IsolateData* isolate_data,
                                Local<ObjectTemplate> target) {
  Isolate* isolate = isolate_data->isolate();
  SetMethod(isolate, target, "stat", Stat);
  SetMethod(isolate, target, "readFile", ReadFile);
}

void CreatePerContextProperties(Local<Object> target,
                                Local<Value> unused,
                                Local<Context> context,
                                void* priv) {}

void RegisterExternalReferences(ExternalReferenceRegistry* registry) {
  registry->Register(Stat);
  registry->Register(ReadFile);
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
