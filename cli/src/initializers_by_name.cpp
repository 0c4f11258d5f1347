// initializers_by_name.cpp — the --init catalogue: names, aliases,
// parameters, the rule for unprefixed names, and the calls into nninit's
// distributions and initializers.
#include "initializers_by_name.hpp"

#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <set>

#include "arguments.hpp"
#include "nninit/gain.hpp"
#include "nninit/initializers.hpp"
#include "nninit/orthogonal.hpp"

namespace nninit::cli {
namespace {

// The --param values of one request: typed getters that remember which keys
// were used, so unknown keys can be reported afterwards.
class Parameters {
 public:
  Parameters(std::string initializer, const std::vector<std::pair<std::string, std::string>>& pairs)
      : initializer_(std::move(initializer)) {
    for (const auto& [key, value] : pairs) {
      if (!values_.emplace(key, value).second) {
        throw UsageError("--param " + key + " given more than once");
      }
    }
  }

  // Renames `alias` to `canonical` (an error if both are given).
  void alias(const std::string& alias_name, const std::string& canonical) {
    const auto found = values_.find(alias_name);
    if (found == values_.end()) return;
    if (values_.count(canonical) != 0) {
      throw UsageError("--param " + alias_name + " and --param " + canonical + " mean the same; give one");
    }
    values_.emplace(canonical, found->second);
    values_.erase(found);
  }

  bool has(const std::string& key) const { return values_.count(key) != 0; }

  std::optional<std::string> text(const std::string& key) {
    const auto found = values_.find(key);
    if (found == values_.end()) return std::nullopt;
    used_.insert(key);
    return found->second;
  }

  std::optional<double> number(const std::string& key) {
    const auto value = text(key);
    if (!value) return std::nullopt;
    return parse_double(*value, "--param " + key);
  }
  double number_or(const std::string& key, double fallback) { return number(key).value_or(fallback); }
  double required_number(const std::string& key) {
    const auto value = number(key);
    if (!value) throw UsageError(initializer_ + " needs --param " + key + "=VALUE");
    return *value;
  }
  std::optional<std::int64_t> integer(const std::string& key) {
    const auto value = text(key);
    if (!value) return std::nullopt;
    return parse_int64(*value, "--param " + key);
  }
  // An int (groups, column_axis, an axis): throws UsageError naming the key
  // when the value does not fit.
  std::optional<int> small_integer(const std::string& key) {
    const auto value = integer(key);
    if (!value) return std::nullopt;
    if (*value < std::numeric_limits<int>::min() || *value > std::numeric_limits<int>::max()) {
      throw UsageError("--param " + key + ": " + std::to_string(*value) + " is out of range");
    }
    return static_cast<int>(*value);
  }
  // One axis or a comma-separated list of axes ("0,1"); "" or "()" is the
  // empty list (JAX's batch_axis=()).
  std::optional<std::vector<int>> axis_list(const std::string& key) {
    const auto value = text(key);
    if (!value) return std::nullopt;
    std::string list = *value;
    if (list.size() >= 2 && list.front() == '(' && list.back() == ')') list = list.substr(1, list.size() - 2);
    std::vector<int> axes;
    if (list.empty()) return axes;
    std::size_t begin = 0;
    while (true) {
      const std::size_t comma = list.find(',', begin);
      const std::string item = list.substr(begin, comma == std::string::npos ? std::string::npos : comma - begin);
      const std::int64_t axis = parse_int64(item, "--param " + key);
      if (axis < std::numeric_limits<int>::min() || axis > std::numeric_limits<int>::max()) {
        throw UsageError("--param " + key + ": " + std::to_string(axis) + " is out of range");
      }
      axes.push_back(static_cast<int>(axis));
      if (comma == std::string::npos) break;
      begin = comma + 1;
    }
    return axes;
  }

  // Throws UsageError for any key no getter asked for.
  void reject_unused(const InitializerDoc& doc) const {
    for (const auto& [key, value] : values_) {
      if (used_.count(key) != 0) continue;
      std::string accepted;
      auto add = [&](const std::vector<ParameterDoc>& docs) {
        for (const ParameterDoc& parameter : docs) {
          if (!accepted.empty()) accepted += ", ";
          accepted += parameter.name;
        }
      };
      add(doc.parameters);
      if (doc.uses_fans) add(fan_parameter_docs());
      throw UsageError("--param " + key + ": " + std::string(doc.name) + " has no parameter '" + key + "' (" +
                       (accepted.empty() ? std::string("it takes none") : "it takes " + accepted) + ")");
    }
  }

 private:
  std::string initializer_;
  std::map<std::string, std::string> values_;
  std::set<std::string> used_;

