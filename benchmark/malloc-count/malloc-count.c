/* malloc-count: an LD_PRELOAD library that counts heap allocations.
 *
 *   LD_PRELOAD=libmalloc-count.so MALLOC_COUNT_OUT=/tmp/counts program ...
 *
 * It interposes malloc, calloc, realloc, free, posix_memalign, aligned_alloc,
 * memalign, valloc and pvalloc (forwarding to glibc's __libc_* entry points,
 * so no dlsym bootstrapping is needed) and keeps process-wide atomic
 * counters over every thread (the libuv thread pool included).
 *
 * The measured program controls it in band, through access(2) on magic
 * paths that never reach the kernel:
 *
 *   access("/.malloc-count/reset", F_OK)   zero the counters
 *   access("/.malloc-count/report", F_OK)  append one line to $MALLOC_COUNT_OUT:
 *       "malloc-count calls=N frees=N bytes=N\n"
 *
 * Both return 0. Node's fs.accessSync() and libuv's uv_fs_access() call
 * access(3) from libc, so JavaScript and C programs use the same markers.
 * "calls" counts allocating calls (malloc, calloc, realloc, the memalign
 * family); "bytes" sums the sizes requested.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

extern void* __libc_malloc(size_t);
extern void* __libc_calloc(size_t, size_t);
extern void* __libc_realloc(void*, size_t);
extern void __libc_free(void*);
extern void* __libc_memalign(size_t, size_t);
extern void* __libc_valloc(size_t);
extern void* __libc_pvalloc(size_t);

static atomic_uint_fast64_t calls;
static atomic_uint_fast64_t frees;
static atomic_uint_fast64_t bytes;

#define COUNT(n)                                                  \
  do {                                                            \
    atomic_fetch_add_explicit(&calls, 1, memory_order_relaxed);   \
    atomic_fetch_add_explicit(&bytes, (n), memory_order_relaxed); \
  } while (0)

void* malloc(size_t n) {
  COUNT(n);
  return __libc_malloc(n);
}

void* calloc(size_t k, size_t n) {
  COUNT(k * n);
  return __libc_calloc(k, n);
}

void* realloc(void* p, size_t n) {
  COUNT(n);
  return __libc_realloc(p, n);
}

void free(void* p) {
  if (p != NULL) atomic_fetch_add_explicit(&frees, 1, memory_order_relaxed);
  __libc_free(p);
}

void* memalign(size_t align, size_t n) {
  COUNT(n);
  return __libc_memalign(align, n);
}

void* aligned_alloc(size_t align, size_t n) {
  COUNT(n);
  return __libc_memalign(align, n);
}

int posix_memalign(void** out, size_t align, size_t n) {
  void* p;
  if (align < sizeof(void*) || (align & (align - 1)) != 0) return EINVAL;
  COUNT(n);
  p = __libc_memalign(align, n);
  if (p == NULL) return ENOMEM;
  *out = p;
  return 0;
}

void* valloc(size_t n) {
  COUNT(n);
  return __libc_valloc(n);
}

void* pvalloc(size_t n) {
  COUNT(n);
  return __libc_pvalloc(n);
}

/* Writes "key=value" pairs without allocating (no stdio). */
static char* put_str(char* p, const char* s) {
  while (*s) *p++ = *s++;
  return p;
}

static char* put_u64(char* p, uint64_t v) {
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n > 0) *p++ = tmp[--n];
  return p;
}

static void report(void) {
  /* Read the counters first, so the report itself is not counted. */
  uint64_t c = atomic_load(&calls), f = atomic_load(&frees),
           b = atomic_load(&bytes);
  char line[128];
  char* p = line;
  const char* path = getenv("MALLOC_COUNT_OUT");
  int fd;
  p = put_str(p, "malloc-count calls=");
  p = put_u64(p, c);
  p = put_str(p, " frees=");
  p = put_u64(p, f);
  p = put_str(p, " bytes=");
  p = put_u64(p, b);
  *p++ = '\n';
  fd = path != NULL ? open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)
                    : 2;
  if (fd < 0) return;
  if (write(fd, line, (size_t)(p - line)) < 0) { /* nothing to do */ }
  if (fd != 2) close(fd);
}

static const char kPrefix[] = "/.malloc-count/";

static int marker(const char* path) {
  const char* cmd;
  if (path == NULL || strncmp(path, kPrefix, sizeof(kPrefix) - 1) != 0)
    return 0;
  cmd = path + sizeof(kPrefix) - 1;
  if (strcmp(cmd, "reset") == 0) {
    atomic_store(&calls, 0);
    atomic_store(&frees, 0);
    atomic_store(&bytes, 0);
  } else if (strcmp(cmd, "report") == 0) {
    report();
  }
  return 1;
}

int access(const char* path, int mode) {
  if (marker(path)) return 0;
  return (int)syscall(SYS_faccessat, AT_FDCWD, path, mode);
}

int faccessat(int dirfd, const char* path, int mode, int flags) {
  if (marker(path)) return 0;
#ifdef SYS_faccessat2
  if (flags != 0) return (int)syscall(SYS_faccessat2, dirfd, path, mode, flags);
#endif
  return (int)syscall(SYS_faccessat, dirfd, path, mode);
}
