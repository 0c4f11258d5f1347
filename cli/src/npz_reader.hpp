// npz_reader.hpp — reading a NumPy .npz checkpoint (a zip of NAME.npy
// members, stored or deflated, as numpy.savez / savez_compressed and
// `nninit init -o OUT.npz` write it) one member at a time, through libzip,
// for `nninit validate CHECKPOINT.npz --spec`.
#pragma once

#include <string>
#include <vector>

#include "npy_raw_values.hpp"

struct zip;

namespace nninit::cli {

class NpzArchive {
 public:
  // Opens the archive and lists its members. Throws FileError naming the
  // file when it is not a readable zip, or a member's name does not end in
  // ".npy" or is given twice.
  explicit NpzArchive(std::string path);
  NpzArchive(const NpzArchive&) = delete;
  NpzArchive& operator=(const NpzArchive&) = delete;
  ~NpzArchive();

  // The tensors' names (the members' names without ".npy"), in archive order.
  const std::vector<std::string>& names() const noexcept { return names_; }

  // The values of tensor `name` in their own dtype (raw.file.path is
  // "PATH:NAME"). The member is read whole and its .npy checked as
  // `nninit validate FILE.npy` checks a file; memory: the member's bytes and
  // the values, about twice the tensor, only while it is read. Throws
  // FileError naming the member (bad .npy, unsupported dtype, a member
  // shorter or longer than the archive says, a read error, no memory).
  NpyRawValues read(const std::string& name) const;

 private:
  std::string path_;
  ::zip* archive_ = nullptr;
  std::vector<std::string> names_;
  std::vector<unsigned long long> indices_;  // zip index of each name
};

}  // namespace nninit::cli
