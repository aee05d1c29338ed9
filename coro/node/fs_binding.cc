// internalBinding('fs_coro'): the fs.promises fast path's binding. Every
// function stock lib/internal/fs/promises.js calls on internalBinding('fs')
// with kUsePromises has a namesake here taking the same arguments, served
// by a tracked coroutine instead of an FSReqPromise; lib swaps the binding
// object (unless --no-fs-coro). On top of those:
//
//   readFile, writeFile, truncate: a whole-file operation as one coroutine
//     whose first part is one thread-pool job (open, fstat, read or write,
//     close), one resource of type FSREQCORO where stock shows a request
//     per step plus a FILEHANDLE;
//   closeFileHandle: FileHandle's close without a CloseReq;
//   mkdir with recursive: one pool job where stock makes a request per
//     directory;
//   getStats, getStockRequestCounts: counters for node:coro and tests.
//
// Results have stock's shapes: stats and statfs as the binding's arrays
// (one fresh typed array each, not two AliasedBuffers per request), errors
// as stock's UVException with the same syscall, path and dest. Argument
// validation is lib's job, as for the stock binding; what the stock binding
// itself checks (fds, modes, permissions) is checked here the same way, in
// the same order, with the same errors.

#include <fcntl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "coro/node/promise.h"
#include "coro/node/stock_requests.h"
#include "coro/node/tracked_task-inl.h"
#include "coro/cancel_token.h"
#include "coro/uv_batch.h"
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
#include "simdutf.h"
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

StockRequestCounts& StockRequestCountsForCurrentThread() {
  static thread_local StockRequestCounts counts;
  return counts;
}

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

// The stats array the stock binding fills (FillStatsArray in node_file-inl.h).
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

constexpr permission::PermissionScope kRead =
    permission::PermissionScope::kFileSystemRead;
constexpr permission::PermissionScope kWrite =
    permission::PermissionScope::kFileSystemWrite;

// A path argument as the stock binding reads it (namespaced), with `suffix`
// appended.
std::string PathArg(Environment* env,
                    Local<Value> arg,
                    const char* suffix = "") {
  BufferValue path(env->isolate(), arg);
  CHECK_NOT_NULL(*path);
  ToNamespacedPath(env, &path);
  std::string out(*path, path.length());
  out.append(suffix);
  return out;
}

// A path or file name as a JS value, encoded as the stock binding encodes
// them (StringBytes::Encode); when that fails, the exception is thrown, and
// PromiseSettler::Resolve() rejects with it.
MaybeLocal<Value> EncodeOrThrow(Isolate* isolate,
                                const char* name,
                                enum encoding encoding) {
  Local<Value> error;
  MaybeLocal<Value> value =
      StringBytes::Encode(isolate, name, encoding, &error);
  if (value.IsEmpty() && !error.IsEmpty())
    isolate->ThrowException(error);
  return value;
}

// Whether the permission model grants `scope` on `path`; if not, the
// promise is rejected as stock rejects its FSReqPromise
// (ASYNC_THROW_IF_INSUFFICIENT_PERMISSIONS).
bool IsGranted(Environment* env,
               permission::PermissionScope scope,
               std::string_view path,
               PromiseSettler* settler) {
  if (env->permission()->is_granted(env, scope, path)) [[likely]]
    return true;
  Local<Value> error;
  if (permission::CreateAccessDeniedError(env, scope, path).ToLocal(&error))
    settler->Reject(error);
  return false;
}

// The scopes an open with `flags` needs, in stock's order
// (CheckOpenPermissions in node_file.cc): read unless write-only; write
// unless read-only without write-like side effects.
struct OpenScopes {
  explicit OpenScopes(int flags) {
    const int rwflags =
        flags & (UV_FS_O_RDONLY | UV_FS_O_WRONLY | UV_FS_O_RDWR);
    const int write_as_side_effect =
        flags & (UV_FS_O_APPEND | UV_FS_O_CREAT | UV_FS_O_TRUNC |
                 UV_FS_O_TEMPORARY);
    if (rwflags != UV_FS_O_WRONLY)
      scopes[count++] = kRead;
    if (rwflags != UV_FS_O_RDONLY || write_as_side_effect)
      scopes[count++] = kWrite;
  }
  const permission::PermissionScope* begin() const { return scopes; }
  const permission::PermissionScope* end() const { return scopes + count; }

  permission::PermissionScope scopes[2]{};
  size_t count = 0;
};

// Open's checks for an operation that opens `path` on its way (readFile,
// writeFile, truncate): stock's open() throws inside an async function, so
// the caller sees the same rejection.
bool IsGrantedToOpen(Environment* env,
                     int flags,
                     std::string_view path,
                     PromiseSettler* settler) {
  for (permission::PermissionScope scope : OpenScopes(flags)) {
    if (!IsGranted(env, scope, path, settler))
      return false;
  }
  return true;
}

