// The fs awaitables: every uv_fs_* call fs.promises needs, each on its
// success path and on its error paths (ENOENT, EBADF, EISDIR, EEXIST,
// EACCES, and the call's own ones).

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "coro_test_helpers.h"

namespace node {
namespace coro {
namespace test {
namespace {

using CoroFsTest = CoroTest;

uv_file Fd(ssize_t result) {
  return static_cast<uv_file>(result);
}

uv_buf_t Buf(std::string* storage) {
  return uv_buf_init(storage->data(),
                     static_cast<unsigned int>(storage->size()));
}

bool IsOpenFd(uv_file fd) {
  return fcntl(fd, F_GETFD) != -1;
}

void MakeDir(const std::string& path) {
  uv_fs_t req;
  CHECK_EQ(uv_fs_mkdir(nullptr, &req, path.c_str(), 0755, nullptr), 0);
  uv_fs_req_cleanup(&req);
}

void MakeSymlink(const std::string& target, const std::string& path) {
  uv_fs_t req;
  CHECK_EQ(
      uv_fs_symlink(nullptr, &req, target.c_str(), path.c_str(), 0, nullptr),
      0);
  uv_fs_req_cleanup(&req);
}

// Whether this process bypasses file permission bits (root, or
// CAP_DAC_OVERRIDE): it can open a mode-000 file for reading.
bool BypassesPermissions(const std::string& scratch) {
  WriteFile(scratch, "x");
  uv_fs_t req;
  CHECK_EQ(uv_fs_chmod(nullptr, &req, scratch.c_str(), 0, nullptr), 0);
  uv_fs_req_cleanup(&req);
  const int fd = uv_fs_open(nullptr, &req, scratch.c_str(), O_RDONLY, 0,
                            nullptr);
  uv_fs_req_cleanup(&req);
  if (fd >= 0) {
    uv_fs_close(nullptr, &req, fd, nullptr);
    uv_fs_req_cleanup(&req);
  }
  return fd >= 0;
}

TEST_F(CoroFsTest, OpenAndClose) {
  WriteFile(Path("file"), "hello");
  MakeDir(Path("sub"));
  Run([&]() -> UvTask<void> {
    const ssize_t fd =
        co_await UvFs(loop(), uv_fs_open, Path("file"), O_RDONLY, 0);
    CO_ASSERT_GE(fd, 0);
    EXPECT_TRUE(IsOpenFd(Fd(fd)));
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_close, Fd(fd)), 0);
    EXPECT_FALSE(IsOpenFd(Fd(fd)));

    EXPECT_EQ(co_await UvFs(loop(), uv_fs_open, Path("missing"), O_RDONLY, 0),
              UV_ENOENT);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_open, Path("sub"), O_WRONLY, 0),
              UV_EISDIR);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_open, Path("file"),
                            O_WRONLY | O_CREAT | O_EXCL, 0644),
              UV_EEXIST);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_open, Path("file/child"), O_RDONLY,
                            0),
              UV_ENOTDIR);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_close, uv_file{-1}), UV_EBADF);
  }());
}

TEST_F(CoroFsTest, OpenReportsEacces) {
  if (BypassesPermissions(Path("probe")))
    GTEST_SKIP() << "this process bypasses permission bits (root or "
                    "CAP_DAC_OVERRIDE), so open() cannot fail with EACCES; "
                    "AccessReportsEaccesEvenForRoot covers EACCES";
  WriteFile(Path("locked"), "x");
  ASSERT_EQ(chmod(Path("locked").c_str(), 0), 0);
  Run([&]() -> UvTask<void> {
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_open, Path("locked"), O_RDONLY, 0),
              UV_EACCES);
  }());
}

