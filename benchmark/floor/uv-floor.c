/* uv-floor: the libuv floors for the fs workloads.
 *
 * The same operations as ../workload/ops.mjs, issued straight from C through
 * libuv's thread pool, with the same in-flight counts, the same warm-up rule
 * and the same one-line JSON output as ../workload/fs-workload.mjs. No
 * JavaScript, no bindings, no promises.
 *
 *   uv-floor --workload=stat --concurrency=16 [--duration=1]
 *            [--warmup-ops=N] [--warmup-max=S] [--window-ms=100] [--stable-pct=5]
 *            [--sample-ms=50] [--tmpdir=/tmp] [--hops=each|one]
 *            [--malloc=tuned|glibc] [--mode=throughput|latency]
 *            [--alloc-ops=N] [--probe]
 *
 * --hops=each (default, contender `floor`) issues one uv_fs_* request per
 *   system call, chained from the callbacks, as Node does: readFile is open,
 *   fstat, read until the size is read (512 KiB chunks), close: four
 *   thread-pool round trips. It is the floor of Node's structure: what a
 *   request-per-syscall design on libuv's pool pays with no JavaScript. It is
 *   NOT a lower bound for designs with fewer hops.
 * --hops=one (contender `one-hop-ref`) runs each whole operation as one
 *   uv_queue_work job doing the same POSIX calls (readdir: scandir(3) with
 *   libuv's filter and sort): one round trip per operation, how Bun reads a
 *   small file. A reference design, not a lower bound either: batching,
 *   io_uring or synchronous calls on the loop thread can go below it.
 * --malloc=tuned (default) pins glibc's M_TRIM_THRESHOLD (256 MiB) and
 *   M_MMAP_THRESHOLD (32 MiB). With glibc's defaults, buffers malloc'd on a
 *   pool thread (one-hop readFile) and freed on the loop thread make glibc
 *   hand the per-thread arena's memory back to the kernel and fault it in
 *   again: about 10 minor faults per 64 KiB readFile and over 100 per 1 MiB one,
 *   which made the one-hop design slower than the callback API at 64 KiB and
 *   1 MiB. --malloc=glibc keeps glibc's defaults to show that cost.
 * --warmup-ops / --warmup-max: the warm-up ends after N operations, when two
 *   consecutive --window-ms windows' rates differ by under --stable-pct, or
 *   at --warmup-max seconds, whichever comes first; the output says which
 *   ("ops", "stable", "time-cap"). --warmup=S is an alias of --warmup-max.
 * The timed phase reads the clock once per batch of operations (about 1 ms
 *   of work at the warm-up's rate), like the JavaScript workload.
 * --mode=latency times every operation on its own and prints percentiles
 *   ("tool":"fs-latency") instead of throughput.
 * --alloc-ops=N  after the warm-up, runs N operations (fewer if N would take
 *   more than about 0.3 s at the warm-up's rate) between the
 *   malloc-count markers (access("/.malloc-count/reset"|"report")) and prints
 *   {"tool":"fs-alloc",...,"mallocs_per_op":...} instead of timing. Run it
 *   under LD_PRELOAD=libmalloc-count.so MALLOC_COUNT_OUT=FILE.
 * --probe prints {"tool":"probe",...} and exits (the runner's start check).
 *
 * readFile allocates a fresh buffer of the file's size per operation and
 * frees it when done (a runtime must hand out a new buffer too). The utf8
 * variants then validate the bytes as UTF-8 and copy them into a string
 * buffer on the loop thread, as V8 builds a one-byte string from ASCII input
 * (the string buffer is reused per slot: V8's heap allocation is not
 * modelled). readdir builds every name (libuv's scandir) and walks them on
 * the loop thread.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "uv.h"

#define KIB 1024
#define READ_CHUNK (512 * KIB)
#define DIR_ENTRIES 100
#define MAX_SLOTS 1024
#define MAX_LATENCIES (4 * 1024 * 1024)

enum kind { STAT, ACCESS, OPEN_CLOSE, READFILE, WRITEFILE, READDIR };
enum phase { WARMUP, TIMED, COUNTED };

struct slot {
  uv_fs_t req;
  uv_work_t work;
  int index;
  int step;
  uv_file fd;
  size_t size;
  size_t off;
  char* buf;
  char* str; /* utf8 variants: the decoded string (reused) */
  struct dirent** dents; /* one-hop readdir: scandir's result */
  int ndents;
  uint64_t t0; /* latency mode: when the operation started */
  int result;
};

