// collective_init.cpp — the collective fill and MPI-IO write of a checkpoint.
#include "collective_init.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

#include "agreement.hpp"
#include "fill_dispatch.hpp"  // cli::structured_bytes, as nninit init fills them
#include "model_spec.hpp"
#include "nninit/block_fill.hpp"
#include "spec_plan.hpp"
#include "staged_output.hpp"

namespace nninit::mpi {
namespace {

// The test hook: the stage at which this rank is told to fail, if any.
std::string injected_failure_stage(int rank) {
  const char* value = std::getenv("NNINIT_MPI_TEST_FAIL");
  if (value == nullptr) return {};
  const std::string_view text(value);
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || text.substr(0, colon) != std::to_string(rank)) return {};
  return std::string(text.substr(colon + 1));
}

void inject(const std::string& wanted, const std::string& stage) {
  if (wanted != stage) return;
  if (stage == "oom") throw std::bad_alloc();
  if (stage == "sigterm") {
    std::raise(SIGTERM);  // as if killed: the process ends here
    return;
  }
  throw std::runtime_error("injected failure at stage '" + stage + "' (NNINIT_MPI_TEST_FAIL)");
}

// A committed MPI datatype freed on scope exit.
class Datatype {
 public:
  Datatype() = default;
  explicit Datatype(MPI_Datatype type) : type_(type) {}
  Datatype(Datatype&& other) noexcept : type_(other.type_) { other.type_ = MPI_DATATYPE_NULL; }
  Datatype& operator=(Datatype&& other) noexcept {
    std::swap(type_, other.type_);
    return *this;
  }
  Datatype(const Datatype&) = delete;
  Datatype& operator=(const Datatype&) = delete;
  ~Datatype() {
    if (type_ != MPI_DATATYPE_NULL) MPI_Type_free(&type_);
  }
  MPI_Datatype get() const { return type_; }

