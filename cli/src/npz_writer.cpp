// npz_writer.cpp — the .npz archive through libzip: a source callback per
// member that fills its values on demand, and a writable source that libzip
// builds the archive in (the output file, or a scratch file for a FIFO or
// device).
#include "npz_writer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <optional>
#include <span>

#include "npy.hpp"

namespace nninit::cli {
namespace {

// 1980-01-02 00:00 UTC: a fixed member time, so the same spec gives the same
// archive bytes on every run (and DOS dates start in 1980).
constexpr time_t member_time = 315619200;

std::string system_error(int error) { return std::strerror(error); }

// An unnamed read-write file in `directory`, or -1.
int unnamed_file_in(const std::string& directory) {
#ifdef O_TMPFILE
  const int descriptor = open(directory.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (descriptor >= 0) return descriptor;
#endif
  std::string name = directory + "/.nninit-npz-scratch-XXXXXX";
  const int named = mkstemp(name.data());
  if (named < 0) return -1;
  unlink(name.c_str());
  return named;
}

// The scratch file for an output that cannot be written at an offset (a
// FIFO or device): in $TMPDIR (default /tmp), never beside the output (/dev
// is in memory); beside it only when the output is (or will be) a regular file.
int scratch_file_for(const std::string& output_path) {
  const std::size_t slash = output_path.rfind('/');
  const std::string directory = slash == std::string::npos ? "." : slash == 0 ? "/" : output_path.substr(0, slash);
  struct stat status {};
  const bool regular_or_new = stat(output_path.c_str(), &status) != 0 || S_ISREG(status.st_mode);
  int descriptor = regular_or_new ? unnamed_file_in(directory) : -1;
  if (descriptor >= 0) return descriptor;
  const char* temporary = std::getenv("TMPDIR");
  descriptor = unnamed_file_in(temporary != nullptr && *temporary != '\0' ? temporary : "/tmp");
  if (descriptor < 0) {
    throw FileError(output_path + ": cannot create a scratch file for the archive beside it or in $TMPDIR: " +
                    system_error(errno));
  }
  return descriptor;
}

// The archive's storage for libzip, with sequential writes gathered into a
// buffer (libzip writes a few KiB at a time): the output file itself when it
// can be written at an offset (a new regular file: the archive takes its own
// size on disk), else an unnamed scratch file (a FIFO or device output),
// copied into the output at the end.
class ArchiveStorage {
 public:
  // Straight into `output`.
  explicit ArchiveStorage(AtomicOutputFile& output) : output_(&output) {}
  // Into the scratch file `descriptor` (closed by the destructor).
  explicit ArchiveStorage(int descriptor) : descriptor_(descriptor) {}
  ~ArchiveStorage() {
    if (descriptor_ >= 0) close(descriptor_);
  }
  ArchiveStorage(const ArchiveStorage&) = delete;
  ArchiveStorage& operator=(const ArchiveStorage&) = delete;

  static zip_int64_t callback(void* state, void* data, zip_uint64_t length, zip_source_cmd_t command) {
    return static_cast<ArchiveStorage*>(state)->handle(data, length, command);
  }

  bool is_scratch() const noexcept { return output_ == nullptr; }
  std::uint64_t size() const noexcept { return size_; }
  int descriptor() const noexcept { return descriptor_; }
  // The output's own error (naming the file, the file-size limit, ...) when
  // a write into it failed; null otherwise.
  std::exception_ptr failure() const noexcept { return failure_; }

 private:
  zip_int64_t handle(void* data, zip_uint64_t length, zip_source_cmd_t command) {
    switch (command) {
      case ZIP_SOURCE_SUPPORTS: return ZIP_SOURCE_SUPPORTS_WRITABLE;
      case ZIP_SOURCE_STAT:  // a new archive: there is nothing to read
        zip_error_set(&error_, ZIP_ER_READ, ENOENT);  // what libzip takes for "does not exist"
        return -1;
      case ZIP_SOURCE_OPEN:
      case ZIP_SOURCE_CLOSE:
      case ZIP_SOURCE_FREE:
      case ZIP_SOURCE_READ:
      case ZIP_SOURCE_TELL:
      case ZIP_SOURCE_REMOVE:
      case ZIP_SOURCE_ROLLBACK_WRITE: return 0;
      case ZIP_SOURCE_SEEK: return 0;
      case ZIP_SOURCE_ERROR: return zip_error_to_data(&error_, data, length);
      case ZIP_SOURCE_BEGIN_WRITE:
        position_ = 0;
        size_ = 0;
        pending_.clear();
        return 0;
      case ZIP_SOURCE_WRITE: return write(static_cast<const unsigned char*>(data), length);
      case ZIP_SOURCE_SEEK_WRITE: {
        const zip_int64_t target = zip_source_seek_compute_offset(position_, size_, data, length, &error_);
        if (target < 0) return -1;
        position_ = static_cast<std::uint64_t>(target);
        return 0;
      }
      case ZIP_SOURCE_TELL_WRITE: return static_cast<zip_int64_t>(position_);
      case ZIP_SOURCE_COMMIT_WRITE: return flush() ? 0 : -1;
      default: zip_error_set(&error_, ZIP_ER_OPNOTSUPP, 0); return -1;
    }
  }

  zip_int64_t write(const unsigned char* data, zip_uint64_t length) {
    if (position_ != pending_start_ + pending_.size() || pending_.size() + length > pending_limit) {
      if (!flush()) return -1;
      pending_start_ = position_;
    }
    if (length >= pending_limit) {
      if (!write_at(data, length, position_)) return -1;
      pending_start_ = position_ + length;
    } else {
      pending_.insert(pending_.end(), data, data + length);
    }
    position_ += length;
    size_ = std::max(size_, position_);
    return static_cast<zip_int64_t>(length);
  }

  bool flush() {
    if (pending_.empty()) return true;
    const bool written = write_at(pending_.data(), pending_.size(), pending_start_);
    pending_start_ += pending_.size();
    pending_.clear();
    return written;
  }

  bool write_at(const unsigned char* data, std::uint64_t length, std::uint64_t offset) {
    if (output_ != nullptr) {
      try {
        output_->write_at(data, static_cast<std::size_t>(length), offset);
        return true;
      } catch (const FileError&) {  // no exception may cross libzip's C frames: kept, rethrown after zip_close
        if (!failure_) failure_ = std::current_exception();
        zip_error_set(&error_, ZIP_ER_WRITE, EIO);
        return false;
      }
    }
    while (length > 0) {
      const ssize_t n = pwrite(descriptor_, data, static_cast<std::size_t>(std::min<std::uint64_t>(length, 1 << 30)),
                               static_cast<off_t>(offset));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        zip_error_set(&error_, ZIP_ER_WRITE, n < 0 ? errno : ENOSPC);
        return false;
      }
      data += n;
      length -= static_cast<std::uint64_t>(n);
      offset += static_cast<std::uint64_t>(n);
    }
    return true;
  }

  static constexpr std::size_t pending_limit = std::size_t{1} << 20;
  AtomicOutputFile* output_ = nullptr;
  int descriptor_ = -1;
  std::exception_ptr failure_;
  zip_error_t error_{};
  std::uint64_t position_ = 0;
  std::uint64_t size_ = 0;
  std::uint64_t pending_start_ = 0;
  std::vector<unsigned char> pending_;
};

// One member: the .npy header, then its values, pulled chunk by chunk.
class MemberSource {
 public:
  MemberSource(const NpzMember& member, std::size_t index, const NpzValues& values, const NpzProgress& progress,
               std::exception_ptr& failure)
      : index_(index), values_(values), progress_(progress), failure_(failure),
        header_(npy_header(member.dtype, member.shape, nninit_provenance())) {
    std::uint64_t count = 1;
    for (const std::int64_t d : member.shape) count *= static_cast<std::uint64_t>(d);
    data_bytes_ = count * dtype_size(member.dtype);
  }