TEST_F(CoroFsTest, UvFsOpenYieldsAnOwningFile) {
  WriteFile(Path("file"), "hello");
  Run([&]() -> UvTask<void> {
    uv_file dropped_fd = -1;
    {
      auto [err, file] = co_await UvFsOpen(loop(), Path("file"), O_RDONLY, 0);
      CO_ASSERT_EQ(err, 0);
      CO_ASSERT_TRUE(file.is_open());
      dropped_fd = file.fd();
      EXPECT_TRUE(IsOpenFd(dropped_fd));
    }  // Dropped without Close(): closed synchronously.
    EXPECT_FALSE(IsOpenFd(dropped_fd));

    auto [err, file] = co_await UvFsOpen(loop(), Path("file"), O_RDONLY, 0);
    CO_ASSERT_EQ(err, 0);
    const uv_file fd = file.fd();
    EXPECT_EQ(co_await file.Close(loop()), 0);
    EXPECT_FALSE(file.is_open());
    EXPECT_FALSE(IsOpenFd(fd));

    auto [missing_err, missing] =
        co_await UvFsOpen(loop(), Path("missing"), O_RDONLY, 0);
    EXPECT_EQ(missing_err, UV_ENOENT);
    EXPECT_FALSE(missing.is_open());
  }());
}

TEST_F(CoroFsTest, ReadAndWrite) {
  MakeDir(Path("sub"));
  Run([&]() -> UvTask<void> {
    const ssize_t fd = co_await UvFs(loop(), uv_fs_open, Path("file"),
                                     O_RDWR | O_CREAT, 0644);
    CO_ASSERT_GE(fd, 0);
    std::string text = "hello world";
    uv_buf_t out = Buf(&text);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_write, Fd(fd), &out, 1u,
                            int64_t{0}),
              11);
    std::string word(5, '\0');
    uv_buf_t in = Buf(&word);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_read, Fd(fd), &in, 1u, int64_t{6}),
              5);
    EXPECT_EQ(word, "world");
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_read, Fd(fd), &in, 1u,
                            int64_t{100}),
              0);  // End of file.
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_close, Fd(fd)), 0);

    EXPECT_EQ(co_await UvFs(loop(), uv_fs_read, uv_file{-1}, &in, 1u,
                            int64_t{0}),
              UV_EBADF);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_write, uv_file{-1}, &out, 1u,
                            int64_t{0}),
              UV_EBADF);

    const ssize_t ro = co_await UvFs(loop(), uv_fs_open, Path("file"),
                                     O_RDONLY, 0);
    CO_ASSERT_GE(ro, 0);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_write, Fd(ro), &out, 1u,
                            int64_t{0}),
              UV_EBADF);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_close, Fd(ro)), 0);

    const ssize_t dir_fd = co_await UvFs(loop(), uv_fs_open, Path("sub"),
                                         O_RDONLY, 0);
    CO_ASSERT_GE(dir_fd, 0);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_read, Fd(dir_fd), &in, 1u,
                            int64_t{-1}),
              UV_EISDIR);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_close, Fd(dir_fd)), 0);
  }());
}

TEST_F(CoroFsTest, StatFamily) {
  WriteFile(Path("file"), "hello");
  MakeSymlink(Path("file"), Path("link"));
  Run([&]() -> UvTask<void> {
    auto [err, stat] = co_await UvFsStat(loop(), uv_fs_stat, Path("link"));
    CO_ASSERT_EQ(err, 0);
    EXPECT_EQ(stat.st_size, 5u);
    EXPECT_TRUE(S_ISREG(stat.st_mode));

    auto [lerr, lstat] = co_await UvFsStat(loop(), uv_fs_lstat, Path("link"));
    CO_ASSERT_EQ(lerr, 0);
    EXPECT_TRUE(S_ISLNK(lstat.st_mode));

    const ssize_t fd =
        co_await UvFs(loop(), uv_fs_open, Path("file"), O_RDONLY, 0);
    CO_ASSERT_GE(fd, 0);
    auto [ferr, fstat] = co_await UvFsStat(loop(), uv_fs_fstat, Fd(fd));
    EXPECT_EQ(ferr, 0);
    EXPECT_EQ(fstat.st_ino, stat.st_ino);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_close, Fd(fd)), 0);

    EXPECT_EQ((co_await UvFsStat(loop(), uv_fs_stat, Path("missing"))).err,
              UV_ENOENT);
    EXPECT_EQ((co_await UvFsStat(loop(), uv_fs_lstat, Path("missing"))).err,
              UV_ENOENT);
    EXPECT_EQ((co_await UvFsStat(loop(), uv_fs_stat, Path("file/x"))).err,
              UV_ENOTDIR);
    EXPECT_EQ((co_await UvFsStat(loop(), uv_fs_fstat, uv_file{-1})).err,
              UV_EBADF);
  }());
}

