// The validation suite as data: shapes, families (distributions and
// initializers), cases per tier, negative controls.
#include "suite.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "nninit/fill.hpp"
#include "nninit/initializers.hpp"
#include "nninit/validation/reference_distribution.hpp"
#include "sampling.hpp"

namespace nninit::validation::suite {
namespace {

// ---------------------------------------------------------------------------
// The published formulas (README: "Initializers and their formulas"), written out independently of nninit's initializers.
// ---------------------------------------------------------------------------

// The standard deviation of N(0, 1) truncated to (-2, 2), from the statistics
// layer's own truncated-normal moments (not nninit's constant).
double truncated_2sd_stddev() {
  static const double value = standard_truncated_normal_moments(-2.0, 2.0).sd;
  return value;
}

Uniform symmetric_uniform(double bound) { return Uniform{-bound, bound}; }
Normal centred_normal(double stddev) { return Normal{0.0, stddev}; }
// Keras / JAX "normal": truncated at +-2 s, s = target / 0.8796...
TruncatedNormal keras_truncated(double target_stddev) {
  const double s = target_stddev / truncated_2sd_stddev();
  return TruncatedNormal{0.0, s, -2.0 * s, 2.0 * s};
}

double fan_for(const Fans& fans, FanMode mode) {
  switch (mode) {
    case FanMode::fan_in:
      return fans.fan_in;
    case FanMode::fan_out:
      return fans.fan_out;
    case FanMode::fan_avg:
      return (fans.fan_in + fans.fan_out) / 2.0;
  }
  throw std::invalid_argument("fan_for: invalid mode");
}

const char* mode_name(FanMode mode) {
  switch (mode) {
    case FanMode::fan_in:
      return "fan_in";
    case FanMode::fan_out:
      return "fan_out";
    case FanMode::fan_avg:
      return "fan_avg";
  }
  return "?";
}

// PyTorch's calculate_gain, by hand: relu sqrt(2), leaky_relu(a) sqrt(2 / (1 + a^2)), tanh 5/3, linear 1.
struct NonlinearityCase {
  Nonlinearity nonlinearity;
  const char* name;
  double slope;  // leaky_relu's negative slope (0 otherwise)
  double gain;
};
const NonlinearityCase nonlinearity_cases[] = {
    {Nonlinearity::relu, "relu", 0.0, std::sqrt(2.0)},
    {Nonlinearity::leaky_relu, "leaky_relu(0.2)", 0.2, std::sqrt(2.0 / (1.0 + 0.2 * 0.2))},
    {Nonlinearity::tanh, "tanh", 0.0, 5.0 / 3.0},
    {Nonlinearity::linear, "linear", 0.0, 1.0},
};

FamilySpec distribution_family(std::string name, Distribution distribution, std::string note = {}) {
  FamilySpec family;
  family.name = std::move(name);
  family.convention = Convention::distribution;
  family.note = std::move(note);
  family.library = [distribution](const Fans&) { return distribution; };
  return family;
}

FamilySpec initializer_family(std::string name, Convention convention,
                              std::function<Distribution(const Fans&)> library,
                              std::function<Distribution(const Fans&)> formula, std::string note = {}) {
  FamilySpec family;
  family.name = std::move(name);
  family.convention = convention;
  family.uses_fans = true;
  family.note = std::move(note);
  family.library = std::move(library);
  family.formula = std::move(formula);
  return family;
}

std::vector<FamilySpec> make_families() {
  std::vector<FamilySpec> list;

  // --- plain distributions -------------------------------------------------
  list.push_back(distribution_family("dist.constant(0)", zeros()));
  list.push_back(distribution_family("dist.constant(1)", ones()));
  list.push_back(distribution_family("dist.constant(0.1)", Constant{0.1}, "not representable: rounded per dtype"));
  list.push_back(distribution_family("dist.constant(-3.7)", Constant{-3.7}));
  list.push_back(distribution_family("dist.uniform(0, 1)", Uniform{0.0, 1.0}));
  list.push_back(distribution_family("dist.uniform(-0.05, 0.05)", Uniform{-0.05, 0.05},
                                     "bounds not representable in any dtype"));
  list.push_back(distribution_family("dist.uniform(-2, 3)", Uniform{-2.0, 3.0}, "asymmetric"));
  list.push_back(distribution_family("dist.normal(0, 1)", Normal{0.0, 1.0}));
  list.push_back(distribution_family("dist.normal(0.5, 0.02)", Normal{0.5, 0.02}, "mean far from 0, small sd"));
  list.push_back(distribution_family("dist.truncated_normal(0, 1, [-1, 3])", TruncatedNormal{0.0, 1.0, -1.0, 3.0},
                                     "asymmetric window"));
  list.push_back(distribution_family("dist.truncated_normal(0, 1, [-0.01, 0.01] sd)",
                                     truncated_normal_in_stddevs(0.0, 1.0, -0.01, 0.01), "narrow window"));
  list.push_back(distribution_family("dist.truncated_normal(0, 1, [2, 3] sd)",
                                     truncated_normal_in_stddevs(0.0, 1.0, 2.0, 3.0), "upper tail window"));
  list.push_back(distribution_family("dist.truncated_normal(0, 1, [4, 6] sd)",
                                     truncated_normal_in_stddevs(0.0, 1.0, 4.0, 6.0), "far upper tail window"));
  list.push_back(distribution_family("dist.truncated_normal(0.3, 0.02, [-6, -4] sd)",
                                     truncated_normal_in_stddevs(0.3, 0.02, -6.0, -4.0),
                                     "far lower tail window, mean and sd not 0 and 1"));

  // --- PyTorch convention (nninit::torch) -----------------------------------
  list.push_back(initializer_family(
      "torch.xavier_uniform", Convention::torch, [](const Fans& f) { return torch::xavier_uniform(f); },
      [](const Fans& f) { return symmetric_uniform(std::sqrt(6.0 / (f.fan_in + f.fan_out))); }));
  list.push_back(initializer_family(
      "torch.xavier_normal", Convention::torch, [](const Fans& f) { return torch::xavier_normal(f); },
      [](const Fans& f) { return centred_normal(std::sqrt(2.0 / (f.fan_in + f.fan_out))); }, "not truncated"));
  for (const bool uniform : {true, false}) {
    for (const FanMode mode : {FanMode::fan_in, FanMode::fan_out}) {
      for (const NonlinearityCase& nl : nonlinearity_cases) {
        const torch::KaimingOptions options{.a = nl.slope, .mode = mode, .nonlinearity = nl.nonlinearity};
        const double gain = nl.gain;
        std::string name = std::string(uniform ? "torch.kaiming_uniform(" : "torch.kaiming_normal(") +
                           mode_name(mode) + ", " + nl.name + ")";
        if (uniform) {
          list.push_back(initializer_family(
              std::move(name), Convention::torch,
              [options](const Fans& f) { return torch::kaiming_uniform(f, options); },
              [gain, mode](const Fans& f) { return symmetric_uniform(gain * std::sqrt(3.0 / fan_for(f, mode))); }));
        } else {
          list.push_back(initializer_family(
              std::move(name), Convention::torch,
              [options](const Fans& f) { return torch::kaiming_normal(f, options); },
              [gain, mode](const Fans& f) { return centred_normal(gain / std::sqrt(fan_for(f, mode))); },
              "not truncated"));
        }
      }
    }
  }
  list.push_back(initializer_family(
      "torch.linear_default", Convention::torch, [](const Fans& f) { return torch::linear_default(f); },
      [](const Fans& f) { return symmetric_uniform(1.0 / std::sqrt(f.fan_in)); }, "nn.Linear weight: 1/sqrt(fan_in)"));
  {
    FamilySpec bias = initializer_family(
        "torch.linear_bias_default", Convention::torch, [](const Fans& f) { return torch::linear_bias_default(f); },
        [](const Fans& f) { return symmetric_uniform(1.0 / std::sqrt(f.fan_in)); },
        "nn.Linear bias [out]: the weight's fan_in");
    bias.bias = true;
    list.push_back(std::move(bias));
  }
  {
    FamilySpec trunc = distribution_family("torch.trunc_normal()", torch::trunc_normal(),
                                           "PyTorch defaults: mean 0, std 1, absolute bounds [-2, 2]");
    trunc.convention = Convention::torch;
    trunc.formula = [](const Fans&) { return TruncatedNormal{0.0, 1.0, -2.0, 2.0}; };
    list.push_back(std::move(trunc));
    FamilySpec vit = distribution_family("torch.trunc_normal(std=0.02)", torch::trunc_normal(0.0, 0.02),
                                         "ViT-style: bounds [-2, 2] are 100 sd away");
    vit.convention = Convention::torch;
    vit.formula = [](const Fans&) { return TruncatedNormal{0.0, 0.02, -2.0, 2.0}; };
    list.push_back(std::move(vit));
  }

  // --- Keras 3 / JAX convention (nninit::keras) -----------------------------
  list.push_back(initializer_family(
      "keras.glorot_uniform", Convention::keras, [](const Fans& f) { return keras::glorot_uniform(f); },
      [](const Fans& f) { return symmetric_uniform(std::sqrt(6.0 / (f.fan_in + f.fan_out))); }));
  list.push_back(initializer_family(
      "keras.glorot_normal", Convention::keras, [](const Fans& f) { return keras::glorot_normal(f); },
      [](const Fans& f) { return keras_truncated(std::sqrt(2.0 / (f.fan_in + f.fan_out))); },
      "truncated at +-2 s, s = target / 0.8796"));
  list.push_back(initializer_family(
      "keras.he_uniform", Convention::keras, [](const Fans& f) { return keras::he_uniform(f); },
      [](const Fans& f) { return symmetric_uniform(std::sqrt(6.0 / f.fan_in)); }));
  list.push_back(initializer_family(
      "keras.he_normal", Convention::keras, [](const Fans& f) { return keras::he_normal(f); },
      [](const Fans& f) { return keras_truncated(std::sqrt(2.0 / f.fan_in)); }, "truncated at +-2 s"));
  list.push_back(initializer_family(
      "keras.lecun_uniform", Convention::keras, [](const Fans& f) { return keras::lecun_uniform(f); },
      [](const Fans& f) { return symmetric_uniform(std::sqrt(3.0 / f.fan_in)); }));
  list.push_back(initializer_family(
      "keras.lecun_normal", Convention::keras, [](const Fans& f) { return keras::lecun_normal(f); },
      [](const Fans& f) { return keras_truncated(std::sqrt(1.0 / f.fan_in)); }, "truncated at +-2 s"));
  constexpr double scale = 1.5;
  const std::pair<keras::VarianceDistribution, const char*> shapes_of_variance[] = {
      {keras::VarianceDistribution::truncated_normal, "truncated_normal"},
      {keras::VarianceDistribution::untruncated_normal, "untruncated_normal"},
      {keras::VarianceDistribution::uniform, "uniform"},
  };
  for (const auto& [kind, kind_name] : shapes_of_variance) {
    for (const FanMode mode : {FanMode::fan_in, FanMode::fan_out, FanMode::fan_avg}) {
      list.push_back(initializer_family(
          std::string("keras.variance_scaling(1.5, ") + mode_name(mode) + ", " + kind_name + ")", Convention::keras,
          [mode, kind](const Fans& f) { return keras::variance_scaling(f, scale, mode, kind); },
          [mode, kind](const Fans& f) -> Distribution {
            const double variance = scale / fan_for(f, mode);
            switch (kind) {
              case keras::VarianceDistribution::uniform:
                return symmetric_uniform(std::sqrt(3.0 * variance));
              case keras::VarianceDistribution::untruncated_normal:
                return centred_normal(std::sqrt(variance));
              case keras::VarianceDistribution::truncated_normal:
                return keras_truncated(std::sqrt(variance));
            }
            throw std::invalid_argument("variance_scaling formula: invalid distribution");
          }));
    }
  }
  return list;
}

// ---------------------------------------------------------------------------
// Negative controls.
// ---------------------------------------------------------------------------

// An nninit fill of n values on (seed, stream id) in f32, as doubles.
std::vector<double> f32_fill(std::size_t n, const Distribution& d, std::uint64_t seed, std::uint64_t id) {
  return fill_values(DType::f32, n, d, Stream{seed, id});
}

// Each value transformed, then stored in `dtype` as nninit would store it.
template <class F>
std::vector<double> transformed(std::vector<double> values, DType dtype, F f) {
  for (double& v : values) v = round_to_dtype(f(v), dtype);
  return values;
}

std::vector<ControlSpec> make_controls() {
  // The fans of the shapes the controls borrow (the published fan rules).
  const Fans conv{576.0, 576.0};     // [64, 64, 3, 3]
  const Fans dense{4096.0, 4096.0};  // [4096, 4096]
  const Normal kaiming_normal_relu = centred_normal(std::sqrt(2.0 / conv.fan_in));
  const Uniform kaiming_uniform_relu = symmetric_uniform(std::sqrt(6.0 / conv.fan_in));
  const Uniform he_uniform_dense = symmetric_uniform(std::sqrt(6.0 / dense.fan_in));
  const TruncatedNormal he_normal_conv = keras_truncated(std::sqrt(2.0 / conv.fan_in));
  const Normal xavier_normal_dense = centred_normal(std::sqrt(2.0 / (dense.fan_in + dense.fan_out)));

  std::vector<ControlSpec> list;
  const auto add = [&](std::string name, std::string defect, std::string generated_by, std::string detector,
                       DType dtype, Distribution reference,
                       std::function<std::vector<double>(std::size_t, std::uint64_t, std::uint64_t)> make) {
    list.push_back(ControlSpec{std::move(name), std::move(defect), std::move(generated_by), std::move(detector), dtype,
                               reference, std::move(make)});
  };

  add("control.std_plus_1_percent/kaiming_normal/f32", "standard deviation 1% too large",
      "torch.kaiming_normal(fan_in, relu) fill on [64, 64, 3, 3] in f32, every value x 1.01", "standard_deviation",
      DType::f32, kaiming_normal_relu, [=](std::size_t n, std::uint64_t seed, std::uint64_t id) {
        return transformed(f32_fill(n, kaiming_normal_relu, seed, id), DType::f32, [](double x) { return 1.01 * x; });
      });
  add("control.std_plus_1_percent/kaiming_normal/bf16", "standard deviation 1% too large, in bfloat16",
      "the f32 fill of torch.kaiming_normal(fan_in, relu) x 1.01, rounded to bfloat16", "standard_deviation",
      DType::bf16, kaiming_normal_relu, [=](std::size_t n, std::uint64_t seed, std::uint64_t id) {
        return transformed(f32_fill(n, kaiming_normal_relu, seed, id), DType::bf16, [](double x) { return 1.01 * x; });
      });
  add("control.uniform_bound_minus_1_percent/he_uniform/f32", "uniform bound 1% too small",
      "keras.he_uniform fill on [4096, 4096] in f32, every value x 0.99",
      "bounds(lower/upper edge approached), standard_deviation", DType::f32, he_uniform_dense,
      [=](std::size_t n, std::uint64_t seed, std::uint64_t id) {
        return transformed(f32_fill(n, he_uniform_dense, seed, id), DType::f32, [](double x) { return 0.99 * x; });
      });
  add("control.uniform_bound_plus_1_percent/he_uniform/f32", "uniform bound 1% too large",
      "keras.he_uniform fill on [4096, 4096] in f32, every value x 1.01", "bounds(outside), standard_deviation",
      DType::f32, he_uniform_dense, [=](std::size_t n, std::uint64_t seed, std::uint64_t id) {
        return transformed(f32_fill(n, he_uniform_dense, seed, id), DType::f32, [](double x) { return 1.01 * x; });
      });
  {
    const double wrong = std::sqrt(6.0) / (2.0 * std::sqrt(conv.fan_in + conv.fan_out));
    const Uniform seed_article = symmetric_uniform(wrong);
    add("control.seed_article_he_uniform/f32",
        "the seed article's He-uniform bound sqrt(6) / (2 sqrt(n_in + n_out)) instead of sqrt(6 / fan_in)",
        "nninit fill of Uniform(-b, b), b = sqrt(6) / (2 sqrt(576 + 576)), checked against "
        "torch.kaiming_uniform(fan_in, relu) on [64, 64, 3, 3]",
        "standard_deviation, bounds, kolmogorov_smirnov", DType::f32, kaiming_uniform_relu,
        [=](std::size_t n, std::uint64_t seed, std::uint64_t id) { return f32_fill(n, seed_article, seed, id); });
  }
  add("control.mean_shift_0.01_sd/kaiming_normal/f32", "mean shifted by 0.01 standard deviations",
      "torch.kaiming_normal(fan_in, relu) fill in f32, every value + 0.01 sd", "mean", DType::f32,
      kaiming_normal_relu, [=](std::size_t n, std::uint64_t seed, std::uint64_t id) {
        const double shift = 0.01 * kaiming_normal_relu.stddev;
        return transformed(f32_fill(n, kaiming_normal_relu, seed, id), DType::f32,
                           [shift](double x) { return x + shift; });
      });
  add("control.clamped_not_truncated/he_normal/f32",
      "truncated normal made by clamping a normal to +-2 s instead of truncating",
      "nninit Normal(0, s) fill in f32 (s of keras.he_normal on [64, 64, 3, 3]) clamped to [-2 s, 2 s]",
      "bounds(mass at lower/upper)", DType::f32, he_normal_conv,
      [=](std::size_t n, std::uint64_t seed, std::uint64_t id) {
        const Normal parent = centred_normal(he_normal_conv.stddev);
        return transformed(f32_fill(n, parent, seed, id), DType::f32, [=](double x) {
          return std::clamp(x, he_normal_conv.lower, he_normal_conv.upper);
        });
      });
  for (const DType dtype : {DType::f32, DType::f64}) {
    add(std::string("control.uniform_16_bit_resolution/kaiming_uniform/") + std::string(dtype_name(dtype)),
        "uniform with only 16 bits of resolution",
        std::string("torch.kaiming_uniform(fan_in, relu) fill in ") + std::string(dtype_name(dtype)) +
            ", u = (x - low) / (high - low) floored to the 2^-16 grid, x = low + (high - low) u",
        "resolution(collisions)", dtype, kaiming_uniform_relu,
        [=](std::size_t n, std::uint64_t seed, std::uint64_t id) {
          const double low = kaiming_uniform_relu.low, width = kaiming_uniform_relu.high - kaiming_uniform_relu.low;
          // Kept inside the dtype's values in [low, high], as nninit keeps its own output.
          const ReferenceDistribution ref = reference_for(kaiming_uniform_relu, dtype);
          std::vector<double> values = fill_values(dtype, n, kaiming_uniform_relu, Stream{seed, id});
          values = transformed(std::move(values), dtype, [=](double x) {
            const double u = std::floor((x - low) / width * 65536.0) / 65536.0;
            return low + width * u;
          });
          for (double& v : values) v = std::clamp(v, ref.output_lower(), ref.output_upper());
          return values;
        });
  }
  add("control.shared_counters/xavier_normal/f32", "two chunks filled from the same counters",
      "torch.xavier_normal on [4096, 4096] in f32: chunk A = [0, n/2) at offset 0, chunk B = [n/2, n) filled "
      "with offset 0 as well (it should be n/2)",
      "correlation(first half, second half), two_level_ks", DType::f32, xavier_normal_dense,
      [=](std::size_t n, std::uint64_t seed, std::uint64_t id) {
        const std::size_t half = n / 2;
        std::vector<double> a = fill_values(DType::f32, half, xavier_normal_dense, Stream{seed, id}, 0);
        std::vector<double> b = fill_values(DType::f32, n - half, xavier_normal_dense, Stream{seed, id}, 0);
        a.insert(a.end(), b.begin(), b.end());
        return a;
      });
  return list;
}

}  // namespace

TierSettings tier_settings(Tier tier) noexcept {
  if (tier == Tier::full) return TierSettings{std::size_t{1} << 22, 3, true, (std::size_t{1} << 22) + 7};
  return TierSettings{std::size_t{1} << 20, 1, false, 3 * (std::size_t{1} << 18) + 7};
}

const char* tier_name(Tier tier) noexcept { return tier == Tier::full ? "full" : "quick"; }

const char* convention_name(Convention convention) noexcept {
  switch (convention) {
    case Convention::distribution:
      return "distribution";
    case Convention::torch:
      return "torch";
    case Convention::keras:
      return "keras";
  }
  return "?";
}

const std::vector<ShapeSpec>& shapes() {
  static const std::vector<ShapeSpec> list = {
      {"tiny", "tiny fans: fan_in 1, fan_out 2", {2, 1}, {1, 2}, 1, Fans{1.0, 2.0}},
      {"conv3x3", "3x3 convolution, 64 -> 64 channels", {64, 64, 3, 3}, {3, 3, 64, 64}, 1, Fans{576.0, 576.0}},
      {"dense4096", "4096 x 4096 dense layer", {4096, 4096}, {4096, 4096}, 1, Fans{4096.0, 4096.0}},
      {"grouped_conv", "3x3 convolution, 64 -> 64 channels in 8 groups", {64, 8, 3, 3}, {3, 3, 8, 64}, 8,
       Fans{72.0, 576.0}},
  };
  return list;
}

const std::vector<FamilySpec>& families() {
  static const std::vector<FamilySpec> list = make_families();
  return list;
}

const std::vector<ControlSpec>& controls() {
  static const std::vector<ControlSpec> list = make_controls();
  return list;
}

const std::vector<DType>& all_dtypes() {
  static const std::vector<DType> list = {DType::f32, DType::f64, DType::bf16, DType::f16};
  return list;
}

std::vector<CaseSpec> enumerate_cases(Tier tier, std::uint64_t seed, int seeds, const Selection& selection) {
  const TierSettings settings = tier_settings(tier);
  const std::vector<ShapeSpec>& shape_list = shapes();
  const std::vector<DType>& dtypes = all_dtypes();
  std::vector<CaseSpec> cases;
  const std::vector<FamilySpec>& family_list = families();
  for (std::size_t f = 0; f < family_list.size(); ++f) {
    const FamilySpec& family = family_list[f];
    for (std::size_t d = 0; d < dtypes.size(); ++d) {
      std::vector<const ShapeSpec*> on;
      if (!family.uses_fans) {
        on.push_back(nullptr);
      } else if (settings.cross_product) {
        for (const ShapeSpec& shape : shape_list) on.push_back(&shape);
      } else {
        on.push_back(&shape_list[(f + d) % shape_list.size()]);
      }
      for (const ShapeSpec* shape : on) {
        const std::string base =
            family.name + (shape != nullptr ? "/" + shape->name : std::string()) + "/" + std::string(dtype_name(dtypes[d]));
        for (int k = 0; k < seeds; ++k) {
          CaseSpec spec;
          spec.stream_name = base;
          spec.name = k == 0 ? base : base + "/seed+" + std::to_string(k);
          spec.family = &family;
          spec.shape = shape;
          spec.dtype = dtypes[d];
          spec.seed_index = k;
          spec.seed = seed + static_cast<std::uint64_t>(k);
          if (matches(selection, spec.name, spec.dtype)) cases.push_back(std::move(spec));
        }
      }
    }
  }
  return cases;
}

}  // namespace nninit::validation::suite
