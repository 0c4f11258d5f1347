// npz_writer.hpp — writes a NumPy .npz checkpoint: a zip archive (through
// libzip) holding one NAME.npy per tensor (np.load(path)[NAME] gives it),
// each member stored uncompressed, ZIP64 where a member or the archive
// passes 4 GiB. Every member is a .npy with nninit's header (npy.hpp:
// bfloat16 as '<u2' raw bits, the provenance comment), its data pulled from
// a ChunkedFill a chunk at a time while libzip writes it, so memory stays at
// one chunk (or one structured tensor) whatever the checkpoint's size.
//
// libzip writes each member's header again once the member's CRC is known,
// so it needs to write at offsets: into the output itself when that is a
// regular file (AtomicOutputFile::write_at; it appears complete or not at
// all, and takes the archive's size on disk), or, for a FIFO or character
// device (-o /dev/stdout), into an unnamed scratch file in $TMPDIR that is
// then copied into the output (twice the size on disk while it is written).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "fill_dispatch.hpp"
#include "nninit/dtype.hpp"
#include "output_file.hpp"

namespace nninit::cli {

struct NpzMember {
  std::string name;  // the member is NAME.npy
  DType dtype = DType::f32;
  std::vector<std::int64_t> shape;
};

// The values of member `index`; called once per member, in order, when
// libzip comes to it.
using NpzValues = std::function<ChunkedFill(std::size_t index)>;
// Told, after each chunk, how many data bytes of member `index` are written.
using NpzProgress = std::function<void(std::size_t index, std::uint64_t bytes)>;

// Writes the archive of `members` into `output` (not committed: the caller
// commits). `output_path` (as given to AtomicOutputFile) names it in
// errors; `comment` becomes the archive's comment (at most 65535 bytes).
// Throws FileError on an I/O or libzip failure, and whatever `values`
// throws (after libzip has been closed).
void write_npz(AtomicOutputFile& output, const std::string& output_path, const std::vector<NpzMember>& members,
               const NpzValues& values, const NpzProgress& progress, const std::string& comment);

}  // namespace nninit::cli
