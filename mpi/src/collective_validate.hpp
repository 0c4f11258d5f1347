// collective_validate.hpp — `nninit-mpi validate CHECKPOINT --spec SPEC`: the
// ranks of a communicator check one safetensors checkpoint against its model
// spec together. Every element-wise tensor is split into blocks of
// block_elements values, spread over the ranks in contiguous runs and read
// with MPI-IO; each rank tallies its blocks (collective_battery.hpp) and the
// tallies are merged on rank 0 with MPI reductions, in a way that makes every
// reported number the same for any number of ranks. Structured tensors
// (orthogonal, eye, dirac, sparse) and constants are checked whole by rank 0,
// as `nninit validate --spec` checks them.
#pragma once

#include <mpi.h>

#include <string>

namespace nninit::mpi {

struct CollectiveValidateOptions {
  std::string checkpoint_path;  // a whole checkpoint (not one rank's shards)
  std::string spec_path;
  double alpha = 1e-6;           // family-wise, per tensor (Holm)
  std::string bounds = "auto";   // auto, inside or nearest, as nninit validate --bounds
  bool json = false;
};

// The same on every rank.
struct CollectiveValidateResult {
  bool ok = false;     // false: the job failed (bad spec, unreadable file, ...): `error`
  std::string error;   // "rank R: message" of the lowest failing rank
  bool passed = false; // every tensor passed (or was skipped)
  std::string report;  // rank 0: the text (or JSON) report; empty on the other ranks
};

// Collective over `comm`: every rank reads and checks the spec and the
// checkpoint's header before any tensor is read; any error on any rank ends
// the job on every rank with the lowest failing rank's message.
CollectiveValidateResult collective_validate(MPI_Comm comm, const CollectiveValidateOptions& options);

}  // namespace nninit::mpi