// A path argument, or false after rejecting the promise when the
// permission model denies `scope` on it.
bool ReadPathWithSuffix(Environment* env,
                        Local<Value> arg,
                        permission::PermissionScope scope,
                        const char* suffix,
                        PromiseSettler* settler,
                        std::string* out) {
  *out = PathArg(env, arg, suffix);
  return IsGranted(env, scope, *out, settler);
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

// Per-Environment state of the binding, made on first use and dropped by a
// cleanup hook, which runs after CleanupHandles() finished the tasks that
// could still use it:
//   - the batcher of short pool jobs (see coro/uv_batch.h);
//   - the arrays stat results are delivered in (see StatTask).
struct EnvState {
  explicit EnvState(Environment* env) : batcher(env->event_loop()) {}
  UvWorkBatcher batcher;
  v8::Global<Float64Array> stats;
  v8::Global<BigInt64Array> bigint_stats;
  // Owned here too, so that the fields stay writable even if someone
  // detached the array's buffer (--expose-internals).
  std::shared_ptr<v8::BackingStore> stats_store;
  std::shared_ptr<v8::BackingStore> bigint_stats_store;
};

EnvState* StateOf(Environment* env) {
  static thread_local std::unordered_map<Environment*, EnvState*> states;
  EnvState*& state = states[env];
  if (state != nullptr) [[likely]]
    return state;
  state = new EnvState(env);
  env->AddCleanupHook(
      [](void* arg) {
        Environment* env = static_cast<Environment*>(arg);
        auto it = states.find(env);
        CHECK(it != states.end());
        EnvState* closing = it->second;
        states.erase(it);
        closing->stats.Reset();
        closing->bigint_stats.Reset();
        uv_prepare_t* handle = closing->batcher.ReleaseHandleForClose();
        handle->data = closing;
        env->CloseHandle(handle, [](uv_prepare_t* handle) {
          delete static_cast<EnvState*>(handle->data);
        });
      },
      env);
  return state;
}

UvWorkBatcher* FsBatcher(Environment* env) {
  return &StateOf(env)->batcher;
}

// Fills the Environment's stats array (Float64Array or BigInt64Array, the
// layout of the stock binding's, FsStatsOffset) and returns it. One array
// serves every stat, where stock allocates two per request. Sharing is safe
// because lib reads a result at once (getStatsFromBinding() right after
// its await) and a result is only delivered from the loop, in a resumed
// segment of a task, whose callback scope drains the microtask queue,
// lib's continuation included, before the loop delivers anything else:
// no later stat can overwrite the array before lib read it. (Stock's
// callback API shares its arrays the same way.)
template <typename ArrayT, typename NativeT>
Local<Value> FillSharedStats(Isolate* isolate,
                             v8::Global<ArrayT>* array,
                             std::shared_ptr<v8::BackingStore>* store,
                             const uv_stat_t& st) {
  if (array->IsEmpty()) {
    *store = ArrayBuffer::NewBackingStore(isolate, kStatsFields * 8);
    Local<ArrayBuffer> ab = ArrayBuffer::New(isolate, *store);
    array->Reset(isolate, ArrayT::New(ab, 0, kStatsFields));
  }
  FillStats(static_cast<NativeT*>((*store)->Data()), st);
  return array->Get(isolate);
}

MaybeLocal<Value> SharedStatsArray(Environment* env,
                                   const uv_stat_t& st,
                                   bool bigint) {
  EnvState* state = StateOf(env);
  if (bigint) {
    return FillSharedStats<BigInt64Array, int64_t>(
        env->isolate(), &state->bigint_stats, &state->bigint_stats_store, st);
  }
  return FillSharedStats<Float64Array, double>(
      env->isolate(), &state->stats, &state->stats_store, st);
}

// A path that lives in the coroutine frame: up to kInline bytes in place
// (the frame comes from the free-list, so no allocation), longer ones on the
// heap. For the hottest operations, whose path would otherwise cost a
// malloc of its own.
class FramePath {
 public:
  static constexpr size_t kInline = 176;

  explicit FramePath(std::string_view path) { Assign(path); }
  FramePath(FramePath&& other) { Assign(other.view()); }
  FramePath(const FramePath&) = delete;
  FramePath& operator=(const FramePath&) = delete;

  const char* c_str() const { return heap_ ? heap_.get() : inline_; }
  std::string_view view() const { return {c_str(), size_}; }

 private:
  void Assign(std::string_view path) {
    size_ = path.size();
    char* out = inline_;
    if (size_ >= kInline) {
      heap_ = std::make_unique<char[]>(size_ + 1);
      out = heap_.get();
    }
    memcpy(out, path.data(), size_);
    out[size_] = '\0';
  }

  size_t size_ = 0;
  std::unique_ptr<char[]> heap_;
  char inline_[kInline];
};

// What an awaitable is given for a stat's target: the fd, or the frame's
// path string as a C string (the awaitable would copy a std::string).
inline uv_file PathOrFd(uv_file fd) { return fd; }
// A path argument as PathArg() reads it, to be kept in a frame.
FramePath FramePathArg(Environment* env, Local<Value> arg) {
  BufferValue path(env->isolate(), arg);
  CHECK_NOT_NULL(*path);
  ToNamespacedPath(env, &path);
  return FramePath(path.ToStringView());
}

inline const char* PathOrFd(const FramePath& path) { return path.c_str(); }

template <typename Target>
UvTrackedTask<void, AsyncWrap::PROVIDER_FSREQPROMISE> StatTask(
    Environment* env,
    PromiseSettler settler,
    int (*fn)(uv_loop_t*, uv_fs_t*, Target, uv_fs_cb),
    const char* syscall,
    std::conditional_t<std::is_same_v<Target, uv_file>, uv_file, FramePath>
        target,
    bool bigint) {
  // A short call that cannot block for long (a stat never waits for a
  // peer, as an open of a FIFO does): run as an item of the Environment's
  // batch, with libuv's synchronous API (the errors of its asynchronous
  // requests, and no copy of the path).
  uv_stat_t st{};
  int err = 0;
  const int status = co_await UvBatchedWork(FsBatcher(env), [&] {
    uv_fs_t req;
    err = fn(nullptr, &req, PathOrFd(target), nullptr);
    if (err == 0)
      st = req.statbuf;
    uv_fs_req_cleanup(&req);
  });
  if (status < 0)
    err = status;  // Cancelled at teardown before it ran.
  if (err < 0) {
    if constexpr (std::is_same_v<Target, uv_file>)
      co_return settler.RejectUV(err, syscall);  // fd operations: no path
    else
      co_return settler.RejectUV(err, syscall, target.c_str());
  }
  // Delivered from the loop (a batch item never completes inside the call
  // that submitted it): the shared array may be used.
  settler.Resolve([&st, bigint](Environment* env) {
    return SharedStatsArray(env, st, bigint);
  });
}

template <int (*Fn)(uv_loop_t*, uv_fs_t*, const char*, uv_fs_cb)>
void StatPath(const FunctionCallbackInfo<Value>& args, const char* syscall) {
  Environment* env = Environment::GetCurrent(args);
  CHECK_GE(args.Length(), 2);
  PromiseSettler settler(env, args);
  FramePath path = FramePathArg(env, args[0]);
  if (!IsGranted(env, kRead, path.view(), &settler))
    return;
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

int Open(const char* path, int flags, int mode) {
  uv_fs_t req;
  const int r = uv_fs_open(nullptr, &req, path, flags, mode, nullptr);
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

int Mkdir(const std::string& path, int mode) {
  uv_fs_t req;
  const int r = uv_fs_mkdir(nullptr, &req, path.c_str(), mode, nullptr);
  uv_fs_req_cleanup(&req);
  return r;
}

int Stat(const std::string& path, uv_stat_t* st) {
  uv_fs_t req;
  const int r = uv_fs_stat(nullptr, &req, path.c_str(), nullptr);
  if (r == 0)
    *st = req.statbuf;
  uv_fs_req_cleanup(&req);
  return r;
}

int Lstat(const std::string& path, uv_stat_t* st) {
  uv_fs_t req;
  const int r = uv_fs_lstat(nullptr, &req, path.c_str(), nullptr);
  if (r == 0)
    *st = req.statbuf;
  uv_fs_req_cleanup(&req);
  return r;
}

int Unlink(const std::string& path) {
  uv_fs_t req;
  const int r = uv_fs_unlink(nullptr, &req, path.c_str(), nullptr);
  uv_fs_req_cleanup(&req);
  return r;
}

int Rmdir(const std::string& path) {
  uv_fs_t req;
  const int r = uv_fs_rmdir(nullptr, &req, path.c_str(), nullptr);
  uv_fs_req_cleanup(&req);
  return r;
}

// The names in `path`, in the order scandir gives them; 0 or an error.
int Scandir(const std::string& path, std::vector<std::string>* names) {
  uv_fs_t req;
  const int r = uv_fs_scandir(nullptr, &req, path.c_str(), 0, nullptr);
  if (r >= 0) {
    uv_dirent_t entry;
    while (uv_fs_scandir_next(&req, &entry) == 0)
      names->emplace_back(entry.name);
  }
  uv_fs_req_cleanup(&req);
  return r < 0 ? r : 0;
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
  const char* path = nullptr;  // The task's FramePath, in its frame.
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
    settler->RejectUV(err, syscall, has_path ? path : nullptr);
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

// The operations lib may abort (readFile with an AbortSignal), by the id lib
// gave them: lib's abort listener calls cancel(id). A token per operation,
// dropped when the operation's task ends (the token unbinds itself).
class AbortRegistry {
 public:
  static AbortRegistry& ForCurrentThread() {
    static thread_local AbortRegistry registry;
    return registry;
  }

  template <typename Task>
  void Bind(uint32_t id, Task* task) {
    std::unique_ptr<CancelToken>& token = tokens_[id];
    CHECK_NULL(token);  // lib's ids are unique among running operations.
    token = std::make_unique<CancelToken>();
    task->BindCancelToken(token.get());
  }

  void Cancel(uint32_t id) {
    auto it = tokens_.find(id);
    if (it != tokens_.end())
      it->second->Cancel();
  }

  // Held in the task's frame: forgets the task's token when it ends.
  class Entry {
   public:
    explicit Entry(uint32_t id) : id_(id) {}
    Entry(const Entry&) = delete;
    Entry& operator=(const Entry&) = delete;
    ~Entry() {
      if (id_ != kNoId)
        ForCurrentThread().tokens_.erase(id_);
    }

   private:
    uint32_t id_;
  };

  static constexpr uint32_t kNoId = 0;  // lib's ids start at 1.

 private:
  std::unordered_map<uint32_t, std::unique_ptr<CancelToken>> tokens_;
};

UvTrackedTask<void, AsyncWrap::PROVIDER_FSREQCORO> ReadFileTask(
    Environment* env,
    PromiseSettler settler,
    FramePath path,
    int flags,
    uint32_t abort_id) {
  AbortRegistry::Entry abortable(abort_id);
  uv_loop_t* loop = env->event_loop();
  ReadJob job;
  job.path = path.c_str();
  job.flags = flags;
  // A job of its own, not an item of the Environment's batch: an open can
  // block for as long as it likes (a FIFO without a writer), and would hold
  // up every item after it in its batch job.
  const int status = co_await UvWork(loop, [&job] { job.Run(); });
  // Whatever the job left open is this coroutine's from here on.
  UvFile file(std::exchange(job.fd, -1));
  // Cancelled before it ran: at teardown (nothing is settled then), or by
  // an abort (lib rejects with its AbortError).
  if (status < 0)
    co_return settler.RejectUV(status, "read");

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
    // Rejected with the size: lib makes ERR_FS_FILE_TOO_LARGE, as stock's
    // readFileHandle() does, so that its stack and name are stock's.
    const double size = static_cast<double>(job.too_large);
    co_return settler.RejectWith([size](Environment* env) -> MaybeLocal<Value> {
      return v8::Number::New(env->isolate(), size);
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
  const int flags = args[1].As<Int32>()->Value();
  PromiseSettler settler(env, args);
  FramePath path = FramePathArg(env, args[0]);
  if (!IsGrantedToOpen(env, flags, path.view(), &settler))
    return;
  // readFile(path, flags, abortId): lib passes an id when a signal may
  // abort the read (see Cancel()).
  const uint32_t abort_id = args.Length() > 2 && args[2]->IsUint32()
                                ? args[2].As<v8::Uint32>()->Value()
                                : AbortRegistry::kNoId;
  auto task = ReadFileTask(env, std::move(settler), std::move(path), flags,
                           abort_id);
  task.InitTracking(env, "readFile");
  if (abort_id != AbortRegistry::kNoId)
    AbortRegistry::ForCurrentThread().Bind(abort_id, &task);
  task.Start();
}

// cancel(id): the abort of the operation started with that id, if it is
// still running: a job still queued is not run, a request in flight is
// cancelled where libuv can, and what comes after is not started (the fd
// is closed all the same). The operation then rejects, and lib with the
// signal's AbortError. An id whose operation ended is ignored.
void Cancel(const FunctionCallbackInfo<Value>& args) {
  CHECK(args[0]->IsUint32());
  AbortRegistry::ForCurrentThread().Cancel(args[0].As<v8::Uint32>()->Value());
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
    FramePath path,
    v8::Global<Object> data_holder,
    const char* data,
    size_t length,
    int flags,
    int mode,
    bool flush) {
  uv_loop_t* loop = env->event_loop();
  WriteJob job;
  job.path = path.c_str();
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
  FramePath path = FramePathArg(env, args[0]);
  const int flags = args[2].As<Int32>()->Value();
  if (!IsGrantedToOpen(env, flags, path.view(), &settler))
    return;
  Local<ArrayBufferView> view = args[1].As<ArrayBufferView>();
  const char* data =
      static_cast<const char*>(view->Buffer()->Data()) + view->ByteOffset();
  auto task = WriteFileTask(env, std::move(settler), std::move(path),
                            v8::Global<Object>(env->isolate(), view), data,
                            view->ByteLength(), flags,
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
    Environment* env, PromiseSettler settler, FramePath path, int64_t len) {
  TruncateJob job;
  job.path = path.c_str();
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
  FramePath path = FramePathArg(env, args[0]);
  if (!IsGrantedToOpen(env, O_RDWR, path.view(), &settler))  // open(path, 'r+')
    return;
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

// Which paths an operation's errors name: fd operations none, even an
// empty path '' is named (stock: "chmod ''").
enum class ErrorNames { kNone, kPath, kPathAndDest };

// Runs `dispatch(loop, path, dest)` (which returns the awaitable; the
// paths are the frame's, as C strings) and settles with undefined or with
// UVException(err, syscall, path, dest) as stock's AfterNoArgs does.
template <typename Dispatch>
UvTrackedTask<void, AsyncWrap::PROVIDER_FSREQPROMISE> VoidTask(
    Environment* env,
    PromiseSettler settler,
    const char* syscall,
    ErrorNames names,
    std::string path,
    std::string dest,
    Dispatch dispatch) {
  // The paths are passed as this frame's strings: no copy of them.
  const ssize_t err =
      co_await dispatch(env->event_loop(), path.c_str(), dest.c_str());
  if (err < 0) {
    co_return settler.RejectUV(
        static_cast<int>(err), syscall,
        names != ErrorNames::kNone ? path.c_str() : nullptr,
        names == ErrorNames::kPathAndDest ? dest.c_str() : nullptr);
  }
  settler.ResolveUndefined();
}

template <typename Dispatch>
void StartVoid(Environment* env,
               PromiseSettler settler,
               const char* syscall,
               ErrorNames names,
               std::string path,
               std::string dest,
               Dispatch dispatch) {
  auto task = VoidTask(env, std::move(settler), syscall, names,
                       std::move(path), std::move(dest), std::move(dispatch));
  task.InitTracking(env, syscall);
  task.Start();
}

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

// The single-request operations on one path that needs write permission
// (unlink, rmdir, chmod, chown, lchown, utimes, lutimes): `request(loop,
// path)` returns the awaitable; errors name the path.
template <typename Request>
void StartOnWritablePath(const FunctionCallbackInfo<Value>& args,
                         const char* syscall,
                         Request request) {
  Environment* env = Environment::GetCurrent(args);
  PromiseSettler settler(env, args);
  std::string path;
  if (!ReadPath(env, args[0], kWrite, &settler, &path))
    return;
  StartVoid(env, std::move(settler), syscall, ErrorNames::kPath,
            std::move(path), std::string(),
            [request](uv_loop_t* loop, const char* path, const char*) {
              return request(loop, path);
            });
}

// The single-request operations on the fd args[0] (fsync, fdatasync,
// ftruncate, fchmod, fchown, futimes): `request(loop, fd)` returns the
// awaitable; errors name no path.
template <typename Request>
void StartOnFd(const FunctionCallbackInfo<Value>& args,
               const char* syscall,
               Request request) {
  Environment* env = Environment::GetCurrent(args);
  PromiseSettler settler(env, args);
  const uv_file fd = FdArg(args);
  StartVoid(env, std::move(settler), syscall, ErrorNames::kNone,
            std::string(), std::string(),
            [fd, request](uv_loop_t* loop, const char*, const char*) {
              return request(loop, fd);
            });
}

// rename(oldPath, newPath), link(existingPath, newPath): the error names
// both paths (path, dest). As stock, the first must be readable and
// writable (else a link or a move would reach what the permission model
// denies), the second writable, checked in that order.
template <int (*Fn)(uv_loop_t*, uv_fs_t*, const char*, const char*, uv_fs_cb)>
void TwoPaths(const FunctionCallbackInfo<Value>& args, const char* syscall) {
  Environment* env = Environment::GetCurrent(args);
  PromiseSettler settler(env, args);
  std::string from = PathArg(env, args[0]);
  std::string to = PathArg(env, args[1]);
  if (!IsGranted(env, kRead, from, &settler) ||
      !IsGranted(env, kWrite, from, &settler) ||
      !IsGranted(env, kWrite, to, &settler)) {
    return;
  }
  StartVoid(env, std::move(settler), syscall, ErrorNames::kPathAndDest,
            std::move(from), std::move(to),
            [](uv_loop_t* loop, const char* from, const char* to) {
              return UvFs(loop, Fn, from, to);
            });
}
void Rename(const FunctionCallbackInfo<Value>& args) {
  TwoPaths<uv_fs_rename>(args, "rename");
}
void Link(const FunctionCallbackInfo<Value>& args) {
  TwoPaths<uv_fs_link>(args, "link");
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
  StartVoid(env, std::move(settler), "symlink", ErrorNames::kPathAndDest,
            std::move(target), std::move(path),
            [flags](uv_loop_t* loop, const char* target, const char* path) {
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
  std::string from = PathArg(env, args[0]);
  std::string to = PathArg(env, args[1]);
  if (!IsGranted(env, kRead, from, &settler) ||
      !IsGranted(env, kWrite, to, &settler)) {
    return;
  }
  StartVoid(env, std::move(settler), "copyfile", ErrorNames::kPathAndDest,
            std::move(from), std::move(to),
            [mode](uv_loop_t* loop, const char* from, const char* to) {
              return UvFs(loop, uv_fs_copyfile, from, to, mode);
            });
}

// unlink(path), rmdir(path)
template <int (*Fn)(uv_loop_t*, uv_fs_t*, const char*, uv_fs_cb)>
void PathOnly(const FunctionCallbackInfo<Value>& args, const char* syscall) {
  StartOnWritablePath(args, syscall, [](uv_loop_t* loop, const char* path) {
    return UvFs(loop, Fn, path);
  });
}
void Unlink(const FunctionCallbackInfo<Value>& args) {
  PathOnly<uv_fs_unlink>(args, "unlink");
}
void RMDir(const FunctionCallbackInfo<Value>& args) {
  PathOnly<uv_fs_rmdir>(args, "rmdir");
}

// mkdir(path, mode, recursive): a denied path throws from the call, as
// stock's MKDir does (THROW_IF_INSUFFICIENT_PERMISSIONS), for both forms.
// The recursive form is MkdirpTask below.
UvTrackedTask<void, AsyncWrap::PROVIDER_FSREQPROMISE> MkdirpTask(
    Environment* env, PromiseSettler settler, std::string path, int mode);

void MKDir(const FunctionCallbackInfo<Value>& args) {
  Environment* env = Environment::GetCurrent(args);
  CHECK_GE(args.Length(), 3);
  std::string path = PathArg(env, args[0]);
  THROW_IF_INSUFFICIENT_PERMISSIONS(env, kWrite, std::string_view(path));
  const int mode = Int32Arg(args, 1);
  CHECK(args[2]->IsBoolean());
  PromiseSettler settler(env, args);
  if (args[2]->IsTrue()) {
    auto task = MkdirpTask(env, std::move(settler), std::move(path), mode);
    task.InitTracking(env, "mkdirp");
    task.Start();
    return;
  }
  StartVoid(env, std::move(settler), "mkdir", ErrorNames::kPath,
            std::move(path), std::string(),
            [mode](uv_loop_t* loop, const char* path, const char*) {
              return UvFs(loop, uv_fs_mkdir, path, mode);
            });
}

// chmod(path, mode)
void Chmod(const FunctionCallbackInfo<Value>& args) {
  const int mode = Int32Arg(args, 1);
  StartOnWritablePath(args, "chmod",
                      [mode](uv_loop_t* loop, const char* path) {
                        return UvFs(loop, uv_fs_chmod, path, mode);
                      });
}

// chown(path, uid, gid), lchown(path, uid, gid)
template <int (*Fn)(uv_loop_t*, uv_fs_t*, const char*, uv_uid_t, uv_gid_t,
                    uv_fs_cb)>
void OwnerOfPath(const FunctionCallbackInfo<Value>& args,
                 const char* syscall) {
  const uv_uid_t uid = static_cast<uv_uid_t>(IntegerArg(args, 1));
  const uv_gid_t gid = static_cast<uv_gid_t>(IntegerArg(args, 2));
  StartOnWritablePath(args, syscall,
                      [uid, gid](uv_loop_t* loop, const char* path) {
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
  const double atime = NumberArg(args, 1);
  const double mtime = NumberArg(args, 2);
  StartOnWritablePath(args, syscall,
                      [atime, mtime](uv_loop_t* loop, const char* path) {
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
  StartOnFd(args, syscall,
            [](uv_loop_t* loop, uv_file fd) { return UvFs(loop, Fn, fd); });
}
void Fsync(const FunctionCallbackInfo<Value>& args) {
  FdOnly<uv_fs_fsync>(args, "fsync");
}
void Fdatasync(const FunctionCallbackInfo<Value>& args) {
  FdOnly<uv_fs_fdatasync>(args, "fdatasync");
}

// ftruncate(fd, len)
void FTruncate(const FunctionCallbackInfo<Value>& args) {
  const int64_t len = IntegerArg(args, 1);
  StartOnFd(args, "ftruncate", [len](uv_loop_t* loop, uv_file fd) {
    return UvFs(loop, uv_fs_ftruncate, fd, len);
  });
}

// fchmod(fd, mode)
void FChmod(const FunctionCallbackInfo<Value>& args) {
  const int mode = Int32Arg(args, 1);
  StartOnFd(args, "fchmod", [mode](uv_loop_t* loop, uv_file fd) {
    return UvFs(loop, uv_fs_fchmod, fd, mode);
  });
}

// fchown(fd, uid, gid)
void FChown(const FunctionCallbackInfo<Value>& args) {
  const uv_uid_t uid = static_cast<uv_uid_t>(IntegerArg(args, 1));
  const uv_gid_t gid = static_cast<uv_gid_t>(IntegerArg(args, 2));
  StartOnFd(args, "fchown", [uid, gid](uv_loop_t* loop, uv_file fd) {
    return UvFs(loop, uv_fs_fchown, fd, uid, gid);
  });
}

// futimes(fd, atime, mtime): syscall "futime".
void FUTimes(const FunctionCallbackInfo<Value>& args) {
  const double atime = NumberArg(args, 1);
  const double mtime = NumberArg(args, 2);
  StartOnFd(args, "futime", [atime, mtime](uv_loop_t* loop, uv_file fd) {
    return UvFs(loop, uv_fs_futime, fd, atime, mtime);
  });
}

// readlink(path, encoding), realpath(path, encoding), mkdtemp(prefix,
// encoding): a path string, encoded as stock's StringBytes::Encode does.
// fs_result::Path, but a failed mkdtemp yields the path libuv tried
// (its request's path, whose XXXXXX it filled in), not nothing.
struct PathOrTemplateResult {
  static UvResult<std::string> Get(uv_fs_t* req, ssize_t result) {
    if (result < 0) {
      if (req->fs_type == UV_FS_MKDTEMP && req->path != nullptr)
        return {static_cast<int>(result), std::string(req->path)};
      return {static_cast<int>(result), {}};
    }
    return fs_result::Path::Get(req, result);
  }
};

template <int (*Fn)(uv_loop_t*, uv_fs_t*, const char*, uv_fs_cb)>
UvTrackedTask<void, AsyncWrap::PROVIDER_FSREQPROMISE> PathResultTask(
    Environment* env,
    PromiseSettler settler,
    const char* syscall,
    std::string path,
    enum encoding encoding) {
  auto [err, result] =
      co_await UvFsWith<PathOrTemplateResult>(env->event_loop(), Fn,
                                              path.c_str());
  if (err < 0) {
    // mkdtemp names the template as libuv left it: with the last name it
    // tried in place of the XXXXXX, as stock's error does.
    co_return settler.RejectUV(err, syscall,
                               result.empty() ? path.c_str() : result.c_str());
  }
  settler.Resolve([&result, encoding](Environment* env) {
    return EncodeOrThrow(env->isolate(), result.c_str(), encoding);
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
// FileHandle: open, the reads and writes of its methods, close. The read
// and write bindings take the stock binding's arguments in the same order
// and check them the same way (lib validated them; an fd lib did not is
// refused by GetValidatedFd() with the stock error), and resolve with the
// byte count, as stock's AfterInteger. The memory read into or written
// from stays reachable until the request is done.

// openFileHandle(path, flags, mode) -> Promise<FileHandle>. Permission is
// checked first and a denial thrown from the call, as stock does
// (CheckOpenPermissions in node_file.cc): read unless write-only; write
// unless read-only without write-like side effects.
UvTrackedTask<void, AsyncWrap::PROVIDER_FSREQPROMISE> OpenFileHandleTask(
    Environment* env,
    PromiseSettler settler,
    std::string path,
    int flags,
    int mode) {
  auto [err, file] =
      co_await UvFsOpen(env->event_loop(), path.c_str(), flags, mode);
  if (err < 0)
    co_return settler.RejectUV(err, "open", path.c_str());
  // Until the FileHandle owns the fd, `file` does: it is closed here if no
  // FileHandle could be made or JavaScript can no longer be called.
  settler.Resolve([&file](Environment* env) -> MaybeLocal<Value> {
    fs::BindingData* binding_data =
        env->principal_realm()->GetBindingData<fs::BindingData>();
    fs::FileHandle* handle = fs::FileHandle::New(binding_data, file.fd());
    if (handle == nullptr)
      return MaybeLocal<Value>();
    static_cast<void>(file.Release());
    return handle->object();
  });
}

// As stock's CheckOpenPermissions: a denial throws from the call.
bool IsGrantedToOpenOrThrow(Environment* env,
                            int flags,
                            std::string_view path) {
  for (permission::PermissionScope scope : OpenScopes(flags))
    THROW_IF_INSUFFICIENT_PERMISSIONS(env, scope, path, false);
  return true;
}

void OpenFileHandle(const FunctionCallbackInfo<Value>& args) {
  Environment* env = Environment::GetCurrent(args);
  CHECK_GE(args.Length(), 3);
  std::string path = PathArg(env, args[0]);
  const int flags = Int32Arg(args, 1);
  const int mode = Int32Arg(args, 2);
  if (!IsGrantedToOpenOrThrow(env, flags, path))
    return;
  PromiseSettler settler(env, args);
  auto task = OpenFileHandleTask(env, std::move(settler), std::move(path),
                                 flags, mode);
  task.InitTracking(env, "openFileHandle");
  task.Start();
}

// The buffers of one read or write: one inline, or a list (readv, writev),
// which may be empty: libuv then refuses the request (EINVAL), as stock's.
class IoBuffers {
 public:
  explicit IoBuffers(uv_buf_t one) : one_(one) {}
  explicit IoBuffers(std::vector<uv_buf_t> list)
      : list_(std::move(list)), is_list_(true) {}

  const uv_buf_t* data() const {
    if (!is_list_)
      return &one_;
    return list_.empty() ? nullptr : list_.data();
  }
  unsigned count() const {
    return is_list_ ? static_cast<unsigned>(list_.size()) : 1u;
  }

 private:
  uv_buf_t one_{};
  std::vector<uv_buf_t> list_;
  bool is_list_ = false;
};

using ReadWriteFn = int (*)(uv_loop_t*,
                            uv_fs_t*,
                            uv_file,
                            const uv_buf_t[],
                            unsigned,
                            int64_t,
                            uv_fs_cb);

// `keep_alive` holds what `buffers` point into.
UvTrackedTask<void, AsyncWrap::PROVIDER_FSREQPROMISE> ReadWriteTask(
    Environment* env,
    PromiseSettler settler,
    ReadWriteFn fn,
    const char* syscall,
    uv_file fd,
    IoBuffers buffers,
    int64_t position,
    v8::Global<Value> keep_alive) {
  const ssize_t result = co_await UvFs(env->event_loop(), fn, fd,
                                       buffers.data(), buffers.count(),
                                       position);
  keep_alive.Reset();
  if (result < 0)
    co_return settler.RejectUV(static_cast<int>(result), syscall);
  const int bytes = static_cast<int>(result);
  settler.Resolve([bytes](Environment* env) -> MaybeLocal<Value> {
    return v8::Integer::New(env->isolate(), bytes);
  });
}

void StartReadWrite(Environment* env,
                    PromiseSettler settler,
                    ReadWriteFn fn,
                    const char* syscall,
                    const char* kind,
                    uv_file fd,
                    IoBuffers buffers,
                    int64_t position,
                    Local<Value> keep_alive) {
  auto task = ReadWriteTask(env, std::move(settler), fn, syscall, fd,
                            std::move(buffers), position,
                            v8::Global<Value>(env->isolate(), keep_alive));
  task.InitTracking(env, kind);
  task.Start();
}

// As node_file.cc's GetOffset(): a position that is not a safe integer
// (null, undefined) means "the current position".
int64_t PositionArg(Local<Value> value) {
  return IsSafeJsInt(value) ? value.As<v8::Integer>()->Value() : -1;
}

// The bytes [offset, offset + length) of the Buffer args[1], checked as
// stock's Read and WriteBuffer check them (`read` needs offset < length of
// the buffer, write allows offset == length).
uv_buf_t BufferSlice(const FunctionCallbackInfo<Value>& args, bool read) {
  CHECK(Buffer::HasInstance(args[1]));
  Local<Object> buffer = args[1].As<Object>();
  char* data = Buffer::Data(buffer);
  const size_t buffer_length = Buffer::Length(buffer);
  CHECK(IsSafeJsInt(args[2]));
  const int64_t offset = args[2].As<v8::Integer>()->Value();
  CHECK_GE(offset, 0);
  if (read)
    CHECK_LT(static_cast<uint64_t>(offset), buffer_length);
  else
    CHECK_LE(static_cast<uint64_t>(offset), buffer_length);
  const size_t off = static_cast<size_t>(offset);
  CHECK(args[3]->IsInt32());
  const size_t length = static_cast<size_t>(args[3].As<Int32>()->Value());
  CHECK(Buffer::IsWithinBounds(off, length, buffer_length));
  return uv_buf_init(data + off, static_cast<unsigned>(length));
}

// A list of Buffers (args[1]) as iovecs; false if reading the array threw.
bool BufferList(Environment* env,
                const FunctionCallbackInfo<Value>& args,
                std::vector<uv_buf_t>* out) {
  CHECK(args[1]->IsArray());
  Local<v8::Array> chunks = args[1].As<v8::Array>();
  const uint32_t n = chunks->Length();
  out->reserve(n);
  for (uint32_t i = 0; i < n; i++) {
    Local<Value> chunk;
    if (!chunks->Get(env->context(), i).ToLocal(&chunk))
      return false;
    CHECK(Buffer::HasInstance(chunk));
    out->push_back(uv_buf_init(Buffer::Data(chunk),
                               static_cast<unsigned>(Buffer::Length(chunk))));
  }
  return true;
}

// read(fd, buffer, offset, length, position): position a safe integer or a
// bigint (-1: the current position).
void Read(const FunctionCallbackInfo<Value>& args) {
  Environment* env = Environment::GetCurrent(args);
  CHECK_GE(args.Length(), 5);
  int fd;
  if (!GetValidatedFd(env, args[0]).To(&fd))
    return;
  const uv_buf_t slice = BufferSlice(args, true);
  CHECK(IsSafeJsInt(args[4]) || args[4]->IsBigInt());
  const int64_t position = args[4]->IsNumber()
                               ? args[4].As<v8::Integer>()->Value()
                               : args[4].As<v8::BigInt>()->Int64Value();
  StartReadWrite(env, PromiseSettler(env, args), uv_fs_read, "read", "read",
                 fd, IoBuffers(slice), position, args[1]);
}

// readBuffers(fd, buffers, position), writeBuffers(fd, buffers, position):
// readv and writev.
void BufferListOp(const FunctionCallbackInfo<Value>& args,
                  ReadWriteFn fn,
                  const char* syscall,
                  const char* kind) {
  Environment* env = Environment::GetCurrent(args);
  CHECK_GE(args.Length(), 3);
  int fd;
  if (!GetValidatedFd(env, args[0]).To(&fd))
    return;
  std::vector<uv_buf_t> list;
  if (!BufferList(env, args, &list))
    return;
  const int64_t position = PositionArg(args[2]);
  StartReadWrite(env, PromiseSettler(env, args), fn, syscall, kind, fd,
                 IoBuffers(std::move(list)), position, args[1]);
}
void ReadBuffers(const FunctionCallbackInfo<Value>& args) {
  BufferListOp(args, uv_fs_read, "read", "readBuffers");
}
void WriteBuffers(const FunctionCallbackInfo<Value>& args) {
  BufferListOp(args, uv_fs_write, "write", "writeBuffers");
}

// writeBuffer(fd, buffer, offset, length, position)
void WriteBuffer(const FunctionCallbackInfo<Value>& args) {
  Environment* env = Environment::GetCurrent(args);
  CHECK_GE(args.Length(), 4);
  int fd;
  if (!GetValidatedFd(env, args[0]).To(&fd))
    return;
  const uv_buf_t slice = BufferSlice(args, false);
  const int64_t position = PositionArg(args[4]);
  StartReadWrite(env, PromiseSettler(env, args), uv_fs_write, "write",
                 "writeBuffer", fd, IoBuffers(slice), position, args[1]);
}

// writeString(fd, string, position, encoding): the string's bytes in that
// encoding, copied into the frame first, as stock copies them into its
// request (the string may be gone before the write is done).
UvTrackedTask<void, AsyncWrap::PROVIDER_FSREQPROMISE> WriteStringTask(
    Environment* env,
    PromiseSettler settler,
    uv_file fd,
    std::string bytes,
    int64_t position) {
  uv_buf_t buf = uv_buf_init(bytes.data(), static_cast<unsigned>(bytes.size()));
  const ssize_t result =
      co_await UvFs(env->event_loop(), uv_fs_write, fd, &buf, 1u, position);
  if (result < 0)
    co_return settler.RejectUV(static_cast<int>(result), "write");
  const int written = static_cast<int>(result);
  settler.Resolve([written](Environment* env) -> MaybeLocal<Value> {
    return v8::Integer::New(env->isolate(), written);
  });
}

void WriteString(const FunctionCallbackInfo<Value>& args) {
  Environment* env = Environment::GetCurrent(args);
  Isolate* isolate = env->isolate();
  CHECK_GE(args.Length(), 4);
  int fd;
  if (!GetValidatedFd(env, args[0]).To(&fd))
    return;
  const int64_t position = PositionArg(args[2]);
  const enum encoding encoding = ParseEncoding(isolate, args[3], UTF8);
  size_t length;
  if (!StringBytes::StorageSize(isolate, args[1], encoding).To(&length))
    return;
  std::string bytes(length, '\0');
  // StorageSize() may be more than the encoded length.
  bytes.resize(
      StringBytes::Write(isolate, bytes.data(), length, args[1], encoding));
  PromiseSettler settler(env, args);
  auto task = WriteStringTask(env, std::move(settler), fd, std::move(bytes),
                              position);
  task.InitTracking(env, "writeString");
  task.Start();
}

// A FileHandle's close(handle) -> Promise<undefined>, in place of its own
// close() (a CloseReq). The handle gives up its fd at once, as it does when
// transferred, and marks itself closed; the fd is closed by the task, which
// is not cancellable. The promise takes the handle's closing-promise slot,
// so that any later close() of the handle returns it, as stock's does.
UvTrackedTask<void, AsyncWrap::PROVIDER_FILEHANDLECLOSEREQ> CloseTask(
    Environment* env, PromiseSettler settler, uv_file fd) {
  UvFile file(fd);
  const int err = static_cast<int>(co_await file.Close(env->event_loop()));
  if (err < 0)
    co_return settler.RejectUV(err, "close");
  settler.ResolveUndefined();
}

void CloseFileHandle(const FunctionCallbackInfo<Value>& args) {
  Environment* env = Environment::GetCurrent(args);
  CHECK(args[0]->IsObject());
  fs::FileHandle* handle;
  ASSIGN_OR_RETURN_UNWRAP(&handle, args[0].As<Object>());
  Local<Object> object = handle->object();
  Local<Value> closing =
      object->GetInternalField(fs::FileHandle::kClosingPromiseSlot)
          .As<Value>();
  if (closing->IsPromise()) {
    args.GetReturnValue().Set(closing);
    return;
  }
  CHECK(handle->IsAlive());
  CHECK(!handle->IsClosing());
  PromiseSettler settler(env, args);
  Local<Value> promise = args.GetReturnValue().Get();
  if (!promise->IsPromise())
    return;  // No promise could be made: an exception is pending.
  object->SetInternalField(fs::FileHandle::kClosingPromiseSlot, promise);
  auto task = CloseTask(env, std::move(settler), handle->Release());
  task.InitTracking(env, "close");
  task.Start();
}

// ---------------------------------------------------------------------------
// Directories and file systems.

// readdir(path, encoding, withFileTypes): the names, each encoded as stock's
// AfterScanDir does, and with file types [names, types]; syscall "scandir".
UvTrackedTask<void, AsyncWrap::PROVIDER_FSREQPROMISE> ReadDirTask(
    Environment* env,
    PromiseSettler settler,
    std::string path,
    enum encoding encoding,
    bool with_types) {
  auto [err, entries] = co_await UvFsScandir(env->event_loop(), path.c_str());
  if (err < 0)
    co_return settler.RejectUV(err, "scandir", path.c_str());
  settler.Resolve([&entries, encoding, with_types](
                      Environment* env) -> MaybeLocal<Value> {
    Isolate* isolate = env->isolate();
    v8::LocalVector<Value> names(isolate);
    v8::LocalVector<Value> types(isolate);
    names.reserve(entries.size());
    if (with_types)
      types.reserve(entries.size());
    for (const DirEntry& entry : entries) {
      Local<Value> name;
      if (!EncodeOrThrow(isolate, entry.name.c_str(), encoding).ToLocal(&name))
        return MaybeLocal<Value>();
      names.push_back(name);
      if (with_types)
        types.push_back(v8::Integer::New(isolate, entry.type));
    }
    Local<v8::Array> name_array =
        v8::Array::New(isolate, names.data(), names.size());
    if (!with_types)
      return name_array;
    Local<Value> pair[] = {
        name_array, v8::Array::New(isolate, types.data(), types.size())};
    return v8::Array::New(isolate, pair, arraysize(pair));
  });
}

void ReadDir(const FunctionCallbackInfo<Value>& args) {
  Environment* env = Environment::GetCurrent(args);
  CHECK_GE(args.Length(), 3);
  PromiseSettler settler(env, args);
  std::string path;
  if (!ReadPath(env, args[0], kRead, &settler, &path))
    return;
  const enum encoding encoding = ParseEncoding(env->isolate(), args[1], UTF8);
  auto task = ReadDirTask(env, std::move(settler), std::move(path), encoding,
                          args[2]->IsTrue());
  task.InitTracking(env, "scandir");
  task.Start();
}

// readdirWithDirFlags(path, statPath) -> Promise<[names, isDirectory]>:
// what stock's
// recursive readdir (without withFileTypes) needs of a directory, in one
// pool job: its names (scandir, UTF-8, as readdir(path, 'utf8')) and, for
// each, whether stat(2) of statPath/name says directory, which stock finds
// out with a synchronous internalModuleStat() per entry on the loop thread.
// lib passes path normalized as statPath, so statPath/name is the path
// stock stats (pathModule.join of the two). A name that is not valid UTF-8 is
// what stock could not stat either (it stats the name's lossy decoding):
// not a directory.
struct ReadDirWithDirFlagsJob {
  std::string path;
  std::string stat_path;
  int err = 0;
  std::vector<std::string> names;
  std::vector<uint8_t> is_dir;

  // On a pool thread.
  void Run() {
    err = sync_fs::Scandir(path, &names);
    if (err < 0)
      return;
    is_dir.reserve(names.size());
    std::string entry_path = stat_path;
    if (entry_path.empty() || entry_path.back() != kPathSeparator)
      entry_path += kPathSeparator;
    const size_t prefix = entry_path.size();
    for (const std::string& name : names) {
      if (!simdutf::validate_utf8(name.data(), name.size())) {
        is_dir.push_back(0);
        continue;
      }
      entry_path.resize(prefix);
      entry_path += name;
      uv_stat_t st;
      is_dir.push_back(sync_fs::Stat(entry_path, &st) == 0 &&
                       S_ISDIR(st.st_mode));
    }
  }
};

UvTrackedTask<void, AsyncWrap::PROVIDER_FSREQPROMISE> ReadDirWithDirFlagsTask(
    Environment* env,
    PromiseSettler settler,
    std::string path,
    std::string stat_path) {
  ReadDirWithDirFlagsJob job;
  job.path = std::move(path);
  job.stat_path = std::move(stat_path);
  const int status =
      co_await UvWork(env->event_loop(), [&job] { job.Run(); });
  if (status < 0)
    co_return;  // Cancelled at teardown before it ran.
  if (job.err < 0)
    co_return settler.RejectUV(job.err, "scandir", job.path.c_str());
  settler.Resolve([&job](Environment* env) -> MaybeLocal<Value> {
    Isolate* isolate = env->isolate();
    v8::LocalVector<Value> names(isolate);
    names.reserve(job.names.size());
    for (const std::string& name : job.names) {
      Local<Value> value;  // As readdir(path, 'utf8') encodes names.
      if (!EncodeOrThrow(isolate, name.c_str(), UTF8).ToLocal(&value))
        return MaybeLocal<Value>();
      names.push_back(value);
    }
    Local<ArrayBuffer> ab = ArrayBuffer::New(isolate, job.is_dir.size());
    if (!job.is_dir.empty())
      memcpy(ab->Data(), job.is_dir.data(), job.is_dir.size());
    Local<Value> pair[] = {
        v8::Array::New(isolate, names.data(), names.size()),
        v8::Uint8Array::New(ab, 0, job.is_dir.size())};
    return v8::Array::New(isolate, pair, arraysize(pair));
  });
}

void ReadDirWithDirFlags(const FunctionCallbackInfo<Value>& args) {
  Environment* env = Environment::GetCurrent(args);
  CHECK_GE(args.Length(), 2);
  CHECK(args[1]->IsString());
  PromiseSettler settler(env, args);
  std::string path;
  if (!ReadPath(env, args[0], kRead, &settler, &path))
    return;
  auto task = ReadDirWithDirFlagsTask(env, std::move(settler),
                                      std::move(path), PathArg(env, args[1]));
  task.InitTracking(env, "scandir");
  task.Start();
}

// rm(path) -> Promise<undefined>: fs.promises.rm() once lib validated its
// options (maxRetries 0, no permission model), as ONE pool job of blocking
// calls where stock's rimraf (lib/internal/fs/rimraf.js) makes a callback
// request per step of every entry. The algorithm is rimraf's, step for step
// (non-Windows), so what is removed and the error reported are the same: a
// path that is gone counts as removed; lstat decides between rmdir and
// unlink (and unlink's EISDIR or EPERM falls back to rmdir); a directory
// that is not empty has its children removed first, then itself. rimraf
// starts all children of a directory at once and reports the first error
// that comes back while the others go on; here they go one after the other,
// all of them, and the first error in directory order is reported.
struct RmJob {
  // A step's error, as stock's callback API would make it; err 0: none.
  struct Outcome {
    int err = 0;
    const char* syscall = nullptr;
    std::string path;
  };
  static Outcome Failed(int err, const char* syscall, const std::string& at) {
    return Outcome{err, syscall, at};
  }

  std::string path;
  Outcome outcome;

  // On a pool thread.
  void Run() { outcome = Rimraf(path); }

  // rimraf(): a path that is gone counts as removed, whichever step found it
  // gone.
  Outcome Rimraf(const std::string& target) {
    Outcome o = RemoveOnce(target);
    if (o.err == UV_ENOENT)
      return Outcome();
    return o;
  }

  // _rimraf()
  Outcome RemoveOnce(const std::string& target) {
    uv_stat_t st{};
    int r = sync_fs::Lstat(target, &st);
    if (r == UV_ENOENT)
      return Outcome();
    if (r == 0 && S_ISDIR(st.st_mode))
      return Rmdir(target, Outcome());
    r = sync_fs::Unlink(target);
    if (r == UV_ENOENT)
      return Outcome();
    if (r == UV_EISDIR || r == UV_EPERM)
      return Rmdir(target, Failed(r, "unlink", target));
    return r < 0 ? Failed(r, "unlink", target) : Outcome();
  }

  // _rmdir(): `original` is the unlink error that led here, if any.
  Outcome Rmdir(const std::string& target, Outcome original) {
    const int r = sync_fs::Rmdir(target);
    if (r == UV_ENOTEMPTY || r == UV_EEXIST || r == UV_EPERM)
      return RemoveChildren(target);
    if (r == UV_ENOTDIR)
      return original;  // rimraf: callback(originalErr), null or not.
    return r < 0 ? Failed(r, "rmdir", target) : Outcome();
  }

  // _rmchildren()
  Outcome RemoveChildren(const std::string& target) {
    std::vector<std::string> names;
    int r = sync_fs::Scandir(target, &names);
    if (r < 0)
      return Failed(r, "scandir", target);
    Outcome first;
    for (const std::string& name : names) {
      Outcome o = Rimraf(target + kPathSeparator + name);
      if (o.err < 0 && first.err == 0)
        first = std::move(o);
    }
    if (first.err < 0)
      return first;
    r = sync_fs::Rmdir(target);
    return r < 0 ? Failed(r, "rmdir", target) : Outcome();
  }
};

UvTrackedTask<void, AsyncWrap::PROVIDER_FSREQCORO> RmTask(
    Environment* env, PromiseSettler settler, std::string path) {
  RmJob job;
  job.path = std::move(path);
  const int status =
      co_await UvWork(env->event_loop(), [&job] { job.Run(); });
  if (status < 0)
    co_return;  // Cancelled at teardown before it ran.
  const RmJob::Outcome& o = job.outcome;
  if (o.err < 0)
    co_return settler.RejectUV(o.err, o.syscall, o.path.c_str());
  settler.ResolveUndefined();
}

void Rm(const FunctionCallbackInfo<Value>& args) {
  Environment* env = Environment::GetCurrent(args);
  CHECK_GE(args.Length(), 1);
  // lib keeps the permission model's case on stock's path, which checks
  // each entry.
  CHECK(!env->permission()->enabled());
  PromiseSettler settler(env, args);
  auto task = RmTask(env, std::move(settler), PathArg(env, args[0]));
  task.InitTracking(env, "rm");
  task.Start();
}

// statfs(path, useBigint): the layout of the stock binding's statfs array
// (FsStatFsOffset), as one fresh typed array.
template <typename NativeT>
void FillStatFs(NativeT* fields, const uv_statfs_t& s) {
  using fs::FsStatFsOffset;
  auto set = [fields](FsStatFsOffset offset, auto value) {
    fields[static_cast<size_t>(offset)] = static_cast<NativeT>(value);
  };
  set(FsStatFsOffset::kType, s.f_type);
  set(FsStatFsOffset::kBSize, s.f_bsize);
  set(FsStatFsOffset::kBlocks, s.f_blocks);
  set(FsStatFsOffset::kBFree, s.f_bfree);
  set(FsStatFsOffset::kBAvail, s.f_bavail);
  set(FsStatFsOffset::kFiles, s.f_files);
  set(FsStatFsOffset::kFFree, s.f_ffree);
}

UvTrackedTask<void, AsyncWrap::PROVIDER_FSREQPROMISE> StatFsTask(
    Environment* env, PromiseSettler settler, std::string path, bool bigint) {
  auto [err, st] = co_await UvFsStatfs(env->event_loop(), path.c_str());
  if (err < 0)
    co_return settler.RejectUV(err, "statfs", path.c_str());
  settler.Resolve([&st, bigint](Environment* env) -> MaybeLocal<Value> {
    constexpr size_t kFields = fs::kFsStatFsBufferLength;
    Local<ArrayBuffer> ab = ArrayBuffer::New(env->isolate(), kFields * 8);
    if (bigint) {
      FillStatFs(static_cast<int64_t*>(ab->Data()), st);
      return BigInt64Array::New(ab, 0, kFields);
    }
    FillStatFs(static_cast<double*>(ab->Data()), st);
    return Float64Array::New(ab, 0, kFields);
  });
}

void StatFs(const FunctionCallbackInfo<Value>& args) {
  Environment* env = Environment::GetCurrent(args);
  CHECK_GE(args.Length(), 2);
  PromiseSettler settler(env, args);
  std::string path;
  if (!ReadPath(env, args[0], kRead, &settler, &path))
    return;
  auto task = StatFsTask(env, std::move(settler), std::move(path),
                         args[1]->IsTrue());
  task.InitTracking(env, "statfs");
  task.Start();
}

// mkdir(path, mode, true): the recursive mkdir as ONE pool job of blocking
// calls, where stock needs a loop round trip per directory. The algorithm
// is stock's MKDirpAsync step for step (node_file.cc), so the directories
// made, the first one reported and the errors are the same: the error
// names "mkdir" and the path of the step that failed.
struct MkdirpJob {
  std::string path;
  int mode = 0;
  int err = 0;
  std::string err_path;    // The path of the step that failed.
  std::string first_path;  // The first directory made, if any.

  void Finish(int result, const std::string& step) {
    err = result;
    if (result < 0)
      err_path = step;
  }

  // On a pool thread.
  void Run() {
    std::vector<std::string> paths{path};
    while (!paths.empty()) {
      std::string next = std::move(paths.back());
      paths.pop_back();
      int r = sync_fs::Mkdir(next, mode);
      if (r == UV_ENOENT) {
        std::string dirname = next.substr(0, next.find_last_of(kPathSeparator));
        if (dirname != next) {
          paths.push_back(std::move(next));
          paths.push_back(std::move(dirname));
          continue;
        }
        if (!paths.empty())
          continue;
        r = UV_EEXIST;  // The root, with nothing left to make.
      }
      switch (r) {
        case 0:
          if (first_path.empty())
            first_path = next;
          if (paths.empty())
            return Finish(0, next);
          continue;
        case UV_EACCES:
        case UV_ENOSPC:
        case UV_ENOTDIR:
        case UV_EPERM:
          return Finish(r, next);
        default: {
          // Whether what is there is a directory decides.
          uv_stat_t st{};
          int result = sync_fs::Stat(next, &st);
          if (r == UV_EEXIST && !paths.empty()) {
            if (result == 0 && S_ISDIR(st.st_mode))
              continue;
            return Finish(UV_ENOTDIR, next);
          }
          if (result == 0 && !S_ISDIR(st.st_mode))
            result = UV_EEXIST;
          return Finish(result, next);
        }
      }
    }
  }
};

UvTrackedTask<void, AsyncWrap::PROVIDER_FSREQPROMISE> MkdirpTask(
    Environment* env, PromiseSettler settler, std::string path, int mode) {
  MkdirpJob job;
  job.path = std::move(path);
  job.mode = mode;
  const int status =
      co_await UvWork(env->event_loop(), [&job] { job.Run(); });
  if (status < 0)
    co_return;  // Cancelled at teardown before it ran.
  if (job.err < 0)
    co_return settler.RejectUV(job.err, "mkdir", job.err_path.c_str());
  if (job.first_path.empty())
    co_return settler.ResolveUndefined();
  settler.Resolve([&job](Environment* env) {
    return EncodeOrThrow(env->isolate(), job.first_path.c_str(), UTF8);
  });
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
  SetNumber(context, frames_obj, "live",
            static_cast<double>(frames.live_frames));
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

// getStockRequestCounts(): { promiseRequests, closeRequests }, the stock
// requests this thread constructed (see stock_requests.h). Tests only.
void GetStockRequestCounts(const FunctionCallbackInfo<Value>& args) {
  Environment* env = Environment::GetCurrent(args);
  Local<Context> context = env->context();
  const StockRequestCounts& counts = StockRequestCountsForCurrentThread();
  Local<Object> result = Object::New(env->isolate());
  SetNumber(context, result, "promiseRequests",
            static_cast<double>(counts.promise_requests));
  SetNumber(context, result, "closeRequests",
            static_cast<double>(counts.close_requests));
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
  SetMethod(isolate, target, "rm", Rm);
  SetMethod(isolate, target, "readdirWithDirFlags", ReadDirWithDirFlags);
  SetMethod(isolate, target, "cancel", Cancel);
  SetMethod(isolate, target, "getStockRequestCounts", GetStockRequestCounts);
  SetMethod(isolate, target, "statfs", StatFs);
  SetMethod(isolate, target, "readdir", ReadDir);
  SetMethod(isolate, target, "closeFileHandle", CloseFileHandle);
  SetMethod(isolate, target, "writeString", WriteString);
  SetMethod(isolate, target, "writeBuffers", WriteBuffers);
  SetMethod(isolate, target, "writeBuffer", WriteBuffer);
  SetMethod(isolate, target, "readBuffers", ReadBuffers);
  SetMethod(isolate, target, "read", Read);
  SetMethod(isolate, target, "openFileHandle", OpenFileHandle);
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
  registry->Register(Rm);
  registry->Register(ReadDirWithDirFlags);
  registry->Register(Cancel);
  registry->Register(GetStockRequestCounts);
  registry->Register(StatFs);
  registry->Register(ReadDir);
  registry->Register(CloseFileHandle);
  registry->Register(WriteString);
  registry->Register(WriteBuffers);
  registry->Register(WriteBuffer);
  registry->Register(ReadBuffers);
  registry->Register(Read);
  registry->Register(OpenFileHandle);
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
