// fill_block: every block of a tensor equals that block of the whole fill,
// bit for bit, for random blocks of 1- to 4-D shapes, every distribution and
// dtype and 1 to 3 threads; the shard layouts split as torch.chunk does and
// their parts tile the tensor; fan-based initializers take the whole
// tensor's fans; bad blocks are refused before anything is written.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "block_test_support.hpp"
#include "nninit/nninit.hpp"
#include "simd/simd_fill.hpp"

namespace nninit {
namespace {

std::vector<Distribution> distributions() {
  return {Uniform{-0.1, 0.1}, Normal{0.0, 0.02}, TruncatedNormal{0.0, 1.0, -2.0, 2.0}, Constant{0.25}};
}

template <class T>
std::vector<T> whole_fill(const std::vector<std::int64_t>& shape, const Distribution& d, const Stream& s) {
  std::uint64_t n = 1;
  for (const auto e : shape) n *= static_cast<std::uint64_t>(e);
  std::vector<T> out(n);
  fill(std::span<T>(out), d, s, {.offset = 0, .threads = 1});
  return out;
}

using testing::cut;
using testing::same_bits;

TensorBlock random_block(std::mt19937_64& engine, std::size_t rank) {
  std::vector<std::int64_t> shape(rank);
  // Sizes that cross Philox block and SIMD vector boundaries, and a long last dimension sometimes.
  for (auto& n : shape) n = std::uniform_int_distribution<std::int64_t>(1, rank == 1 ? 300000 : 37)(engine);
  if (rank >= 2 && engine() % 3 == 0) shape.back() = std::uniform_int_distribution<std::int64_t>(1000, 70000)(engine);
  // At most 2^19 elements in all: shrink the largest dimension.
  const auto product = [&] {
    std::int64_t p = 1;
    for (const auto n : shape) p *= n;
    return p;
  };
  while (product() > (std::int64_t{1} << 19)) {
    auto& largest = *std::max_element(shape.begin(), shape.end());
    largest = (largest + 1) / 2;
  }
  TensorBlock block = whole_tensor(shape);
  for (std::size_t d = 0; d < rank; ++d) {
    if (engine() % 4 == 0) continue;  // keep some dimensions whole (longer runs)
    const std::int64_t a = std::uniform_int_distribution<std::int64_t>(0, shape[d] - 1)(engine);
    const std::int64_t b = std::uniform_int_distribution<std::int64_t>(a + 1, shape[d])(engine);
    block.start[d] = a;
    block.extent[d] = b - a;
  }
  return block;
}

template <class T>
void check_random_blocks(std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  for (std::size_t rank = 1; rank <= 4; ++rank) {
    for (int trial = 0; trial < 6; ++trial) {
      const TensorBlock block = random_block(engine, rank);
      for (const Distribution& d : distributions()) {
        const Stream stream = Stream::named(5, "block" + std::to_string(trial));
        const std::vector<T> expected = cut(whole_fill<T>(block.shape, d, stream), block);
        for (int threads : {1, 2, 3}) {
          std::vector<T> got(block_element_count(block));
          fill_block(std::span<T>(got), block, d, stream, {.threads = threads});
          ASSERT_TRUE(same_bits(got, expected)) << "rank " << rank << " trial " << trial << " threads " << threads;
        }
      }
    }
  }
}

TEST(FillBlock, RandomBlocksEqualTheWholeFillFloat32) { check_random_blocks<float>(101); }
TEST(FillBlock, RandomBlocksEqualTheWholeFillFloat64) { check_random_blocks<double>(102); }
TEST(FillBlock, RandomBlocksEqualTheWholeFillBfloat16) { check_random_blocks<bfloat16>(103); }
TEST(FillBlock, RandomBlocksEqualTheWholeFillFloat16) { check_random_blocks<float16>(104); }

// The bit of the scalar reference target among `runnable` (0 if absent).
std::int64_t scalar_target(std::int64_t runnable) {
  for (std::int64_t bits = runnable; bits != 0; bits &= bits - 1) {
    if (std::string(nninit::internal::simd::target_name(bits & -bits)) == "SCALAR") return bits & -bits;
  }
  return 0;
}

// The check itself can fail: a block taken one column off is not equal.
// Column blocks of short rows (lengths around the SIMD group and step sizes
// of every target, at every offset inside a Philox block) on every runnable
// SIMD target, against the whole fill on the scalar reference target: the
// kernel computes only the groups a short range needs, with the same bits.
template <class T>
void check_short_rows_on_every_target() {
  namespace simd = nninit::internal::simd;
  const std::int64_t runnable = simd::runnable_targets();
  const std::int64_t scalar = scalar_target(runnable);
  ASSERT_NE(scalar, 0) << "the scalar reference target is not runnable";
  const std::int64_t lengths[] = {1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65,
                                  96, 127, 128, 129, 191, 192, 193, 255, 256, 257, 300, 513};
  for (const Distribution& d : distributions()) {
    for (const std::int64_t length : lengths) {
      const std::int64_t start = length % 7;  // 0..6: every offset inside a Philox block
      const std::vector<std::int64_t> shape{5, start + length + 3};
      const Stream stream = Stream::named(11, "short_rows." + std::to_string(length));
      simd::restrict_targets_for_test(scalar);
      const TensorBlock block{shape, {1, start}, {4, length}};
      const std::vector<T> expected = cut(whole_fill<T>(shape, d, stream), block);
      for (std::int64_t bits = runnable; bits != 0; bits &= bits - 1) {
        simd::restrict_targets_for_test(bits & -bits);
        std::vector<T> got(block_element_count(block));
        fill_block(std::span<T>(got), block, d, stream, {.threads = 1});
        EXPECT_TRUE(same_bits(got, expected))
            << simd::dispatched_target_name() << ": rows of " << length << " from column " << start;
      }
      simd::restrict_targets_for_test(0);
    }
  }
}

// Many short rows on block boundaries, which the kernels pack into whole
// steps that span rows (simd/kernels-inl.h, RowSteps): row lengths and
// column starts that are multiples of 2 and 4 elements (the elements per
// Philox block), a few rows to many (whole steps and the rows left over),
// on every runnable target, against each row filled on its own as a slice
// on the scalar reference target. Also a block whose Philox block counter's
// low word wraps inside it (rows starting near element 2^34, of a tensor
// far too large to fill whole).
template <class T>
void check_packed_rows_on_every_target() {
  namespace simd = nninit::internal::simd;
  const std::int64_t runnable = simd::runnable_targets();
  const std::int64_t scalar = scalar_target(runnable);
  ASSERT_NE(scalar, 0) << "the scalar reference target is not runnable";
  struct Case {
    std::int64_t rows, columns, row_start, column_start, block_rows, length;
  };
  std::vector<Case> cases;
  for (const std::int64_t length : {2, 4, 6, 8, 12, 24, 32, 36, 48, 64, 96, 100, 128, 192, 200, 256, 384}) {
    for (const std::int64_t block_rows : {2, 3, 9, 50}) {
      cases.push_back({block_rows + 5, 768, 3, length % 3 == 0 ? 96 : 4, block_rows, length});
    }
  }
  const std::int64_t wrap_rows = std::int64_t{1} << 20, wrap_columns = std::int64_t{1} << 16;
  cases.push_back({wrap_rows, wrap_columns, (std::int64_t{1} << 18) - 20, 64, 40, 96});  // index 2^34 at row 2^18
  cases.push_back({wrap_rows, wrap_columns, (std::int64_t{1} << 17) - 7, 0, 30, 48});    // 2^33 for 2 per block
  for (const Distribution& d : distributions()) {
    for (const Case& c : cases) {
      const std::vector<std::int64_t> shape{c.rows, c.columns};
      const TensorBlock block{shape, {c.row_start, c.column_start}, {c.block_rows, c.length}};
      const Stream stream = Stream::named(12, "packed_rows." + std::to_string(c.length));
      simd::restrict_targets_for_test(scalar);
      std::vector<T> expected(block_element_count(block));
      for (std::int64_t r = 0; r < c.block_rows; ++r) {
        const auto index = static_cast<std::uint64_t>((c.row_start + r) * c.columns + c.column_start);
        fill(std::span<T>(expected).subspan(static_cast<std::size_t>(r * c.length), static_cast<std::size_t>(c.length)),
             d, stream, {.offset = index, .threads = 1});
      }
      for (std::int64_t bits = runnable; bits != 0; bits &= bits - 1) {
        simd::restrict_targets_for_test(bits & -bits);
        std::vector<T> got(block_element_count(block));
        fill_block(std::span<T>(got), block, d, stream, {.threads = 1});
        EXPECT_TRUE(same_bits(got, expected)) << simd::dispatched_target_name() << ": " << c.block_rows
                                              << " rows of " << c.length << " from row " << c.row_start
                                              << ", column " << c.column_start;
      }
      simd::restrict_targets_for_test(0);
    }
  }
}

TEST(FillBlock, PackedShortRowsOnEveryTargetFloat32) { check_packed_rows_on_every_target<float>(); }
TEST(FillBlock, PackedShortRowsOnEveryTargetFloat64) { check_packed_rows_on_every_target<double>(); }
TEST(FillBlock, PackedShortRowsOnEveryTargetBfloat16) { check_packed_rows_on_every_target<bfloat16>(); }
TEST(FillBlock, PackedShortRowsOnEveryTargetFloat16) { check_packed_rows_on_every_target<float16>(); }

TEST(FillBlock, ShortRowsOnEveryTargetFloat32) { check_short_rows_on_every_target<float>(); }
TEST(FillBlock, ShortRowsOnEveryTargetFloat64) { check_short_rows_on_every_target<double>(); }
TEST(FillBlock, ShortRowsOnEveryTargetBfloat16) { check_short_rows_on_every_target<bfloat16>(); }
TEST(FillBlock, ShortRowsOnEveryTargetFloat16) { check_short_rows_on_every_target<float16>(); }

TEST(FillBlock, NegativeControlAShiftedBlockDiffers) {
  const std::vector<std::int64_t> shape{40, 96};
  const Stream stream = Stream::named(1, "w");
  const std::vector<float> whole = whole_fill<float>(shape, Normal{0, 1}, stream);
  TensorBlock block = shard_block(shape, 1, 4, 1);
  std::vector<float> got(block_element_count(block));
  fill_block(std::span<float>(got), block, Normal{0, 1}, stream);
  block.start[1] += 1;
  EXPECT_FALSE(same_bits(got, cut(whole, block)));
}

TEST(FillBlock, ZeroDimensionalAndEmptyBlocks) {
  std::vector<double> one(1);
  fill_block(std::span<double>(one), whole_tensor({}), Normal{0, 1}, Stream::named(3, "s"));
  std::vector<double> expected(1);
  fill(std::span<double>(expected), Normal{0, 1}, Stream::named(3, "s"));
  EXPECT_EQ(one, expected);
  std::vector<float> none;
  fill_block(std::span<float>(none), shard_block({5, 3}, 0, 4, 3), Normal{0, 1}, Stream{});  // the empty part
  EXPECT_EQ(block_element_count(whole_tensor({4, 0, 3})), 0u);
}

// torch.chunk(n, parts): parts of ceil(n / parts), the last shorter, then empty ones.
TEST(ShardBlock, SplitsAsTorchChunk) {
  const std::vector<std::int64_t> expected{2, 2, 1, 0};
  for (int i = 0; i < 4; ++i) {
    const TensorBlock part = shard_block({5, 7}, 0, 4, i);
    EXPECT_EQ(part.extent[0], expected[static_cast<std::size_t>(i)]) << i;
    EXPECT_EQ(part.extent[1], 7);
  }
  EXPECT_EQ(shard_block({50257, 768}, 1, 8, 3).start, (std::vector<std::int64_t>{0, 288}));
  EXPECT_EQ(shard_block({50257, 768}, -1, 8, 3).extent, (std::vector<std::int64_t>{50257, 96}));
  EXPECT_EQ(shard_block({50257, 768}, 0, 8, 7).extent, (std::vector<std::int64_t>{50257 - 7 * 6283, 768}));
}

// Every layout's parts, put back, give the whole tensor (each element once).
TEST(ShardBlock, PartsOfEveryLayoutTileTheWhole) {
  const std::vector<std::int64_t> shape{37, 5, 66};
  const Stream stream = Stream::named(9, "tiles");
  const Distribution d = Normal{0, 0.02};
  const std::vector<float> whole = whole_fill<float>(shape, d, stream);
  for (int dim = 0; dim < 3; ++dim) {
    for (int parts : {1, 2, 3, 4, 8}) {
      std::vector<float> rebuilt(whole.size(), -1.0f);
      std::vector<int> seen(whole.size(), 0);
      for (int i = 0; i < parts; ++i) {
        const TensorBlock part = shard_block(shape, dim, parts, i);
        std::vector<float> values(block_element_count(part));
        fill_block(std::span<float>(values), part, d, stream, {.threads = 2});
        // Scatter back by enumerating the part's indices as cut() does.
        std::vector<float> index_of(whole.size());
        for (std::size_t k = 0; k < whole.size(); ++k) index_of[k] = static_cast<float>(k);
        const std::vector<float> positions = cut(index_of, part);
        for (std::size_t k = 0; k < values.size(); ++k) {
          const auto at = static_cast<std::size_t>(positions[k]);
          rebuilt[at] = values[k];
          ++seen[at];
        }
      }
      EXPECT_TRUE(same_bits(rebuilt, whole)) << "dim " << dim << " parts " << parts;
      EXPECT_EQ(std::count(seen.begin(), seen.end(), 1), static_cast<std::ptrdiff_t>(whole.size()));
    }
  }
  // Tensor x data parallel: a 2-D split of a weight.
  std::vector<float> rebuilt(whole.size(), -1.0f);
  for (int a = 0; a < 3; ++a) {
    for (int b = 0; b < 4; ++b) {
      const TensorBlock part = shard_block_2d(shape, 0, 3, a, 2, 4, b);
      std::vector<float> values(block_element_count(part));
      fill_block(std::span<float>(values), part, d, stream);
      EXPECT_TRUE(same_bits(values, cut(whole, part)));
    }
  }
}

// Fans come from the whole tensor: a column shard of Xavier has the whole's
// bound; computing the fans from the shard (the Megatron mistake) does not.
TEST(FillBlock, FanInitializersUseTheWholeTensorsFans) {
  const std::vector<std::int64_t> shape{256, 512};
  const TensorBlock part = shard_block(shape, 1, 4, 2);
  const Stream stream = Stream::named(2, "fc");
  const FanInitializer xavier = [](Fans fans) { return Distribution(torch::xavier_uniform(fans)); };
  std::vector<float> got(block_element_count(part));
  fill_block(got.data(), DType::f32, got.size(), part, xavier, Layout::torch, stream);
  const std::vector<float> whole =
      whole_fill<float>(shape, torch::xavier_uniform(compute_fans(shape, Layout::torch)), stream);
  EXPECT_TRUE(same_bits(got, cut(whole, part)));
  std::vector<float> wrong(got.size());
  fill_block(std::span<float>(wrong), part, torch::xavier_uniform(compute_fans(part.extent, Layout::torch)), stream);
  EXPECT_FALSE(same_bits(wrong, got));
}

void expect_refused(const std::function<void()>& call, const std::vector<std::string>& words) {
  try {
    call();
    ADD_FAILURE() << "not refused";
  } catch (const nninit::invalid_argument& error) {
    for (const std::string& w : words) EXPECT_NE(std::string(error.what()).find(w), std::string::npos) << error.what();
  }
}

TEST(FillBlock, BadBlocksAreRefusedBeforeWriting) {
  std::vector<float> out(96, 7.0f);
  const auto attempt = [&](const TensorBlock& block, std::size_t n) {
    return [&out, block, n] { fill_block(std::span<float>(out.data(), n), block, Normal{0, 1}, Stream{}); };
  };
  expect_refused(attempt({{768}, {700}, {96}}, 96), {"start[0] (700)", "extent[0] (96)", "shape[0] (768)"});
  expect_refused(attempt({{768}, {-1}, {96}}, 96), {"start[0] (-1)"});
  expect_refused(attempt({{768, 2}, {0}, {96}}, 96), {"start has 1 entries", "2-D"});
  expect_refused(attempt({{768}, {0}, {96}}, 95), {"out has 95", "96"});
  expect_refused(attempt({{std::int64_t{1} << 40, std::int64_t{1} << 30}, {0, 0}, {1, 96}}, 96), {"2^64"});
  expect_refused([&] { fill_block(std::span<float>(out), whole_tensor({96}), Normal{0, -1}, Stream{}); },
                 {"stddev (-1)"});
  expect_refused([&] { (void)shard_block({5, 7}, 2, 4, 0); }, {"dim (2)"});
  expect_refused([&] { (void)shard_block({5, 7}, 0, 0, 0); }, {"parts (0)"});
  expect_refused([&] { (void)shard_block({5, 7}, 0, 4, 4); }, {"index (4)"});
  expect_refused([&] { (void)shard_block_2d({5, 7}, 0, 2, 0, -2, 2, 0); }, {"same dimension"});
  EXPECT_EQ(std::count(out.begin(), out.end(), 7.0f), 96);
}

}  // namespace
}  // namespace nninit