static struct {
  enum kind kind;
  const char* workload;
  size_t read_size;
  int utf8;
  int concurrency;
  int one_hop;
  int latency;
  const char* malloc_mode;
  char root[4096];
  char file[3][4200]; /* 1k, 64k, 1m */
  char dir[4200];
  char (*write_target)[4200];
  const char* read_path;
  char write_data[KIB];
  uv_loop_t* loop;
  /* run state */
  enum phase phase;
  int stop;
  uint64_t deadline;
  uint64_t limit; /* ops to run in COUNTED mode */
  uint64_t started;
  uint64_t done;
  int live;
  /* warm-up rule */
  uint64_t warm_max_ops;
  uint64_t window_ns;
  double stable_pct;
  uint64_t window_start;
  uint64_t window_ops;
  double prev_rate;
  int windows;
  const char* ended_by;
  /* timed phase: clock read once per batch */
  uint64_t batch;
  uint64_t left;
  uint64_t clock_reads;
  /* latency mode */
  uint64_t* lat;
  size_t nlat;
  /* memory and thread samples */
  uint64_t sample_ns;
  uint64_t next_sample;
  long rss_max;
  double rss_sum;
  long samples;
  long threads_max;
} g;

static struct slot slots[MAX_SLOTS];
static char exec_argv[512];

static void die(const char* what, int err) {
  fprintf(stderr, "uv-floor: %s: %s\n", what, err < 0 ? uv_strerror(err) : strerror(err));
  exit(1);
}

static long rss_bytes(void) {
  long pages = 0, resident = 0;
  FILE* f = fopen("/proc/self/statm", "r");
  if (f == NULL) return 0;
  if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
  fclose(f);
  return resident * sysconf(_SC_PAGESIZE);
}

static long thread_count(void) {
  char line[256];
  long n = 0;
  FILE* f = fopen("/proc/self/status", "r");
  if (f == NULL) return 0;
  while (fgets(line, sizeof(line), f) != NULL)
    if (sscanf(line, "Threads: %ld", &n) == 1) break;
  fclose(f);
  return n;
}

static void sample(void) {
  long rss = rss_bytes();
  long threads = thread_count();
  g.samples++;
  g.rss_sum += (double)rss;
  if (rss > g.rss_max) g.rss_max = rss;
  if (threads > g.threads_max) g.threads_max = threads;
}

static void start_op(struct slot* s);

static double tv_us(const struct timeval* tv) {
  return (double)tv->tv_sec * 1e6 + (double)tv->tv_usec;
}

/* Whether the run goes on after one more completed operation. */
static int keep_going(struct slot* s) {
  uint64_t now;
  if (g.stop) return 0;
  switch (g.phase) {
    case COUNTED:
      return g.started < g.limit;
    case WARMUP:
      if (g.done >= g.warm_max_ops) {
        g.ended_by = "ops";
        return !(g.stop = 1);
      }
      now = uv_hrtime();
      g.window_ops++;
      if (now >= g.deadline) {
        g.ended_by = "time-cap";
        return !(g.stop = 1);
      }
      if (now - g.window_start >= g.window_ns) {
        double rate = (double)g.window_ops / (double)(now - g.window_start);
        g.windows++;
        if (g.prev_rate > 0 && rate > 0 &&
            (rate > g.prev_rate ? rate - g.prev_rate : g.prev_rate - rate) / g.prev_rate <
                g.stable_pct / 100) {
          g.ended_by = "stable";
          return !(g.stop = 1);
        }
        g.prev_rate = rate;
        g.window_start = now;
        g.window_ops = 0;
      }
      return 1;
    case TIMED:
      if (g.latency) {
        now = uv_hrtime();
        if (g.nlat < MAX_LATENCIES) g.lat[g.nlat++] = now - s->t0;
      } else {
        if (--g.left > 0) return 1;
        g.left = g.batch;
        g.clock_reads++;
        now = uv_hrtime();
      }
      if (g.sample_ns > 0 && now >= g.next_sample) {
        sample();
        g.next_sample = now + g.sample_ns;
      }
      if (now >= g.deadline) g.stop = 1;
      return !g.stop;
  }
  return 0;
}

