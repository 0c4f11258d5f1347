// collective_init.hpp — `nninit-mpi init`: every rank of a communicator fills
// its part of a model spec's parameters (collective_layout.hpp) and writes it
// with MPI-IO into one safetensors file, byte-identical to the single-process
// `nninit init SPEC -o OUT`, for any number of ranks.
#pragma once

#include <mpi.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "collective_layout.hpp"

namespace nninit::mpi {

struct CollectiveInitOptions {
  std::string spec_path;
  std::string output_path;
  int threads = 0;  // per rank; 0: OpenMP's default
  std::uint64_t batch_bytes = default_batch_bytes;
};

// Seconds, the maximum and the sum over ranks.
struct PhaseTime {
  double max = 0;
  double sum = 0;
};

// The same on every rank.
struct CollectiveInitResult {
  bool ok = false;
  std::string error;  // when !ok: "rank R: message" of the lowest failing rank
  int world_size = 0;
  std::size_t tensors = 0;
  std::uint64_t data_bytes = 0;  // tensor bytes (the file less its header)
  std::uint64_t elements = 0;
  std::uint64_t seed = 0;
  std::uint64_t rounds = 0;      // collective write rounds
  double wall = 0;               // rank 0's, from reading the spec to the rename
  PhaseTime fill;                // filling (and copying structured tensors into batches)
  PhaseTime write;               // MPI_File_write_all, the header's write, MPI_File_sync
  PhaseTime mpi;                 // every other MPI call: agreement, open, views, close
};

// Collective over `comm` (every rank calls it with the same options). The
// spec is read and checked on every rank before anything is created; any
// failure on any rank (a bad spec, an unwritable directory, out of memory,
// an I/O error) makes every rank return ok = false with the message of the
// lowest failing rank, and leaves no file under the output name (nor the
// temporary one; see staged_output.hpp). Never throws for those; MPI errors
// on `comm` itself stay fatal (MPI's default).
//
// Test hook: NNINIT_MPI_TEST_FAIL=RANK:STAGE in the environment makes rank
// RANK fail at STAGE: "plan" (after the spec is checked), "fill" (its first
// batch), "oom" (its first batch, as std::bad_alloc) or "sigterm" (it raises
// SIGTERM at its first batch: a rank killed in the middle of the write).
CollectiveInitResult collective_init(MPI_Comm comm, const CollectiveInitOptions& options);

}  // namespace nninit::mpi
