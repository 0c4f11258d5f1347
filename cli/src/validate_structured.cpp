// The structured initializers' checks on a whole tensor from a file.
#include "validate_structured.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <type_traits>
#include <variant>

#include "arguments.hpp"
#include "nninit/orthogonal.hpp"
#include "nninit/sparse.hpp"
#include "nninit/validation/haar_law.hpp"
#include "nninit/validation/identity_structure.hpp"
#include "nninit/validation/multiple_testing.hpp"
#include "nninit/validation/orthogonality.hpp"
#include "nninit/validation/reference_distribution.hpp"
#include "nninit/validation/sparse_structure.hpp"
#include "validate_core.hpp"

namespace nninit::cli {
namespace {

namespace v = nninit::validation;

// At most this many entries of one matrix go into the Haar entry tests.
constexpr std::size_t max_haar_entries = std::size_t{1} << 20;

v::TestResult exact(std::string name, bool holds, std::string detail, double measured = v::not_a_number,
                    double target = v::not_a_number) {
  v::TestResult result;
  result.name = std::move(name);
  result.statistic = holds ? 0.0 : 1.0;
  result.p_value = holds ? 1.0 : 0.0;
  result.adjusted_p_value = result.p_value;
  result.measured = measured;
  result.target = target;
  result.verdict = holds ? v::Verdict::pass : v::Verdict::fail;
  result.detail = std::move(detail);
  return result;
}


// Four significant digits, for the lines of the report.
std::string short_number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", value);
  return buffer;
}

std::uint64_t product(std::span<const std::int64_t> shape) {
  std::uint64_t total = 1;
  for (const std::int64_t d : shape) total *= static_cast<std::uint64_t>(d);
  return total;
}

struct MatrixView {
  std::uint64_t rows = 0, cols = 0;
  std::span<const double> values;  // rows x cols, C order: the tensor itself, or `owned`
  std::vector<double> owned;       // the transposed copy (JAX), or a block
  // Moved, never copied (a move keeps `owned`'s buffer, so `values` stays valid).
  MatrixView() = default;
  MatrixView(MatrixView&&) = default;
  MatrixView(const MatrixView&) = delete;
  MatrixView& operator=(const MatrixView&) = delete;
};

// The matrix a convention orthogonalises: PyTorch and Keras read the tensor
// as it is stored (rows x cols); JAX moves the column axis last: element
// ((o * cols + c) * inner + i) of the tensor is M(o * inner + i, c).
MatrixView matrix_view(std::span<const double> tensor, std::span<const std::int64_t> shape, const Orthogonal& spec) {
  const MatrixShape matrix = orthogonal_matrix_shape(shape, spec);
  MatrixView view;
  view.rows = matrix.rows;
  view.cols = matrix.cols;
  if (spec.convention != OrthogonalConvention::jax) {
    view.values = tensor;
    return view;
  }
  const auto rank = static_cast<int>(shape.size());
  const auto axis = static_cast<std::size_t>(spec.column_axis < 0 ? spec.column_axis + rank : spec.column_axis);
  std::uint64_t outer = 1, inner = 1;
  for (std::size_t d = 0; d < shape.size(); ++d) {
    if (d < axis) outer *= static_cast<std::uint64_t>(shape[d]);
    if (d > axis) inner *= static_cast<std::uint64_t>(shape[d]);
  }
  view.owned.resize(tensor.size());
  for (std::uint64_t o = 0; o < outer; ++o) {
    for (std::uint64_t c = 0; c < view.cols; ++c) {
      for (std::uint64_t i = 0; i < inner; ++i) {
        view.owned[(o * inner + i) * view.cols + c] = tensor[(o * view.cols + c) * inner + i];
      }
    }
  }
  view.values = view.owned;
  return view;
}

// max |G - gain^2 I| within the dtype's rounding bound plus the foreign QR's allowance.
v::TestResult orthogonality(const MatrixView& view, double gain, const StructuredCheckOptions& options,
                            std::string& allowance_text) {
  const v::OrthogonalityMeasurement measured = v::measure_orthogonality(view.values, view.rows, view.cols, gain);
  const double rounding = v::orthogonality_bound(options.grid, view.rows, view.cols, gain);
  const double foreign = foreign_qr_allowance(view.rows, view.cols, gain, options.foreign_qr_unit_roundoff);
  const double allowance = rounding + foreign;
  const char* gram = measured.rows_orthonormal ? "Q Q^T" : "Q^T Q";
  allowance_text = short_number(allowance) + " = " + std::string(v::grid_name(options.grid)) +
                   " rounding bound of nninit's double QR " + short_number(rounding) +
                   (options.foreign_qr_unit_roundoff > 0.0
                        ? " + another framework's QR with unit roundoff " +
                              short_number(options.foreign_qr_unit_roundoff) + ": gain^2 u 4 (8 + sqrt(m k)) = " +
                              short_number(foreign)
                        : " (written by nninit)");
  v::TestResult result = exact(std::string("orthogonality(max |") + gram + " - gain^2 I|)",
                               measured.max_deviation <= allowance,
                               std::string(gram) + " of the " + std::to_string(view.rows) + " x " +
                                   std::to_string(view.cols) + " matrix, gain " + short_number(gain) +
                                   ": largest deviation " + short_number(measured.max_deviation) + " at (" +
                                   std::to_string(measured.i) + ", " + std::to_string(measured.j) + "), allowance " +
                                   short_number(allowance),
                               measured.max_deviation, 0.0);
  result.ci_low = 0.0;
  result.ci_high = allowance;
  result.sample_size = view.values.size();
  return result;
}

// The sum of the k diagonal entries / gain: under the Haar law the signs of
// the orthonormal vectors flip independently, so the entries are symmetric
// and uncorrelated with E x^2 = 1 / m: the sum has mean 0 and variance k / m
// (for a square matrix it is tr(Q), whose moments are those of N(0, 1) up to
// order k). A Q without the sign correction has diagonal entries biased
// towards one sign.
v::TestResult diagonal_sum_test(const MatrixView& view, double gain) {
  const std::uint64_t k = std::min(view.rows, view.cols), m = std::max(view.rows, view.cols);
  double sum = 0.0;
  for (std::uint64_t i = 0; i < k; ++i) sum += view.values[i * view.cols + i] / gain;
  const double sd = std::sqrt(static_cast<double>(k) / static_cast<double>(m));
  v::TestResult result;
  result.name = "haar_diagonal(sum)";
  result.statistic = sum / sd;
  result.p_value = std::isfinite(result.statistic) ? std::erfc(std::fabs(result.statistic) / std::sqrt(2.0)) : 0.0;
  result.sample_size = k;
  result.measured = sum;
  result.target = 0.0;
  result.ci_low = -1.96 * sd;
  result.ci_high = 1.96 * sd;
  result.detail = "sum of the " + std::to_string(k) + " diagonal entries / gain against N(0, k / m = " +
                  format_double(sd * sd) + "); z = sum / sqrt(k / m), two-sided";
  return result;
}

// The orthogonal checks of one matrix.
void check_orthogonal(const MatrixView& view, double gain, const StructuredCheckOptions& options,
                      std::vector<v::TestResult>& exact_checks, std::vector<v::TestResult>& tests,
                      std::string& allowance_text) {
  exact_checks.push_back(orthogonality(view, gain, options, allowance_text));
  const std::uint64_t m = std::max(view.rows, view.cols), k = std::min(view.rows, view.cols);
  if (m < 2 || view.values.size() < 100) return;  // too small for a law
  std::vector<double> entries;
  const std::size_t stride = (view.values.size() + max_haar_entries - 1) / max_haar_entries;
  if (stride == 1) {
    entries.assign(view.values.begin(), view.values.end());
  } else {
    for (std::size_t i = 0; i < view.values.size(); i += stride) entries.push_back(view.values[i]);
  }
  const std::string label = (stride == 1 ? "all " + std::to_string(entries.size())
                                         : std::to_string(entries.size()) + " (every " + std::to_string(stride) +
                                               "th)") +
                            " entries of one matrix (dependent: conservative)";
  std::vector<v::TestResult> entry_tests = v::haar_entry_tests(entries, m, gain, options.grid, label);
  tests.insert(tests.end(), entry_tests.begin(), entry_tests.end());
  if (k >= 2) tests.push_back(diagonal_sum_test(view, gain));
}

// Every value zero: an orthogonal matrix of gain 0, a sparse weight of std 0.
v::TestResult all_zero(std::span<const double> values) {
  std::size_t different = 0;
  for (const double x : values) different += x == 0.0 ? 0u : 1u;
  return exact("every_value_equals", different == 0,
               "every value equals 0: " + std::to_string(different) + " of " + std::to_string(values.size()) +
                   " differ",
               static_cast<double>(different), 0.0);
}

}  // namespace