/* Called once per completed operation: counts it and starts the next one in
 * the same slot while the run lasts. */
static void op_done(struct slot* s) {
  if (s->result < 0) die(g.workload, s->result);
  g.done++;
  if (keep_going(s))
    start_op(s);
  else
    g.live--;
}

/* readFile as utf-8: validate and copy into a string, as V8 does for a
 * one-byte (ASCII) string; other input is decoded to UTF-16. Returns the
 * number of code units, or -1 for invalid UTF-8. */
static long decode_utf8(const unsigned char* p, size_t n, char* out) {
  size_t i = 0;
  uint64_t w;
  for (; i + 8 <= n; i += 8) {
    memcpy(&w, p + i, 8);
    if (w & 0x8080808080808080ull) break;
  }
  for (; i < n && p[i] < 0x80; i++) {
  }
  if (i == n) {
    memcpy(out, p, n);
    return (long)n;
  }
  /* Non-ASCII: decode to UTF-16 (out holds 2 * n bytes). */
  uint16_t* u = (uint16_t*)(void*)out;
  long k = 0;
  for (i = 0; i < n;) {
    unsigned c = p[i];
    uint32_t cp;
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + (size_t)len > n) return -1;
    cp = len == 1 ? c : len == 2 ? c & 0x1f : len == 3 ? c & 0x0f : c & 0x07;
    for (int j = 1; j < len; j++) {
      if ((p[i + j] & 0xc0) != 0x80) return -1;
      cp = (cp << 6) | (p[i + j] & 0x3f);
    }
    if (cp > 0xffff) {
      cp -= 0x10000;
      u[k++] = (uint16_t)(0xd800 + (cp >> 10));
      u[k++] = (uint16_t)(0xdc00 + (cp & 0x3ff));
    } else {
      u[k++] = (uint16_t)cp;
    }
    i += (size_t)len;
  }
  return k;
}

/* The end of a readFile, on the loop thread: decode (utf8 variants), free. */
static void finish_read(struct slot* s) {
  if (g.utf8 && s->result == 0 && decode_utf8((unsigned char*)s->buf, s->off, s->str) < 0)
    s->result = -EILSEQ;
  free(s->buf);
  s->buf = NULL;
}

/* --hops=each: one uv_fs_* request per system call. */
static void on_fs(uv_fs_t* req);

static void fs_step(struct slot* s) {
  uv_loop_t* loop = g.loop;
  int r = 0;
  switch (g.kind) {
    case STAT:
      r = uv_fs_stat(loop, &s->req, g.file[0], on_fs);
      break;
    case ACCESS:
      r = uv_fs_access(loop, &s->req, g.file[0], F_OK, on_fs);
      break;
    case OPEN_CLOSE:
      if (s->step == 0)
        r = uv_fs_open(loop, &s->req, g.file[0], O_RDONLY | O_CLOEXEC, 0, on_fs);
      else
        r = uv_fs_close(loop, &s->req, s->fd, on_fs);
      break;
    case READFILE:
      if (s->step == 0) {
        r = uv_fs_open(loop, &s->req, g.read_path, O_RDONLY | O_CLOEXEC, 0, on_fs);
      } else if (s->step == 1) {
        r = uv_fs_fstat(loop, &s->req, s->fd, on_fs);
      } else if (s->step == 2) {
        size_t want = s->size - s->off;
        uv_buf_t b = uv_buf_init(s->buf + s->off,
                                 (unsigned)(want < READ_CHUNK ? want : READ_CHUNK));
        r = uv_fs_read(loop, &s->req, s->fd, &b, 1, -1, on_fs);
      } else {
        r = uv_fs_close(loop, &s->req, s->fd, on_fs);
      }
      break;
    case WRITEFILE:
      if (s->step == 0) {
        r = uv_fs_open(loop, &s->req, g.write_target[s->index],
                       O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666, on_fs);
      } else if (s->step == 1) {
        uv_buf_t b = uv_buf_init(g.write_data, sizeof(g.write_data));
        r = uv_fs_write(loop, &s->req, s->fd, &b, 1, -1, on_fs);
      } else {
        r = uv_fs_close(loop, &s->req, s->fd, on_fs);
      }
      break;
    case READDIR:
      r = uv_fs_scandir(loop, &s->req, g.dir, 0, on_fs);
      break;
  }
  if (r < 0) die("submit", r);
}

