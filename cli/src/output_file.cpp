// output_file.cpp — the CLI's output file (see output_file.hpp for what -o
// does with each kind of path).
#include "output_file.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string_view>

namespace nninit::cli {
namespace {

// The signals whose default action ends the process and that a handler can
// catch: on them a temporary file in the destination's directory is removed.
constexpr int cleanup_signals[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGALRM, SIGUSR1, SIGUSR2};

// The temporary name of the write in progress, for the signal handler. The
// name is complete before g_temporary_set is set and stays until it is cleared.
int g_temporary_directory = -1;
char g_temporary_name[NAME_MAX + 1] = {};
volatile std::sig_atomic_t g_temporary_set = 0;

extern "C" void remove_temporary_and_reraise(int signal_number) {
  if (g_temporary_set != 0) ::unlinkat(g_temporary_directory, g_temporary_name, 0);
  // SA_RESETHAND has restored the default action; the signal is blocked while
  // this handler runs, so it ends the process as soon as the handler returns.
  ::raise(signal_number);
}

void install_signal_handlers() {
  static bool installed = false;
  if (installed) return;
  installed = true;
  for (const int signal_number : cleanup_signals) {
    struct sigaction current {};
    if (::sigaction(signal_number, nullptr, &current) != 0) continue;
    // Only replace the default action: an inherited "ignore" (nohup) stays.
    if ((current.sa_flags & SA_SIGINFO) != 0 || current.sa_handler != SIG_DFL) continue;
    struct sigaction action {};
    action.sa_handler = remove_temporary_and_reraise;
    sigemptyset(&action.sa_mask);
    action.sa_flags = static_cast<int>(SA_RESETHAND);  // 0x80000000u on Linux
    ::sigaction(signal_number, &action, nullptr);
  }
  // A file-size limit (ulimit -f) then makes write() fail with EFBIG, which is
  // reported, instead of killing the process with SIGXFSZ.
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  ::sigaction(SIGXFSZ, &ignore, nullptr);
}

// Blocks the cleanup signals in this thread while a temporary name is created
// and published, so that a signal cannot fall between the two.
class CleanupSignalsBlocked {
 public:
  CleanupSignalsBlocked() {
    sigset_t blocked;
    sigemptyset(&blocked);
    for (const int signal_number : cleanup_signals) sigaddset(&blocked, signal_number);
    ::pthread_sigmask(SIG_BLOCK, &blocked, &previous_);
  }
  CleanupSignalsBlocked(const CleanupSignalsBlocked&) = delete;
  CleanupSignalsBlocked& operator=(const CleanupSignalsBlocked&) = delete;
  ~CleanupSignalsBlocked() { ::pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }

 private:
  sigset_t previous_;
};

void publish_temporary(int directory, const std::string& name) {
  g_temporary_directory = directory;
  std::memcpy(g_temporary_name, name.c_str(), name.size() + 1);
  std::atomic_signal_fence(std::memory_order_seq_cst);
  g_temporary_set = 1;
}

void unpublish_temporary() {
  g_temporary_set = 0;
  std::atomic_signal_fence(std::memory_order_seq_cst);
}

// ".NAME.tmp-XXXXXX" with six random letters or digits; NAME is shortened so
// that the whole stays within NAME_MAX.
std::string temporary_name_for(const std::string& name) {
  static constexpr std::string_view alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  static std::uint64_t counter = 0;
  unsigned char random[6] = {};
  if (::getrandom(random, sizeof random, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof random)) {
    struct timespec now {};
    ::clock_gettime(CLOCK_REALTIME, &now);
    std::uint64_t mixed = static_cast<std::uint64_t>(now.tv_nsec) ^
                          (static_cast<std::uint64_t>(::getpid()) << 32) ^ (++counter * 0x9E3779B97F4A7C15u);
    for (unsigned char& byte : random) {
      byte = static_cast<unsigned char>(mixed & 0xFF);
      mixed = (mixed >> 8) | (mixed << 56);
    }
  }
  std::string result = "." + name.substr(0, NAME_MAX - 16) + ".tmp-";
  for (const unsigned char byte : random) result += alphabet[byte % alphabet.size()];
  return result;
}

std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISREG(mode)) return "a regular file";
  return "not a regular file";
}

bool same_file(const struct stat& a, const struct stat& b) { return a.st_dev == b.st_dev && a.st_ino == b.st_ino; }

std::string read_link(const std::string& path) {
  std::string target(PATH_MAX, '\0');
  const ssize_t length = ::readlink(path.c_str(), target.data(), target.size());
  if (length < 0) return "?";
  target.resize(static_cast<std::size_t>(length));
  return target;
}

}  // namespace