 private:
  MPI_Datatype type_ = MPI_DATATYPE_NULL;
};

int to_int(std::int64_t value, const std::string& what) {
  if (value < 0 || value > INT_MAX) {
    throw std::runtime_error(what + ": " + std::to_string(value) + " does not fit an MPI datatype's int (2^31 - 1)");
  }
  return static_cast<int>(value);
}

// The file region of one piece as an MPI subarray of the tensor's
// dimensions from the piece's outermost dimension with more than one index
// on (the dimensions before it have extent 1 and fold into the
// displacement, so the subarray's sizes stay ints for any tensor whose
// inner dimensions do): sizes, subsizes and starts, and the element where
// the region's outermost row starts. Throws std::runtime_error naming the
// tensor and the dimension when a size does not fit an int.
struct RegionGeometry {
  std::uint64_t first = 0;
  std::vector<int> sizes;
  std::vector<int> subsizes;
  std::vector<int> starts;
};

RegionGeometry region_geometry(const Piece& piece, const std::string& name) {
  const TensorBlock& block = piece.block;
  std::vector<std::int64_t> shape = block.shape;
  std::vector<std::int64_t> start = block.start;
  std::vector<std::int64_t> extent = block.extent;
  if (shape.empty()) {  // a 0-D tensor: one element
    shape = {1};
    start = {0};
    extent = {1};
  }
  const std::size_t rank = shape.size();
  std::vector<std::uint64_t> stride(rank, 1);  // in elements
  for (std::size_t d = rank - 1; d > 0; --d) stride[d - 1] = stride[d] * static_cast<std::uint64_t>(shape[d]);
  std::size_t q = 0;
  while (q + 1 < rank && extent[q] == 1) ++q;
  RegionGeometry geometry;
  for (std::size_t d = 0; d <= q; ++d) geometry.first += static_cast<std::uint64_t>(start[d]) * stride[d];
  for (std::size_t d = q; d < rank; ++d) {
    const std::string what = "'" + name + "' dimension " + std::to_string(d);
    geometry.sizes.push_back(to_int(d == q ? extent[d] : shape[d], what));
    geometry.subsizes.push_back(to_int(extent[d], what));
    geometry.starts.push_back(d == q ? 0 : to_int(start[d], what));
  }
  return geometry;
}

// The piece's region as a datatype, at its byte displacement in the file.
struct FileRegion {
  Datatype type;
  MPI_Aint displacement = 0;
};

FileRegion piece_region(const Piece& piece, const std::string& name, std::uint64_t tensor_offset,
                        MPI_Datatype element) {
  RegionGeometry geometry = region_geometry(piece, name);
  MPI_Datatype type = MPI_DATATYPE_NULL;
  check_mpi(MPI_Type_create_subarray(static_cast<int>(geometry.sizes.size()), geometry.sizes.data(),
                                     geometry.subsizes.data(), geometry.starts.data(), MPI_ORDER_C, element, &type),
            "MPI_Type_create_subarray");
  FileRegion region;
  region.type = Datatype(type);
  int element_size = 0;
  MPI_Type_size(element, &element_size);
  region.displacement =
      static_cast<MPI_Aint>(tensor_offset + geometry.first * static_cast<std::uint64_t>(element_size));
  return region;
}

// Memory offsets of the pieces in a batch's buffer: each piece starts on an
// 8-byte boundary, so that every dtype's elements are aligned.
std::vector<std::uint64_t> memory_offsets(const Batch& batch) {
  std::vector<std::uint64_t> offsets;
  std::uint64_t offset = 0;
  for (const Piece& piece : batch.pieces) {
    offsets.push_back(offset);
    offset += (piece.bytes + 7) / 8 * 8;
  }
  offsets.push_back(offset);
  return offsets;
}

class CollectiveRun {
 public:
  CollectiveRun(MPI_Comm comm, const CollectiveInitOptions& options) : comm_(comm), options_(options) {
    MPI_Comm_rank(comm, &rank_);
    MPI_Comm_size(comm, &size_);
    fail_stage_ = injected_failure_stage(rank_);
  }

  CollectiveInitResult run() {
    const double begin = MPI_Wtime();
    result_.world_size = size_;
    if (!step_agreed([&] { plan(); })) return finish(begin);
    // Rank 0 creates the temporary file; every rank learns its name.
    if (!step_agreed([&] {
          if (rank_ == 0) staged_ = std::make_unique<StagedOutput>(options_.output_path);
        })) {
      return finish(begin);
    }
    std::string temporary = rank_ == 0 ? staged_->temporary_path() : std::string();
    timed(mpi_seconds_, [&] {
      unsigned long long length = temporary.size();
      MPI_Bcast(&length, 1, MPI_UNSIGNED_LONG_LONG, 0, comm_);
      temporary.resize(static_cast<std::size_t>(length));
      MPI_Bcast(temporary.data(), static_cast<int>(length), MPI_CHAR, 0, comm_);
    });
    if (!step_agreed([&] {
          if (rank_ != 0) remove_on_signal(temporary);  // any rank's SIGTERM removes the name
        })) {
      return finish(begin);
    }
    // A rank on a machine that does not share the directory fails here, cleanly
    // (an MPI_File_open that fails on some ranks only could not be undone).
    if (!step_agreed([&] {
          if (access(temporary.c_str(), W_OK) != 0) {
            throw std::runtime_error(options_.output_path + ": the temporary file " + temporary +
                                     " is not writable from this rank (" + std::strerror(errno) +
                                     "); the output must be on a file system every rank shares");
          }
        })) {
      return finish(begin);
    }
    MPI_File file = MPI_FILE_NULL;
    if (!step_agreed([&] {
          timed(mpi_seconds_, [&] {
            check_mpi(MPI_File_open(comm_, temporary.c_str(), MPI_MODE_WRONLY, MPI_INFO_NULL, &file),
                      "cannot open " + options_.output_path + " (as " + temporary + ") with MPI-IO");
          });
        })) {
      return finish(begin);
    }
    const bool written = write(file);
    std::optional<std::string> error;
    timed(mpi_seconds_, [&] {
      const int code = MPI_File_close(&file);
      if (code != MPI_SUCCESS && written) error = "MPI_File_close: " + mpi_error_text(code);
    });
    if (!written) return finish(begin);
    if (!agreed(error)) return finish(begin);
    if (!step_agreed([&] {
          if (rank_ == 0) staged_->commit();
        })) {
      return finish(begin);
    }
    result_.ok = true;
    return finish(begin);
  }