static void on_fs(uv_fs_t* req) {
  struct slot* s = req->data;
  ssize_t res = req->result;
  int finished = 1;
  if (res < 0) {
    uv_fs_req_cleanup(req);
    s->result = (int)res;
    op_done(s);
    return;
  }
  s->result = 0;
  switch (g.kind) {
    case STAT:
    case ACCESS:
      break;
    case OPEN_CLOSE:
      if (s->step == 0) {
        s->fd = (uv_file)res;
        finished = 0;
      }
      break;
    case READFILE:
      if (s->step == 0) {
        s->fd = (uv_file)res;
        finished = 0;
      } else if (s->step == 1) {
        s->size = (size_t)req->statbuf.st_size;
        s->off = 0;
        s->buf = malloc(s->size > 0 ? s->size : 1);
        finished = 0;
      } else if (s->step == 2) {
        s->off += (size_t)res;
        finished = 0;
        if (res > 0 && s->off < s->size) s->step--; /* read again */
      } else {
        finish_read(s);
      }
      break;
    case WRITEFILE:
      if (s->step == 0) s->fd = (uv_file)res;
      finished = s->step == 2;
      break;
    case READDIR: {
      uv_dirent_t ent;
      int n = 0;
      size_t chars = 0;
      while (uv_fs_scandir_next(req, &ent) != UV_EOF) {
        chars += strlen(ent.name);
        n++;
      }
      if (n != DIR_ENTRIES || chars == 0) die("readdir count", EIO);
      break;
    }
  }
  uv_fs_req_cleanup(req);
  if (finished) {
    op_done(s);
  } else {
    s->step++;
    fs_step(s);
  }
}

/* libuv's scandir filter and sort (src/unix/fs.c), for the one-hop readdir. */
static int scandir_filter(const struct dirent* d) {
  return strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0;
}

static int scandir_sort(const struct dirent** a, const struct dirent** b) {
  return strcmp((*a)->d_name, (*b)->d_name);
}

