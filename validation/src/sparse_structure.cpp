// Checks of a sparse weight (PyTorch's sparse_ convention).
#include "nninit/validation/sparse_structure.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "exact_check.hpp"
#include "nninit/validation/binomial_test.hpp"
#include "nninit/validation/chi_squared.hpp"

namespace nninit::validation {
namespace {

void require_matrix(std::span<const double> matrix, std::uint64_t rows, std::uint64_t cols, std::uint64_t z,
                    const char* what) {
  if (rows == 0 || cols == 0 || matrix.size() % rows != 0 || matrix.size() / rows != cols) {
    throw std::invalid_argument(std::string(what) + ": " + std::to_string(matrix.size()) + " values are not a " +
                                std::to_string(rows) + " x " + std::to_string(cols) + " matrix");
  }
  if (z > rows) {
    throw std::invalid_argument(std::string(what) + ": zeros per column " + std::to_string(z) + " > rows " +
                                std::to_string(rows));
  }
}

std::vector<std::uint64_t> zeros_per_column(std::span<const double> matrix, std::uint64_t rows, std::uint64_t cols) {
  std::vector<std::uint64_t> counts(cols, 0);
  for (std::uint64_t r = 0; r < rows; ++r) {
    for (std::uint64_t c = 0; c < cols; ++c) counts[c] += matrix[r * cols + c] == 0.0 ? std::uint64_t{1} : std::uint64_t{0};
  }
  return counts;
}

}  // namespace

double normal_zero_probability(double std, OutputGrid grid) {
  if (!(std > 0.0) || !std::isfinite(std)) return 0.0;
  const double edge = rounding_interval(0.0, grid).upper;
  return std::erf(edge / (std * std::sqrt(2.0)));
}

TestResult sparse_zero_count_check(std::span<const double> matrix, std::uint64_t rows, std::uint64_t cols,
                                   std::uint64_t z, double zero_probability) {
  require_matrix(matrix, rows, cols, z, "sparse_zero_count_check");
  const std::vector<std::uint64_t> counts = zeros_per_column(matrix, rows, cols);
  std::uint64_t fewer = 0, more = 0, first = cols;
  for (std::uint64_t c = 0; c < cols; ++c) {
    const bool off = counts[c] < z || (counts[c] > z && zero_probability == 0.0);
    fewer += counts[c] < z ? std::uint64_t{1} : std::uint64_t{0};
    more += counts[c] > z ? std::uint64_t{1} : std::uint64_t{0};
    if (off && first == cols) first = c;
  }
  const std::uint64_t wrong = fewer + (zero_probability == 0.0 ? more : 0);
  std::string detail = std::to_string(fewer) + " of " + std::to_string(cols) + " columns with fewer than " +
                       std::to_string(z) + " zeros, " + std::to_string(more) + " with more" +
                       (zero_probability == 0.0 ? "" : " (allowed: a draw rounds to zero with probability " +
                                                           std::to_string(zero_probability) + ")");
  if (first < cols) detail += "; first: column " + std::to_string(first) + " has " + std::to_string(counts[first]);
  TestResult result = internal::exact_result("sparse(zeros per column)", wrong == 0, detail,
                                             static_cast<double>(wrong), 0.0);
  result.sample_size = matrix.size();
  return result;
}

TestResult sparse_excess_zero_test(std::span<const double> matrix, std::uint64_t rows, std::uint64_t cols,
                                   std::uint64_t z, double zero_probability) {
  require_matrix(matrix, rows, cols, z, "sparse_excess_zero_test");
  const std::vector<std::uint64_t> counts = zeros_per_column(matrix, rows, cols);
  std::uint64_t excess = 0;
  for (const std::uint64_t count : counts) excess += count > z ? count - z : 0;
  const std::uint64_t trials = (rows - z) * cols;
  TestResult result;
  result.name = "sparse(excess zeros)";
  result.statistic = static_cast<double>(excess);
  result.measured = static_cast<double>(excess);
  result.target = static_cast<double>(trials) * zero_probability;
  result.sample_size = matrix.size();
  if (zero_probability > 0.0) {
    result.p_value = binomial_upper_tail(static_cast<std::size_t>(excess), static_cast<std::size_t>(trials),
                                         std::min(1.0, zero_probability));
  }
  result.detail = "zeros beyond " + std::to_string(z) + " per column against Binomial(" + std::to_string(trials) +
                  ", " + std::to_string(zero_probability) + "), upper tail";
  return result;
}

TestResult sparse_zero_position_test(std::span<const double> matrix, std::uint64_t rows, std::uint64_t cols,
                                     std::uint64_t z) {
  require_matrix(matrix, rows, cols, z, "sparse_zero_position_test");
  TestResult result;
  result.name = "sparse(zero rows uniform)";
  result.sample_size = matrix.size();
  const double p = static_cast<double>(z) / static_cast<double>(rows);
  const double spread = static_cast<double>(cols) * p * (1.0 - p);
  result.target = static_cast<double>(cols) * p;
  if (z == 0 || z == rows || rows < 2 || spread < 5.0) {
    result.detail = "not applicable: z = " + std::to_string(z) + " of " + std::to_string(rows) +
                    " rows, cols p (1 - p) = " + std::to_string(spread) + " (needs >= 5)";
    return result;
  }
  double sum = 0.0;
  std::uint64_t smallest = cols, largest = 0;
  for (std::uint64_t r = 0; r < rows; ++r) {
    std::uint64_t count = 0;
    for (std::uint64_t c = 0; c < cols; ++c) count += matrix[r * cols + c] == 0.0 ? std::uint64_t{1} : std::uint64_t{0};
    smallest = std::min(smallest, count);
    largest = std::max(largest, count);
    const double d = static_cast<double>(count) - result.target;
    sum += d * d;
  }
  const auto r = static_cast<double>(rows);
  result.statistic = (r - 1.0) / (r * spread) * sum;
  result.p_value = chi_squared_p_value(result.statistic, r - 1.0);
  result.measured = static_cast<double>(largest - smallest);
  result.detail = "zeros per row: min " + std::to_string(smallest) + ", max " + std::to_string(largest) +
                  ", expected " + std::to_string(result.target) + "; chi-squared with " + std::to_string(rows - 1) +
                  " degrees of freedom (sampling without replacement per column); measured: max - min";
  return result;
}

std::vector<double> nonzero_values(std::span<const double> matrix) {
  std::vector<double> out;
  out.reserve(matrix.size());
  for (const double v : matrix) {
    if (v != 0.0) out.push_back(v);
  }
  return out;
}

}  // namespace nninit::validation