 private:
  // Runs `step`, adding its wall time to this rank's `seconds`.
  template <typename Step>
  void timed(double& seconds, Step&& step) {
    const double begin = MPI_Wtime();
    step();
    seconds += MPI_Wtime() - begin;
  }

  // Every rank runs `step`; true when it succeeded on every rank.
  template <typename Step>
  bool step_agreed(Step&& step) {
    return agreed(attempt(step));
  }

  bool agreed(const std::optional<std::string>& local) {
    std::optional<std::string> error;
    timed(mpi_seconds_, [&] { error = agree_on_error(comm_, local); });
    if (error) result_.error = *error;
    return !error;
  }

  void plan() {
    spec_ = cli::read_model_spec(options_.spec_path);
    plan_ = plan_parameters(spec_);
    layout_ = layout_checkpoint(spec_, plan_, size_);
    batches_ = batches_of_rank(layout_, plan_, rank_, size_, options_.batch_bytes);
    result_.tensors = plan_.size();
    result_.seed = spec_.seed;
    result_.data_bytes = layout_.file_bytes - layout_.header.size();
    for (const PlannedParameter& planned : plan_) {
      result_.elements += block_element_count(whole_tensor(planned.parameter->shape));
    }
    for (const Batch& batch : batches_) {
      for (const Piece& piece : batch.pieces) {
        remaining_[piece.tensor] += piece.bytes;
        region_geometry(piece, plan_[piece.tensor].parameter->name);  // refused now, before any file exists
      }
    }
    inject(fail_stage_, "plan");
  }

  MPI_Datatype element_type(std::size_t size) {
    auto found = element_types_.find(size);
    if (found != element_types_.end()) return found->second.get();
    MPI_Datatype type = MPI_DATATYPE_NULL;
    check_mpi(MPI_Type_contiguous(static_cast<int>(size), MPI_BYTE, &type), "MPI_Type_contiguous");
    check_mpi(MPI_Type_commit(&type), "MPI_Type_commit");
    return element_types_.emplace(size, Datatype(type)).first->second.get();
  }

  // Fills the pieces of `batch` into buffer_ at `offsets`.
  void fill(const Batch& batch, const std::vector<std::uint64_t>& offsets) {
    inject(fail_stage_, "fill");
    inject(fail_stage_, "oom");
    inject(fail_stage_, "sigterm");
    buffer_.resize(static_cast<std::size_t>(offsets.back() / 8));
    auto* bytes = reinterpret_cast<unsigned char*>(buffer_.data());
    for (std::size_t i = 0; i < batch.pieces.size(); ++i) {
      const Piece& piece = batch.pieces[i];
      const PlannedParameter& planned = plan_[piece.tensor];
      const DType dtype = planned.parameter->dtype;
      const std::size_t count = static_cast<std::size_t>(block_element_count(piece.block));
      unsigned char* out = bytes + offsets[i];
      if (!planned.initializer.is_structured()) {
        fill_block(out, dtype, count, piece.block, planned.initializer.distribution, planned.stream,
                   BlockFillOptions{.threads = options_.threads});
        continue;
      }
      // A structured tensor is filled whole once (it is whole on this rank),
      // its pieces copied out in C order, and released after its last one.
      std::vector<unsigned char>& whole = structured_[piece.tensor];
      const std::uint64_t count_whole = block_element_count(whole_tensor(planned.parameter->shape));
      if (whole.empty() && count_whole > 0) {
        whole = cli::structured_bytes(dtype, *planned.initializer.structured, planned.parameter->shape, 0,
                                      count_whole, planned.stream, options_.threads);
      }
      std::uint64_t first = 0;  // the piece's first element in the tensor's C order
      std::uint64_t stride = 1;
      for (std::size_t d = piece.block.shape.size(); d-- > 0;) {
        first += static_cast<std::uint64_t>(piece.block.start[d]) * stride;
        stride *= static_cast<std::uint64_t>(piece.block.shape[d]);
      }
      std::memcpy(out, whole.data() + first * dtype_size(dtype), piece.bytes);
      if ((remaining_[piece.tensor] -= piece.bytes) == 0) structured_.erase(piece.tensor);
    }
  }