 public:
  std::optional<Fans> resolved_fans;  // set by fan-based initializers
};

enum class Framework { nninit, torch, keras, jax };

// PyTorch's kaiming mode (nninit also takes fan_avg there).
FanMode parse_fan_mode(const std::string& text) {
  if (text == "fan_in") return FanMode::fan_in;
  if (text == "fan_out") return FanMode::fan_out;
  if (text == "fan_avg") return FanMode::fan_avg;
  if (text == "fan_geo_avg") {
    throw UsageError("--param mode: 'fan_geo_avg' is JAX's (jax.variance_scaling); this initializer takes fan_in, "
                     "fan_out or fan_avg");
  }
  throw UsageError("--param mode: '" + text + "' is not fan_in, fan_out or fan_avg");
}

jax::VarianceMode parse_jax_mode(const std::string& text) {
  if (text == "fan_in") return jax::VarianceMode::fan_in;
  if (text == "fan_out") return jax::VarianceMode::fan_out;
  if (text == "fan_avg") return jax::VarianceMode::fan_avg;
  if (text == "fan_geo_avg") return jax::VarianceMode::fan_geo_avg;
  throw UsageError("--param mode: '" + text + "' is not fan_in, fan_out, fan_avg or fan_geo_avg");
}

// Keras 3's VarianceScaling: "normal" means "truncated_normal" there.
keras::VarianceDistribution parse_keras_distribution(const std::string& text) {
  if (text == "truncated_normal" || text == "normal") return keras::VarianceDistribution::truncated_normal;
  if (text == "untruncated_normal") return keras::VarianceDistribution::untruncated_normal;
  if (text == "uniform") return keras::VarianceDistribution::uniform;
  throw UsageError("--param distribution: '" + text +
                   "' is not truncated_normal (alias normal, as in Keras 3), untruncated_normal or uniform");
}

// JAX's variance_scaling: "normal" is the untruncated one.
keras::VarianceDistribution parse_jax_distribution(const std::string& text) {
  if (text == "truncated_normal") return keras::VarianceDistribution::truncated_normal;
  if (text == "normal") return keras::VarianceDistribution::untruncated_normal;
  if (text == "uniform") return keras::VarianceDistribution::uniform;
  throw UsageError("--param distribution: '" + text + "' is not truncated_normal, normal (untruncated) or uniform");
}

Layout layout_of(const InitializerRequest& request, Framework framework) {
  if (request.layout) return *request.layout;
  return framework == Framework::keras || framework == Framework::jax ? Layout::keras : Layout::torch;
}

// The fans of the request: from --shape and --layout (default: the
// framework's), PyTorch's grouped convolution rule (groups), JAX's explicit
// axes (in_axis, out_axis, batch_axis: one axis or a list), or given outright
// (fan_in, fan_out). jax.* names compute the fans as JAX does (at least 2
// dimensions; --layout torch means in_axis=1, out_axis=0).
Fans resolve_fans(Parameters& parameters, const InitializerRequest& request, Framework framework,
                  bool fan_in_only) {
  const Layout layout = layout_of(request, framework);
  const auto groups = parameters.integer("groups");
  const auto in_axes = parameters.axis_list("in_axis");
  const auto out_axes = parameters.axis_list("out_axis");
  const auto batch_axes = parameters.axis_list("batch_axis");
  const auto fan_in = parameters.number("fan_in");
  const auto fan_out = parameters.number("fan_out");
  const bool axes = in_axes || out_axes || batch_axes;
  if (groups && axes)
    throw UsageError("--param groups and --param in_axis/out_axis/batch_axis cannot be combined");
  if (groups && layout != Layout::torch) {
    throw UsageError(
        "--param groups needs --layout torch (PyTorch stores grouped convolutions as [out, in/groups, "
        "k...])");
  }
  if (fan_in && (fan_out || fan_in_only) && !groups && !axes) {
    return Fans{*fan_in, fan_out.value_or(*fan_in)};
  }
  Fans fans;
  try {
    if (groups) {
      fans = compute_fans_grouped_conv(request.shape, *groups);
    } else if (axes || framework == Framework::jax) {
      FanAxisGroups groups_of_axes;
      if (!axes && layout == Layout::torch) groups_of_axes = FanAxisGroups{.in_axes = {1}, .out_axes = {0}};
      if (in_axes) groups_of_axes.in_axes = *in_axes;
      if (out_axes) groups_of_axes.out_axes = *out_axes;
      if (batch_axes) groups_of_axes.batch_axes = *batch_axes;
      fans = compute_fans(request.shape, groups_of_axes);
    } else {
      fans = compute_fans(request.shape, layout);
    }
  } catch (const std::invalid_argument& error) {
    throw UsageError(std::string("--shape ") + format_shape(request.shape) + ": " + error.what() +
                     " (or give the fans: --param fan_in=N fan_out=N)");
  }
  if (fan_in) fans.fan_in = *fan_in;
  if (fan_out) fans.fan_out = *fan_out;
  return fans;
}

// gain for Xavier: --param gain=G, or the gain of --param nonlinearity=NAME
// (with a / negative_slope for leaky_relu); 1 when neither.
double xavier_gain(Parameters& parameters) {
  parameters.alias("negative_slope", "a");
  const auto gain = parameters.number("gain");
  const auto nonlinearity = parameters.text("nonlinearity");
  const auto slope = parameters.number("a");
  if (gain && (nonlinearity || slope)) {
    throw UsageError("--param gain and --param nonlinearity/a both set the gain; give one");
  }
  if (gain) return *gain;
  if (!nonlinearity) {
    if (slope) throw UsageError("--param a needs --param nonlinearity=leaky_relu");
    return 1.0;
  }
  return calculate_gain(parse_nonlinearity(*nonlinearity), slope);
}

torch::KaimingOptions kaiming_options(Parameters& parameters) {
  parameters.alias("negative_slope", "a");
  torch::KaimingOptions options;
  options.a = parameters.number_or("a", 0.0);
  if (const auto mode = parameters.text("mode")) options.mode = parse_fan_mode(*mode);
  if (const auto nonlinearity = parameters.text("nonlinearity"))
    options.nonlinearity = parse_nonlinearity(*nonlinearity);
  return options;
}

// What a maker returns: an element-wise law or a structured initializer.
using Made = std::variant<Distribution, StructuredInitializer>;
using Maker = std::function<Made(Parameters&, const InitializerRequest&)>;

struct Entry {
  InitializerDoc doc;
  Maker make;
  // The entry whose meaning this one shares (jax.he_normal: keras.he_normal);
  // empty: its own. Unprefixed names resolve when all candidates share one.
  std::string_view same_meaning_as;
};

void add(std::vector<Entry>& list, InitializerDoc doc, Maker make, std::string_view same_meaning_as = {}) {
  list.push_back(Entry{std::move(doc), std::move(make), same_meaning_as});
}

// Fan-based makers get the fans through this wrapper.
Maker with_fans(Framework framework, std::function<Distribution(Parameters&, Fans)> make, bool fan_in_only = false) {
  return [framework, make = std::move(make), fan_in_only](Parameters& parameters,
                                                            const InitializerRequest& request) -> Made {
    const Fans fans = resolve_fans(parameters, request, framework, fan_in_only);
    parameters.resolved_fans = fans;
    return make(parameters, fans);
  };
}

Made structured(StructuredInitializer initializer) { return Made(std::in_place_index<1>, std::move(initializer)); }

const std::vector<Entry>& entries() {
  static const std::vector<Entry> table = [] {
    std::vector<Entry> list;
    const ParameterDoc gain_doc{"gain", "default 1; or nonlinearity=NAME [a=SLOPE] for calculate_gain"};
    const ParameterDoc kaiming_a{"a", "negative slope of leaky_relu, default 0 (alias negative_slope)"};
    const ParameterDoc kaiming_mode{"mode", "fan_in (default), fan_out or fan_avg"};
    const ParameterDoc kaiming_nonlinearity{"nonlinearity",
                                            "default leaky_relu; relu, tanh, selu, linear, ..."};
    const ParameterDoc column_axis_doc{"column_axis", "default -1: the axis of the columns"};

    // nninit's own distributions (no framework prefix).
    add(list, {"constant", "every element equals value", {{"value", "required"}}},
        [](Parameters& p, const InitializerRequest&) -> Made { return Constant{p.required_number("value")}; });
    add(list, {"zeros", "every element is 0", {}},
        [](Parameters&, const InitializerRequest&) -> Made { return Distribution(zeros()); });
    add(list, {"ones", "every element is 1", {}},
        [](Parameters&, const InitializerRequest&) -> Made { return Distribution(ones()); });
    add(list, {"uniform", "U[low, high) (nninit's; see also torch.uniform, keras.random_uniform, jax.uniform)",
               {{"low", "default 0"}, {"high", "default 1"}}},
        [](Parameters& p, const InitializerRequest&) -> Made {
          return Uniform{p.number_or("low", 0.0), p.number_or("high", 1.0)};
        });
    add(list,
        {"normal",
         "N(mean, std^2), not truncated (nninit's; see also torch.normal, keras.random_normal, jax.normal)",
         {{"mean", "default 0"}, {"std", "default 1 (alias stddev)"}}},
        [](Parameters& p, const InitializerRequest&) -> Made {
          p.alias("stddev", "std");
          return Normal{p.number_or("mean", 0.0), p.number_or("std", 1.0)};
        });
    add(list,
        {"truncated_normal",
         "N(mean, std^2) truncated to [lower, upper], ABSOLUTE bounds (nninit's; keras.truncated_normal and "
         "jax.truncated_normal take bounds in standard deviations)",
         {{"mean", "default 0"},
          {"std", "default 1 (alias stddev)"},
          {"lower", "default -2 (alias a)"},
          {"upper", "default 2 (alias b)"}}},
        [](Parameters& p, const InitializerRequest&) -> Made {
          p.alias("stddev", "std");
          p.alias("a", "lower");
          p.alias("b", "upper");
          return TruncatedNormal{p.number_or("mean", 0.0), p.number_or("std", 1.0), p.number_or("lower", -2.0),
                                 p.number_or("upper", 2.0)};
        });
    add(list,
        {"truncated_normal_in_stddevs",
         "N(mean, std^2) truncated to [mean + lower*std, mean + upper*std] (Keras/JAX bounds)",
         {{"mean", "default 0"},
          {"std", "default 1 (alias stddev)"},
          {"lower", "default -2, in standard deviations"},
          {"upper", "default 2, in standard deviations"}}},
        [](Parameters& p, const InitializerRequest&) -> Made {
          p.alias("stddev", "std");
          return truncated_normal_in_stddevs(p.number_or("mean", 0.0), p.number_or("std", 1.0),
                                             p.number_or("lower", -2.0), p.number_or("upper", 2.0));
        });

    // PyTorch: torch.nn.init.
    add(list, {"torch.uniform", "uniform_: U[a, b)", {{"a", "default 0"}, {"b", "default 1"}}},
        [](Parameters& p, const InitializerRequest&) -> Made {
          return torch::uniform(p.number_or("a", 0.0), p.number_or("b", 1.0));
        });
    add(list, {"torch.normal", "normal_: N(mean, std^2), not truncated", {{"mean", "default 0"}, {"std", "default 1"}}},
        [](Parameters& p, const InitializerRequest&) -> Made {
          return torch::normal(p.number_or("mean", 0.0), p.number_or("std", 1.0));
        });
    add(list, {"torch.constant", "constant_: every element equals val", {{"val", "required (alias value)"}}},
        [](Parameters& p, const InitializerRequest&) -> Made {
          p.alias("value", "val");
          return torch::constant(p.required_number("val"));
        });
    add(list, {"torch.zeros", "zeros_: every element is 0", {}},
        [](Parameters&, const InitializerRequest&) -> Made { return Distribution(torch::zeros()); });
    add(list, {"torch.ones", "ones_: every element is 1", {}},
        [](Parameters&, const InitializerRequest&) -> Made { return Distribution(torch::ones()); });
    add(list, {"torch.xavier_uniform", "U(-a, a), a = gain * sqrt(6 / (fan_in + fan_out))", {gain_doc}, true},
        with_fans(Framework::torch, [](Parameters& p, Fans fans) -> Distribution {
          return torch::xavier_uniform(fans, xavier_gain(p));
        }));
    add(list,
        {"torch.xavier_normal", "N(0, std^2), std = gain * sqrt(2 / (fan_in + fan_out))", {gain_doc}, true},
        with_fans(Framework::torch, [](Parameters& p, Fans fans) -> Distribution {
          return torch::xavier_normal(fans, xavier_gain(p));
        }));
    add(list,
        {"torch.kaiming_uniform",
         "U(-b, b), b = gain * sqrt(3 / fan)",
         {kaiming_a, kaiming_mode, kaiming_nonlinearity},
         true},
        with_fans(Framework::torch, [](Parameters& p, Fans fans) -> Distribution {
          return torch::kaiming_uniform(fans, kaiming_options(p));
        }));
    add(list,
        {"torch.kaiming_normal",
         "N(0, std^2), std = gain / sqrt(fan), not truncated",
         {kaiming_a, kaiming_mode, kaiming_nonlinearity},
         true},
        with_fans(Framework::torch, [](Parameters& p, Fans fans) -> Distribution {
          return torch::kaiming_normal(fans, kaiming_options(p));
        }));
    add(list,
        {"torch.linear_default",
         "nn.Linear / nn.ConvNd weight default: U(-1/sqrt(fan_in), 1/sqrt(fan_in))",
         {},
         true},
        with_fans(
            Framework::torch, [](Parameters&, Fans fans) -> Distribution { return torch::linear_default(fans); },
            true));
    add(list,
        {"torch.linear_bias_default",
         "nn.Linear / nn.ConvNd bias default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with the WEIGHT's fan_in",
         {{"fan_in", "required: the weight's fan_in (the bias's own shape does not give it)"}}},
        [](Parameters& p, const InitializerRequest&) -> Made {
          const double fan_in = p.required_number("fan_in");
          return torch::linear_bias_default(Fans{fan_in, fan_in});
        });
    add(list,
        {"torch.trunc_normal",
         "N(mean, std^2) truncated to [a, b], ABSOLUTE bounds (trunc_normal_)",
         {{"mean", "default 0"},
          {"std", "default 1 (alias stddev)"},
          {"a", "default -2 (alias lower)"},
          {"b", "default 2 (alias upper)"}}},
        [](Parameters& p, const InitializerRequest&) -> Made {
          p.alias("stddev", "std");
          p.alias("lower", "a");
          p.alias("upper", "b");
          return torch::trunc_normal(p.number_or("mean", 0.0), p.number_or("std", 1.0), p.number_or("a", -2.0),
                                     p.number_or("b", 2.0));
        });
    add(list,
        {"torch.orthogonal",
         "orthogonal_: rows = shape[0], cols = the rest flattened; Haar-orthogonal times gain",
         {{"gain", "default 1"}},
         false,
         true},
        [](Parameters& p, const InitializerRequest&) -> Made {
          return structured(torch::orthogonal(p.number_or("gain", 1.0)));
        });
    add(list, {"torch.eye", "eye_: 2-D, ones where row == column (rectangular allowed)", {}, false, true},
        [](Parameters&, const InitializerRequest&) -> Made { return structured(Eye{}); });
    add(list,
        {"torch.dirac",
         "dirac_: 3/4/5-D [out, in, k...], a one at [g*out/groups + d, d, k//2...]",
         {{"groups", "default 1; must divide shape[0]"}},
         false,
         true},
        [](Parameters& p, const InitializerRequest&) -> Made {
          return structured(Dirac{p.small_integer("groups").value_or(1)});
        });
    add(list,
        {"torch.sparse",
         "sparse_: 2-D, N(0, std^2) with exactly ceil(sparsity * rows) zeros in every column",
         {{"sparsity", "required, in [0, 1]"}, {"std", "default 0.01"}},
         false,
         true},
        [](Parameters& p, const InitializerRequest&) -> Made {
          return structured(Sparse{p.required_number("sparsity"), p.number_or("std", 0.01)});
        });

    // Keras 3: keras.initializers (class names as aliases).
    add(list, {"keras.random_uniform", "RandomUniform: U[minval, maxval)",
               {{"minval", "default -0.05"}, {"maxval", "default 0.05"}}, false, false, {"keras.RandomUniform"}},
        [](Parameters& p, const InitializerRequest&) -> Made {
          return keras::random_uniform(p.number_or("minval", -0.05), p.number_or("maxval", 0.05));
        });
    add(list, {"keras.random_normal", "RandomNormal: N(mean, stddev^2), not truncated",
               {{"mean", "default 0"}, {"stddev", "default 0.05"}}, false, false, {"keras.RandomNormal"}},
        [](Parameters& p, const InitializerRequest&) -> Made {
          return keras::random_normal(p.number_or("mean", 0.0), p.number_or("stddev", 0.05));
        });
    add(list,
        {"keras.truncated_normal",
         "TruncatedNormal: N(mean, stddev^2) truncated to mean +- 2 stddev, no variance correction",
         {{"mean", "default 0"}, {"stddev", "default 0.05 (alias std)"}},
         false,
         false,
         {"keras.TruncatedNormal"}},
        [](Parameters& p, const InitializerRequest&) -> Made {
          p.alias("std", "stddev");
          return keras::truncated_normal(p.number_or("mean", 0.0), p.number_or("stddev", 0.05));
        });
    add(list, {"keras.constant", "Constant: every element equals value", {{"value", "default 0"}}, false, false,
               {"keras.Constant"}},
        [](Parameters& p, const InitializerRequest&) -> Made { return keras::constant(p.number_or("value", 0.0)); });
    add(list, {"keras.zeros", "Zeros: every element is 0", {}, false, false, {"keras.Zeros"}},
        [](Parameters&, const InitializerRequest&) -> Made { return Distribution(keras::zeros()); }, "zeros");
    add(list, {"keras.ones", "Ones: every element is 1", {}, false, false, {"keras.Ones"}},
        [](Parameters&, const InitializerRequest&) -> Made { return Distribution(keras::ones()); }, "ones");
    add(list, {"keras.glorot_uniform", "U(-a, a), a = sqrt(6 / (fan_in + fan_out))", {}, true, false,
               {"keras.GlorotUniform"}},
        with_fans(Framework::keras,
                  [](Parameters&, Fans fans) -> Distribution { return keras::glorot_uniform(fans); }));
    add(list,
        {"keras.glorot_normal", "normal truncated at +-2 s, s = sqrt(2 / (fan_in + fan_out)) / 0.8796", {}, true,
         false, {"keras.GlorotNormal"}},
        with_fans(Framework::keras,
                  [](Parameters&, Fans fans) -> Distribution { return keras::glorot_normal(fans); }));
    add(list, {"keras.he_uniform", "U(-a, a), a = sqrt(6 / fan_in)", {}, true, false, {"keras.HeUniform"}},
        with_fans(Framework::keras, [](Parameters&, Fans fans) -> Distribution { return keras::he_uniform(fans); }));
    add(list, {"keras.he_normal", "normal truncated at +-2 s, s = sqrt(2 / fan_in) / 0.8796", {}, true, false,
               {"keras.HeNormal"}},
        with_fans(Framework::keras, [](Parameters&, Fans fans) -> Distribution { return keras::he_normal(fans); }));
    add(list, {"keras.lecun_uniform", "U(-a, a), a = sqrt(3 / fan_in)", {}, true, false, {"keras.LecunUniform"}},
        with_fans(Framework::keras,
                  [](Parameters&, Fans fans) -> Distribution { return keras::lecun_uniform(fans); }));
    add(list, {"keras.lecun_normal", "normal truncated at +-2 s, s = sqrt(1 / fan_in) / 0.8796", {}, true, false,
               {"keras.LecunNormal"}},
        with_fans(Framework::keras,
                  [](Parameters&, Fans fans) -> Distribution { return keras::lecun_normal(fans); }));
    add(list,
        {"keras.variance_scaling",
         "VarianceScaling: variance scale / fan as uniform, normal or +-2 sigma truncated normal",
         {{"scale", "default 1"},
          {"mode", "fan_in (default), fan_out or fan_avg"},
          {"distribution", "truncated_normal (default; alias normal, as in Keras 3), untruncated_normal or uniform"}},
         true,
         false,
         {"keras.VarianceScaling"}},
        with_fans(Framework::keras, [](Parameters& p, Fans fans) -> Distribution {
          const double scale = p.number_or("scale", 1.0);
          const auto mode = p.text("mode");
          const auto distribution = p.text("distribution");
          return keras::variance_scaling(fans, scale, mode ? parse_fan_mode(*mode) : FanMode::fan_in,
                                         distribution ? parse_keras_distribution(*distribution)
                                                      : keras::VarianceDistribution::truncated_normal);
        }));
    add(list,
        {"keras.orthogonal",
         "Orthogonal: rows = shape[:-1] flattened, cols = shape[-1]; Haar-orthogonal times gain",
         {{"gain", "default 1"}},
         false,
         true,
         {"keras.Orthogonal", "keras.OrthogonalInitializer"}},
        [](Parameters& p, const InitializerRequest&) -> Made {
          return structured(keras::orthogonal(p.number_or("gain", 1.0)));
        });
    add(list,
        {"keras.identity", "Identity: 2-D, gain on the diagonal", {{"gain", "default 1"}}, false, true,
         {"keras.Identity", "keras.IdentityInitializer"}},
        [](Parameters& p, const InitializerRequest&) -> Made {
          return structured(Identity{p.number_or("gain", 1.0)});
        });

    // JAX: jax.nn.initializers.
    add(list, {"jax.uniform", "U[0, scale)", {{"scale", "default 0.01"}}},
        [](Parameters& p, const InitializerRequest&) -> Made { return jax::uniform(p.number_or("scale", 1e-2)); });
    add(list, {"jax.normal", "N(0, stddev^2), not truncated", {{"stddev", "default 0.01"}}},
        [](Parameters& p, const InitializerRequest&) -> Made { return jax::normal(p.number_or("stddev", 1e-2)); });
    add(list,
        {"jax.truncated_normal",
         "N(0, stddev^2) truncated to [lower * stddev, upper * stddev], no variance correction",
         {{"stddev", "default 0.01"}, {"lower", "default -2, in standard deviations"},
          {"upper", "default 2, in standard deviations"}}},
        [](Parameters& p, const InitializerRequest&) -> Made {
          return jax::truncated_normal(p.number_or("stddev", 1e-2), p.number_or("lower", -2.0),
                                       p.number_or("upper", 2.0));
        });
    add(list, {"jax.constant", "every element equals value", {{"value", "required"}}},
        [](Parameters& p, const InitializerRequest&) -> Made { return jax::constant(p.required_number("value")); });
    add(list, {"jax.zeros", "every element is 0", {}},
        [](Parameters&, const InitializerRequest&) -> Made { return Distribution(jax::zeros()); }, "zeros");
    add(list, {"jax.ones", "every element is 1", {}},
        [](Parameters&, const InitializerRequest&) -> Made { return Distribution(jax::ones()); }, "ones");
    add(list,
        {"jax.variance_scaling",
         "variance scale / fan as uniform, normal or +-2 sigma truncated normal (JAX's fans)",
         {{"scale", "required"},
          {"mode", "required: fan_in, fan_out, fan_avg or fan_geo_avg"},
          {"distribution", "required: truncated_normal, normal (untruncated) or uniform"}},
         true},
        with_fans(Framework::jax, [](Parameters& p, Fans fans) -> Distribution {
          const double scale = p.required_number("scale");
          const auto mode = p.text("mode");
          if (!mode) throw UsageError("jax.variance_scaling needs --param mode=fan_in|fan_out|fan_avg|fan_geo_avg");
          const auto distribution = p.text("distribution");
          if (!distribution) {
            throw UsageError("jax.variance_scaling needs --param distribution=truncated_normal|normal|uniform");
          }
          return jax::variance_scaling(fans, scale, parse_jax_mode(*mode), parse_jax_distribution(*distribution));
        }));
    struct JaxNamed {
      std::string_view name;
      std::string_view summary;
      Distribution (*make)(Fans);
      std::string_view same_meaning_as;
    };
    static const JaxNamed jax_named[] = {
        {"jax.glorot_uniform", "U(-a, a), a = sqrt(6 / (fan_in + fan_out))",
         [](Fans f) -> Distribution { return jax::glorot_uniform(f); }, "keras.glorot_uniform"},
        {"jax.glorot_normal", "normal truncated at +-2 s, s = sqrt(2 / (fan_in + fan_out)) / 0.8796",
         [](Fans f) -> Distribution { return jax::glorot_normal(f); }, "keras.glorot_normal"},
        {"jax.xavier_uniform", "= jax.glorot_uniform", [](Fans f) -> Distribution { return jax::xavier_uniform(f); },
         "keras.glorot_uniform"},
        {"jax.xavier_normal", "= jax.glorot_normal (truncated, unlike torch.xavier_normal)",
         [](Fans f) -> Distribution { return jax::xavier_normal(f); }, "keras.glorot_normal"},
        {"jax.he_uniform", "U(-a, a), a = sqrt(6 / fan_in)", [](Fans f) -> Distribution { return jax::he_uniform(f); },
         "keras.he_uniform"},
        {"jax.he_normal", "normal truncated at +-2 s, s = sqrt(2 / fan_in) / 0.8796",
         [](Fans f) -> Distribution { return jax::he_normal(f); }, "keras.he_normal"},
        {"jax.kaiming_uniform", "= jax.he_uniform", [](Fans f) -> Distribution { return jax::kaiming_uniform(f); },
         "keras.he_uniform"},
        {"jax.kaiming_normal", "= jax.he_normal (truncated, unlike torch.kaiming_normal)",
         [](Fans f) -> Distribution { return jax::kaiming_normal(f); }, "keras.he_normal"},
        {"jax.lecun_uniform", "U(-a, a), a = sqrt(3 / fan_in)",
         [](Fans f) -> Distribution { return jax::lecun_uniform(f); }, "keras.lecun_uniform"},
        {"jax.lecun_normal", "normal truncated at +-2 s, s = sqrt(1 / fan_in) / 0.8796",
         [](Fans f) -> Distribution { return jax::lecun_normal(f); }, "keras.lecun_normal"},
    };
    for (const JaxNamed& named : jax_named) {
      add(list, {named.name, named.summary, {}, true},
          with_fans(Framework::jax, [make = named.make](Parameters&, Fans fans) { return make(fans); }),
          named.same_meaning_as);
    }
    add(list,
        {"jax.orthogonal",
         "cols = shape[column_axis], rows = the rest; Haar-orthogonal times scale",
         {{"scale", "default 1"}, column_axis_doc},
         false,
         true},
        [](Parameters& p, const InitializerRequest&) -> Made {
          return structured(jax::orthogonal(p.number_or("scale", 1.0), p.small_integer("column_axis").value_or(-1)));
        });
    add(list,
        {"jax.delta_orthogonal",
         "3/4/5-D [k..., in, out], in <= out: zeros but jax.orthogonal at the centre (k - 1) // 2",
         {{"scale", "default 1"}, column_axis_doc},
         false,
         true},
        [](Parameters& p, const InitializerRequest&) -> Made {
          return structured(
              DeltaOrthogonal{p.number_or("scale", 1.0), p.small_integer("column_axis").value_or(-1)});
        });
    return list;
  }();
  return table;
}

bool entry_has_name(const Entry& entry, std::string_view name) {
  if (entry.doc.name == name) return true;
  for (const std::string_view alias : entry.doc.aliases) {
    if (alias == name) return true;
  }
  return false;
}

// True when `full` is "<prefix>.<name>".
bool names_suffix(std::string_view full, std::string_view name) {
  return full.size() > name.size() && full.ends_with(name) && full[full.size() - name.size() - 1] == '.';
}

std::string_view meaning_of(const Entry& entry) {
  return entry.same_meaning_as.empty() ? entry.doc.name : entry.same_meaning_as;
}

const Entry* entry_named(std::string_view name) {
  for (const Entry& entry : entries()) {
    if (entry_has_name(entry, name)) return &entry;
  }
  return nullptr;
}

const Entry& find_entry(std::string_view requested) {
  std::string name(requested);
  const bool torch_spelling = name.size() > 1 && name.back() == '_';  // PyTorch's in-place spelling
  if (torch_spelling) {
    name.pop_back();
    if (const Entry* entry = entry_named("torch." + name)) return *entry;
  }
  if (const Entry* entry = entry_named(name)) return *entry;
  std::vector<const Entry*> candidates;
  for (const Entry& entry : entries()) {
    bool matches = names_suffix(entry.doc.name, name);
    for (const std::string_view alias : entry.doc.aliases) matches = matches || names_suffix(alias, name);
    if (matches) candidates.push_back(&entry);
  }
  if (candidates.size() == 1) return *candidates.front();
  if (candidates.size() > 1) {
    const std::string_view meaning = meaning_of(*candidates.front());
    bool one_meaning = true;
    for (const Entry* candidate : candidates) one_meaning = one_meaning && meaning_of(*candidate) == meaning;
    if (one_meaning) {
      if (const Entry* entry = entry_named(meaning)) return *entry;
      return *candidates.front();
    }
    std::string listed;
    for (const Entry* candidate : candidates) {
      listed += "\n  " + std::string(candidate->doc.name) + "  " + std::string(candidate->doc.summary);
    }
    throw UsageError("--init: '" + std::string(requested) +
                     "' is ambiguous: the frameworks mean different things by it; give one of" + listed);
  }
  std::string known;
  for (const Entry& entry : entries()) {
    if (!known.empty()) known += ", ";
    known += entry.doc.name;
  }
  throw UsageError("--init: unknown initializer '" + std::string(requested) + "'; known: " + known +
                   " ('nninit inits' lists them with their aliases and parameters)");
}

std::string format_gain(double value) { return format_double(value); }

}  // namespace

const std::vector<InitializerDoc>& initializer_catalogue() {
  static const std::vector<InitializerDoc> docs = [] {
    std::vector<InitializerDoc> list;
    for (const Entry& entry : entries()) list.push_back(entry.doc);
    return list;
  }();
  return docs;
}

const std::vector<ParameterDoc>& fan_parameter_docs() {
  static const std::vector<ParameterDoc> docs = {
      {"groups",
       "grouped convolution (torch layout [out, in/groups, k...]): checks groups against the shape"},
      {"fan_in", "use this fan_in instead of the shape's"},
      {"fan_out", "use this fan_out instead of the shape's"},
      {"in_axis", "JAX's input axis or axes: one axis or a list (0,1); negative counts from the end"},
      {"out_axis", "JAX's output axis or axes"},
      {"batch_axis", "JAX's batch axis or axes, excluded from the fans ('' or () for none)"},
  };
  return docs;
}

std::string describe_structured(const StructuredInitializer& initializer) {
  struct Describer {
    std::string operator()(const Orthogonal& spec) const {
      switch (spec.convention) {
        case OrthogonalConvention::torch:
          return "orthogonal(convention=torch, gain=" + format_gain(spec.gain) + ")";
        case OrthogonalConvention::keras:
          return "orthogonal(convention=keras, gain=" + format_gain(spec.gain) + ")";
        case OrthogonalConvention::jax:
          return "orthogonal(convention=jax, scale=" + format_gain(spec.gain) +
                 ", column_axis=" + std::to_string(spec.column_axis) + ")";
      }
      return "orthogonal(?)";
    }
    std::string operator()(const Eye&) const { return "eye()"; }
    std::string operator()(const Identity& spec) const { return "identity(gain=" + format_gain(spec.gain) + ")"; }
    std::string operator()(const Dirac& spec) const { return "dirac(groups=" + std::to_string(spec.groups) + ")"; }
    std::string operator()(const DeltaOrthogonal& spec) const {
      return "delta_orthogonal(scale=" + format_gain(spec.scale) + ", column_axis=" + std::to_string(spec.column_axis) +
             ")";
    }
    std::string operator()(const Sparse& spec) const {
      return "sparse(sparsity=" + format_gain(spec.sparsity) + ", std=" + format_gain(spec.std) + ")";
    }
  };
  return std::visit(Describer{}, initializer);
}

ResolvedInitializer resolve_initializer(const InitializerRequest& request, InitializerKinds kinds) {
  const Entry& entry = find_entry(request.name);
  ResolvedInitializer resolved;
  resolved.name = std::string(entry.doc.name);
  if (entry.doc.structured && kinds == InitializerKinds::element_wise) {
    throw UsageError("--init " + resolved.name +
                     ": a structured initializer (its values depend on the whole tensor), which this command "
                     "does not take; it takes the element-wise ones");
  }
  if (entry.doc.structured && request.layout) {
    throw UsageError("--layout: " + resolved.name +
                     " reads the shape in its framework's own convention (see 'nninit inits'); leave --layout out");
  }
  Parameters parameters(std::string(entry.doc.name), request.parameters);
  Made made;
  try {
    made = entry.make(parameters, request);
  } catch (const std::invalid_argument& error) {  // the library's message names its parameter
    throw UsageError("--init " + resolved.name + ": " + error.what());
  }
  parameters.reject_unused(entry.doc);
  if (std::holds_alternative<Distribution>(made)) {
    resolved.distribution = std::get<Distribution>(made);
  } else {
    resolved.structured = std::get<StructuredInitializer>(made);
    if (const auto* sparse = std::get_if<Sparse>(&*resolved.structured)) {
      resolved.distribution = Normal{0.0, sparse->std};
    }
  }
  resolved.fans = parameters.resolved_fans;
  return resolved;
}

Layout parse_layout(std::string_view text, std::string_view what) {
  if (text == "torch" || text == "pytorch") return Layout::torch;
  if (text == "keras" || text == "jax") return Layout::keras;
  throw UsageError(std::string(what) + ": '" + std::string(text) + "' is not torch or keras");
}

}  // namespace nninit::cli
