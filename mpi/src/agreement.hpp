// agreement.hpp — how the ranks of a collective command agree on failure:
// each step's exception becomes a message, and every rank learns the message
// of the lowest failing rank, so that all of them stop together.
#pragma once

#include <mpi.h>

#include <new>
#include <optional>
#include <stdexcept>
#include <string>

namespace nninit::mpi {

// The message of the lowest failing rank ("rank R: message") on every rank;
// nullopt when no rank failed. Collective over `comm`.
std::optional<std::string> agree_on_error(MPI_Comm comm, const std::optional<std::string>& local);

// Runs `step`, turning any exception into its message ("out of memory" for
// std::bad_alloc); nullopt when it returned.
template <typename Step>
std::optional<std::string> attempt(Step&& step) {
  try {
    step();
    return std::nullopt;
  } catch (const std::bad_alloc&) {
    return std::string("out of memory");
  } catch (const std::exception& error) {
    return std::string(error.what());
  }
}

// MPI's text for an error code.
std::string mpi_error_text(int code);

// Throws std::runtime_error("WHAT: MPI's text") unless code is MPI_SUCCESS.
void check_mpi(int code, const std::string& what);

}  // namespace nninit::mpi