  // This rank's part of the round: the file view and the memory layout of
  // `batch`, and the collective write (a rank without a batch writes nothing).
  void write_round(MPI_File file, const Batch* batch, const std::vector<std::uint64_t>& offsets) {
    Datatype file_type;
    Datatype memory_type;
    int count = 0;
    if (batch != nullptr) {
      timed(mpi_seconds_, [&] {
        std::vector<FileRegion> regions;
        std::vector<MPI_Datatype> types;
        std::vector<MPI_Aint> displacements;
        std::vector<int> lengths;
        std::vector<MPI_Aint> memory_displacements;
        std::vector<int> memory_lengths;
        for (std::size_t i = 0; i < batch->pieces.size(); ++i) {
          const Piece& piece = batch->pieces[i];
          const std::size_t element_size = dtype_size(plan_[piece.tensor].parameter->dtype);
          regions.push_back(piece_region(piece, plan_[piece.tensor].parameter->name, layout_.data_offset[piece.tensor],
                                         element_type(element_size)));
          types.push_back(regions.back().type.get());
          displacements.push_back(regions.back().displacement);
          lengths.push_back(1);
          memory_displacements.push_back(static_cast<MPI_Aint>(offsets[i]));
          memory_lengths.push_back(to_int(static_cast<std::int64_t>(piece.bytes), "bytes of a piece"));
        }
        MPI_Datatype type = MPI_DATATYPE_NULL;
        check_mpi(MPI_Type_create_struct(static_cast<int>(types.size()), lengths.data(), displacements.data(),
                                         types.data(), &type),
                  "MPI_Type_create_struct");
        file_type = Datatype(type);
        check_mpi(MPI_Type_commit(&type), "MPI_Type_commit");
        check_mpi(MPI_Type_create_hindexed(static_cast<int>(memory_lengths.size()), memory_lengths.data(),
                                           memory_displacements.data(), MPI_BYTE, &type),
                  "MPI_Type_create_hindexed");
        memory_type = Datatype(type);
        check_mpi(MPI_Type_commit(&type), "MPI_Type_commit");
        count = 1;
      });
    }
    timed(mpi_seconds_, [&] {
      check_mpi(MPI_File_set_view(file, 0, MPI_BYTE, count ? file_type.get() : MPI_BYTE, "native", MPI_INFO_NULL),
                "MPI_File_set_view");
    });
    timed(write_seconds_, [&] {
      MPI_Status status;
      check_mpi(MPI_File_write_all(file, buffer_.data(), count, count ? memory_type.get() : MPI_BYTE, &status),
                "MPI_File_write_all to " + options_.output_path);
      int written = 0;
      MPI_Get_count(&status, count ? memory_type.get() : MPI_BYTE, &written);
      if (written != count) throw std::runtime_error("MPI_File_write_all to " + options_.output_path + ": short write");
    });
  }