double foreign_qr_allowance(std::uint64_t rows, std::uint64_t cols, double gain, double unit_roundoff) {
  if (!(unit_roundoff > 0.0)) return 0.0;
  const auto m = static_cast<double>(std::max(rows, cols)), k = static_cast<double>(std::min(rows, cols));
  return gain * gain * unit_roundoff * 4.0 * (8.0 + std::sqrt(m * k));
}

void check_structured_shape(const StructuredInitializer& initializer, std::span<const std::int64_t> shape,
                            const std::string& what) {
  const std::string rank = std::to_string(shape.size());
  for (const std::int64_t d : shape) {
    if (d < 0) throw UsageError(what + ": a dimension is negative");
  }
  struct Checker {
    std::span<const std::int64_t> shape;
    const std::string& what;
    const std::string& rank;
    void operator()(const Orthogonal& spec) const {
      try {
        (void)orthogonal_matrix_shape(shape, spec);
      } catch (const std::invalid_argument& error) {
        throw UsageError(what + ": " + describe_structured(spec) + " needs at least 2 dimensions and a valid "
                         "column axis: " + error.what());
      }
    }
    void two_d(const char* name) const {
      if (shape.size() != 2) throw UsageError(what + ": " + name + " takes a 2-D shape, not " + rank + "-D");
    }
    void operator()(const Eye&) const { two_d("eye"); }
    void operator()(const Identity&) const { two_d("identity"); }
    void operator()(const Sparse& spec) const {
      two_d("sparse");
      if (!(spec.sparsity >= 0.0 && spec.sparsity <= 1.0)) {
        throw UsageError("--param sparsity=" + format_double(spec.sparsity) + ": must be in [0, 1]");
      }
      if (!(spec.std >= 0.0) || !std::isfinite(spec.std)) {
        throw UsageError("--param std=" + format_double(spec.std) + ": must be finite and >= 0");
      }
    }
    void operator()(const Dirac& spec) const {
      if (shape.size() < 3 || shape.size() > 5) {
        throw UsageError(what + ": dirac takes a 3-, 4- or 5-D shape [out, in, k...], not " + rank + "-D");
      }
      if (spec.groups < 1 || shape[0] % spec.groups != 0) {
        throw UsageError("--param groups=" + std::to_string(spec.groups) + ": must be >= 1 and divide shape[0] (" +
                         std::to_string(shape[0]) + ")");
      }
    }
    void operator()(const DeltaOrthogonal& spec) const {
      if (shape.size() < 3 || shape.size() > 5) {
        throw UsageError(what + ": delta_orthogonal takes a 3-, 4- or 5-D shape [k..., in, out], not " + rank + "-D");
      }
      const std::int64_t in = shape[shape.size() - 2], out = shape[shape.size() - 1];
      if (out < in) {
        throw UsageError(what + ": delta_orthogonal needs out (" + std::to_string(out) + ") >= in (" +
                         std::to_string(in) + ")");
      }
      const std::int64_t block[2] = {in, out};
      try {
        (void)orthogonal_matrix_shape(block, jax::orthogonal(spec.scale, spec.column_axis));
      } catch (const std::invalid_argument& error) {
        throw UsageError("--param column_axis=" + std::to_string(spec.column_axis) + ": " + error.what());
      }
    }
  };
  std::visit(Checker{shape, what, rank}, initializer);
}

