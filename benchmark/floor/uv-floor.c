/* uv-floor: the libuv floor for the fs workloads.
 *
 * The same operations as ../workload/ops.mjs, issued straight from C through
 * libuv's thread pool, with the same in-flight counts and the same one-line
 * JSON output as ../workload/fs-workload.mjs. No JavaScript, no bindings, no
 * promises: what is left is the cost of the thread-pool round trips and the
 * system calls, the floor any fs.promises implementation on libuv sits on.
 *
 *   uv-floor --workload=stat --concurrency=16 [--duration=1] [--warmup=0.3]
 *            [--sample-ms=50] [--tmpdir=/tmp] [--hops=each|one]
 *            [--alloc-ops=N]
 *
 * --hops=each (default) issues one uv_fs_* request per system call, chained
 *   from the callbacks, as Node does: readFile is open, fstat, read until the
 *   size is read (512 KiB chunks), close: four thread-pool round trips.
 * --hops=one runs each whole operation as one uv_queue_work job doing plain
 *   POSIX calls: one round trip per operation (how Bun reads a small file).
 * --alloc-ops=N  after the warm-up, runs N operations (fewer if N would take
 *   more than about 0.3 s at the warm-up's rate) between the
 *   malloc-count markers (access("/.malloc-count/reset"|"report")) and prints
 *   {"tool":"fs-alloc",...,"mallocs_per_op":...} instead of timing. Run it
 *   under LD_PRELOAD=libmalloc-count.so MALLOC_COUNT_OUT=FILE.
 *
 * readFile allocates a fresh buffer of the file's size per operation and
 * frees it when done (a runtime must hand out a new buffer too). The utf8
 * variants do exactly what the buffer ones do: there is no string to build.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
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

enum kind { STAT, ACCESS, OPEN_CLOSE, READFILE, WRITEFILE, READDIR };

struct slot {
  uv_fs_t req;
  uv_work_t work;
  int index;
  int step;
  uv_file fd;
  size_t size;
  size_t off;
  char* buf;
  int result;
};

static struct {
  enum kind kind;
  const char* workload;
  size_t read_size;
  int concurrency;
  int one_hop;
  char root[4096];
  char file[3][4200]; /* 1k, 64k, 1m */
  char dir[4200];
  char (*write_target)[4200];
  const char* read_path;
  char write_data[KIB];
  uv_loop_t* loop;
  /* run state */
  uint64_t deadline;
  uint64_t limit; /* ops to run when > 0 (alloc mode), else time-bounded */
  uint64_t started;
  uint64_t done;
  int live;
  /* memory samples */
  uint64_t sample_ns;
  uint64_t next_sample;
  long rss_max;
  double rss_sum;
  long samples;
} g;

static struct slot slots[MAX_SLOTS];

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

static void sample(void) {
  long rss = rss_bytes();
  g.samples++;
  g.rss_sum += (double)rss;
  if (rss > g.rss_max) g.rss_max = rss;
}

static void start_op(struct slot* s);

static double tv_us(const struct timeval* tv) {
  return (double)tv->tv_sec * 1e6 + (double)tv->tv_usec;
}

/* Called once per completed operation: counts it and starts the next one in
 * the same slot while the run lasts. */
