// The Haar law of orthogonal matrices: one entry's exact law and the trace's
// first two moments, as tests.
#include "nninit/validation/haar_law.hpp"

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

#include "nninit/validation/anderson_darling.hpp"
#include "nninit/validation/chi_squared.hpp"
#include "nninit/validation/kolmogorov_distribution.hpp"
#include "nninit/validation/kolmogorov_smirnov.hpp"

namespace nninit::validation {
namespace {

std::string format(double value) {
  std::ostringstream text;
  text.precision(6);
  text << value;
  return text.str();
}

void require_dimension(std::uint64_t m, const char* what) {
  if (m < 2) throw std::invalid_argument(std::string(what) + ": the dimension must be >= 2, got " + std::to_string(m));
}

// V in (0, 1) from splitmix64(jitter_seed + golden * (i + 1)).
double jitter(std::uint64_t seed, std::uint64_t i) noexcept {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15u * (i + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  z ^= z >> 31;
  return (static_cast<double>(z >> 11) + 0.5) * 0x1p-53;
}

// Two-sided p-value 2 min(F, 1 - F) of a continuous statistic.
double two_sided(double lower, double upper) noexcept { return std::min(1.0, 2.0 * std::min(lower, upper)); }

double mean_p_value(double sum, double count) noexcept {
  return std::erfc(std::fabs(sum) / std::sqrt(2.0 * count));
}

double second_moment_p_value(double sum_of_squares, double count) {
  const boost::math::chi_squared_distribution<double> law(count);
  return two_sided(boost::math::cdf(law, sum_of_squares), boost::math::cdf(boost::math::complement(law, sum_of_squares)));
}

TestResult two_level(std::string name, std::vector<double> p_values, std::size_t per_chunk) {
  std::sort(p_values.begin(), p_values.end());
  const double d = ks_statistic_uniform(p_values);
  TestResult result;
  result.name = std::move(name);
  result.statistic = d;
  result.p_value = kolmogorov_smirnov_p_value(p_values.size(), d);
  result.sample_size = p_values.size() * per_chunk;
  const auto small = static_cast<double>(std::lower_bound(p_values.begin(), p_values.end(), 0.01) - p_values.begin());
  result.measured = small / static_cast<double>(p_values.size());
  result.target = 0.01;
  result.detail = std::to_string(p_values.size()) + " chunks of " + std::to_string(per_chunk) +
                  "+ traces; KS of the chunk p-values; measured: fraction of chunk p-values < 0.01";
  return result;
}

}  // namespace

double sphere_coordinate_cdf(double x, std::uint64_t m) {
  require_dimension(m, "sphere_coordinate_cdf");
  if (std::isnan(x)) return x;
  if (x <= -1.0) return 0.0;
  if (x >= 1.0) return 1.0;
  const double a = (static_cast<double>(m) - 1.0) / 2.0;
  // The lower tail from (1 + x) / 2 (exact for x <= 0 up to one rounding),
  // the upper by symmetry from (1 - x) / 2 (exact for x > 0).
  if (x <= 0.0) return boost::math::ibeta(a, a, (1.0 + x) / 2.0);
  return 1.0 - boost::math::ibeta(a, a, (1.0 - x) / 2.0);
}

std::vector<double> haar_entry_transform(std::span<const double> values, std::uint64_t m, double gain,
                                         OutputGrid grid, std::uint64_t jitter_seed) {
  require_dimension(m, "haar_entry_transform");
  if (!std::isfinite(gain) || gain == 0.0) {
    throw std::invalid_argument("haar_entry_transform: gain must be finite and non-zero, got " + format(gain));
  }
  const double scale = std::fabs(gain);
  std::vector<double> u(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double v = values[i];
    if (!is_coarse(grid)) {
      u[i] = std::isnan(v) ? 0.0 : sphere_coordinate_cdf(v / scale, m);  // NaN: u = 0 (AD rejects it)
      continue;
    }
    if (!is_on_grid(v, grid)) {
      throw std::invalid_argument("haar_entry_transform: value " + std::to_string(i) + " (" + format(v) +
                                  ") is not a " + std::string(grid_name(grid)) + " value");
    }
    const RoundingInterval interval = rounding_interval(v, grid);
    const double low = sphere_coordinate_cdf(interval.lower / scale, m);
    const double high = sphere_coordinate_cdf(interval.upper / scale, m);
    u[i] = low + jitter(jitter_seed, i) * (high - low);
  }
  return u;
}

std::vector<TestResult> haar_entry_tests(std::span<const double> values, std::uint64_t m, double gain,
                                         OutputGrid grid, std::string_view label) {
  std::vector<double> u = haar_entry_transform(values, m, gain, grid);
  const std::string detail = std::string(label.empty() ? "" : std::string(label) + "; ") +
                             "entries / |gain| against the coordinate law of the unit sphere in R^" +
                             std::to_string(m) + " ((x + 1) / 2 ~ Beta(" + format((static_cast<double>(m) - 1) / 2) +
                             ", same))" + (is_coarse(grid) ? ", randomised over the rounding intervals" : "");
  std::vector<TestResult> results;
  results.push_back(chi_squared_equiprobable_test(u));
  std::sort(u.begin(), u.end());
  results.insert(results.begin(), anderson_darling_test_uniform(u));
  results.insert(results.begin(), ks_test_uniform(u));
  for (TestResult& r : results) {
    r.name = "haar_entry:" + r.name;
    r.detail = detail + (r.detail.empty() ? "" : "; " + r.detail);
  }
  return results;
}

std::vector<TestResult> haar_trace_tests(std::span<const double> traces, std::uint64_t n, std::size_t chunks) {
  require_dimension(n, "haar_trace_tests");
  if (chunks < 2 || traces.size() / chunks < 16) {
    throw std::invalid_argument("haar_trace_tests: " + std::to_string(traces.size()) + " traces in " +
                                std::to_string(chunks) + " chunks: need >= 2 chunks of >= 16");
  }
  const auto total = static_cast<double>(traces.size());
  double sum = 0.0, squares = 0.0;
  for (const double t : traces) {
    sum += t;
    squares += t * t;
  }
  std::vector<double> mean_p(chunks), moment_p(chunks);
  for (std::size_t c = 0; c < chunks; ++c) {
    const std::size_t begin = c * traces.size() / chunks, end = (c + 1) * traces.size() / chunks;
    double s = 0.0, q = 0.0;
    for (std::size_t i = begin; i < end; ++i) {
      s += traces[i];
      q += traces[i] * traces[i];
    }
    const auto count = static_cast<double>(end - begin);
    mean_p[c] = mean_p_value(s, count);
    moment_p[c] = second_moment_p_value(q, count);
  }
  const std::string law = "tr(Q) of " + std::to_string(traces.size()) + " independent " + std::to_string(n) + " x " +
                          std::to_string(n) + " matrices (Haar: mean 0, second moment 1)";
  std::vector<TestResult> results(2);
  results[0].name = "trace(mean)";
  results[0].statistic = sum / std::sqrt(total);
  results[0].p_value = mean_p_value(sum, total);
  results[0].measured = sum / total;
  results[0].target = 0.0;
  results[0].ci_low = -1.96 / std::sqrt(total);
  results[0].ci_high = 1.96 / std::sqrt(total);
  results[0].detail = law + "; z = sum / sqrt(N)";
  results[1].name = "trace(second moment)";
  results[1].statistic = squares;
  results[1].p_value = second_moment_p_value(squares, total);
  results[1].measured = squares / total;
  results[1].target = 1.0;
  results[1].detail = law + "; sum of squares against chi-squared(N), two-sided";
  for (TestResult& r : results) r.sample_size = traces.size();
  const std::size_t per_chunk = traces.size() / chunks;
  results.push_back(two_level("two_level(trace mean)", mean_p, per_chunk));
  results.push_back(two_level("two_level(trace second moment)", moment_p, per_chunk));
  return results;
}

}  // namespace nninit::validation
