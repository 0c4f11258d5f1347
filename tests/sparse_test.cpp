// torch.nn.init.sparse_: exact zero counts per column, the other entries are
// nninit's normal fill, blocks equal the whole fill, zero positions uniform
// over the rows (chi-squared, with a negative control), rejected arguments.
#include "nninit/sparse.hpp"

#include <gtest/gtest.h>

#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "nninit/distributions.hpp"
#include "nninit/error.hpp"

namespace nninit {
namespace {

using Shape = std::vector<std::int64_t>;

TEST(Sparse, ZerosPerColumnAsPyTorchCountsThem) {
  EXPECT_EQ(sparse_zeros_per_column(10, 0.25), 3u);  // ceil(2.5)
  EXPECT_EQ(sparse_zeros_per_column(10, 0.7), 7u);   // 0.7 * 10 is exactly 7 in double
  EXPECT_EQ(sparse_zeros_per_column(100, 0.1), 10u);
  EXPECT_EQ(sparse_zeros_per_column(7, 0.0), 0u);
  EXPECT_EQ(sparse_zeros_per_column(7, 1.0), 7u);
  EXPECT_THROW(sparse_zeros_per_column(7, 1.5), invalid_argument);
}

TEST(Sparse, EveryColumnHasExactlyItsZerosAndTheRestIsTheNormalFill) {
  const Shape shape{50, 40};
  const Stream stream{4, 2};
  std::vector<float> w(2000), normal(2000);
  fill_sparse(std::span(w), shape, 0.3, 0.01, stream);
  fill(std::span(normal), Normal{0.0, 0.01}, stream);
  for (std::size_t c = 0; c < 40; ++c) {
    std::size_t zeros = 0;
    for (std::size_t r = 0; r < 50; ++r) {
      const float v = w[r * 40 + c];
      if (v == 0.0f) {
        ++zeros;
      } else {
        EXPECT_EQ(v, normal[r * 40 + c]);
      }
    }
    EXPECT_EQ(zeros, 15u) << c;
  }
}

TEST(Sparse, BlocksEqualTheWholeFill) {
  const Shape shape{37, 23};
  const Stream stream{8, 1};
  std::vector<double> whole(37 * 23);
  fill_sparse(std::span(whole), shape, 0.5, 1.0, stream);
  std::mt19937_64 engine(31);
  for (int trial = 0; trial < 20; ++trial) {
    const std::size_t offset = engine() % whole.size();
    const std::size_t count = 1 + engine() % (whole.size() - offset);
    std::vector<double> block(count);
    fill_sparse(std::span(block), shape, 0.5, 1.0, stream, {.offset = offset, .threads = 2});
    for (std::size_t i = 0; i < count; ++i) ASSERT_EQ(block[i], whole[offset + i]) << offset << " " << i;
  }
}

// P-value of the chi-squared test that each row is zero equally often.
double row_uniformity_p_value(const std::vector<std::uint64_t>& counts) {
  double total = 0.0;
  for (const auto c : counts) total += static_cast<double>(c);
  const double expected = total / static_cast<double>(counts.size());
  double statistic = 0.0;
  for (const auto c : counts) statistic += (static_cast<double>(c) - expected) * (static_cast<double>(c) - expected) / expected;
  const boost::math::chi_squared_distribution<double> chi(static_cast<double>(counts.size() - 1));
  return boost::math::cdf(boost::math::complement(chi, statistic));
}

TEST(Sparse, ZeroPositionsAreUniformOverTheRows) {
  // 10 rows, 3 zeros per column, 100000 columns: every row is zero in 30% of them.
  const Shape shape{10, 100000};
  std::vector<float> w(1000000);
  fill_sparse(std::span(w), shape, 0.3, 1.0, Stream{2024, 6});
  std::vector<std::uint64_t> counts(10, 0);
  for (std::size_t r = 0; r < 10; ++r)
    for (std::size_t c = 0; c < 100000; ++c) counts[r] += w[r * 100000 + c] == 0.0f ? 1u : 0u;
  EXPECT_GT(row_uniformity_p_value(counts), 1e-4);
  // Negative control: a wrong shuffle (the classic bug: swap position t with
  // any position, not one of t..rows-1) is not uniform, and the test sees it
  // at this size.
  std::mt19937_64 engine(77);
  std::vector<std::uint64_t> naive(10, 0);
  for (std::size_t c = 0; c < 100000; ++c) {
    std::uint64_t permutation[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    for (std::size_t t = 0; t < 10; ++t) std::swap(permutation[t], permutation[engine() % 10]);
    for (std::size_t t = 0; t < 3; ++t) ++naive[permutation[t]];
  }
  EXPECT_LT(row_uniformity_p_value(naive), 1e-4);
}

TEST(Sparse, RejectsBadArgumentsAndWritesNothing) {
  std::vector<float> w(12, 7.0f);
  const auto untouched = [&] { return std::all_of(w.begin(), w.end(), [](float v) { return v == 7.0f; }); };
  EXPECT_THROW(fill_sparse(std::span(w), Shape{12}, 0.5, 1.0, Stream{}), invalid_argument);
  EXPECT_THROW(fill_sparse(std::span(w), Shape{2, 2, 3}, 0.5, 1.0, Stream{}), invalid_argument);
  EXPECT_THROW(fill_sparse(std::span(w), Shape{3, 4}, -0.1, 1.0, Stream{}), invalid_argument);
  EXPECT_THROW(fill_sparse(std::span(w), Shape{3, 4}, 1.1, 1.0, Stream{}), invalid_argument);
  EXPECT_THROW(fill_sparse(std::span(w), Shape{3, 4}, std::nan(""), 1.0, Stream{}), invalid_argument);
  EXPECT_THROW(fill_sparse(std::span(w), Shape{3, 4}, 0.5, -1.0, Stream{}), invalid_argument);
  EXPECT_THROW(fill_sparse(std::span(w), Shape{3, 3}, 0.5, 1.0, Stream{}, {.offset = 1}), invalid_argument);
  EXPECT_TRUE(untouched());
  try {
    fill_sparse(std::span(w), Shape{3, 4}, 1.5, 1.0, Stream{});
  } catch (const invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("sparsity (1.5)"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace nninit