/* --hops=one: the whole operation as plain POSIX calls in one pool job. */
static void work_cb(uv_work_t* w) {
  struct slot* s = w->data;
  int fd;
  s->result = 0;
  switch (g.kind) {
    case STAT: {
      struct stat st;
      if (stat(g.file[0], &st) != 0) s->result = -errno;
      break;
    }
    case ACCESS:
      if (access(g.file[0], F_OK) != 0) s->result = -errno;
      break;
    case OPEN_CLOSE:
      fd = open(g.file[0], O_RDONLY | O_CLOEXEC);
      if (fd < 0) s->result = -errno;
      else close(fd);
      break;
    case READFILE: {
      struct stat st;
      s->off = 0;
      fd = open(g.read_path, O_RDONLY | O_CLOEXEC);
      if (fd < 0 || fstat(fd, &st) != 0) {
        s->result = -errno;
        if (fd >= 0) close(fd);
        break;
      }
      s->size = (size_t)st.st_size;
      s->buf = malloc(s->size > 0 ? s->size : 1);
      while (s->off < s->size) {
        size_t want = s->size - s->off;
        ssize_t n = read(fd, s->buf + s->off, want < READ_CHUNK ? want : READ_CHUNK);
        if (n <= 0) {
          if (n < 0) s->result = -errno;
          break;
        }
        s->off += (size_t)n;
      }
      close(fd);
      break;
    }
    case WRITEFILE:
      fd = open(g.write_target[s->index], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
      if (fd < 0) {
        s->result = -errno;
        break;
      }
      if (write(fd, g.write_data, sizeof(g.write_data)) < 0) s->result = -errno;
      close(fd);
      break;
    case READDIR:
      s->ndents = scandir(g.dir, &s->dents, scandir_filter, scandir_sort);
      if (s->ndents < 0) s->result = -errno;
      break;
  }
}

static void after_work(uv_work_t* w, int status) {
  struct slot* s = w->data;
  if (status < 0) s->result = status;
  if (g.kind == READFILE) {
    finish_read(s);
  } else if (g.kind == READDIR && s->ndents >= 0) {
    /* Walk and free the names on the loop thread, as uv_fs_scandir_next. */
    size_t chars = 0;
    for (int i = 0; i < s->ndents; i++) {
      chars += strlen(s->dents[i]->d_name);
      free(s->dents[i]);
    }
    free(s->dents);
    if (s->result == 0 && (s->ndents != DIR_ENTRIES || chars == 0)) s->result = -EIO;
    s->dents = NULL;
  }
  op_done(s);
}

static void start_op(struct slot* s) {
  g.started++;
  s->step = 0;
  if (g.latency) s->t0 = uv_hrtime();
  if (g.one_hop) {
    int r = uv_queue_work(g.loop, &s->work, work_cb, after_work);
    if (r < 0) die("uv_queue_work", r);
  } else {
    fs_step(s);
  }
}

/* Runs one phase: the warm-up (until its rule ends it), the timed phase
 * (until duration_ns has passed) or `limit` operations; returns the elapsed
 * time. */
static uint64_t run(enum phase phase, uint64_t duration_ns, uint64_t limit) {
  uint64_t start = uv_hrtime();
  g.phase = phase;
  g.stop = 0;
  g.deadline = start + duration_ns;
  g.limit = limit;
  g.started = 0;
  g.done = 0;
  g.live = g.concurrency;
  g.next_sample = start + g.sample_ns;
  g.window_start = start;
  g.window_ops = 0;
  g.prev_rate = 0;
  g.left = g.batch;
  for (int i = 0; i < g.concurrency; i++) start_op(&slots[i]);
  uv_run(g.loop, UV_RUN_DEFAULT);
  if (g.live != 0) die("run ended with operations in flight", EIO);
  return uv_hrtime() - start;
}

/* Fixtures: the same layout as createFixtures() in ops.mjs. */
static void write_file(const char* path, size_t size) {
  FILE* f = fopen(path, "wb");
  if (f == NULL) die(path, errno);
  for (size_t i = 0; i < size; i++) fputc('a' + (int)(i % 26), f);
  if (fclose(f) != 0) die(path, errno);
}

static void make_fixtures(const char* base) {
  static const size_t sizes[3] = {KIB, 64 * KIB, 1024 * KIB};
  static const char* names[3] = {"1k", "64k", "1m"};
  snprintf(g.root, sizeof(g.root), "%s/fs-bench-XXXXXX", base);
  if (mkdtemp(g.root) == NULL) die("mkdtemp", errno);
  for (int i = 0; i < 3; i++) {
    snprintf(g.file[i], sizeof(g.file[i]), "%s/file-%s", g.root, names[i]);
    write_file(g.file[i], sizes[i]);
  }
  snprintf(g.dir, sizeof(g.dir), "%s/dir-%d", g.root, DIR_ENTRIES);
  if (mkdir(g.dir, 0777) != 0) die("mkdir", errno);
  for (int i = 0; i < DIR_ENTRIES; i++) {
    char p[4300];
    snprintf(p, sizeof(p), "%s/entry-%03d", g.dir, i);
    write_file(p, 0);
  }
  g.write_target = calloc((size_t)g.concurrency, sizeof(*g.write_target));
  for (int i = 0; i < g.concurrency; i++)
    snprintf(g.write_target[i], sizeof(g.write_target[i]), "%s/write-%d", g.root, i);
  for (int i = 0; i < KIB; i++) g.write_data[i] = (char)('a' + i % 26);
}

static void remove_fixtures(void) {
  char p[4300];
  for (int i = 0; i < DIR_ENTRIES; i++) {
    snprintf(p, sizeof(p), "%s/entry-%03d", g.dir, i);
    unlink(p);
  }
  rmdir(g.dir);
  for (int i = 0; i < 3; i++) unlink(g.file[i]);
  for (int i = 0; i < g.concurrency; i++) unlink(g.write_target[i]);
  if (rmdir(g.root) != 0) fprintf(stderr, "uv-floor: could not remove %s\n", g.root);
}

/* Alloc mode: the last two lines of $MALLOC_COUNT_OUT are the empty marker
 * pair and the batch; prints the per-operation difference as JSON. */
static int read_counts(double out[2][3]) {
  const char* path = getenv("MALLOC_COUNT_OUT");
  char line[256];
  double c, f, b;
  int n = 0;
  FILE* fp = path != NULL ? fopen(path, "r") : NULL;
  if (fp == NULL) return 0;
  while (fgets(line, sizeof(line), fp) != NULL) {
    if (sscanf(line, "malloc-count calls=%lf frees=%lf bytes=%lf", &c, &f, &b) != 3) continue;
    out[0][0] = out[1][0], out[0][1] = out[1][1], out[0][2] = out[1][2];
    out[1][0] = c, out[1][1] = f, out[1][2] = b;
    n++;
  }
  fclose(fp);
  return n >= 2;
}

static void print_runtime(const char* tool, const char* runtime_name) {
  printf("{\"tool\":\"%s\",\"runtime\":{\"name\":\"%s\",\"version\":\"%s\"},"
         "\"exec_argv\":[%s],\"malloc\":\"%s\",",
         tool, runtime_name, uv_version_string(), exec_argv, g.malloc_mode);
}

static void print_alloc(const char* runtime_name, uint64_t warmup_ops) {
  double k[2][3] = {{0}};
  double n = (double)g.done;
  print_runtime("fs-alloc", runtime_name);
  printf("\"workload\":\"%s\",\"api\":\"libuv\",\"concurrency\":%d,"
         "\"ops\":%" PRIu64 ",\"warmup_ops\":%" PRIu64 ",\"gcs_during_batch\":0,"
         "\"heap_bytes_per_op\":null,\"external_bytes_per_op\":null,",
         g.workload, g.concurrency, g.done, warmup_ops);
  if (read_counts(k))
    /* Everything is freed before the batch ends: no GC to wait for. */
    printf("\"mallocs_per_op\":%.4f,\"malloc_bytes_per_op\":%.2f,\"frees_per_op\":%.4f,"
           "\"frees_after_gc_per_op\":%.4f,"
           "\"malloc_counter\":\"LD_PRELOAD malloc-count\","
           "\"malloc_marker_cost\":{\"calls\":%.0f,\"frees\":%.0f,\"bytes\":%.0f}}\n",
           (k[1][0] - k[0][0]) / n, (k[1][2] - k[0][2]) / n, (k[1][1] - k[0][1]) / n,
           (k[1][1] - k[0][1]) / n, k[0][0], k[0][1], k[0][2]);
  else
    printf("\"mallocs_per_op\":null,\"malloc_bytes_per_op\":null,\"frees_per_op\":null,"
           "\"frees_after_gc_per_op\":null,\"malloc_counter\":\"not loaded\"}\n");
}

static int cmp_u64(const void* a, const void* b) {
  uint64_t x = *(const uint64_t*)a, y = *(const uint64_t*)b;
  return x < y ? -1 : x > y;
}

static double pct(double p) {
  size_t i;
  if (g.nlat == 0) return 0;
  i = (size_t)(p * (double)(g.nlat - 1) + 0.5);
  return (double)g.lat[i] / 1e3;
}

static const char* arg(int argc, char** argv, const char* key, const char* def) {
  size_t n = strlen(key);
  for (int i = 1; i < argc; i++)
    if (strncmp(argv[i], "--", 2) == 0 && strncmp(argv[i] + 2, key, n) == 0 &&
        argv[i][2 + n] == '=')
      return argv[i] + 3 + n;
  return def;
}

static void parse_workload(const char* w) {
  static const char* sizes[3] = {"1k", "64k", "1m"};
  static const size_t bytes[3] = {KIB, 64 * KIB, 1024 * KIB};
  g.workload = w;
  if (strcmp(w, "stat") == 0) g.kind = STAT;
  else if (strcmp(w, "access") == 0) g.kind = ACCESS;
  else if (strcmp(w, "open-close") == 0) g.kind = OPEN_CLOSE;
  else if (strcmp(w, "writefile-1k") == 0) g.kind = WRITEFILE;
  else if (strcmp(w, "readdir-100") == 0) g.kind = READDIR;
  else {
    for (int i = 0; i < 3; i++) {
      char b[64], u[64];
      snprintf(b, sizeof(b), "readfile-%s-buffer", sizes[i]);
      snprintf(u, sizeof(u), "readfile-%s-utf8", sizes[i]);
      if (strcmp(w, b) == 0 || strcmp(w, u) == 0) {
        g.kind = READFILE;
        g.read_size = bytes[i];
        g.utf8 = strcmp(w, u) == 0;
        return;
      }
    }
    fprintf(stderr, "uv-floor: unknown workload %s\n", w);
    exit(2);
  }
}

int main(int argc, char** argv) {
  double duration = atof(arg(argc, argv, "duration", "1"));
  double warmup_max = atof(arg(argc, argv, "warmup-max", arg(argc, argv, "warmup", "2")));
  long warmup_ops_max = atol(arg(argc, argv, "warmup-ops", "5000"));
  const char* hops = arg(argc, argv, "hops", "each");
  const char* mode = arg(argc, argv, "mode", "throughput");
  long alloc_ops = atol(arg(argc, argv, "alloc-ops", "0"));
  const char* tmp = getenv("TMPDIR");
  int probe = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--probe") == 0) probe = 1;
    else if (strncmp(argv[i], "--", 2) != 0 || strchr(argv[i], '=') == NULL) {
      fprintf(stderr, "uv-floor: bad argument %s (expected --key=value)\n", argv[i]);
      return 2;
    }
  }
  g.malloc_mode = arg(argc, argv, "malloc", "tuned");
  parse_workload(arg(argc, argv, "workload", "stat"));
  g.concurrency = atoi(arg(argc, argv, "concurrency", "1"));
  g.sample_ns = (uint64_t)(atof(arg(argc, argv, "sample-ms", "50")) * 1e6);
  g.window_ns = (uint64_t)(atof(arg(argc, argv, "window-ms", "100")) * 1e6);
  g.stable_pct = atof(arg(argc, argv, "stable-pct", "5"));
  if (g.concurrency < 1 || g.concurrency > MAX_SLOTS) {
    fprintf(stderr, "uv-floor: concurrency must be 1..%d\n", MAX_SLOTS);
    return 2;
  }
  if (strcmp(hops, "one") == 0) g.one_hop = 1;
  else if (strcmp(hops, "each") != 0) {
    fprintf(stderr, "uv-floor: --hops must be each or one\n");
    return 2;
  }
  if (strcmp(mode, "latency") == 0) g.latency = 1;
  else if (strcmp(mode, "throughput") != 0) {
    fprintf(stderr, "uv-floor: --mode must be throughput or latency\n");
    return 2;
  }
  if (strcmp(g.malloc_mode, "tuned") == 0) {
    mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
  } else if (strcmp(g.malloc_mode, "glibc") != 0) {
    fprintf(stderr, "uv-floor: --malloc must be tuned or glibc\n");
    return 2;
  }
  snprintf(exec_argv, sizeof(exec_argv), "\"--hops=%s\",\"--malloc=%s\"", hops, g.malloc_mode);
  const char* runtime_name = g.one_hop ? "libuv-one-hop-ref" : "libuv-floor";
  if (probe) {
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    exe[n > 0 ? n : 0] = '\0';
    print_runtime("probe", runtime_name);
    printf("\"versions\":{\"uv\":\"%s\"},\"exec_path\":\"%s\",\"pid\":%d}\n",
           uv_version_string(), exe, (int)getpid());
    return 0;
  }
  make_fixtures(arg(argc, argv, "tmpdir", tmp != NULL ? tmp : "/tmp"));
  g.read_path = g.read_size == 64 * KIB ? g.file[1]
                : g.read_size == 1024 * KIB ? g.file[2] : g.file[0];
  g.loop = uv_default_loop();
  for (int i = 0; i < g.concurrency; i++) {
    slots[i].index = i;
    slots[i].req.data = &slots[i];
    slots[i].work.data = &slots[i];
    if (g.utf8 && (slots[i].str = malloc(2 * g.read_size)) == NULL) die("malloc", ENOMEM);
  }

  /* Warm-up: N operations, two steady windows, or the time cap. */
  uint64_t warm_sample = g.sample_ns;
  g.sample_ns = 0;
  g.warm_max_ops = warmup_ops_max > 0 ? (uint64_t)warmup_ops_max : 1;
  g.ended_by = "time-cap";
  uint64_t warm_ns = run(WARMUP, (uint64_t)(warmup_max * 1e9), 0);
  uint64_t warmup_ops = g.done;
  const char* ended_by = g.ended_by;
  int windows = g.windows;
  g.sample_ns = warm_sample;
  /* Read the clock about once per millisecond of work. */
  double rate = (double)warmup_ops / ((double)warm_ns / 1e9);
  g.batch = (uint64_t)(rate / 1000 + 0.5);
  if (g.batch < 1) g.batch = 1;
  if (g.batch > 1000) g.batch = 1000;

  if (alloc_ops > 0) {
    /* About 0.3 s of operations at the warm-up's rate, at most --alloc-ops. */
    if ((double)alloc_ops > rate * 0.3) alloc_ops = (long)(rate * 0.3);
    if (alloc_ops < g.concurrency) alloc_ops = g.concurrency;
    g.sample_ns = 0;
    access("/.malloc-count/reset", F_OK); /* the empty pair: marker cost */
    access("/.malloc-count/report", F_OK);
    access("/.malloc-count/reset", F_OK);
    run(COUNTED, 0, (uint64_t)alloc_ops);
    access("/.malloc-count/report", F_OK);
    print_alloc(runtime_name, warmup_ops);
  } else {
    struct rusage ru0, ru1;
    if (g.latency && (g.lat = malloc(MAX_LATENCIES * sizeof(*g.lat))) == NULL)
      die("malloc", ENOMEM);
    getrusage(RUSAGE_SELF, &ru0);
    uint64_t elapsed = run(TIMED, (uint64_t)(duration * 1e9), 0);
    getrusage(RUSAGE_SELF, &ru1);
    double user_us = tv_us(&ru1.ru_utime) - tv_us(&ru0.ru_utime);
    double sys_us = tv_us(&ru1.ru_stime) - tv_us(&ru0.ru_stime);
    long minflt = ru1.ru_minflt - ru0.ru_minflt;
    sample();
    print_runtime(g.latency ? "fs-latency" : "fs-workload", runtime_name);
    printf("\"mode\":\"%s\",\"workload\":\"%s\",\"api\":\"libuv\",\"concurrency\":%d,"
           "\"ops\":%" PRIu64 ",\"elapsed_ns\":%" PRIu64 ",\"ops_per_sec\":%.3f,"
           "\"us_per_op\":%.4f,\"cpu_user_us\":%.0f,\"cpu_sys_us\":%.0f,\"cpu_us_per_op\":%.4f,"
           "\"minflt_per_op\":%.4f,\"batch\":%" PRIu64 ",\"clock_reads\":%" PRIu64 ","
           "\"warmup_ops\":%" PRIu64 ",\"warmup\":{\"ops\":%" PRIu64 ",\"ns\":%" PRIu64 ","
           "\"ended_by\":\"%s\",\"max_ops\":%" PRIu64 ",\"max_s\":%g,\"windows\":%d},"
           "\"uv_threadpool_size\":%s%s%s,"
           "\"memory\":{\"samples\":%ld,"
           "\"rss_max\":%ld,\"rss_avg\":%.0f,\"heap_used_max\":null,"
           "\"heap_used_avg\":null,\"heap_total_max\":null,\"external_max\":null,"
           "\"threads_max\":%ld},",
           g.latency ? "latency" : "throughput", g.workload, g.concurrency, g.done, elapsed,
           (double)g.done / ((double)elapsed / 1e9), (double)elapsed / 1e3 / (double)g.done,
           user_us, sys_us, (user_us + sys_us) / (double)g.done, (double)minflt / (double)g.done,
           g.latency ? (uint64_t)1 : g.batch, g.latency ? g.done : g.clock_reads, warmup_ops,
           warmup_ops, warm_ns, ended_by, g.warm_max_ops, warmup_max, windows,
           getenv("UV_THREADPOOL_SIZE") ? "\"" : "",
           getenv("UV_THREADPOOL_SIZE") ? getenv("UV_THREADPOOL_SIZE") : "null",
           getenv("UV_THREADPOOL_SIZE") ? "\"" : "", g.samples, g.rss_max,
           g.rss_sum / (double)g.samples, g.threads_max);
    if (g.latency) {
      qsort(g.lat, g.nlat, sizeof(*g.lat), cmp_u64);
      printf("\"latency_us\":{\"count\":%zu,\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,"
             "\"p999\":%.3f,\"max\":%.3f},",
             g.nlat, pct(0.5), pct(0.9), pct(0.99), pct(0.999), pct(1.0));
    }
    printf("\"pid\":%d}\n", (int)getpid());
  }
  remove_fixtures();
  uv_loop_close(g.loop);
  return 0;
}
