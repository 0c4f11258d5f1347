// staged_output.cpp — the temporary name of a collective checkpoint.
#include "staged_output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "npy.hpp"  // cli::FileError

namespace nninit::mpi {
namespace {

// The temporary file's name for the signal handler (one staged output at a time).
char pending_name[4096] = {};
volatile std::sig_atomic_t pending = 0;

extern "C" void remove_pending_and_reraise(int signal_number) {
  if (pending) unlink(pending_name);
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
}

void install_handlers() {
  for (const int signal_number : {SIGHUP, SIGINT, SIGTERM}) {
    struct sigaction current {};
    if (sigaction(signal_number, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
      struct sigaction handler {};
      handler.sa_handler = remove_pending_and_reraise;
      sigemptyset(&handler.sa_mask);
      sigaction(signal_number, &handler, nullptr);
    }
  }
}

}  // namespace

void remove_on_signal(const std::string& path) {
  if (path.size() >= sizeof pending_name) throw cli::FileError(path + ": the path is too long");
  pending = 0;
  std::memcpy(pending_name, path.c_str(), path.size() + 1);
  pending = 1;
  install_handlers();
}

void forget_on_signal() noexcept { pending = 0; }

namespace {

[[noreturn]] void fail(const std::string& what, int error) {
  throw cli::FileError(what + ": " + std::strerror(error));
}

std::string directory_of(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string name_of(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

mode_t default_mode() {
  const mode_t mask = umask(0);
  umask(mask);
  return 0666 & ~mask;
}

}  // namespace

StagedOutput::StagedOutput(std::string path) : path_(std::move(path)), destination_(path_) {
  if (path_.empty()) throw cli::FileError("the output path is empty");
  struct stat info {};
  if (lstat(path_.c_str(), &info) == 0 && S_ISLNK(info.st_mode)) {
    char* target = realpath(path_.c_str(), nullptr);
    if (target == nullptr) fail(path_ + ": a symbolic link whose target cannot be resolved", errno);
    destination_ = target;
    std::free(target);
  }
  mode_ = default_mode();
  if (stat(destination_.c_str(), &info) == 0) {
    if (!S_ISREG(info.st_mode)) {
      throw cli::FileError(path_ + ": not a regular file (nninit-mpi writes regular files with MPI-IO)");
    }
    mode_ = info.st_mode & 07777;
  } else if (errno != ENOENT) {
    fail(path_, errno);
  }
  const std::string directory = directory_of(destination_);
  std::string name = directory + "/." + name_of(destination_) + ".tmp-XXXXXX";
  if (name.size() >= sizeof pending_name) throw cli::FileError(path_ + ": the path is too long");
  std::vector<char> buffer(name.begin(), name.end());
  buffer.push_back('\0');
  const int descriptor = mkstemp(buffer.data());
  if (descriptor < 0) fail(path_ + ": cannot create a file in " + directory, errno);
  close(descriptor);
  temporary_ = buffer.data();
  remove_on_signal(temporary_);
}

StagedOutput::~StagedOutput() {
  if (!committed_ && !temporary_.empty()) {
    forget_on_signal();
    unlink(temporary_.c_str());
  }
}

void StagedOutput::commit() {
  if (chmod(temporary_.c_str(), mode_) != 0) fail(path_ + ": cannot set the permissions", errno);
  if (rename(temporary_.c_str(), destination_.c_str()) != 0) fail(path_ + ": cannot rename into place", errno);
  forget_on_signal();
  committed_ = true;
  const int directory = open(directory_of(destination_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (directory >= 0) {
    fsync(directory);  // the rename is durable (best effort: some file systems refuse)
    close(directory);
  }
}

}  // namespace nninit::mpi