  // The header, every round, the sync and the size check; false (error set) on any failure.
  bool write(MPI_File file) {
    if (!step_agreed([&] {
          if (rank_ != 0) return;
          timed(write_seconds_, [&] {
            MPI_Status status;
            check_mpi(MPI_File_write_at(file, 0, layout_.header.data(), static_cast<int>(layout_.header.size()),
                                        MPI_BYTE, &status),
                      "writing the header of " + options_.output_path);
          });
        })) {
      return false;
    }
    unsigned long long mine = batches_.size();
    unsigned long long rounds = 0;
    timed(mpi_seconds_, [&] { MPI_Allreduce(&mine, &rounds, 1, MPI_UNSIGNED_LONG_LONG, MPI_MAX, comm_); });
    result_.rounds = rounds;
    std::optional<std::string> pending;  // the previous round's write error, agreed with this round's fill
    for (unsigned long long round = 0; round < rounds; ++round) {
      const Batch* batch = round < batches_.size() ? &batches_[round] : nullptr;
      const std::vector<std::uint64_t> offsets = batch ? memory_offsets(*batch) : std::vector<std::uint64_t>{0};
      if (!pending && batch != nullptr) {
        timed(fill_seconds_, [&] { pending = attempt([&] { fill(*batch, offsets); }); });
      }
      if (!agreed(pending)) return false;
      pending = attempt([&] { write_round(file, batch, offsets); });
    }
    if (!agreed(pending)) return false;
    return step_agreed([&] {
      timed(write_seconds_, [&] { check_mpi(MPI_File_sync(file), "MPI_File_sync of " + options_.output_path); });
      MPI_Offset size = 0;
      check_mpi(MPI_File_get_size(file, &size), "MPI_File_get_size");
      if (static_cast<std::uint64_t>(size) != layout_.file_bytes) {
        throw std::runtime_error(options_.output_path + ": the file has " + std::to_string(size) +
                                 " bytes, expected " + std::to_string(layout_.file_bytes));
      }
    });
  }

  CollectiveInitResult finish(double begin) {
    staged_.reset();  // without commit(): the temporary file is removed
    if (rank_ != 0) forget_on_signal();
    result_.wall = MPI_Wtime() - begin;
    const std::pair<PhaseTime*, double> phases[] = {
        {&result_.fill, fill_seconds_}, {&result_.write, write_seconds_}, {&result_.mpi, mpi_seconds_}};
    for (const auto& [phase, mine] : phases) {
      MPI_Allreduce(&mine, &phase->max, 1, MPI_DOUBLE, MPI_MAX, comm_);
      MPI_Allreduce(&mine, &phase->sum, 1, MPI_DOUBLE, MPI_SUM, comm_);
    }
    MPI_Bcast(&result_.wall, 1, MPI_DOUBLE, 0, comm_);
    return result_;
  }

  MPI_Comm comm_;
  const CollectiveInitOptions& options_;
  int rank_ = 0;
  int size_ = 1;
  std::string fail_stage_;
  CollectiveInitResult result_;
  double fill_seconds_ = 0;  // this rank's time in each phase (finish() reduces them)
  double write_seconds_ = 0;
  double mpi_seconds_ = 0;
  cli::ModelSpec spec_;
  std::vector<PlannedParameter> plan_;
  CollectiveLayout layout_;
  std::vector<Batch> batches_;
  std::map<std::size_t, std::uint64_t> remaining_;  // bytes of each tensor still to write on this rank
  std::map<std::size_t, std::vector<unsigned char>> structured_;  // whole structured tensors
  std::map<std::size_t, Datatype> element_types_;
  std::vector<std::uint64_t> buffer_;
  std::unique_ptr<StagedOutput> staged_;
};

}  // namespace

CollectiveInitResult collective_init(MPI_Comm comm, const CollectiveInitOptions& options) {
  return CollectiveRun(comm, options).run();
}

}  // namespace nninit::mpi