  static zip_int64_t callback(void* state, void* data, zip_uint64_t length, zip_source_cmd_t command) {
    auto* member = static_cast<MemberSource*>(state);
    try {
      return member->handle(data, length, command);
    } catch (...) {  // no exception may cross libzip's C frames: kept, rethrown after zip_close
      if (!member->failure_) member->failure_ = std::current_exception();
      zip_error_set(&member->error_, ZIP_ER_INTERNAL, 0);
      return -1;
    }
  }

 private:
  zip_int64_t handle(void* data, zip_uint64_t length, zip_source_cmd_t command) {
    switch (command) {
      case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
                                              ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
      case ZIP_SOURCE_STAT: {
        zip_stat_t* stat = ZIP_SOURCE_GET_ARGS(zip_stat_t, data, length, &error_);
        if (stat == nullptr) return -1;
        zip_stat_init(stat);
        stat->valid = ZIP_STAT_SIZE | ZIP_STAT_MTIME | ZIP_STAT_COMP_METHOD | ZIP_STAT_ENCRYPTION_METHOD;
        stat->size = header_.size() + data_bytes_;
        stat->mtime = member_time;
        stat->comp_method = ZIP_CM_STORE;
        stat->encryption_method = ZIP_EM_NONE;
        return sizeof(zip_stat_t);
      }
      case ZIP_SOURCE_OPEN:
        position_ = 0;
        data_done_ = 0;
        chunk_ = {};
        values_now_.reset();
        return 0;
      case ZIP_SOURCE_READ: return read(static_cast<unsigned char*>(data), length);
      case ZIP_SOURCE_CLOSE: values_now_.reset(); return 0;  // the chunk buffer goes
      case ZIP_SOURCE_ERROR: return zip_error_to_data(&error_, data, length);
      case ZIP_SOURCE_FREE: delete this; return 0;
      default: zip_error_set(&error_, ZIP_ER_OPNOTSUPP, 0); return -1;
    }
  }