TEST_F(CoroFsTest, AccessReportsEaccesEvenForRoot) {
  WriteFile(Path("file"), "x");
  ASSERT_EQ(chmod(Path("file").c_str(), 0644), 0);
  Run([&]() -> UvTask<void> {
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_access, Path("file"), F_OK), 0);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_access, Path("file"), R_OK | W_OK),
              0);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_access, Path("missing"), F_OK),
              UV_ENOENT);
    // Even a privileged process is refused X_OK on a file that nobody may
    // execute.
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_access, Path("file"), X_OK),
              UV_EACCES);
  }());
}

TEST_F(CoroFsTest, RenameAndUnlink) {
  WriteFile(Path("a"), "x");
  MakeDir(Path("sub"));
  MakeDir(Path("full"));
  WriteFile(Path("full/f"), "x");
  Run([&]() -> UvTask<void> {
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_rename, Path("a"), Path("b")), 0);
    EXPECT_FALSE(Exists(Path("a")));
    EXPECT_TRUE(Exists(Path("b")));
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_rename, Path("a"), Path("c")),
              UV_ENOENT);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_rename, Path("sub"), Path("full")),
              UV_ENOTEMPTY);

    EXPECT_EQ(co_await UvFs(loop(), uv_fs_unlink, Path("b")), 0);
    EXPECT_FALSE(Exists(Path("b")));
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_unlink, Path("b")), UV_ENOENT);
#ifdef __linux__
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_unlink, Path("sub")), UV_EISDIR);
#endif
  }());
}

TEST_F(CoroFsTest, MkdirAndRmdir) {
  Run([&]() -> UvTask<void> {
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_mkdir, Path("d"), 0755), 0);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_mkdir, Path("d"), 0755), UV_EEXIST);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_mkdir, Path("no/d"), 0755),
              UV_ENOENT);
    WriteFile(Path("d/f"), "x");
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_rmdir, Path("d")), UV_ENOTEMPTY);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_rmdir, Path("d/f")), UV_ENOTDIR);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_unlink, Path("d/f")), 0);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_rmdir, Path("d")), 0);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_rmdir, Path("d")), UV_ENOENT);
  }());
}

TEST_F(CoroFsTest, MkdtempYieldsTheCreatedPath) {
  Run([&]() -> UvTask<void> {
    auto [err, path] =
        co_await UvFsPath(loop(), uv_fs_mkdtemp, Path("tmp-XXXXXX"));
    CO_ASSERT_EQ(err, 0);
    EXPECT_EQ(path.size(), Path("tmp-XXXXXX").size());
    EXPECT_EQ(path.rfind(Path("tmp-"), 0), 0u);
    EXPECT_NE(path, Path("tmp-XXXXXX"));
    auto [serr, stat] = co_await UvFsStat(loop(), uv_fs_stat, path);
    EXPECT_EQ(serr, 0);
    EXPECT_TRUE(S_ISDIR(stat.st_mode));

    EXPECT_EQ((co_await UvFsPath(loop(), uv_fs_mkdtemp,
                                 Path("no/tmp-XXXXXX"))).err,
              UV_ENOENT);
    EXPECT_EQ((co_await UvFsPath(loop(), uv_fs_mkdtemp, Path("tmp"))).err,
              UV_EINVAL);
  }());
}

std::set<std::string> Names(const std::vector<DirEntry>& entries) {
  std::set<std::string> names;
  for (const DirEntry& entry : entries)
    names.insert(entry.name);
  return names;
}

