// output_file.hpp — the CLI's output file: a regular file appears under its
// name complete or not at all; FIFOs and character devices are written
// straight into and never replaced.
//
// What -o PATH does, by what PATH is when the command starts:
//   does not exist     the file is created (mode 0666 less the umask, as a
//                      plain open(O_CREAT) gives)
//   a regular file     it is replaced by rename(2) once the new content is
//                      complete and fsync'ed; the new file keeps the old one's
//                      permission bits (and, where allowed, its owner)
//   a symbolic link    followed: its final target (which must exist) is
//                      replaced as above, in the target's directory; the
//                      link itself stays as it is. A dangling link is refused
//   a FIFO or a        opened for writing and written straight into (a pipe,
//   character device   /dev/stdout, /dev/null, a terminal); never replaced or
//                      removed. A reader of a FIFO sees the data as it is
//                      written, so a failure can leave it a truncated stream;
//                      a FIFO without a reader blocks the open until one comes
//   anything else      refused (a directory, a block device, a socket)
//
// A regular file's content is written, where the file system supports it, to
// an unnamed file (open(O_TMPFILE)) that is linked under a temporary name and
// renamed over PATH only when complete (a new name is linked directly): no
// signal, kill -9, crash or full disk can leave anything behind, except a
// kill -9 in the instant between that link and the rename, which leaves the
// complete .NAME.tmp-XXXXXX. Where O_TMPFILE is not supported (the open fails
// with EOPNOTSUPP, EISDIR or EINVAL, or /proc/self/fd is not mounted), and
// when NNINIT_CLI_NO_TMPFILE=1 is in the environment (the tests use it), the
// content is written to `.NAME.tmp-XXXXXX` beside the destination instead;
// that file is removed on every error and on SIGHUP, SIGINT, SIGQUIT,
// SIGTERM, SIGALRM, SIGUSR1 and SIGUSR2, but a SIGKILL, a crash or a power
// loss leaves it behind.
//
// Signals: a handler is installed only for those of the signals above whose
// disposition is the default; one inherited as ignored (nohup's SIGHUP) stays
// ignored. SIGXFSZ is ignored, so that a file-size limit (ulimit -f) makes the
// write fail with a message instead of killing the process.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "npy.hpp"  // FileError

namespace nninit::cli {

class AtomicOutputFile {
 public:
  explicit AtomicOutputFile(std::string path);  // throws FileError naming the path
  AtomicOutputFile(const AtomicOutputFile&) = delete;
  AtomicOutputFile& operator=(const AtomicOutputFile&) = delete;
  ~AtomicOutputFile();  // without commit(): nothing is left (see above)

  void write(const void* data, std::size_t bytes);  // throws FileError
  void commit();                                    // throws FileError

  // True when the output is a new file (not a FIFO or character device), so
  // that write_at can go back into what was written (a zip archive's member
  // headers, rewritten once their CRC is known).
  bool supports_write_at() const { return kind_ != Kind::straight; }
  // Writes `bytes` at byte `offset` of the new file, whatever write() has
  // written (the file grows as needed). Only when supports_write_at().
  // Throws FileError, as write() does.
  void write_at(const void* data, std::size_t bytes, std::uint64_t offset);

  // True when the output is written straight into the file the process's
  // standard output is (-o /dev/stdout): the caller then reports elsewhere.
  bool is_standard_output() const { return is_standard_output_; }

 private:
  enum class Kind {
    unnamed,   // O_TMPFILE, linked into place by commit()
    named,     // .NAME.tmp-XXXXXX, renamed into place by commit()
    straight,  // a FIFO or character device, written into directly
  };

  void create_in_directory();
  std::string link_under_temporary_name();
  void replace_destination();
  [[noreturn]] void fail(const std::string& what, int error) const;
  void discard() noexcept;

  std::string path_;         // as given, for messages
  std::string destination_;  // the name replaced: path_, or a symbolic link's target
  std::string directory_;    // destination_'s directory ("." for none)
  std::string name_;         // destination_'s last component
  int directory_descriptor_ = -1;
  int descriptor_ = -1;
  Kind kind_ = Kind::unnamed;
  bool replaces_existing_ = false;
  bool is_standard_output_ = false;
  mode_t existing_mode_ = 0;
  uid_t existing_owner_ = 0;
  gid_t existing_group_ = 0;
  std::string temporary_name_;  // in directory_, while one exists
  bool committed_ = false;
};

}  // namespace nninit::cli