static void op_done(struct slot* s) {
  if (s->result < 0) die(g.workload, s->result);
  g.done++;
  int more;
  if (g.limit > 0) {
    more = g.started < g.limit;
  } else {
    uint64_t now = uv_hrtime();
    if (g.sample_ns > 0 && now >= g.next_sample) {
      sample();
      g.next_sample = now + g.sample_ns;
    }
    more = now < g.deadline;
  }
  if (more)
    start_op(s);
  else
    g.live--;
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
        free(s->buf);
        s->buf = NULL;
      }
      break;
    case WRITEFILE:
      if (s->step == 0) s->fd = (uv_file)res;
      finished = s->step == 2;
      break;
    case READDIR: {
      uv_dirent_t ent;
      int n = 0;
      while (uv_fs_scandir_next(req, &ent) != UV_EOF) n++;
      if (n != DIR_ENTRIES) die("readdir count", EIO);
      break;
    }
  }
  uv_fs_req_cleanup(req);
  if (finished) {
    s->result = 0;
    op_done(s);
  } else {
    s->step++;
    fs_step(s);
  }
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
      size_t off = 0;
      fd = open(g.read_path, O_RDONLY | O_CLOEXEC);
      if (fd < 0 || fstat(fd, &st) != 0) {
        s->result = -errno;
        if (fd >= 0) close(fd);
        break;
      }
      s->size = (size_t)st.st_size;
      s->buf = malloc(s->size > 0 ? s->size : 1);
      while (off < s->size) {
        size_t want = s->size - off;
        ssize_t n = read(fd, s->buf + off, want < READ_CHUNK ? want : READ_CHUNK);
        if (n <= 0) {
          if (n < 0) s->result = -errno;
          break;
        }
        off += (size_t)n;
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
    case READDIR: {
      DIR* d = opendir(g.dir);
      struct dirent* e;
      int n = 0;
      if (d == NULL) {
        s->result = -errno;
        break;
      }
      while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) n++;
      closedir(d);
      if (n != DIR_ENTRIES) s->result = -EIO;
      break;
    }
  }
}

static void after_work(uv_work_t* w, int status) {
  struct slot* s = w->data;
  if (status < 0) s->result = status;
  free(s->buf);
  s->buf = NULL;
  op_done(s);
}

static void start_op(struct slot* s) {
  g.started++;
  s->step = 0;
  if (g.one_hop) {
    int r = uv_queue_work(g.loop, &s->work, work_cb, after_work);
    if (r < 0) die("uv_queue_work", r);
  } else {
    fs_step(s);
  }
}

/* Runs `limit` operations (limit > 0) or until `duration_ns` has passed;
 * returns the elapsed time. */
static uint64_t run(uint64_t duration_ns, uint64_t limit) {
  uint64_t start = uv_hrtime();
  g.deadline = start + duration_ns;
  g.limit = limit;
  g.started = 0;
  g.done = 0;
  g.live = g.concurrency;
  g.next_sample = start + g.sample_ns;
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

static void print_alloc(const char* runtime_name) {
  double k[2][3] = {{0}};
  double n = (double)g.done;
  printf("{\"tool\":\"fs-alloc\",\"runtime\":{\"name\":\"%s\",\"version\":\"%s\"},"
         "\"workload\":\"%s\",\"api\":\"libuv\",\"concurrency\":%d,"
         "\"ops\":%" PRIu64 ",\"gcs_during_batch\":0,\"heap_bytes_per_op\":null,"
         "\"external_bytes_per_op\":null,",
         runtime_name, uv_version_string(), g.workload, g.concurrency, g.done);
  if (read_counts(k))
    printf("\"mallocs_per_op\":%.4f,\"malloc_bytes_per_op\":%.2f,\"frees_per_op\":%.4f,"
           "\"malloc_counter\":\"LD_PRELOAD malloc-count\","
           "\"malloc_marker_cost\":{\"calls\":%.0f,\"frees\":%.0f,\"bytes\":%.0f}}\n",
           (k[1][0] - k[0][0]) / n, (k[1][2] - k[0][2]) / n, (k[1][1] - k[0][1]) / n,
           k[0][0], k[0][1], k[0][2]);
  else
    printf("\"mallocs_per_op\":null,\"malloc_bytes_per_op\":null,\"frees_per_op\":null,"
           "\"malloc_counter\":\"not loaded\"}\n");
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
        return;
      }
    }
    fprintf(stderr, "uv-floor: unknown workload %s\n", w);
    exit(2);
  }
}