  zip_int64_t read(unsigned char* out, zip_uint64_t wanted) {
    zip_uint64_t given = 0;
    while (given < wanted) {
      if (position_ < header_.size()) {
        const auto n = std::min<std::uint64_t>(wanted - given, header_.size() - position_);
        std::memcpy(out + given, header_.data() + position_, static_cast<std::size_t>(n));
        position_ += n;
        given += n;
        continue;
      }
      if (chunk_.empty()) {
        if (data_done_ == data_bytes_) break;
        if (!values_now_) values_now_.emplace(values_(index_));
        chunk_ = values_now_->next();
        if (chunk_.empty()) throw std::logic_error("npz: a member's values ended early");
      }
      const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(wanted - given, chunk_.size()));
      std::memcpy(out + given, chunk_.data(), n);
      chunk_ = chunk_.subspan(n);
      given += n;
      position_ += n;
      data_done_ += n;
      if (chunk_.empty()) {
        if (progress_) progress_(index_, data_done_);
        // libzip closes the members only at the end: free this one's buffer now.
        if (data_done_ == data_bytes_) values_now_.reset();
      }
    }
    return static_cast<zip_int64_t>(given);
  }

  std::size_t index_;
  const NpzValues& values_;
  const NpzProgress& progress_;
  std::exception_ptr& failure_;
  std::string header_;
  std::uint64_t data_bytes_ = 0;
  zip_error_t error_{};
  std::uint64_t position_ = 0;   // bytes of the member given to libzip
  std::uint64_t data_done_ = 0;  // of them, bytes of values
  std::optional<ChunkedFill> values_now_;
  std::span<const unsigned char> chunk_;
};

// The zip error's text, for messages.
std::string zip_message(zip_error_t* error) { return zip_error_strerror(error); }

void copy_into(AtomicOutputFile& output, const ArchiveStorage& scratch, const std::string& output_path) {
  std::vector<unsigned char> buffer(std::size_t{4} << 20);
  for (std::uint64_t offset = 0; offset < scratch.size();) {
    const auto wanted = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), scratch.size() - offset));
    const ssize_t n = pread(scratch.descriptor(), buffer.data(), wanted, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      throw FileError(output_path + ": cannot read back the archive's scratch file: " +
                      (n < 0 ? system_error(errno) : std::string("it ended early")));
    }
    output.write(buffer.data(), static_cast<std::size_t>(n));
    offset += static_cast<std::uint64_t>(n);
  }
}

}  // namespace

void write_npz(AtomicOutputFile& output, const std::string& output_path, const std::vector<NpzMember>& members,
               const NpzValues& values, const NpzProgress& progress, const std::string& comment) {
  if (members.empty()) {  // libzip writes no file for an empty archive: the 22-byte end record alone
    std::string record = "PK\x05\x06" + std::string(16, '\0');
    const auto length = static_cast<std::uint16_t>(std::min<std::size_t>(comment.size(), 0xFFFF));
    record += static_cast<char>(length & 0xFF);
    record += static_cast<char>(length >> 8);
    record += comment.substr(0, length);
    output.write(record.data(), record.size());
    return;
  }
  std::optional<ArchiveStorage> storage;
  if (output.supports_write_at()) {
    storage.emplace(output);
  } else {
    storage.emplace(scratch_file_for(output_path));
  }
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* archive_source = zip_source_function_create(&ArchiveStorage::callback, &*storage, &error);
  if (archive_source == nullptr) throw FileError(output_path + ": libzip: " + zip_message(&error));
  zip_t* archive = zip_open_from_source(archive_source, ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (archive == nullptr) {
    zip_source_free(archive_source);
    throw FileError(output_path + ": libzip: " + zip_message(&error));
  }
  std::exception_ptr failure;
  const auto give_up = [&](const std::string& what) {
    const std::string message = output_path + ": " + what + ": " + zip_strerror(archive);
    zip_discard(archive);
    throw FileError(message);
  };
  for (std::size_t index = 0; index < members.size(); ++index) {
    auto* member = new MemberSource(members[index], index, values, progress, failure);
    zip_source_t* source = zip_source_function(archive, &MemberSource::callback, member);
    if (source == nullptr) {
      delete member;
      give_up("libzip");
    }
    const std::string name = members[index].name + ".npy";
    const zip_int64_t added = zip_file_add(archive, name.c_str(), source, ZIP_FL_ENC_UTF_8);
    if (added < 0) {
      zip_source_free(source);
      give_up("cannot add " + name);
    }
    if (zip_set_file_compression(archive, static_cast<zip_uint64_t>(added), ZIP_CM_STORE, 0) < 0) {
      give_up("cannot store " + name);
    }
  }
  if (!comment.empty() &&
      zip_set_archive_comment(archive, comment.data(), static_cast<zip_uint16_t>(std::min<std::size_t>(comment.size(), 0xFFFF))) < 0) {
    give_up("cannot set the archive comment");
  }
  if (zip_close(archive) < 0) {
    if (!failure) failure = storage->failure();
    if (failure) {
      zip_discard(archive);
      std::rethrow_exception(failure);
    }
    give_up("libzip could not write the archive");
  }
  if (storage->is_scratch()) copy_into(output, *storage, output_path);
}

}  // namespace nninit::cli