TEST_F(CoroFsTest, Scandir) {
  WriteFile(Path("a"), "x");
  WriteFile(Path("b"), "x");
  MakeDir(Path("c"));
  Run([&]() -> UvTask<void> {
    auto [err, entries] = co_await UvFsScandir(loop(), dir());
    CO_ASSERT_EQ(err, 0);
    EXPECT_EQ(Names(entries), (std::set<std::string>{"a", "b", "c"}));
    for (const DirEntry& entry : entries) {
      EXPECT_EQ(entry.type,
                entry.name == "c" ? UV_DIRENT_DIR : UV_DIRENT_FILE);
    }
    EXPECT_EQ((co_await UvFsScandir(loop(), Path("missing"))).err, UV_ENOENT);
    EXPECT_EQ((co_await UvFsScandir(loop(), Path("a"))).err, UV_ENOTDIR);
  }());
}

TEST_F(CoroFsTest, OpendirReaddirClosedir) {
  for (const char* name : {"1", "2", "3", "4", "5"})
    WriteFile(Path(name), "x");
  WriteFile(Path("0"), "x");
  Run([&]() -> UvTask<void> {
    auto [err, dir] = co_await UvFsOpendir(loop(), this->dir());
    CO_ASSERT_EQ(err, 0);
    CO_ASSERT_TRUE(dir.is_open());
    std::vector<DirEntry> all;
    uv_dirent_t buffer[2];
    for (;;) {
      auto [rerr, batch] = co_await UvFsReaddir(loop(), dir.get(), buffer, 2);
      CO_ASSERT_EQ(rerr, 0);
      EXPECT_LE(batch.size(), 2u);
      if (batch.empty())
        break;
      all.insert(all.end(), batch.begin(), batch.end());
    }
    EXPECT_EQ(Names(all),
              (std::set<std::string>{"0", "1", "2", "3", "4", "5"}));
    EXPECT_EQ(co_await dir.Close(loop()), 0);
    EXPECT_FALSE(dir.is_open());

    // The generic form works too, and an unclosed UvDir closes on drop.
    auto [err2, dir2] = co_await UvFsOpendir(loop(), this->dir());
    CO_ASSERT_EQ(err2, 0);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_closedir, dir2.Release()), 0);
    auto [err3, dir3] = co_await UvFsOpendir(loop(), this->dir());
    EXPECT_EQ(err3, 0);

    EXPECT_EQ((co_await UvFsOpendir(loop(), Path("missing"))).err, UV_ENOENT);
    EXPECT_EQ((co_await UvFsOpendir(loop(), Path("1"))).err, UV_ENOTDIR);
  }());
}

TEST_F(CoroFsTest, SymlinkReadlinkRealpathLink) {
  WriteFile(Path("file"), "x");
  std::error_code ec;
  const std::string real_dir = std::filesystem::canonical(dir(), ec).string();
  ASSERT_FALSE(ec);
  Run([&]() -> UvTask<void> {
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_symlink, std::string("file"),
                            Path("sl"), 0),
              0);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_symlink, std::string("file"),
                            Path("sl"), 0),
              UV_EEXIST);

    auto [err, target] = co_await UvFsPath(loop(), uv_fs_readlink, Path("sl"));
    EXPECT_EQ(err, 0);
    EXPECT_EQ(target, "file");
    EXPECT_EQ((co_await UvFsPath(loop(), uv_fs_readlink, Path("file"))).err,
              UV_EINVAL);
    EXPECT_EQ((co_await UvFsPath(loop(), uv_fs_readlink, Path("no"))).err,
              UV_ENOENT);

    auto [rerr, real] = co_await UvFsPath(loop(), uv_fs_realpath, Path("sl"));
    EXPECT_EQ(rerr, 0);
    EXPECT_EQ(real, real_dir + "/file");
    EXPECT_EQ((co_await UvFsPath(loop(), uv_fs_realpath, Path("no"))).err,
              UV_ENOENT);

    EXPECT_EQ(co_await UvFs(loop(), uv_fs_link, Path("file"), Path("hard")),
              0);
    auto [serr, stat] = co_await UvFsStat(loop(), uv_fs_stat, Path("file"));
    EXPECT_EQ(serr, 0);
    EXPECT_EQ(stat.st_nlink, 2u);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_link, Path("file"), Path("hard")),
              UV_EEXIST);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_link, Path("no"), Path("hard2")),
              UV_ENOENT);
  }());
}