void AtomicOutputFile::fail(const std::string& what, int error) const {
  std::string message = path_ + ": " + what + ": " + std::strerror(error);
  if (error == EFBIG) {
    struct rlimit limit {};
    if (::getrlimit(RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
      message += " (the file-size limit, ulimit -f, is " + std::to_string(limit.rlim_cur) + " bytes)";
    }
  }
  throw FileError(message);
}

AtomicOutputFile::AtomicOutputFile(std::string path) : path_(std::move(path)) {
  if (path_.empty() || path_.back() == '/') throw FileError("'" + path_ + "' names no file");
  install_signal_handlers();
  struct stat status {};
  struct stat standard_output {};
  const bool have_standard_output = ::fstat(STDOUT_FILENO, &standard_output) == 0;
  destination_ = path_;
  if (::stat(path_.c_str(), &status) == 0) {
    is_standard_output_ = have_standard_output && same_file(status, standard_output);
    if (S_ISFIFO(status.st_mode) || S_ISCHR(status.st_mode)) {
      kind_ = Kind::straight;
      descriptor_ = ::open(path_.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
      if (descriptor_ < 0) fail("cannot open " + kind_of(status.st_mode) + " for writing", errno);
      return;
    }
    if (!S_ISREG(status.st_mode)) {
      throw FileError(path_ + ": is " + kind_of(status.st_mode) +
                      "; nninit replaces regular files and writes into FIFOs and character devices, "
                      "nothing else");
    }
    replaces_existing_ = true;
    existing_mode_ = status.st_mode & 0777;
    existing_owner_ = status.st_uid;
    existing_group_ = status.st_gid;
    struct stat link_status {};
    if (::lstat(path_.c_str(), &link_status) == 0 && S_ISLNK(link_status.st_mode)) {
      // Replace the link's final target, in the target's directory; the link stays.
      char* resolved = ::realpath(path_.c_str(), nullptr);
      struct stat resolved_status {};
      if (resolved == nullptr || ::stat(resolved, &resolved_status) != 0 || !same_file(resolved_status, status)) {
        const int error = resolved == nullptr ? errno : ENOENT;
        std::free(resolved);
        fail("cannot resolve the symbolic link to the file it names", error);
      }
      destination_ = resolved;
      std::free(resolved);
    }
  } else {
    const int error = errno;
    struct stat link_status {};
    if (error == ENOENT && ::lstat(path_.c_str(), &link_status) == 0 && S_ISLNK(link_status.st_mode)) {
      throw FileError(path_ + ": is a symbolic link to '" + read_link(path_) +
                      "', which does not exist; nninit replaces the file a link names but does not "
                      "create it");
    }
    if (error != ENOENT) fail("cannot write here", error);
  }
  const std::size_t slash = destination_.rfind('/');
  directory_ = slash == std::string::npos ? "." : (slash == 0 ? "/" : destination_.substr(0, slash));
  name_ = slash == std::string::npos ? destination_ : destination_.substr(slash + 1);
  try {
    create_in_directory();
  } catch (...) {
    discard();  // no destructor runs for a constructor that throws
    throw;
  }
}

void AtomicOutputFile::create_in_directory() {
  const std::string shown_directory = directory_ == "." ? "." : directory_ + "/";
  directory_descriptor_ = ::open(directory_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (directory_descriptor_ < 0) fail("cannot create a file in '" + shown_directory + "'", errno);

  const char* no_tmpfile = std::getenv("NNINIT_CLI_NO_TMPFILE");
  if (no_tmpfile == nullptr || std::string_view(no_tmpfile) != "1") {
    // The kernel applies the umask (or the directory's default ACL) to 0666,
    // exactly as for a plain open(O_CREAT).
    descriptor_ = ::openat(directory_descriptor_, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
    if (descriptor_ >= 0) {
      // commit() links it through /proc/self/fd: make sure that works.
      struct stat by_descriptor {};
      struct stat by_proc {};
      const std::string proc = "/proc/self/fd/" + std::to_string(descriptor_);
      if (::fstat(descriptor_, &by_descriptor) == 0 && ::stat(proc.c_str(), &by_proc) == 0 &&
          same_file(by_descriptor, by_proc)) {
        kind_ = Kind::unnamed;
      } else {
        ::close(descriptor_);
        descriptor_ = -1;
      }
    } else if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL) {
      fail("cannot create a file in '" + shown_directory + "'", errno);
    }
  }
  if (descriptor_ < 0) {
    kind_ = Kind::named;
    for (int attempt = 0; descriptor_ < 0; ++attempt) {
      const std::string candidate = temporary_name_for(name_);
      const CleanupSignalsBlocked blocked;
      descriptor_ = ::openat(directory_descriptor_, candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                             0666);
      if (descriptor_ >= 0) {
        temporary_name_ = candidate;
        publish_temporary(directory_descriptor_, temporary_name_);
      } else if (errno != EEXIST || attempt == 100) {
        fail("cannot create a file in '" + shown_directory + "'", errno);
      }
    }
  }
  if (replaces_existing_) {
    // As a plain open of the existing file would leave them: its permission
    // bits and (where this process may set it) its owner.
    if (existing_owner_ != ::geteuid() || existing_group_ != ::getegid()) {
      [[maybe_unused]] const int ignored = ::fchown(descriptor_, existing_owner_, existing_group_);
    }
    ::fchmod(descriptor_, existing_mode_);
  }
}

AtomicOutputFile::~AtomicOutputFile() {
  if (!committed_) discard();
}

void AtomicOutputFile::discard() noexcept {
  if (descriptor_ >= 0) {
    ::close(descriptor_);  // an unnamed file vanishes with its last descriptor
    descriptor_ = -1;
  }
  if (!temporary_name_.empty()) {
    ::unlinkat(directory_descriptor_, temporary_name_.c_str(), 0);
    unpublish_temporary();
    temporary_name_.clear();
  }
  if (directory_descriptor_ >= 0) {
    ::close(directory_descriptor_);
    directory_descriptor_ = -1;
  }
}

void AtomicOutputFile::write(const void* data, std::size_t bytes) {
  const auto* next = static_cast<const unsigned char*>(data);
  while (bytes > 0) {
    const ssize_t written = ::write(descriptor_, next, bytes);
    if (written < 0) {
      if (errno == EINTR) continue;
      fail("write failed", errno);
    }
    next += written;
    bytes -= static_cast<std::size_t>(written);
  }
}

void AtomicOutputFile::write_at(const void* data, std::size_t bytes, std::uint64_t offset) {
  if (kind_ == Kind::straight) throw FileError(path_ + ": a FIFO or device cannot be written at an offset");
  const auto* next = static_cast<const unsigned char*>(data);
  while (bytes > 0) {
    const ssize_t written = ::pwrite(descriptor_, next, std::min<std::size_t>(bytes, std::size_t{1} << 30),
                                     static_cast<off_t>(offset));
    if (written < 0) {
      if (errno == EINTR) continue;
      fail("write failed", errno);
    }
    if (written == 0) fail("write failed", ENOSPC);
    next += written;
    bytes -= static_cast<std::size_t>(written);
    offset += static_cast<std::uint64_t>(written);
  }
}

std::string AtomicOutputFile::link_under_temporary_name() {
  const std::string proc = "/proc/self/fd/" + std::to_string(descriptor_);
  for (int attempt = 0;; ++attempt) {
    const std::string candidate = temporary_name_for(name_);
    const CleanupSignalsBlocked blocked;
    if (::linkat(AT_FDCWD, proc.c_str(), directory_descriptor_, candidate.c_str(), AT_SYMLINK_FOLLOW) == 0) {
      publish_temporary(directory_descriptor_, candidate);
      return candidate;
    }
    if (errno != EEXIST || attempt == 100) fail("cannot link the finished file into its directory", errno);
  }
}

// Renames temporary_name_ over name_, unless name_ has meanwhile become
// something other than a regular file (which is never replaced).
void AtomicOutputFile::replace_destination() {
  struct stat status {};
  if (::fstatat(directory_descriptor_, name_.c_str(), &status, AT_SYMLINK_NOFOLLOW) == 0 &&
      !S_ISREG(status.st_mode)) {
    throw FileError(path_ + ": became " + kind_of(status.st_mode) + " while the file was written; not replaced");
  }
  if (::renameat(directory_descriptor_, temporary_name_.c_str(), directory_descriptor_, name_.c_str()) != 0) {
    fail("cannot rename the finished file into place", errno);
  }
  unpublish_temporary();
  temporary_name_.clear();
}

void AtomicOutputFile::commit() {
  if (kind_ == Kind::straight) {
    const int result = ::close(descriptor_);
    descriptor_ = -1;
    if (result != 0 && errno != EINTR) fail("write failed", errno);
    committed_ = true;
    return;
  }
  if (::fsync(descriptor_) != 0) fail("write failed", errno);
  if (kind_ == Kind::unnamed) {
    const std::string proc = "/proc/self/fd/" + std::to_string(descriptor_);
    bool linked = false;
    if (!replaces_existing_) {
      // A new name: link the finished file straight under it (this never
      // replaces a file that appeared meanwhile).
      if (::linkat(AT_FDCWD, proc.c_str(), directory_descriptor_, name_.c_str(), AT_SYMLINK_FOLLOW) == 0) {
        linked = true;
      } else if (errno != EEXIST) {
        fail("cannot link the finished file into place", errno);
      }
    }
    if (!linked) {
      temporary_name_ = link_under_temporary_name();
      replace_destination();
    }
    const int result = ::close(descriptor_);
    descriptor_ = -1;
    if (result != 0 && errno != EINTR) fail("write failed", errno);
  } else {
    const int result = ::close(descriptor_);
    descriptor_ = -1;
    if (result != 0 && errno != EINTR) fail("write failed", errno);
    replace_destination();
  }
  // Make the new directory entry durable too (best effort: some file systems
  // cannot sync a directory).
  const int directory = ::open(directory_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (directory >= 0) {
    ::fsync(directory);
    ::close(directory);
  }
  ::close(directory_descriptor_);
  directory_descriptor_ = -1;
  committed_ = true;
}

}  // namespace nninit::cli
