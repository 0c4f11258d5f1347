// Runs the validation suite: cases, negative controls, independence and
// reproducibility checks, and the run-wide Holm judgement.
#include "runner.hpp"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <random>
#include <span>
#include <sstream>
#include <stdexcept>
#include <type_traits>
#include <variant>

#include "nninit/fill.hpp"
#include "nninit/stream.hpp"
#include "nninit/validation/battery.hpp"
#include "nninit/validation/correlation.hpp"
#include "nninit/validation/multiple_testing.hpp"
#include "nninit/validation/probability_transform.hpp"
#include "nninit/validation/resolution.hpp"
#include "sampling.hpp"
#include "structured_suite.hpp"

namespace nninit::validation::suite {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string format_number(double value, int precision = 6) {
  std::ostringstream text;
  text.precision(precision);
  text << value;
  return text.str();
}

TestResult exact_check(std::string name, bool passed, std::string detail, double measured = not_a_number,
                       double target = not_a_number) {
  TestResult result;
  result.name = std::move(name);
  result.p_value = passed ? 1.0 : 0.0;
  result.adjusted_p_value = result.p_value;
  result.statistic = passed ? 0.0 : 1.0;
  result.measured = measured;
  result.target = target;
  result.verdict = passed ? Verdict::pass : Verdict::fail;
  result.detail = std::move(detail);
  return result;
}

// ---------------------------------------------------------------------------
// Comparing the library's distribution with the formula's.
// ---------------------------------------------------------------------------

bool close(double a, double b) {
  if (a == b) return true;
  return std::fabs(a - b) <= 1e-12 * std::max(std::fabs(a), std::fabs(b));
}

bool same_parameters(const Distribution& a, const Distribution& b) {
  if (a.index() != b.index()) return false;
  return std::visit(
      [&](const auto& x) {
        using D = std::decay_t<decltype(x)>;
        const D& y = std::get<D>(b);
        if constexpr (std::is_same_v<D, Constant>) {
          return close(x.value, y.value);
        } else if constexpr (std::is_same_v<D, Uniform>) {
          return close(x.low, y.low) && close(x.high, y.high);
        } else if constexpr (std::is_same_v<D, Normal>) {
          return close(x.mean, y.mean) && close(x.stddev, y.stddev);
        } else {
          return close(x.mean, y.mean) && close(x.stddev, y.stddev) && close(x.lower, y.lower) &&
                 close(x.upper, y.upper);
        }
      },
      a);
}

// ---------------------------------------------------------------------------
// Plot data from the sorted sample.
// ---------------------------------------------------------------------------

double count_at_most(const std::vector<double>& sorted, double x) {
  return static_cast<double>(std::upper_bound(sorted.begin(), sorted.end(), x) - sorted.begin());
}

PlotData make_plot_data(const std::vector<double>& sorted, const ReferenceDistribution& ref,
                        const std::vector<double>& chunk_p_values) {
  PlotData plot;
  const double n = static_cast<double>(sorted.size());
  // Histogram range: the support (padded by 4%) where it is within 5 sd of the
  // parent's centre, else centre +- 5 sd.
  double low = std::max(ref.lower(), ref.location() - 5.0 * ref.scale());
  double high = std::min(ref.upper(), ref.location() + 5.0 * ref.scale());
  if (ref.kind() == DistributionKind::uniform) {
    low = ref.lower();
    high = ref.upper();
  }
  const double pad = 0.04 * (high - low);
  if (std::isfinite(ref.lower()) && low == ref.lower()) low -= pad;
  if (std::isfinite(ref.upper()) && high == ref.upper()) high += pad;
  constexpr int bins = 60;
  plot.edges.resize(bins + 1);
  for (int j = 0; j <= bins; ++j) plot.edges[static_cast<std::size_t>(j)] = low + (high - low) * j / bins;
  plot.observed.resize(bins);
  plot.expected.resize(bins);
  for (std::size_t j = 0; j < static_cast<std::size_t>(bins); ++j) {
    plot.observed[j] = count_at_most(sorted, plot.edges[j + 1]) - count_at_most(sorted, plot.edges[j]);
    plot.expected[j] = n * (ref.output_cdf(plot.edges[j + 1]) - ref.output_cdf(plot.edges[j]));
  }
  plot.observed_below = count_at_most(sorted, plot.edges.front());
  plot.expected_below = n * ref.output_cdf(plot.edges.front());
  plot.observed_above = n - count_at_most(sorted, plot.edges.back());
  plot.expected_above = n * ref.output_sf(plot.edges.back());

  constexpr int points = 400;
  const double root_n = std::sqrt(n);
  for (int j = 0; j < points; ++j) {
    const double p = (j + 0.5) / points;
    const double x = ref.quantile(p);
    const double model = ref.output_cdf(x);
    plot.ecdf_probability.push_back(model);
    plot.ecdf_difference.push_back(root_n * (count_at_most(sorted, x) / n - model));
  }

  plot.two_level_counts.assign(20, 0.0);
  for (const double p : chunk_p_values) {
    const auto bin = std::min<std::size_t>(19, static_cast<std::size_t>(std::max(0.0, p) * 20.0));
    plot.two_level_counts[bin] += 1.0;
  }
  return plot;
}

// ---------------------------------------------------------------------------
// Running one sample through the tests.
// ---------------------------------------------------------------------------

void test_sample(CaseResult& result, const std::vector<double>& values, const ReferenceDistribution& ref, DType dtype,
                 const BatteryOptions& battery) {
  result.reference = ref.describe();
  BatteryArtifacts artifacts;
  BatteryOptions options = battery;
  if (!is_coarse(ref.grid())) options.generator_step = generator_step(dtype);  // the resolution test's allowance
  result.tests = run_battery(values, ref, options, artifacts);
  result.plot = make_plot_data(artifacts.sorted, ref, artifacts.two_level_p_values);
}

Fans library_fans(const FamilySpec& family, const ShapeSpec& shape) {
  if (family.convention == Convention::keras) return compute_fans(shape.keras_shape, Layout::keras);
  if (shape.groups > 1) return compute_fans_grouped_conv(shape.torch_shape, shape.groups);
  return compute_fans(shape.torch_shape, Layout::torch);
}

CaseResult run_case(const CaseSpec& spec, std::size_t n, const BatteryOptions& battery) {
  const Clock::time_point start = Clock::now();
  const FamilySpec& family = *spec.family;
  CaseResult result;
  result.name = spec.name;
  result.family = family.name;
  result.convention = convention_name(family.convention);
  result.note = family.note;
  result.dtype = std::string(dtype_name(spec.dtype));
  result.seed_index = spec.seed_index;
  result.seed = spec.seed;
  result.stream_name = spec.stream_name;
  const Stream stream = Stream::named(spec.seed, spec.stream_name);
  result.stream_id = stream.id;
  result.sample_size = n;
  try {
    Fans fans{1.0, 1.0};
    Fans hand_fans{1.0, 1.0};
    if (spec.shape != nullptr) {
      const ShapeSpec& shape = *spec.shape;
      const bool keras = family.convention == Convention::keras;
      result.shape_name = shape.name;
      result.shape_description = shape.description;
      result.shape = keras ? shape.keras_shape : shape.torch_shape;
      result.layout = keras ? "keras" : "torch";
      result.groups = keras ? 1 : shape.groups;
      fans = library_fans(family, shape);
      hand_fans = shape.expected_fans;
      result.fans = fans;
      result.exact.push_back(exact_check(
          "fans", fans == hand_fans,
          "compute_fans: (" + format_number(fans.fan_in) + ", " + format_number(fans.fan_out) + "); by hand: (" +
              format_number(hand_fans.fan_in) + ", " + format_number(hand_fans.fan_out) + ")"));
      if (family.bias) {
        result.tensor_elements = static_cast<std::uint64_t>(shape.torch_shape.front());
      } else {
        result.tensor_elements = 1;
        for (const std::int64_t d : shape.torch_shape) result.tensor_elements *= static_cast<std::uint64_t>(d);
      }
    }
    const Distribution distribution = family.library(fans);
    result.distribution = describe(distribution);
    // The formula is checked exactly (to 1e-12); the battery then tests the
    // output against the distribution nninit returned, whose last-bit
    // rounding decides which bfloat16 / float16 values a bound clamps to.
    if (family.formula) {
      const Distribution expected = family.formula(hand_fans);
      result.exact.push_back(exact_check("parameters", same_parameters(distribution, expected),
                                         "nninit: " + describe(distribution) + "; published formula: " +
                                             describe(expected) + " (relative tolerance 1e-12)"));
    }
    if (result.tensor_elements >= n) {
      result.sample_offset = result.tensor_elements - n;  // the tensor's last n elements
    } else {
      result.beyond_tensor = result.tensor_elements > 0;  // a larger logical tensor, same stream
    }
    const std::vector<double> values =
        fill_values(spec.dtype, n, distribution, stream, result.sample_offset, /*threads=*/1);
    if (const auto* constant = std::get_if<Constant>(&distribution)) {
      const double expected = round_to_grid(constant->value, grid_for(spec.dtype));
      const auto wrong = static_cast<std::size_t>(
          std::count_if(values.begin(), values.end(), [&](double v) { return !(v == expected); }));
      result.reference = "constant " + format_number(expected, 17) + " (" + format_number(constant->value, 17) +
                         " rounded to " + result.dtype + ")";
      result.exact.push_back(exact_check("constant(every value)", wrong == 0,
                                         std::to_string(wrong) + " of " + std::to_string(values.size()) +
                                             " values differ from " + format_number(expected, 17),
                                         static_cast<double>(wrong), 0.0));
    } else {
      test_sample(result, values, reference_for(distribution, spec.dtype), spec.dtype, battery);
    }
  } catch (const std::exception& error) {
    result.error = error.what();
  }
  result.seconds = seconds_since(start);
  return result;
}

CaseResult run_control(const ControlSpec& spec, std::size_t n, std::uint64_t seed, const BatteryOptions& battery) {
  const Clock::time_point start = Clock::now();
  CaseResult result;
  result.name = spec.name;
  result.family = spec.name;
  result.convention = "control";
  result.is_control = true;
  result.defect = spec.defect;
  result.generated_by = spec.generated_by;
  result.expected_detector = spec.expected_detector;
  result.dtype = std::string(dtype_name(spec.dtype));
  result.seed = seed;
  result.stream_name = spec.name;
  result.stream_id = stream_id_from_name(spec.name);
  result.sample_size = n;
  result.distribution = "defective sample; correct: " + describe(spec.reference);
  try {
    const std::vector<double> values = spec.make_sample(n, seed, result.stream_id);
    test_sample(result, values, reference_for(spec.reference, spec.dtype), spec.dtype, battery);
  } catch (const std::exception& error) {
    result.error = error.what();
  }
  result.seconds = seconds_since(start);
  return result;
}

// ---------------------------------------------------------------------------
// Independence.
// ---------------------------------------------------------------------------

// Pairs (x[i], x[i + length]) for i in the even-numbered chunks of `length`:
// chunk 2k against chunk 2k+1, every value used once.
void adjacent_chunk_pairs(std::span<const double> x, std::size_t length, std::vector<double>& a,
                          std::vector<double>& b) {
  a.clear();
  b.clear();
  for (std::size_t start = 0; start + 2 * length <= x.size(); start += 2 * length) {
    a.insert(a.end(), x.begin() + static_cast<std::ptrdiff_t>(start),
             x.begin() + static_cast<std::ptrdiff_t>(start + length));
    b.insert(b.end(), x.begin() + static_cast<std::ptrdiff_t>(start + length),
             x.begin() + static_cast<std::ptrdiff_t>(start + 2 * length));
  }
}

IndependenceResult independence_pair(std::string name, std::string description, std::span<const double> x,
                                     std::span<const double> y, std::span<const double> ux,
                                     std::span<const double> uy) {
  IndependenceResult result;
  result.name = std::move(name);
  result.description = std::move(description);
  TestResult pearson = correlation_test(x, y);
  pearson.name = "correlation";
  result.tests.push_back(pearson);
  result.tests.push_back(joint_uniformity_test(ux, uy));
  return result;
}

std::vector<IndependenceResult> run_independence(std::size_t n, std::uint64_t seed, const Progress& progress,
                                                 Clock::time_point run_start) {
  std::vector<IndependenceResult> results;
  const std::pair<const char*, Distribution> kinds[] = {{"uniform(0, 1)", Uniform{0.0, 1.0}},
                                                         {"normal(0, 1)", Normal{0.0, 1.0}}};
  for (const auto& [kind, distribution] : kinds) {
    const Clock::time_point start = Clock::now();
    const ReferenceDistribution ref = reference_for(distribution, DType::f32);
    const std::string prefix = std::string("independence/") + kind + "/f32/";
    const Stream base = Stream::named(seed, std::string("independence/") + kind);
    const std::vector<double> x = fill_values(DType::f32, 2 * n, distribution, base, 0, 0);
    const std::vector<double> u = probability_integral_transform(x, ref);
    std::vector<double> a, b, ua, ub;
    for (const std::size_t length : {std::size_t{1}, std::size_t{2}, std::size_t{4}, std::size_t{1024}, n}) {
      adjacent_chunk_pairs(x, length, a, b);
      adjacent_chunk_pairs(u, length, ua, ub);
      const std::string what = length == n ? "halves" : "chunks of " + std::to_string(length);
      results.push_back(independence_pair(
          prefix + "adjacent " + what,
          "element i of chunk 2k against element i of chunk 2k+1, chunks of " + std::to_string(length) +
              " consecutive values of one stream (" + std::to_string(a.size()) + " pairs)",
          a, b, ua, ub));
    }
    const std::span<const double> x0(x.data(), n), u0(u.data(), n);
    const auto other = [&](const Stream& stream, std::string name, std::string description) {
      const std::vector<double> y = fill_values(DType::f32, n, distribution, stream, 0, 0);
      const std::vector<double> uy = probability_integral_transform(y, ref);
      results.push_back(independence_pair(prefix + std::move(name), std::move(description), x0, y, u0, uy));
    };
    other(Stream{seed, base.id + 1}, "stream ids id, id+1",
          "stream id " + std::to_string(base.id) + " against id + 1 (same seed, same element indices)");
    {
      const std::vector<double> y0 = fill_values(DType::f32, n, distribution, Stream{seed, 0}, 0, 0);
      const std::vector<double> y1 = fill_values(DType::f32, n, distribution, Stream{seed, 1}, 0, 0);
      results.push_back(independence_pair(prefix + "stream ids 0, 1", "stream id 0 against stream id 1", y0, y1,
                                          probability_integral_transform(y0, ref),
                                          probability_integral_transform(y1, ref)));
    }
    other(Stream{seed + 1, base.id}, "seeds s, s+1", "seed " + std::to_string(seed) + " against seed + 1 (same stream id)");
    if (progress) {
      char line[256];
      std::snprintf(line, sizeof line, "[independence %7.1fs] %s: 8 pairs of streams/chunks (%.2fs)",
                    seconds_since(run_start), kind, seconds_since(start));
      progress(line);
    }
  }
  return results;
}

// ---------------------------------------------------------------------------
// Reproducibility: bit equality across thread counts and shard splits.
// ---------------------------------------------------------------------------

template <class T>
std::vector<T> fill_typed(std::size_t count, const Distribution& d, const Stream& s, std::uint64_t offset,
                          int threads) {
  std::vector<T> out(count);
  fill(std::span<T>(out), d, s, FillOptions{.offset = offset, .threads = threads});
  return out;
}

template <class T>
ReproducibilityResult reproducibility_check(const std::string& name, const Distribution& d, DType dtype,
                                            std::size_t count, std::uint64_t seed) {
  ReproducibilityResult result;
  result.name = name + "/" + std::string(dtype_name(dtype));
  result.distribution = describe(d);
  result.dtype = std::string(dtype_name(dtype));
  result.count = count;
  const Stream stream = Stream::named(seed, "reproducibility/" + name);
  std::mt19937_64 random(seed ^ stream.id);  // fixed by the seed: the same splits every run
  const std::uint64_t bases[] = {0, (std::uint64_t{1} << 40) + 3, ~std::uint64_t{0} - count + 1};
  const int thread_counts[] = {2, 3, 8, 0};
  const int shard_threads[] = {1, 2, 3, 8};
  const auto compare = [&](const std::vector<T>& reference, const std::vector<T>& other, const std::string& what) {
    ++result.comparisons;
    if (std::memcmp(reference.data(), other.data(), reference.size() * sizeof(T)) != 0) {
      ++result.mismatches;
      if (result.first_mismatch.empty()) result.first_mismatch = what;
    }
  };
  for (const std::uint64_t base : bases) {
    const std::vector<T> reference = fill_typed<T>(count, d, stream, base, 1);
    for (const int threads : thread_counts) {
      compare(reference, fill_typed<T>(count, d, stream, base, threads),
              "offset " + std::to_string(base) + ", " + std::to_string(threads) + " threads");
    }
    for (int split = 0; split < 3; ++split) {
      const std::size_t shards = 2 + static_cast<std::size_t>(random() % 8);
      std::vector<std::size_t> cuts = {0, count};
      for (std::size_t s = 1; s < shards; ++s) cuts.push_back(static_cast<std::size_t>(random() % (count + 1)));
      std::sort(cuts.begin(), cuts.end());
      std::vector<T> assembled(count);
      for (std::size_t s = 0; s + 1 < cuts.size(); ++s) {
        const std::size_t begin = cuts[s], length = cuts[s + 1] - cuts[s];
        fill(std::span<T>(assembled.data() + begin, length), d, stream,
             FillOptions{.offset = base + begin, .threads = shard_threads[random() % 4]});
      }
      compare(reference, assembled,
              "offset " + std::to_string(base) + ", " + std::to_string(shards) + " random shards");
    }
  }
  result.description = "single-threaded fill of " + std::to_string(count) +
                       " values at offsets 0, 2^40 + 3 and 2^64 - count, against 2, 3, 8 and the default number "
                       "of threads and 3 random splits into 2-9 shards (random thread counts) each";
  result.passed = result.mismatches == 0;
  return result;
}

std::vector<ReproducibilityResult> run_reproducibility(std::size_t count, std::uint64_t seed,
                                                       const std::vector<DType>& dtypes, const Progress& progress,
                                                       Clock::time_point run_start) {
  const std::pair<const char*, Distribution> kinds[] = {
      {"uniform", Uniform{-0.05, 0.05}},
      {"normal", Normal{0.5, 0.02}},
      {"truncated_normal", TruncatedNormal{0.0, 1.0, -2.0, 2.0}},
      {"truncated_normal_far_tail", truncated_normal_in_stddevs(0.0, 1.0, 4.0, 6.0)},
      {"truncated_normal_narrow", truncated_normal_in_stddevs(0.0, 1.0, -0.01, 0.01)},
      {"constant", Constant{0.1}},
  };
  std::vector<ReproducibilityResult> results;
  const Clock::time_point start = Clock::now();
  for (const DType dtype : dtypes) {
    for (const auto& [name, d] : kinds) {
      switch (dtype) {
        case DType::f32:
          results.push_back(reproducibility_check<float>(name, d, dtype, count, seed));
          break;
        case DType::f64:
          results.push_back(reproducibility_check<double>(name, d, dtype, count, seed));
          break;
        case DType::bf16:
          results.push_back(reproducibility_check<bfloat16>(name, d, dtype, count, seed));
          break;
        case DType::f16:
          results.push_back(reproducibility_check<float16>(name, d, dtype, count, seed));
          break;
      }
    }
  }
  // The negative control of the comparison itself: a fill one element off
  // (offset 1 instead of 0) and one on the next stream id must differ from the
  // reference in every case, or the bit comparison could never fail.
  {
    const Distribution d = Uniform{-0.05, 0.05};
    const DType dtype = dtypes.front();
    ReproducibilityResult control;
    control.name = "control(shifted offset, next stream id)/" + std::string(dtype_name(dtype));
    control.distribution = describe(d);
    control.dtype = std::string(dtype_name(dtype));
    control.count = count;
    control.is_control = true;
    control.description = "negative control: the fill at offset 1 and the fill on stream id + 1 must differ from "
                          "the fill at offset 0";
    const Stream stream = Stream::named(seed, "reproducibility/control");
    const std::vector<double> reference = fill_values(dtype, count, d, stream, 0, 1);
    const std::vector<double> shifted = fill_values(dtype, count, d, stream, 1, 0);
    const std::vector<double> other = fill_values(dtype, count, d, Stream{seed, stream.id + 1}, 0, 0);
    for (const auto* candidate : {&shifted, &other}) {
      ++control.comparisons;
      if (*candidate != reference) ++control.mismatches;
    }
    control.passed = control.mismatches == control.comparisons;
    if (!control.passed) control.first_mismatch = "a fill that must differ was identical";
    results.push_back(std::move(control));
  }
  if (progress) {
    std::size_t failed = 0, comparisons = 0;
    for (const auto& r : results) {
      failed += r.passed ? 0 : 1;
      comparisons += r.comparisons;
    }
    char line[256];
    std::snprintf(line, sizeof line, "[reproducibility %7.1fs] %zu checks, %zu bit-for-bit comparisons, %zu failed (%.2fs)",
                  seconds_since(run_start), results.size(), comparisons, failed, seconds_since(start));
    progress(line);
  }
  return results;
}

// ---------------------------------------------------------------------------
// Judgement.
// ---------------------------------------------------------------------------

Verdict entry_verdict(const CaseResult& r) {
  if (!r.error.empty()) return Verdict::fail;
  Verdict verdict = Verdict::pass;
  for (const TestResult& t : r.exact) {
    if (t.verdict == Verdict::fail) return Verdict::fail;
  }
  for (const TestResult& t : r.tests) {
    if (t.verdict == Verdict::fail) return Verdict::fail;
    if (t.verdict == Verdict::suspicious) verdict = Verdict::suspicious;
  }
  return verdict;
}

bool wants_figure(const CaseResult& r) {
  if (!r.plot) return false;
  if (r.is_control || r.verdict != Verdict::pass) return true;
  if (r.seed_index != 0) return false;
  if (r.family == "torch.kaiming_uniform(fan_in, relu)" || r.family == "keras.he_normal") return true;
  return r.convention == "distribution" && (r.dtype == "f32" || r.dtype == "bf16");
}

}  // namespace