TEST_F(CoroFsTest, ChmodAndFchmod) {
  WriteFile(Path("file"), "x");
  Run([&]() -> UvTask<void> {
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_chmod, Path("file"), 0600), 0);
    EXPECT_EQ((co_await UvFsStat(loop(), uv_fs_stat, Path("file")))
                      .value.st_mode &
                  0777,
              0600u);
    const ssize_t fd =
        co_await UvFs(loop(), uv_fs_open, Path("file"), O_RDONLY, 0);
    CO_ASSERT_GE(fd, 0);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_fchmod, Fd(fd), 0640), 0);
    EXPECT_EQ((co_await UvFsStat(loop(), uv_fs_fstat, Fd(fd))).value.st_mode &
                  0777,
              0640u);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_close, Fd(fd)), 0);

    EXPECT_EQ(co_await UvFs(loop(), uv_fs_chmod, Path("missing"), 0600),
              UV_ENOENT);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_fchmod, uv_file{-1}, 0600),
              UV_EBADF);
  }());
}

TEST_F(CoroFsTest, ChownFchownLchown) {
  WriteFile(Path("file"), "x");
  MakeSymlink(Path("file"), Path("link"));
  const uv_uid_t uid = getuid();
  const uv_gid_t gid = getgid();
  Run([&]() -> UvTask<void> {
    // Giving a file to its owner is always allowed.
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_chown, Path("file"), uid, gid), 0);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_lchown, Path("link"), uid, gid), 0);
    const ssize_t fd =
        co_await UvFs(loop(), uv_fs_open, Path("file"), O_RDONLY, 0);
    CO_ASSERT_GE(fd, 0);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_fchown, Fd(fd), uid, gid), 0);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_close, Fd(fd)), 0);

    EXPECT_EQ(co_await UvFs(loop(), uv_fs_chown, Path("missing"), uid, gid),
              UV_ENOENT);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_lchown, Path("missing"), uid, gid),
              UV_ENOENT);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_fchown, uv_file{-1}, uid, gid),
              UV_EBADF);
  }());
}

TEST_F(CoroFsTest, UtimeFutimeLutime) {
  WriteFile(Path("file"), "x");
  MakeSymlink(Path("file"), Path("link"));
  Run([&]() -> UvTask<void> {
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_utime, Path("file"), 1000.0,
                            2000.0),
              0);
    auto [err, stat] = co_await UvFsStat(loop(), uv_fs_stat, Path("file"));
    EXPECT_EQ(err, 0);
    EXPECT_EQ(stat.st_mtim.tv_sec, 2000);
    EXPECT_EQ(stat.st_atim.tv_sec, 1000);

    const ssize_t fd =
        co_await UvFs(loop(), uv_fs_open, Path("file"), O_RDWR, 0);
    CO_ASSERT_GE(fd, 0);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_futime, Fd(fd), 3000.0, 4000.0), 0);
    EXPECT_EQ(
        (co_await UvFsStat(loop(), uv_fs_fstat, Fd(fd))).value.st_mtim.tv_sec,
        4000);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_close, Fd(fd)), 0);

    EXPECT_EQ(co_await UvFs(loop(), uv_fs_lutime, Path("link"), 5000.0,
                            6000.0),
              0);
    EXPECT_EQ(
        (co_await UvFsStat(loop(), uv_fs_lstat, Path("link"))).value.st_mtim
            .tv_sec,
        6000);
    // The link's target kept its own times.
    EXPECT_EQ(
        (co_await UvFsStat(loop(), uv_fs_stat, Path("file"))).value.st_mtim
            .tv_sec,
        4000);

    EXPECT_EQ(co_await UvFs(loop(), uv_fs_utime, Path("missing"), 1.0, 1.0),
              UV_ENOENT);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_lutime, Path("missing"), 1.0, 1.0),
              UV_ENOENT);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_futime, uv_file{-1}, 1.0, 1.0),
              UV_EBADF);
  }());
}

