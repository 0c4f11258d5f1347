// The structured initializers in the validation suite: cases and negative
// controls for orthogonal, sparse and identity-like fills.
#include "structured_suite.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <span>
#include <sstream>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "nninit/fill.hpp"
#include "nninit/identity_like.hpp"
#include "nninit/orthogonal.hpp"
#include "nninit/sparse.hpp"
#include "nninit/stream.hpp"
#include "nninit/validation/haar_law.hpp"
#include "nninit/validation/identity_structure.hpp"
#include "nninit/validation/orthogonality.hpp"
#include "nninit/validation/reference_qr.hpp"
#include "nninit/validation/sparse_structure.hpp"
#include "sampling.hpp"

namespace nninit::validation::suite {
namespace {

using Shape = std::vector<std::int64_t>;
using Clock = std::chrono::steady_clock;

std::string shape_text(const Shape& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

std::string format(double value, int precision = 6) {
  std::ostringstream text;
  text.precision(precision);
  text << value;
  return text.str();
}

std::uint64_t element_count(const Shape& shape) {
  std::uint64_t count = 1;
  for (const std::int64_t d : shape) count *= static_cast<std::uint64_t>(d);
  return count;
}

TestResult exact_check(std::string name, bool holds, std::string detail) {
  TestResult result;
  result.name = std::move(name);
  result.p_value = holds ? 1.0 : 0.0;
  result.adjusted_p_value = result.p_value;
  result.statistic = holds ? 0.0 : 1.0;
  result.verdict = holds ? Verdict::pass : Verdict::fail;
  result.detail = std::move(detail);
  return result;
}

// A fill of `count` values of `dtype` through fill_into(std::span<T>), as doubles.
template <class FillInto>
std::vector<double> filled(DType dtype, std::size_t count, FillInto&& fill_into) {
  const auto run = [&](auto tag) {
    using T = decltype(tag);
    std::vector<T> buffer(count);
    fill_into(std::span<T>(buffer));
    std::vector<double> values(count);
    for (std::size_t i = 0; i < count; ++i) {
      if constexpr (std::is_same_v<T, bfloat16> || std::is_same_v<T, float16>) {
        values[i] = static_cast<double>(to_float(buffer[i]));
      } else {
        values[i] = static_cast<double>(buffer[i]);
      }
    }
    return values;
  };
  switch (dtype) {
    case DType::f32:
      return run(float{});
    case DType::f64:
      return run(double{});
    case DType::bf16:
      return run(bfloat16{});
    case DType::f16:
      return run(float16{});
  }
  throw std::invalid_argument("filled: invalid dtype");
}

const FillOptions single_thread{.offset = 0, .threads = 1};

std::vector<double> orthogonal_fill(DType dtype, const Shape& shape, const Orthogonal& spec, const Stream& stream) {
  return filled(dtype, element_count(shape),
                [&](auto out) { fill_orthogonal(out, shape, spec, stream, single_thread); });
}

// ---------------------------------------------------------------------------
// Orthogonal: the matrix view of a convention, written out here.
// ---------------------------------------------------------------------------

struct MatrixView {
  std::uint64_t rows = 0, cols = 0;
  std::vector<double> values;  // rows x cols, C order
};

// PyTorch: rows = shape[0]; Keras: cols = shape[-1]; both the tensor as is.
// JAX: cols = shape[axis], the rest flattened in C order into rows: element
// ((o * cols + c) * inner + i) of the tensor is M(o * inner + i, c).
MatrixView matrix_view(const std::vector<double>& tensor, const Shape& shape, OrthogonalConvention convention,
                       int column_axis) {
  MatrixView view;
  const std::uint64_t total = element_count(shape);
  if (convention == OrthogonalConvention::torch) {
    view.rows = static_cast<std::uint64_t>(shape.front());
    view.cols = total / view.rows;
    view.values = tensor;
    return view;
  }
  if (convention == OrthogonalConvention::keras) {
    view.cols = static_cast<std::uint64_t>(shape.back());
    view.rows = total / view.cols;
    view.values = tensor;
    return view;
  }
  const auto rank = static_cast<int>(shape.size());
  const auto axis = static_cast<std::size_t>(column_axis < 0 ? column_axis + rank : column_axis);
  std::uint64_t outer = 1, inner = 1;
  for (std::size_t d = 0; d < shape.size(); ++d) {
    if (d < axis) outer *= static_cast<std::uint64_t>(shape[d]);
    if (d > axis) inner *= static_cast<std::uint64_t>(shape[d]);
  }
  view.cols = static_cast<std::uint64_t>(shape[axis]);
  view.rows = outer * inner;
  view.values.resize(total);
  for (std::uint64_t o = 0; o < outer; ++o) {
    for (std::uint64_t c = 0; c < view.cols; ++c) {
      for (std::uint64_t i = 0; i < inner; ++i) {
        view.values[(o * inner + i) * view.cols + c] = tensor[(o * view.cols + c) * inner + i];
      }
    }
  }
  return view;
}

double trace_of(const MatrixView& view) {
  double sum = 0.0;
  for (std::uint64_t i = 0; i < std::min(view.rows, view.cols); ++i) sum += view.values[i * view.cols + i];
  return sum;
}

struct OrthogonalFamily {
  std::string name;
  Orthogonal spec;
  Shape large;  // one matrix: orthogonality and the pooled entry law
  Shape small;  // many independent 8 x 8 matrices: the entry law and the trace
};

const std::vector<OrthogonalFamily>& orthogonal_families() {
  static const std::vector<OrthogonalFamily> families = {
      {"torch.orthogonal(gain sqrt 2)", torch::orthogonal(std::sqrt(2.0)), {256, 64, 3, 3}, {8, 2, 4}},
      {"keras.orthogonal(gain 1)", keras::orthogonal(1.0), {3, 3, 64, 256}, {2, 4, 8}},
      {"jax.orthogonal(scale 2, column_axis -2)", jax::orthogonal(2.0, -2), {3, 3, 64, 256}, {8, 8}},
  };
  return families;
}
constexpr std::uint64_t small_dimension = 8;

// What an orthogonal case or control tests: one large matrix view and many
// small independent ones (already in their matrix view).
struct OrthogonalSample {
  MatrixView large;
  std::vector<MatrixView> small;
};

// The stream of small matrix k.
Stream small_stream(std::uint64_t seed, const std::string& stream_name, std::size_t k) {
  return Stream{seed, Stream::named(seed, stream_name + "/small").id + k};
}

void test_orthogonal(CaseResult& result, const OrthogonalSample& sample, double gain, DType dtype,
                     std::size_t chunks) {
  const OutputGrid grid = grid_for(dtype);
  const MatrixView& large = sample.large;
  const std::uint64_t m = std::max(large.rows, large.cols);
  result.exact.push_back(orthogonality_check(large.values, large.rows, large.cols, gain, grid));
  // Every small matrix within the bound.
  std::size_t outside = 0;
  double worst = 0.0;
  for (const MatrixView& v : sample.small) {
    const double deviation = measure_orthogonality(v.values, v.rows, v.cols, gain).max_deviation;
    worst = std::max(worst, deviation);
    outside += deviation <= orthogonality_bound(grid, v.rows, v.cols, gain) ? std::size_t{0} : std::size_t{1};
  }
  result.exact.push_back(exact_check(
      "orthogonality(every small matrix)", outside == 0,
      std::to_string(outside) + " of " + std::to_string(sample.small.size()) +
          " small matrices beyond the bound " +
          format(orthogonality_bound(grid, small_dimension, small_dimension, gain)) + "; largest deviation " +
          format(worst)));
  std::vector<TestResult> pooled = haar_entry_tests(large.values, m, gain, grid,
                                                    "all " + std::to_string(large.values.size()) +
                                                        " entries of one matrix (dependent: conservative)");
  for (TestResult& t : pooled) t.name.replace(0, std::string("haar_entry").size(), "haar_entry(one matrix)");
  result.tests.insert(result.tests.end(), pooled.begin(), pooled.end());
  // One entry of each independent small matrix (the position cycling over
  // the matrix), and the traces divided by the gain.
  std::vector<double> entries, traces;
  for (std::size_t k = 0; k < sample.small.size(); ++k) {
    const MatrixView& v = sample.small[k];
    entries.push_back(v.values[k % v.values.size()]);
    traces.push_back(trace_of(v) / gain);
  }
  std::vector<TestResult> independent = haar_entry_tests(
      entries, small_dimension, gain, grid,
      "one entry of each of " + std::to_string(entries.size()) + " independent 8 x 8 matrices (exact)");
  for (TestResult& t : independent) t.name.replace(0, std::string("haar_entry").size(), "haar_entry(independent)");
  result.tests.insert(result.tests.end(), independent.begin(), independent.end());
  const std::vector<TestResult> trace = haar_trace_tests(traces, small_dimension, chunks);
  result.tests.insert(result.tests.end(), trace.begin(), trace.end());
  result.sample_size = large.values.size() + entries.size();
  result.reference = "gain * Haar: max |Q^T Q - gain^2 I| within the " + std::string(dtype_name(dtype)) +
                     " rounding bound; entries / gain with (x + 1) / 2 ~ Beta((m - 1) / 2, (m - 1) / 2); tr(Q) of 8 x 8: "
                     "mean 0, second moment 1";
}

// The library's output: the large matrix and `count` small ones.
OrthogonalSample library_orthogonal(const OrthogonalFamily& family, const Orthogonal& spec, DType dtype,
                                    std::uint64_t seed, const std::string& stream_name, std::size_t count) {
  OrthogonalSample sample;
  sample.large = matrix_view(orthogonal_fill(dtype, family.large, spec, Stream::named(seed, stream_name + "/large")),
                             family.large, spec.convention, spec.column_axis);
  for (std::size_t k = 0; k < count; ++k) {
    sample.small.push_back(matrix_view(orthogonal_fill(dtype, family.small, spec, small_stream(seed, stream_name, k)),
                                       family.small, spec.convention, spec.column_axis));
  }
  return sample;
}

// gain * householder_q of the library's documented draw for a PyTorch-
// convention (rows x cols) matrix: the stream's float64 N(0, 1) fill, row
// major, transposed when rows < cols; rounded to the dtype.
MatrixView reference_orthogonal(std::uint64_t rows, std::uint64_t cols, double gain, const Stream& stream,
                                DType dtype, bool sign_correction) {
  const std::size_t big = std::max(rows, cols), small = std::min(rows, cols);
  std::vector<double> draw = fill_values(DType::f64, rows * cols, Normal{0.0, 1.0}, stream, 0, 1);
  if (rows < cols) {
    std::vector<double> t(draw.size());
    for (std::size_t r = 0; r < rows; ++r) {
      for (std::size_t c = 0; c < cols; ++c) t[c * rows + r] = draw[r * cols + c];
    }
    draw.swap(t);
  }
  const std::vector<double> q = householder_q(draw, big, small, sign_correction);
  MatrixView view;
  view.rows = rows;
  view.cols = cols;
  view.values.resize(rows * cols);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < cols; ++c) {
      view.values[r * cols + c] = round_to_dtype(gain * (rows >= cols ? q[r * cols + c] : q[c * rows + r]), dtype);
    }
  }
  return view;
}

// The oracle: the first small matrices equal the reference QR of the same
// draw (to the dtype's rounding of values within 1e-12 of each other).
TestResult qr_oracle_check(const OrthogonalSample& sample, double gain, DType dtype, std::uint64_t seed,
                           const std::string& stream_name) {
  std::size_t differ = 0, compared = 0;
  double largest = 0.0;
  for (std::size_t k = 0; k < std::min<std::size_t>(32, sample.small.size()); ++k) {
    const MatrixView reference =
        reference_orthogonal(small_dimension, small_dimension, gain, small_stream(seed, stream_name, k), DType::f64, true);
    const MatrixView& library = sample.small[k];
    for (std::size_t i = 0; i < reference.values.size(); ++i) {
      const double x = reference.values[i];
      // The library's stored value must be a rounding of a value within 1e-12 |gain| of x.
      const double low = round_to_dtype(x - 1e-12 * std::fabs(gain), dtype);
      const double high = round_to_dtype(x + 1e-12 * std::fabs(gain), dtype);
      const double v = library.values[i];
      ++compared;
      largest = std::max(largest, std::fabs(v - x));
      differ += (v >= low && v <= high) ? 0 : 1;
    }
  }
  return exact_check("qr_oracle(reference Householder QR)", differ == 0,
                     std::to_string(differ) + " of " + std::to_string(compared) +
                         " values of the first 32 small matrices differ from gain * the reference QR of the same "
                         "N(0, 1) draw (beyond rounding a value within 1e-12 |gain|); largest |difference| " +
                         format(largest));
}

CaseResult orthogonal_case(const OrthogonalFamily& family, DType dtype, std::uint64_t seed, int seed_index,
                           const std::string& name, const std::string& stream_name, std::size_t count) {
  CaseResult result;
  result.name = name;
  result.family = family.name;
  result.convention = family.name.substr(0, family.name.find('.'));
  result.shape = family.large;
  result.shape_name = shape_text(family.large);
  result.shape_description = "one " + shape_text(family.large) + " tensor and " + std::to_string(count) +
                             " independent " + shape_text(family.small) + " tensors (8 x 8 matrices)";
  result.layout = result.convention;
  result.dtype = std::string(dtype_name(dtype));
  result.seed = seed;
  result.seed_index = seed_index;
  result.stream_name = stream_name;
  result.stream_id = Stream::named(seed, stream_name + "/large").id;
  result.tensor_elements = element_count(family.large);
  result.note = "structured: orthogonal";
  result.distribution = family.name + " (gain " + format(family.spec.gain, 17) + ")";
  const MatrixShape hand = family.spec.convention == OrthogonalConvention::jax
                               ? MatrixShape{2304, 64}
                               : (family.spec.convention == OrthogonalConvention::torch ? MatrixShape{256, 576}
                                                                                        : MatrixShape{576, 256});
  const MatrixShape library = orthogonal_matrix_shape(family.large, family.spec);
  result.exact.push_back(exact_check("matrix shape", library == hand,
                                     "orthogonal_matrix_shape: " + std::to_string(library.rows) + " x " +
                                         std::to_string(library.cols) + "; by hand: " + std::to_string(hand.rows) +
                                         " x " + std::to_string(hand.cols)));
  const OrthogonalSample sample = library_orthogonal(family, family.spec, dtype, seed, stream_name, count);
  test_orthogonal(result, sample, family.spec.gain, dtype, 256);
  result.exact.push_back(qr_oracle_check(sample, family.spec.gain, dtype, seed, stream_name));
  return result;
}

// ---------------------------------------------------------------------------
// Sparse.
// ---------------------------------------------------------------------------

struct SparseFamily {
  std::string name;
  double sparsity, std;
  std::uint64_t rows, cols;
  std::uint64_t zeros_by_hand;  // ceil(sparsity * rows), computed by hand
};
const std::vector<SparseFamily>& sparse_families() {
  static const std::vector<SparseFamily> families = {
      {"torch.sparse(0.9, 0.01)", 0.9, 0.01, 1024, 256, 922},  // ceil(921.6)
      {"torch.sparse(0.1, 0.01)", 0.1, 0.01, 300, 1000, 30},   // 0.1 * 300 rounds to exactly 30 in double
  };
  return families;
}

void test_sparse(CaseResult& result, const std::vector<double>& w, const SparseFamily& family, std::uint64_t z,
                 DType dtype, const BatteryOptions& battery) {
  const OutputGrid grid = grid_for(dtype);
  const double p0 = normal_zero_probability(family.std, grid);
  result.exact.push_back(sparse_zero_count_check(w, family.rows, family.cols, z, p0));
  TestResult excess = sparse_excess_zero_test(w, family.rows, family.cols, z, p0);
  if (!std::isnan(excess.p_value)) result.tests.push_back(excess);
  result.tests.push_back(sparse_zero_position_test(w, family.rows, family.cols, z));
  const std::vector<double> nonzero = nonzero_values(w);
  const ReferenceDistribution ref = reference_for(Normal{0.0, family.std}, dtype);
  BatteryOptions options = battery;
  if (!is_coarse(ref.grid())) options.generator_step = generator_step(dtype);
  std::vector<TestResult> law = run_battery(nonzero, ref, options);
  for (TestResult& t : law) t.name = "nonzero:" + t.name;
  result.tests.insert(result.tests.end(), law.begin(), law.end());
  result.sample_size = nonzero.size();
  result.reference = std::to_string(z) + " zeros per column at uniform rows; the " + std::to_string(nonzero.size()) +
                     " non-zeros " + ref.describe();
}

std::vector<double> sparse_fill(DType dtype, const SparseFamily& family, double sparsity, const Stream& stream) {
  const Shape shape = {static_cast<std::int64_t>(family.rows), static_cast<std::int64_t>(family.cols)};
  return filled(dtype, family.rows * family.cols,
                [&](auto out) { fill_sparse(out, shape, sparsity, family.std, stream, single_thread); });
}

CaseResult sparse_case(const SparseFamily& family, DType dtype, std::uint64_t seed, int seed_index,
                       const std::string& name, const std::string& stream_name, const BatteryOptions& battery) {
  CaseResult result;
  result.name = name;
  result.family = family.name;
  result.convention = "torch";
  result.shape = {static_cast<std::int64_t>(family.rows), static_cast<std::int64_t>(family.cols)};
  result.shape_name = shape_text(result.shape);
  result.layout = "torch";
  result.dtype = std::string(dtype_name(dtype));
  result.seed = seed;
  result.seed_index = seed_index;
  result.stream_name = stream_name;
  result.stream_id = Stream::named(seed, stream_name).id;
  result.tensor_elements = family.rows * family.cols;
  result.note = "structured: sparse";
  result.distribution = family.name;
  const std::uint64_t z = sparse_zeros_per_column(family.rows, family.sparsity);
  result.exact.push_back(exact_check("zeros per column", z == family.zeros_by_hand,
                                     "sparse_zeros_per_column: " + std::to_string(z) + "; ceil(sparsity * rows) by hand: " +
                                         std::to_string(family.zeros_by_hand)));
  test_sparse(result, sparse_fill(dtype, family, family.sparsity, Stream::named(seed, stream_name)), family,
              family.zeros_by_hand, dtype, battery);
  return result;
}

// ---------------------------------------------------------------------------
// Identity-like.
// ---------------------------------------------------------------------------

struct IdentityFamily {
  std::string name;
  std::vector<Shape> shapes;
  // Fills and checks one shape; appends to result.
  std::function<void(CaseResult&, const Shape&, DType, const Stream&)> check;
};

const std::vector<IdentityFamily>& identity_families() {
  static const std::vector<IdentityFamily> families = {
      {"torch.eye", {{3, 5}, {5, 3}, {64, 64}},
       [](CaseResult& r, const Shape& s, DType dtype, const Stream&) {
         const auto w = filled(dtype, element_count(s), [&](auto out) { fill_eye(out, s); });
         TestResult t = eye_structure_check(w, static_cast<std::uint64_t>(s[0]), static_cast<std::uint64_t>(s[1]), 1.0);
         t.name += " " + shape_text(s);
         r.exact.push_back(t);
       }},
      {"keras.identity(gain 0.1)", {{4, 6}, {7, 7}},
       [](CaseResult& r, const Shape& s, DType dtype, const Stream&) {
         const auto w = filled(dtype, element_count(s), [&](auto out) { fill_identity(out, s, 0.1); });
         TestResult t = eye_structure_check(w, static_cast<std::uint64_t>(s[0]), static_cast<std::uint64_t>(s[1]),
                                            round_to_dtype(0.1, dtype));
         t.name += " " + shape_text(s);
         r.exact.push_back(t);
       }},
      {"torch.dirac(groups 1, 2)", {{64, 64, 3, 3}, {6, 4, 3}, {8, 4, 2, 2, 2}},
       [](CaseResult& r, const Shape& s, DType dtype, const Stream&) {
         for (const int groups : {1, 2}) {
           const auto w = filled(dtype, element_count(s), [&](auto out) { fill_dirac(out, s, groups); });
           TestResult t = dirac_structure_check(w, s, groups, 1.0);
           t.name += " " + shape_text(s) + " groups " + std::to_string(groups);
           r.exact.push_back(t);
         }
       }},
      {"jax.delta_orthogonal(scale 2)", {{3, 3, 64, 128}, {4, 4, 16, 16}, {3, 16, 32}},
       [](CaseResult& r, const Shape& s, DType dtype, const Stream& stream) {
         const auto w = filled(dtype, element_count(s),
                               [&](auto out) { fill_delta_orthogonal(out, s, 2.0, -1, stream, single_thread); });
         std::vector<double> block;
         TestResult t = delta_orthogonal_structure_check(w, s, &block);
         t.name += " " + shape_text(s);
         r.exact.push_back(t);
         const auto in = static_cast<std::uint64_t>(s[s.size() - 2]), out = static_cast<std::uint64_t>(s.back());
         TestResult o = orthogonality_check(block, in, out, 2.0, grid_for(dtype));
         o.name += " of the centre block " + shape_text(s);
         r.exact.push_back(o);
       }},
  };
  return families;
}

CaseResult identity_case(const IdentityFamily& family, DType dtype, std::uint64_t seed, int seed_index,
                         const std::string& name, const std::string& stream_name) {
  CaseResult result;
  result.name = name;
  result.family = family.name;
  result.convention = family.name.substr(0, family.name.find('.'));
  result.dtype = std::string(dtype_name(dtype));
  result.seed = seed;
  result.seed_index = seed_index;
  result.stream_name = stream_name;
  result.stream_id = Stream::named(seed, stream_name).id;
  result.note = "structured: identity-like (exact structure)";
  result.distribution = family.name;
  std::string shapes;
  for (const Shape& s : family.shapes) {
    shapes += (shapes.empty() ? "" : ", ") + shape_text(s);
    family.check(result, s, dtype, Stream::named(seed, stream_name + "/" + shape_text(s)));
  }
  result.shape_description = shapes;
  result.reference = "exact structure (" + shapes + ")";
  return result;
}

template <class Body>
StructuredEntry entry(std::string name, DType dtype, bool control, Body body) {
  StructuredEntry e;
  e.name = std::move(name);
  e.dtype = dtype;
  e.is_control = control;
  e.run = [body = std::move(body)](std::uint64_t seed, const BatteryOptions& battery) {
    const Clock::time_point start = Clock::now();
    CaseResult result;
    try {
      result = body(seed, battery);
    } catch (const std::exception& error) {
      result.error = error.what();
    }
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return result;
  };
  return e;
}

CaseResult as_control(CaseResult result, std::string name, std::string defect, std::string generated_by,
                      std::string detector) {
  result.name = name;
  result.family = name;
  result.convention = "control";
  result.is_control = true;
  result.defect = std::move(defect);
  result.generated_by = std::move(generated_by);
  result.expected_detector = std::move(detector);
  return result;
}

}  // namespace