std::string slug(const std::string& name) {
  std::string out;
  for (const char c : name) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    if (c >= 'A' && c <= 'Z') {
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if (keep) {
      out.push_back(c);
    } else if (out.empty() || out.back() != '_') {
      out.push_back('_');
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

RunResult run_suite(const RunOptions& options, const Progress& progress) {
  if (!(options.alpha > 0.0 && options.alpha < 1.0)) {
    throw std::invalid_argument("alpha must be in (0, 1), got " + format_number(options.alpha));
  }
  if (options.sample_size != 0 && options.sample_size < 1024) {
    throw std::invalid_argument("the sample size must be at least 1024, got " + std::to_string(options.sample_size));
  }
  const Clock::time_point run_start = Clock::now();
  RunResult run;
  run.options = options;
  run.settings = tier_settings(options.tier);
  run.sample_size = options.sample_size != 0 ? options.sample_size : run.settings.sample_size;
  run.seeds = options.seeds > 0 ? options.seeds : run.settings.seeds;
  run.jobs = options.jobs > 0 ? options.jobs : omp_get_max_threads();
  const std::size_t n = run.sample_size;

  BatteryOptions battery;
  battery.family.alpha = options.alpha;
  battery.family.suspicion_factor = options.suspicion_factor;

  const std::vector<CaseSpec> cases = enumerate_cases(options.tier, options.seed, run.seeds, options.selection);
  std::vector<const ControlSpec*> control_specs;
  if (options.controls) {
    for (const ControlSpec& c : controls()) {
      if (options.selection.dtypes.empty() ||
          std::find(options.selection.dtypes.begin(), options.selection.dtypes.end(), c.dtype) !=
              options.selection.dtypes.end()) {
        control_specs.push_back(&c);
      }
    }
  }
  const std::vector<DType> dtypes = options.selection.dtypes.empty() ? all_dtypes() : options.selection.dtypes;

  if (progress) {
    progress(std::string("nninit-validate: ") + tier_name(options.tier) + " tier, " + std::to_string(cases.size()) +
             " cases + " + std::to_string(control_specs.size()) + " negative controls, " + std::to_string(n) +
             " values each, seed " + std::to_string(options.seed) + (run.seeds > 1 ? " (+" + std::to_string(run.seeds - 1) + " more)" : "") +
             ", " + std::to_string(run.jobs) + " jobs");
  }

  if (options.reproducibility) {
    const std::size_t count =
        options.reproducibility_count != 0 ? options.reproducibility_count : run.settings.reproducibility_count;
    run.reproducibility = run_reproducibility(count, options.seed, dtypes, progress, run_start);
  }
  if (options.independence) run.independence = run_independence(n, options.seed, progress, run_start);

  // Cases and controls, in parallel (each fill single-threaded).
  const std::size_t total = cases.size() + control_specs.size();
  // An upper bound on the family size m (at most 17 tests per battery), so a
  // control's progress line can already say "detected" when its smallest p is
  // below alpha / m_upper <= alpha / m.
  const double family_upper_bound = static_cast<double>(17 * cases.size() + run.independence.size() * 2 + 1);
  run.cases.resize(cases.size());
  run.controls.resize(control_specs.size());
  std::size_t done = 0;
  const auto jobs = run.jobs;
#pragma omp parallel for schedule(dynamic, 1) num_threads(jobs)
  for (std::size_t i = 0; i < total; ++i) {
    CaseResult result = i < cases.size() ? run_case(cases[i], n, battery)
                                         : run_control(*control_specs[i - cases.size()], n, options.seed, battery);
    // A preliminary per-entry verdict for the progress line (the run-wide one
    // comes below): "FAIL?" when the battery fails on its own (the run-wide
    // Holm threshold is stricter), "detected" for a control whose smallest p
    // already lies below alpha / m_upper.
    bool any_failed = !result.error.empty();
    double min_p = 1.0;
    for (const TestResult& t : result.tests) {
      if (t.verdict == Verdict::fail) any_failed = true;
      if (t.p_value < min_p) min_p = t.p_value;
    }
    for (const TestResult& t : result.exact) any_failed = any_failed || t.verdict == Verdict::fail;
    const bool surely_detected = result.error.empty() && min_p <= options.alpha / family_upper_bound;
#pragma omp critical(nninit_validate_progress)
    {
      ++done;
      if (progress) {
        const char* status =
            result.is_control ? (surely_detected ? "detected" : "pending") : (any_failed ? "FAIL?" : "ok");
        char line[512];
        std::snprintf(line, sizeof line, "[%4zu/%zu %7.1fs] %-8s %s (min p %.2g, %.2fs)%s%s", done, total,
                      seconds_since(run_start), status, result.name.c_str(), min_p, result.seconds,
                      result.error.empty() ? "" : " error: ", result.error.c_str());
        progress(line);
      }
    }
    if (i < cases.size()) {
      run.cases[i] = std::move(result);
    } else {
      run.controls[i - cases.size()] = std::move(result);
    }
  }

  // The structured initializers (structured_suite.hpp): cases and controls,
  // judged below with everything else.
  {
    std::vector<StructuredEntry> structured = structured_cases(options.tier, options.seed, run.seeds, options.selection);
    if (options.controls) {
      for (StructuredEntry& c : structured_controls(options.tier, options.selection.dtypes)) structured.push_back(std::move(c));
    }
    std::vector<CaseResult> results(structured.size());
#pragma omp parallel for schedule(dynamic, 1) num_threads(jobs)
    for (std::size_t i = 0; i < structured.size(); ++i) {
      results[i] = structured[i].run(options.seed, battery);
      if (progress) {
        char line[512];
        std::snprintf(line, sizeof line, "[structured %7.1fs] %s (%.2fs)%s%s", seconds_since(run_start),
                      results[i].name.c_str(), results[i].seconds, results[i].error.empty() ? "" : " error: ",
                      results[i].error.c_str());
#pragma omp critical(nninit_validate_progress)
        progress(line);
      }
    }
    for (std::size_t i = 0; i < structured.size(); ++i) {
      (structured[i].is_control ? run.controls : run.cases).push_back(std::move(results[i]));
    }
  }

  // The run-wide family: every statistical test of every case and independence check.
  std::vector<TestResult*> family;
  for (CaseResult& r : run.cases) {
    for (TestResult& t : r.tests) {
      if (!std::isnan(t.p_value)) family.push_back(&t);
    }
  }
  for (IndependenceResult& r : run.independence) {
    for (TestResult& t : r.tests) {
      if (!std::isnan(t.p_value)) family.push_back(&t);
    }
  }
  std::vector<double> p_values;
  p_values.reserve(family.size());
  for (const TestResult* t : family) p_values.push_back(t->p_value);
  const std::vector<double> adjusted = holm_adjusted_p_values(p_values);
  const FamilyOptions family_options{options.alpha, options.suspicion_factor};
  for (std::size_t i = 0; i < family.size(); ++i) {
    family[i]->adjusted_p_value = adjusted[i];
    family[i]->verdict = verdict_for(adjusted[i], family_options);
  }
  run.family_size = std::max<std::size_t>(family.size(), 1);
  run.strictest_threshold = options.alpha / static_cast<double>(run.family_size);

  bool passed = true;
  for (CaseResult& r : run.cases) {
    r.verdict = entry_verdict(r);
    passed = passed && r.verdict != Verdict::fail;
  }
  for (IndependenceResult& r : run.independence) {
    r.verdict = Verdict::pass;
    for (const TestResult& t : r.tests) {
      if (t.verdict == Verdict::fail) r.verdict = Verdict::fail;
      if (t.verdict == Verdict::suspicious && r.verdict == Verdict::pass) r.verdict = Verdict::suspicious;
    }
    passed = passed && r.verdict != Verdict::fail;
  }
  for (const ReproducibilityResult& r : run.reproducibility) passed = passed && r.passed;

  // Controls: detected when some test rejects at the run's strictest Holm
  // threshold alpha / m — the same defect in a real case would fail the run.
  const double threshold = run.strictest_threshold;
  for (CaseResult& r : run.controls) {
    r.min_p_value = 1.0;
    std::string caught;
    for (TestResult& t : r.tests) {
      if (std::isnan(t.p_value)) continue;
      t.adjusted_p_value = std::min(1.0, t.p_value * static_cast<double>(run.family_size));
      t.verdict = verdict_for(t.adjusted_p_value, family_options);
      r.min_p_value = std::min(r.min_p_value, t.p_value);
      if (t.verdict == Verdict::fail) caught += (caught.empty() ? "" : ", ") + t.name;
    }
    bool exact_failed = false;  // a failing exact check (structure, count, bound) detects it outright
    for (const TestResult& t : r.exact) {
      if (t.verdict != Verdict::fail) continue;
      exact_failed = true;
      caught += (caught.empty() ? "" : ", ") + t.name;
    }
    r.caught_by = caught;
    r.detected = r.error.empty() && !caught.empty() && (r.min_p_value <= threshold || exact_failed);
    r.verdict = r.detected ? Verdict::pass : Verdict::fail;
    passed = passed && r.detected;
  }

  for (CaseResult& r : run.cases) {
    if (wants_figure(r)) r.figure = "plots/" + slug(r.name) + ".png";
  }
  for (CaseResult& r : run.controls) {
    if (wants_figure(r)) r.figure = "plots/" + slug(r.name) + ".png";
  }
  run.passed = passed;
  run.seconds = seconds_since(run_start);
  return run;
}

}  // namespace nninit::validation::suite