int main(int argc, char** argv) {
  double duration = atof(arg(argc, argv, "duration", "1"));
  double warmup = atof(arg(argc, argv, "warmup", "0.3"));
  const char* hops = arg(argc, argv, "hops", "each");
  long alloc_ops = atol(arg(argc, argv, "alloc-ops", "0"));
  const char* tmp = getenv("TMPDIR");
  parse_workload(arg(argc, argv, "workload", "stat"));
  g.concurrency = atoi(arg(argc, argv, "concurrency", "1"));
  g.sample_ns = (uint64_t)(atof(arg(argc, argv, "sample-ms", "50")) * 1e6);
  if (g.concurrency < 1 || g.concurrency > MAX_SLOTS) {
    fprintf(stderr, "uv-floor: concurrency must be 1..%d\n", MAX_SLOTS);
    return 2;
  }
  if (strcmp(hops, "one") == 0) g.one_hop = 1;
  else if (strcmp(hops, "each") != 0) {
    fprintf(stderr, "uv-floor: --hops must be each or one\n");
    return 2;
  }
  make_fixtures(arg(argc, argv, "tmpdir", tmp != NULL ? tmp : "/tmp"));
  g.read_path = g.read_size == 64 * KIB ? g.file[1]
                : g.read_size == 1024 * KIB ? g.file[2] : g.file[0];
  g.loop = uv_default_loop();
  for (int i = 0; i < g.concurrency; i++) {
    slots[i].index = i;
    slots[i].req.data = &slots[i];
    slots[i].work.data = &slots[i];
  }

  uint64_t warm_start = g.sample_ns;
  g.sample_ns = 0;
  run((uint64_t)(warmup * 1e9), 0);
  uint64_t warmup_ops = g.done;
  g.sample_ns = warm_start;
  const char* runtime_name = g.one_hop ? "libuv-floor-one-hop" : "libuv-floor";

  if (alloc_ops > 0) {
    /* About 0.3 s of operations at the warm-up's rate, at most --alloc-ops. */
    double rate = (double)warmup_ops / (warmup > 0 ? warmup : 1);
    if ((double)alloc_ops > rate * 0.3) alloc_ops = (long)(rate * 0.3);
    if (alloc_ops < g.concurrency) alloc_ops = g.concurrency;
    g.sample_ns = 0;
    access("/.malloc-count/reset", F_OK); /* the empty pair: marker cost */
    access("/.malloc-count/report", F_OK);
    access("/.malloc-count/reset", F_OK);
    run(0, (uint64_t)alloc_ops);
    access("/.malloc-count/report", F_OK);
    print_alloc(runtime_name);
  } else {
    struct rusage ru0, ru1;
    getrusage(RUSAGE_SELF, &ru0);
    uint64_t elapsed = run((uint64_t)(duration * 1e9), 0);
    getrusage(RUSAGE_SELF, &ru1);
    double user_us = tv_us(&ru1.ru_utime) - tv_us(&ru0.ru_utime);
    double sys_us = tv_us(&ru1.ru_stime) - tv_us(&ru0.ru_stime);
    sample();
    printf("{\"tool\":\"fs-workload\",\"runtime\":{\"name\":\"%s\",\"version\":\"%s\"},"
           "\"workload\":\"%s\",\"api\":\"libuv\",\"concurrency\":%d,"
           "\"ops\":%" PRIu64 ",\"elapsed_ns\":%" PRIu64 ",\"ops_per_sec\":%.3f,"
           "\"us_per_op\":%.4f,\"cpu_user_us\":%.0f,\"cpu_sys_us\":%.0f,\"cpu_us_per_op\":%.4f,"
           "\"warmup_ops\":%" PRIu64 ",\"memory\":{\"samples\":%ld,"
           "\"rss_max\":%ld,\"rss_avg\":%.0f,\"heap_used_max\":null,"
           "\"heap_used_avg\":null,\"heap_total_max\":null,\"external_max\":null},"
           "\"pid\":%d}\n",
           runtime_name, uv_version_string(), g.workload, g.concurrency, g.done, elapsed,
           (double)g.done / ((double)elapsed / 1e9), (double)elapsed / 1e3 / (double)g.done,
           user_us, sys_us, (user_us + sys_us) / (double)g.done, warmup_ops, g.samples,
           g.rss_max, g.rss_sum / (double)g.samples, (int)getpid());
  }
  remove_fixtures();
  uv_loop_close(g.loop);
  return 0;
}