std::size_t small_matrix_count(Tier tier) noexcept { return tier == Tier::full ? 65536 : 16384; }

std::vector<StructuredEntry> structured_cases(Tier tier, std::uint64_t seed, int seeds, const Selection& selection) {
  std::vector<StructuredEntry> out;
  const std::size_t count = small_matrix_count(tier);
  for (int s = 0; s < seeds; ++s) {
    const std::uint64_t case_seed = seed + static_cast<std::uint64_t>(s);
    const std::string suffix = s == 0 ? "" : "/seed+" + std::to_string(s);
    for (const DType dtype : all_dtypes()) {
      const std::string dtype_text(dtype_name(dtype));
      for (const OrthogonalFamily& family : orthogonal_families()) {
        const std::string stream_name = family.name + "/" + shape_text(family.large) + "/" + dtype_text;
        if (!matches(selection, stream_name + suffix, dtype)) continue;
        out.push_back(entry(stream_name + suffix, dtype, false, [=, &family](std::uint64_t, const BatteryOptions&) {
          return orthogonal_case(family, dtype, case_seed, s, stream_name + suffix, stream_name, count);
        }));
      }
      for (const SparseFamily& family : sparse_families()) {
        const std::string stream_name = family.name + "/[" + std::to_string(family.rows) + ", " +
                                        std::to_string(family.cols) + "]/" + dtype_text;
        if (!matches(selection, stream_name + suffix, dtype)) continue;
        out.push_back(entry(stream_name + suffix, dtype, false, [=, &family](std::uint64_t, const BatteryOptions& battery) {
          return sparse_case(family, dtype, case_seed, s, stream_name + suffix, stream_name, battery);
        }));
      }
      for (const IdentityFamily& family : identity_families()) {
        const std::string stream_name = family.name + "/" + dtype_text;
        if (!matches(selection, stream_name + suffix, dtype)) continue;
        out.push_back(entry(stream_name + suffix, dtype, false, [=, &family](std::uint64_t, const BatteryOptions&) {
          return identity_case(family, dtype, case_seed, s, stream_name + suffix, stream_name);
        }));
      }
    }
  }
  return out;
}