TEST_F(CoroFsTest, FsyncFdatasyncFtruncate) {
  WriteFile(Path("file"), "hello world");
  Run([&]() -> UvTask<void> {
    const ssize_t fd =
        co_await UvFs(loop(), uv_fs_open, Path("file"), O_RDWR, 0);
    CO_ASSERT_GE(fd, 0);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_fsync, Fd(fd)), 0);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_fdatasync, Fd(fd)), 0);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_ftruncate, Fd(fd), int64_t{5}), 0);
    EXPECT_EQ((co_await UvFsStat(loop(), uv_fs_fstat, Fd(fd))).value.st_size,
              5u);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_ftruncate, Fd(fd), int64_t{-1}),
              UV_EINVAL);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_close, Fd(fd)), 0);

    EXPECT_EQ(co_await UvFs(loop(), uv_fs_fsync, uv_file{-1}), UV_EBADF);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_fdatasync, uv_file{-1}), UV_EBADF);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_ftruncate, uv_file{-1}, int64_t{0}),
              UV_EBADF);
  }());
}

TEST_F(CoroFsTest, Copyfile) {
  WriteFile(Path("src"), "contents");
  MakeDir(Path("sub"));
  Run([&]() -> UvTask<void> {
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_copyfile, Path("src"), Path("dst"),
                            0),
              0);
    auto [err, stat] = co_await UvFsStat(loop(), uv_fs_stat, Path("dst"));
    EXPECT_EQ(err, 0);
    EXPECT_EQ(stat.st_size, 8u);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_copyfile, Path("src"), Path("dst"),
                            UV_FS_COPYFILE_EXCL),
              UV_EEXIST);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_copyfile, Path("missing"),
                            Path("x"), 0),
              UV_ENOENT);
    EXPECT_EQ(co_await UvFs(loop(), uv_fs_copyfile, Path("sub"), Path("y"),
                            0),
              UV_EISDIR);
  }());
}

TEST_F(CoroFsTest, Statfs) {
  Run([&]() -> UvTask<void> {
    auto [err, info] = co_await UvFsStatfs(loop(), dir());
    CO_ASSERT_EQ(err, 0);
    EXPECT_GT(info.f_bsize, 0u);
    EXPECT_GT(info.f_blocks, 0u);
    EXPECT_EQ((co_await UvFsStatfs(loop(), Path("missing"))).err, UV_ENOENT);
  }());
}

// The prototype's motivating example: open + fstat + read + close as one
// straight-line coroutine, with helpers composed in.
UvTask<UvResult<std::string>> ReadWholeFile(uv_loop_t* loop,
                                            std::string path) {
  auto [err, file] = co_await UvFsOpen(loop, path, O_RDONLY, 0);
  if (err < 0)
    co_return UvResult<std::string>{err, {}};
  auto [serr, stat] = co_await UvFsStat(loop, uv_fs_fstat, file.fd());
  if (serr < 0)
    co_return UvResult<std::string>{serr, {}};
  std::string data(stat.st_size, '\0');
  size_t done = 0;
  while (done < data.size()) {
    uv_buf_t buf = uv_buf_init(data.data() + done,
                               static_cast<unsigned int>(data.size() - done));
    const ssize_t n = co_await UvFs(loop, uv_fs_read, file.fd(), &buf, 1u,
                                    static_cast<int64_t>(done));
    if (n <= 0)
      co_return UvResult<std::string>{n < 0 ? static_cast<int>(n) : UV_EIO,
                                      {}};
    done += n;
  }
  const ssize_t closed = co_await file.Close(loop);
  co_return UvResult<std::string>{static_cast<int>(closed), std::move(data)};
}

TEST_F(CoroFsTest, MultiStepReadFile) {
  std::string contents;
  for (int i = 0; i < 10000; i++)
    contents += std::to_string(i);
  WriteFile(Path("big"), contents);
  UvResult<std::string> result = Run(ReadWholeFile(loop(), Path("big")));
  EXPECT_EQ(result.err, 0);
  EXPECT_EQ(result.value, contents);
  EXPECT_EQ(Run(ReadWholeFile(loop(), Path("missing"))).err, UV_ENOENT);
}

}  // namespace
}  // namespace test
}  // namespace coro
}  // namespace node