StructuredReport validate_structured(std::span<const double> values, std::span<const std::int64_t> shape,
                                     const StructuredInitializer& initializer, const StructuredCheckOptions& options) {
  check_structured_shape(initializer, shape, "shape " + format_shape({shape.begin(), shape.end()}));
  if (product(shape) != values.size()) {
    throw UsageError("shape " + format_shape({shape.begin(), shape.end()}) + " has " + std::to_string(product(shape)) +
                     " elements, the tensor " + std::to_string(values.size()));
  }
  StructuredReport report;
  report.expected = describe_structured(initializer);
  std::vector<v::TestResult> exact_checks, tests;
  const std::string dtype_text(dtype_name(options.dtype));

  if (const auto* spec = std::get_if<Orthogonal>(&initializer)) {
    const MatrixView view = matrix_view(values, shape, *spec);
    if (spec->gain == 0.0) {
      exact_checks.push_back(all_zero(values));
      report.reference = "gain 0: every value 0";
    } else {
      check_orthogonal(view, spec->gain, options, exact_checks, tests, report.allowance);
      report.reference = "the " + std::to_string(view.rows) + " x " + std::to_string(view.cols) +
                         " matrix: orthonormal " + (view.rows < view.cols ? "rows" : "columns") +
                         " times the gain within the allowance; entries / gain on the unit sphere of R^" +
                         std::to_string(std::max(view.rows, view.cols)) + " (Haar); diagonal sum ~ N(0, k / m)";
    }
  } else if (const auto* sparse = std::get_if<Sparse>(&initializer)) {
    const auto rows = static_cast<std::uint64_t>(shape[0]), cols = static_cast<std::uint64_t>(shape[1]);
    const std::uint64_t z = sparse_zeros_per_column(rows, sparse->sparsity);
    if (sparse->std == 0.0) {
      exact_checks.push_back(all_zero(values));
      report.reference = "std 0: every value 0";
    } else {
      const double p0 = v::normal_zero_probability(sparse->std, options.grid);
      exact_checks.push_back(v::sparse_zero_count_check(values, rows, cols, z, p0));
      v::TestResult excess = v::sparse_excess_zero_test(values, rows, cols, z, p0);
      if (!std::isnan(excess.p_value)) tests.push_back(excess);
      v::TestResult position = v::sparse_zero_position_test(values, rows, cols, z);
      if (!std::isnan(position.p_value)) tests.push_back(position);
      const std::vector<double> nonzero = v::nonzero_values(values);
      const v::ReferenceDistribution reference =
          v::ReferenceDistribution::normal(0.0, sparse->std).on_grid(options.grid, v::BoundRounding::nearest);
      std::string law_text = reference.describe();
      if (nonzero.size() >= 100) {
        std::vector<v::TestResult> law = v::run_battery(nonzero, reference, options.battery);
        for (v::TestResult& t : law) t.name = "nonzero:" + t.name;
        tests.insert(tests.end(), law.begin(), law.end());
      } else {
        law_text += " (not tested: " + std::to_string(nonzero.size()) + " non-zeros, the battery needs 100)";
      }
      report.reference = std::to_string(z) + " zeros in every column at uniformly random rows; the " +
                         std::to_string(nonzero.size()) + " non-zeros " + law_text;
    }
  } else if (std::holds_alternative<Eye>(initializer) || std::holds_alternative<Identity>(initializer)) {
    const double gain = std::holds_alternative<Identity>(initializer) ? std::get<Identity>(initializer).gain : 1.0;
    const double diagonal = stored_constant(gain, options.dtype);
    exact_checks.push_back(v::eye_structure_check(values, static_cast<std::uint64_t>(shape[0]),
                                                  static_cast<std::uint64_t>(shape[1]), diagonal));
    report.reference = "exactly " + format_double(diagonal) + " where row == column, 0 elsewhere";
  } else if (const auto* dirac = std::get_if<Dirac>(&initializer)) {
    exact_checks.push_back(v::dirac_structure_check(values, shape, dirac->groups, 1.0));
    report.reference = "exactly PyTorch's dirac_(groups=" + std::to_string(dirac->groups) +
                       "): a one at [g out / groups + d, d, k // 2 ...], 0 elsewhere";
  } else if (const auto* delta = std::get_if<DeltaOrthogonal>(&initializer)) {
    std::vector<double> block;
    exact_checks.push_back(v::delta_orthogonal_structure_check(values, shape, &block));
    const auto in = static_cast<std::uint64_t>(shape[shape.size() - 2]);
    const auto out = static_cast<std::uint64_t>(shape.back());
    if (delta->scale == 0.0) {
      exact_checks.push_back(all_zero(block));
    } else if (in > 0) {
      MatrixView view;
      view.rows = in;
      view.cols = out;
      view.owned = std::move(block);
      view.values = view.owned;
      exact_checks.push_back(orthogonality(view, delta->scale, options, report.allowance));
      exact_checks.back().name += " of the centre block";
    }
    report.reference = "zero except the spatial centre (k - 1) // 2, whose " + std::to_string(in) + " x " +
                       std::to_string(out) + " block has orthonormal rows times the scale within the allowance";
  }
  if (!tests.empty()) v::judge(tests, options.battery.family);
  report.results = std::move(exact_checks);
  report.results.insert(report.results.end(), tests.begin(), tests.end());
  return report;
}

}  // namespace nninit::cli
