// agreement.cpp — the lowest failing rank's message, shared by every rank.
#include "agreement.hpp"

#include <algorithm>
#include <climits>

namespace nninit::mpi {

std::optional<std::string> agree_on_error(MPI_Comm comm, const std::optional<std::string>& local) {
  int rank = 0;
  int size = 0;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  int candidate = local ? rank : size;
  int failing = size;
  MPI_Allreduce(&candidate, &failing, 1, MPI_INT, MPI_MIN, comm);
  if (failing == size) return std::nullopt;
  std::string message = rank == failing ? *local : std::string();
  unsigned long long length = message.size();
  MPI_Bcast(&length, 1, MPI_UNSIGNED_LONG_LONG, failing, comm);
  message.resize(static_cast<std::size_t>(length));
  MPI_Bcast(message.data(), static_cast<int>(std::min<unsigned long long>(length, INT_MAX)), MPI_CHAR, failing,
            comm);
  return "rank " + std::to_string(failing) + ": " + message;
}

std::string mpi_error_text(int code) {
  char text[MPI_MAX_ERROR_STRING] = {};
  int length = 0;
  MPI_Error_string(code, text, &length);
  return std::string(text, static_cast<std::size_t>(length));
}

void check_mpi(int code, const std::string& what) {
  if (code != MPI_SUCCESS) throw std::runtime_error(what + ": " + mpi_error_text(code));
}

}  // namespace nninit::mpi
