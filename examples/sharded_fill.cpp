// Fills one large logical tensor in shards, as 4 ranks of a distributed job
// would — each rank fills only its own part, with its own thread count, and
// no communication — and shows that the shards equal the whole fill bit for
// bit. Three layouts of the same tensor (GPT-2's token embedding, 50257 x 768,
// in bfloat16):
//   * row shards of uneven sizes (50257 rows do not split evenly in 4);
//   * column shards (tensor parallelism): every rank fills a strided set of
//     short slices, one per row;
//   * a 2^40-element logical tensor (4 TiB as float) that is never allocated:
//     only the elements around the rank boundaries are filled and compared.
// Exits non-zero if any shard differs from the whole.
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <vector>

#include "nninit/nninit.hpp"

namespace {

using namespace nninit;

constexpr int ranks = 4;

std::uint64_t fnv1a(const void* data, std::size_t bytes) {
  std::uint64_t hash = 0xcbf29ce484222325ull;
  const auto* p = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < bytes; ++i) hash = (hash ^ p[i]) * 0x100000001b3ull;
  return hash;
}

int failures = 0;
void check(bool condition, const char* what) {
  if (!condition) {
    std::printf("FAILED: %s\n", what);
    ++failures;
  }
}

}  // namespace

int main() {
  const std::int64_t rows = 50257, columns = 768;
  const auto total = static_cast<std::size_t>(rows * columns);
  const Distribution distribution = Normal{0.0, 0.02};  // GPT-2's embedding init
  const Stream stream = Stream::named(1234, "transformer.wte.weight");

  std::vector<bfloat16> whole(total);
  fill(std::span<bfloat16>(whole), distribution, stream);
  const std::uint64_t whole_hash = fnv1a(whole.data(), total * sizeof(bfloat16));
  std::printf("logical tensor [%lld, %lld] bfloat16, %s, stream 0x%016" PRIx64 "\n",
              static_cast<long long>(rows), static_cast<long long>(columns), describe(distribution).c_str(),
              stream.id);
  std::printf("whole fill: %zu values, FNV-1a 0x%016" PRIx64 "\n\n", total, whole_hash);

  // Row shards: rank r owns rows [r * ceil(rows / 4), ...), the last one fewer.
  std::printf("row shards\n%6s %12s %12s %8s  %s\n", "rank", "offset", "count", "threads",
              "equal to the whole");
  std::vector<bfloat16> joined;
  const std::int64_t rows_per_rank = (rows + ranks - 1) / ranks;
  for (int rank = 0; rank < ranks; ++rank) {
    const std::int64_t first_row = std::min<std::int64_t>(rows, rank * rows_per_rank);
    const std::int64_t last_row = std::min<std::int64_t>(rows, first_row + rows_per_rank);
    const auto offset = static_cast<std::uint64_t>(first_row * columns);
    const auto count = static_cast<std::size_t>((last_row - first_row) * columns);
    std::vector<bfloat16> shard(count);  // all this rank ever allocates
    const int threads = rank + 1;        // ranks need not agree on anything
    fill(std::span<bfloat16>(shard), distribution, stream, {.offset = offset, .threads = threads});
    const bool equal = std::memcmp(shard.data(), whole.data() + offset, count * sizeof(bfloat16)) == 0;
    std::printf("%6d %12" PRIu64 " %12zu %8d  %s\n", rank, offset, count, threads, equal ? "yes" : "NO");
    check(equal, "a row shard differs from that part of the whole fill");
    joined.insert(joined.end(), shard.begin(), shard.end());
  }
  const std::uint64_t joined_hash = fnv1a(joined.data(), joined.size() * sizeof(bfloat16));
  std::printf("concatenated row shards: FNV-1a 0x%016" PRIx64 " (%s)\n\n", joined_hash,
              joined_hash == whole_hash ? "same as the whole" : "DIFFERENT");
  check(joined.size() == total && joined_hash == whole_hash,
        "the row shards do not concatenate to the whole");

  // Column shards: rank r owns columns [r * 192, (r + 1) * 192) of every row,
  // i.e. one slice of 192 elements per row at offset row * 768 + r * 192.
  std::printf("column shards (one %lld-element slice per row)\n", static_cast<long long>(columns / ranks));
  const std::int64_t width = columns / ranks;
  for (int rank = 0; rank < ranks; ++rank) {
    std::vector<bfloat16> shard(static_cast<std::size_t>(rows * width));
    for (std::int64_t row = 0; row < rows; ++row) {
      const auto offset = static_cast<std::uint64_t>(row * columns + rank * width);
      fill(std::span<bfloat16>(shard).subspan(static_cast<std::size_t>(row * width),
                                              static_cast<std::size_t>(width)),
           distribution, stream, {.offset = offset});
    }
    bool equal = true;
    for (std::int64_t row = 0; row < rows && equal; ++row) {
      equal = std::memcmp(shard.data() + row * width, whole.data() + row * columns + rank * width,
                          static_cast<std::size_t>(width) * sizeof(bfloat16)) == 0;
    }
    std::printf("  rank %d: columns [%lld, %lld): %s\n", rank, static_cast<long long>(rank * width),
                static_cast<long long>((rank + 1) * width), equal ? "equal to the whole" : "DIFFERENT");
    check(equal, "a column shard differs from the whole fill");
  }

  // A 2^40-element logical tensor: nobody can allocate it, every rank can
  // fill its part. Around each boundary between ranks, the end of one rank's
  // shard and the start of the next equal one fill across the boundary.
  const std::uint64_t huge = std::uint64_t{1} << 40;
  const std::uint64_t shard_size = huge / ranks;
  const Distribution kaiming = torch::kaiming_uniform(compute_fans({1 << 20, 1 << 20}, Layout::torch));
  const Stream huge_stream = Stream::named(1234, "giant.weight");
  std::printf("\nlogical tensor [2^20, 2^20] float (2^40 values, 4 TiB), %s\n", describe(kaiming).c_str());
  const std::size_t window = 4099;  // not a multiple of the 4 values of a Philox block
  for (int boundary = 1; boundary < ranks; ++boundary) {
    const std::uint64_t at = static_cast<std::uint64_t>(boundary) * shard_size;
    std::vector<float> left(window), right(window), across(2 * window);
    fill(std::span<float>(left), kaiming, huge_stream, {.offset = at - window});  // end of rank boundary-1
    fill(std::span<float>(right), kaiming, huge_stream, {.offset = at});          // start of rank boundary
    fill(std::span<float>(across), kaiming, huge_stream, {.offset = at - window, .threads = 1});
    const bool equal = std::memcmp(left.data(), across.data(), window * sizeof(float)) == 0 &&
                       std::memcmp(right.data(), across.data() + window, window * sizeof(float)) == 0;
    std::printf("  boundary rank %d | rank %d at element %" PRIu64 ": last %.7f | first %.7f, %s\n",
                boundary - 1, boundary, at, static_cast<double>(left.back()),
                static_cast<double>(right.front()), equal ? "equal to one fill across it" : "DIFFERENT");
    check(equal, "the shards around a rank boundary differ from one fill across it");
  }
  std::vector<float> last(3);
  fill(std::span<float>(last), kaiming, huge_stream, {.offset = huge - 3});
  std::printf("  the last 3 values (elements 2^40 - 3 .. 2^40 - 1): %.7f %.7f %.7f\n",
              static_cast<double>(last[0]), static_cast<double>(last[1]), static_cast<double>(last[2]));

  std::printf("\n%s\n",
              failures == 0 ? "every shard equals its part of the whole fill" : "SOME SHARDS DIFFER");
  return failures == 0 ? 0 : 1;
}