std::vector<StructuredEntry> structured_controls(Tier tier, const std::vector<DType>& dtypes) {
  const auto wanted = [&](DType dtype) {
    return dtypes.empty() || std::find(dtypes.begin(), dtypes.end(), dtype) != dtypes.end();
  };
  const std::size_t count = small_matrix_count(tier);
  std::vector<StructuredEntry> out;
  const OrthogonalFamily& torch_family = orthogonal_families().front();
  const double gain = torch_family.spec.gain;
  const auto base_case = [torch_family, count](const std::string& name, DType dtype, std::uint64_t seed) {
    CaseResult result;
    result.dtype = std::string(dtype_name(dtype));
    result.seed = seed;
    result.stream_name = name;
    result.stream_id = Stream::named(seed, name + "/large").id;
    result.shape = torch_family.large;
    result.shape_description = "one " + shape_text(torch_family.large) + " tensor and " + std::to_string(count) +
                               " independent " + shape_text(torch_family.small) + " tensors";
    result.distribution = "defective sample; correct: " + torch_family.name;
    return result;
  };
  if (wanted(DType::f32)) {
    const std::string name = "control.orthogonal_no_sign_correction/f32";
    out.push_back(entry(name, DType::f32, true, [=](std::uint64_t seed, const BatteryOptions&) {
      CaseResult result = base_case(name, DType::f32, seed);
      OrthogonalSample sample;
      sample.large = reference_orthogonal(256, 576, gain, Stream::named(seed, name + "/large"), DType::f32, false);
      for (std::size_t k = 0; k < count; ++k) {
        sample.small.push_back(reference_orthogonal(8, 8, gain, small_stream(seed, name, k), DType::f32, false));
      }
      test_orthogonal(result, sample, gain, DType::f32, 256);
      return as_control(std::move(result), name, "Q of the QR without the multiplication by sign(diag R)",
                        "the reference Householder QR (LAPACK's reflector sign) of nninit's N(0, 1) draw, no sign "
                        "correction, times the gain",
                        "trace(mean), haar_entry(independent)");
    }));
  }
  if (wanted(DType::f32)) {
    const std::string name = "control.orthogonal_plain_normal/f32";
    out.push_back(entry(name, DType::f32, true, [=](std::uint64_t seed, const BatteryOptions&) {
      CaseResult result = base_case(name, DType::f32, seed);
      OrthogonalSample sample;
      sample.large.rows = 256;
      sample.large.cols = 576;
      sample.large.values =
          fill_values(DType::f32, 256 * 576, Normal{0.0, gain / std::sqrt(576.0)}, Stream::named(seed, name + "/large"), 0, 1);
      for (std::size_t k = 0; k < count; ++k) {
        MatrixView v;
        v.rows = v.cols = 8;
        v.values = fill_values(DType::f32, 64, Normal{0.0, gain / std::sqrt(8.0)}, small_stream(seed, name, k), 0, 1);
        sample.small.push_back(std::move(v));
      }
      test_orthogonal(result, sample, gain, DType::f32, 256);
      return as_control(std::move(result), name, "a normal matrix with the entries' variance gain^2 / m, not orthogonalised",
                        "nninit's Normal{0, gain / sqrt(m)} fill", "orthogonality, haar_entry(independent)");
    }));
  }
  for (const DType dtype : {DType::f32, DType::bf16}) {
    if (!wanted(dtype)) continue;
    const std::string name = "control.orthogonal_gain_plus_1_percent/" + std::string(dtype_name(dtype));
    out.push_back(entry(name, dtype, true, [=](std::uint64_t seed, const BatteryOptions&) {
      CaseResult result = base_case(name, dtype, seed);
      const OrthogonalSample sample =
          library_orthogonal(torch_family, torch::orthogonal(gain * 1.01), dtype, seed, name, count);
      test_orthogonal(result, sample, gain, dtype, 256);
      return as_control(std::move(result), name, "gain 1% too large", "nninit's torch::orthogonal(1.01 gain) fill",
                        "orthogonality");
    }));
  }
  const SparseFamily& sparse = sparse_families().back();  // 0.1 on [300, 1000]: z = 30
  const auto sparse_control = [=](const std::string& name, DType dtype, std::uint64_t seed, const std::vector<double>& w,
                                  const BatteryOptions& battery) {
    CaseResult result;
    result.dtype = std::string(dtype_name(dtype));
    result.seed = seed;
    result.stream_name = name;
    result.stream_id = Stream::named(seed, name).id;
    result.shape = {300, 1000};
    result.distribution = "defective sample; correct: " + sparse.name;
    test_sparse(result, w, sparse, sparse.zeros_by_hand, dtype, battery);
    return result;
  };
  if (wanted(DType::f32)) {
    const std::string name = "control.sparse_zero_count_minus_1/f32";
    out.push_back(entry(name, DType::f32, true, [=](std::uint64_t seed, const BatteryOptions& battery) {
      const std::vector<double> w = sparse_fill(DType::f32, sparse, 28.5 / 300.0, Stream::named(seed, name));
      return as_control(sparse_control(name, DType::f32, seed, w, battery), name, "29 zeros per column instead of 30",
                        "nninit's fill_sparse with sparsity 28.5 / 300 (ceil: 29)", "sparse(zeros per column)");
    }));
  }
  if (wanted(DType::f16)) {
    const std::string name = "control.sparse_zero_count_plus_1/f16";
    out.push_back(entry(name, DType::f16, true, [=](std::uint64_t seed, const BatteryOptions& battery) {
      const std::vector<double> w = sparse_fill(DType::f16, sparse, 30.5 / 300.0, Stream::named(seed, name));
      return as_control(sparse_control(name, DType::f16, seed, w, battery), name,
                        "31 zeros per column instead of 30 (float16, where a draw may round to zero)",
                        "nninit's fill_sparse with sparsity 30.5 / 300 (ceil: 31)", "sparse(excess zeros)");
    }));
  }
  if (wanted(DType::f32)) {
    const std::string name = "control.sparse_zeros_in_fixed_rows/f32";
    out.push_back(entry(name, DType::f32, true, [=](std::uint64_t seed, const BatteryOptions& battery) {
      std::vector<double> w = fill_values(DType::f32, 300 * 1000, Normal{0.0, 0.01}, Stream::named(seed, name), 0, 1);
      std::fill(w.begin(), w.begin() + 30 * 1000, 0.0);  // rows 0 .. 29 of every column
      return as_control(sparse_control(name, DType::f32, seed, w, battery), name,
                        "the zeros in the first 30 rows of every column (no shuffle)",
                        "nninit's Normal{0, 0.01} fill with rows 0 .. 29 set to zero", "sparse(zero rows uniform)");
    }));
  }
  if (wanted(DType::f32)) {
    const std::string name = "control.delta_orthogonal_at_pytorch_centre/f32";
    out.push_back(entry(name, DType::f32, true, [=](std::uint64_t seed, const BatteryOptions&) {
      const Shape shape = {4, 4, 16, 16};
      std::vector<double> w = filled(DType::f32, element_count(shape), [&](auto o) {
        fill_delta_orthogonal(o, shape, 2.0, -1, Stream::named(seed, name), single_thread);
      });
      // Move the block from JAX's centre (1, 1) to PyTorch's k // 2 = (2, 2).
      const std::size_t block = 256, from = (1 * 4 + 1) * block, to = (2 * 4 + 2) * block;
      std::copy(w.begin() + from, w.begin() + from + block, w.begin() + to);
      std::fill(w.begin() + from, w.begin() + from + block, 0.0);
      CaseResult result;
      result.dtype = "f32";
      result.seed = seed;
      result.shape = shape;
      result.distribution = "defective sample; correct: jax.delta_orthogonal(scale 2)";
      result.exact.push_back(delta_orthogonal_structure_check(w, shape));
      return as_control(std::move(result), name, "the orthogonal block at k // 2 (PyTorch's centre) in a 4x4 kernel",
                        "nninit's fill_delta_orthogonal, the block moved from (1, 1) to (2, 2)",
                        "structure(delta_orthogonal zeros)");
    }));
  }
  if (wanted(DType::bf16)) {
    const std::string name = "control.delta_orthogonal_scale_plus_1_percent/bf16";
    out.push_back(entry(name, DType::bf16, true, [=](std::uint64_t seed, const BatteryOptions&) {
      const Shape shape = {3, 3, 64, 128};
      const std::vector<double> w = filled(DType::bf16, element_count(shape), [&](auto o) {
        fill_delta_orthogonal(o, shape, 2.0 * 1.01, -1, Stream::named(seed, name), single_thread);
      });
      std::vector<double> centre;
      CaseResult result;
      result.dtype = "bf16";
      result.seed = seed;
      result.shape = shape;
      result.distribution = "defective sample; correct: jax.delta_orthogonal(scale 2)";
      result.exact.push_back(delta_orthogonal_structure_check(w, shape, &centre));
      result.exact.push_back(orthogonality_check(centre, 64, 128, 2.0, OutputGrid::bfloat16));
      return as_control(std::move(result), name, "scale 1% too large", "nninit's fill_delta_orthogonal(scale 2.02)",
                        "orthogonality");
    }));
  }
  if (wanted(DType::f32)) {
    const std::string name = "control.dirac_groups_ignored/f32";
    out.push_back(entry(name, DType::f32, true, [=](std::uint64_t seed, const BatteryOptions&) {
      const Shape shape = {8, 4, 2, 2, 2};
      const std::vector<double> w = filled(DType::f32, element_count(shape), [&](auto o) { fill_dirac(o, shape, 1); });
      CaseResult result;
      result.dtype = "f32";
      result.seed = seed;
      result.shape = shape;
      result.distribution = "defective sample; correct: torch.dirac(groups 2)";
      result.exact.push_back(dirac_structure_check(w, shape, 2, 1.0));
      return as_control(std::move(result), name, "dirac with groups = 1 where 2 were asked for",
                        "nninit's fill_dirac(groups 1)", "structure(dirac)");
    }));
  }
  return out;
}

}  // namespace nninit::validation::suite
