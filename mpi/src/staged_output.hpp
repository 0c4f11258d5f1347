// staged_output.hpp — the name under which a collective job writes its
// checkpoint before it is complete (used by rank 0 only; no MPI here).
//
// The job writes `.NAME.tmp-XXXXXX` (mkstemp) in the destination's directory,
// which every rank opens with MPI-IO (so the directory must be on a file
// system all ranks share); commit() gives it the permission bits `nninit init`
// would (an existing file's, else 0666 less the umask) and renames it over
// the destination; without commit() the destructor removes it. A SIGHUP,
// SIGINT or SIGTERM (what mpirun sends the ranks when one fails) removes it
// too; SIGKILL, a crash or a power loss leaves it behind. The other ranks
// call remove_on_signal(temporary_path()) so that any rank's SIGTERM removes
// it (mpirun sends every rank SIGTERM when one dies, then SIGKILL a second
// later: whichever rank runs its handler first removes the name).
//
// The destination may not exist, be a regular file (replaced), or a symbolic
// link to one (its target is replaced, the link stays). Anything else (a
// directory, a FIFO, a device) is refused: MPI-IO writes regular files.
#pragma once

#include <sys/types.h>

#include <string>

namespace nninit::mpi {

// Makes SIGHUP, SIGINT and SIGTERM (where their disposition is the default)
// remove `path` before the process dies, until forget_on_signal(). One path
// at a time; throws cli::FileError when the path is too long.
void remove_on_signal(const std::string& path);
void forget_on_signal() noexcept;

class StagedOutput {
 public:
  // Creates the temporary file. Throws cli::FileError naming the path (a
  // missing or unwritable directory, an unsupported destination).
  explicit StagedOutput(std::string path);
  StagedOutput(const StagedOutput&) = delete;
  StagedOutput& operator=(const StagedOutput&) = delete;
  ~StagedOutput();

  const std::string& temporary_path() const { return temporary_; }
  // Sets the permission bits, renames into place, syncs the directory. Throws cli::FileError.
  void commit();

 private:
  std::string path_;         // as given, for messages
  std::string destination_;  // path_, or a symbolic link's final target
  std::string temporary_;
  mode_t mode_ = 0;
  bool committed_ = false;
};

}  // namespace nninit::mpi
