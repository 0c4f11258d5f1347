// initializers_by_name.cpp — the --init catalogue: names, parameters, and the
// calls into nninit's distributions and initializers.
#include "initializers_by_name.hpp"

#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <set>

#include "arguments.hpp"
#include "nninit/gain.hpp"
#include "nninit/initializers.hpp"

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

FanMode parse_fan_mode(const std::string& text) {
  if (text == "fan_in") return FanMode::fan_in;
  if (text == "fan_out") return FanMode::fan_out;
  if (text == "fan_avg") return FanMode::fan_avg;
  throw UsageError("--param mode: '" + text + "' is not fan_in, fan_out or fan_avg");
}

keras::VarianceDistribution parse_variance_distribution(const std::string& text) {
  if (text == "truncated_normal") return keras::VarianceDistribution::truncated_normal;
  if (text == "untruncated_normal" || text == "normal")
    return keras::VarianceDistribution::untruncated_normal;
  if (text == "uniform") return keras::VarianceDistribution::uniform;
  throw UsageError("--param distribution: '" + text +
                   "' is not truncated_normal, untruncated_normal (or normal) or uniform");
}

// The fans of the request: from --shape and --layout, PyTorch's grouped
// convolution rule (groups), JAX's explicit axes (in_axis, out_axis,
// batch_axis), or given outright (fan_in, fan_out).
Fans resolve_fans(Parameters& parameters, const InitializerRequest& request, bool fan_in_only) {
  const auto groups = parameters.integer("groups");
  const auto in_axis = parameters.integer("in_axis");
  const auto out_axis = parameters.integer("out_axis");
  const auto batch_axis = parameters.integer("batch_axis");
  const auto fan_in = parameters.number("fan_in");
  const auto fan_out = parameters.number("fan_out");
  const bool axes = in_axis || out_axis || batch_axis;
  if (groups && axes)
    throw UsageError("--param groups and --param in_axis/out_axis/batch_axis cannot be combined");
  if (groups && request.layout != Layout::torch) {
    throw UsageError(
        "--param groups needs --layout torch (PyTorch stores grouped convolutions as [out, in/groups, "
        "k...])");
  }
  if (fan_in && (fan_out || fan_in_only) && !groups && !axes) {
    return Fans{*fan_in, fan_out.value_or(*fan_in)};
  }
  auto to_int = [](std::int64_t value, const char* what) {
    if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max()) {
      throw UsageError(std::string("--param ") + what + ": " + std::to_string(value) + " is out of range");
    }
    return static_cast<int>(value);
  };
  Fans fans;
  try {
    if (groups) {
      fans = compute_fans_grouped_conv(request.shape, *groups);
    } else if (axes) {
      FanAxes fan_axes;
      if (in_axis) fan_axes.in_axis = to_int(*in_axis, "in_axis");
      if (out_axis) fan_axes.out_axis = to_int(*out_axis, "out_axis");
      if (batch_axis) fan_axes.batch_axis = to_int(*batch_axis, "batch_axis");
      fans = compute_fans(request.shape, fan_axes);
    } else {
      fans = compute_fans(request.shape, request.layout);
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

using Maker = std::function<Distribution(Parameters&, const InitializerRequest&)>;

struct Entry {
  InitializerDoc doc;
  Maker make;
};

void add(std::vector<Entry>& list, InitializerDoc doc, Maker make) {
  list.push_back(Entry{std::move(doc), std::move(make)});
}

// Fan-based makers get the fans through this wrapper.
Maker with_fans(std::function<Distribution(Parameters&, Fans)> make, bool fan_in_only = false) {
  return [make = std::move(make), fan_in_only](Parameters& parameters, const InitializerRequest& request) {
    const Fans fans = resolve_fans(parameters, request, fan_in_only);
    parameters.resolved_fans = fans;
    return make(parameters, fans);
  };
}

const std::vector<Entry>& entries() {
  static const std::vector<Entry> table = [] {
    std::vector<Entry> list;
    const ParameterDoc gain_doc{"gain", "default 1; or nonlinearity=NAME [a=SLOPE] for calculate_gain"};
    const ParameterDoc kaiming_a{"a", "negative slope of leaky_relu, default 0 (alias negative_slope)"};
    const ParameterDoc kaiming_mode{"mode", "fan_in (default), fan_out or fan_avg"};
    const ParameterDoc kaiming_nonlinearity{"nonlinearity",
                                            "default leaky_relu; relu, tanh, selu, linear, ..."};

    add(list, {"constant", "every element equals value", {{"value", "required"}}},
        [](Parameters& p, const InitializerRequest&) -> Distribution {
          return Constant{p.required_number("value")};
        });
    add(list, {"zeros", "every element is 0", {}},
        [](Parameters&, const InitializerRequest&) -> Distribution { return zeros(); });
    add(list, {"ones", "every element is 1", {}},
        [](Parameters&, const InitializerRequest&) -> Distribution { return ones(); });
    add(list, {"uniform", "U[low, high)", {{"low", "default 0"}, {"high", "default 1"}}},
        [](Parameters& p, const InitializerRequest&) -> Distribution {
          return Uniform{p.number_or("low", 0.0), p.number_or("high", 1.0)};
        });
    add(list,
        {"normal",
         "N(mean, std^2), not truncated",
         {{"mean", "default 0"}, {"std", "default 1 (alias stddev)"}}},
        [](Parameters& p, const InitializerRequest&) -> Distribution {
          p.alias("stddev", "std");
          return Normal{p.number_or("mean", 0.0), p.number_or("std", 1.0)};
        });
    add(list,
        {"truncated_normal",
         "N(mean, std^2) truncated to [lower, upper], ABSOLUTE bounds",
         {{"mean", "default 0"},
          {"std", "default 1 (alias stddev)"},
          {"lower", "default -2 (alias a)"},
          {"upper", "default 2 (alias b)"}}},
        [](Parameters& p, const InitializerRequest&) -> Distribution {
          p.alias("stddev", "std");
          p.alias("a", "lower");
          p.alias("b", "upper");
          return TruncatedNormal{p.number_or("mean", 0.0), p.number_or("std", 1.0),
                                 p.number_or("lower", -2.0), p.number_or("upper", 2.0)};
        });
    add(list,
        {"truncated_normal_in_stddevs",
         "N(mean, std^2) truncated to [mean + lower*std, mean + upper*std] (Keras/JAX bounds)",
         {{"mean", "default 0"},
          {"std", "default 1 (alias stddev)"},
          {"lower", "default -2, in standard deviations"},
          {"upper", "default 2, in standard deviations"}}},
        [](Parameters& p, const InitializerRequest&) -> Distribution {
          p.alias("stddev", "std");
          return truncated_normal_in_stddevs(p.number_or("mean", 0.0), p.number_or("std", 1.0),
                                             p.number_or("lower", -2.0), p.number_or("upper", 2.0));
        });

    add(list, {"torch.xavier_uniform", "U(-a, a), a = gain * sqrt(6 / (fan_in + fan_out))", {gain_doc}, true},
        with_fans([](Parameters& p, Fans fans) -> Distribution {
          return torch::xavier_uniform(fans, xavier_gain(p));
        }));
    add(list,
        {"torch.xavier_normal", "N(0, std^2), std = gain * sqrt(2 / (fan_in + fan_out))", {gain_doc}, true},
        with_fans([](Parameters& p, Fans fans) -> Distribution {
          return torch::xavier_normal(fans, xavier_gain(p));
        }));
    add(list,
        {"torch.kaiming_uniform",
         "U(-b, b), b = gain * sqrt(3 / fan)",
         {kaiming_a, kaiming_mode, kaiming_nonlinearity},
         true},
        with_fans([](Parameters& p, Fans fans) -> Distribution {
          return torch::kaiming_uniform(fans, kaiming_options(p));
        }));
    add(list,
        {"torch.kaiming_normal",
         "N(0, std^2), std = gain / sqrt(fan)",
         {kaiming_a, kaiming_mode, kaiming_nonlinearity},
         true},
        with_fans([](Parameters& p, Fans fans) -> Distribution {
          return torch::kaiming_normal(fans, kaiming_options(p));
        }));
    add(list,
        {"torch.linear_default",
         "nn.Linear / nn.ConvNd weight default: U(-1/sqrt(fan_in), 1/sqrt(fan_in))",
         {},
         true},
        with_fans([](Parameters&, Fans fans) -> Distribution { return torch::linear_default(fans); }, true));
    add(list,
        {"torch.linear_bias_default",
         "nn.Linear / nn.ConvNd bias default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with the WEIGHT's fan_in",
         {{"fan_in", "required: the weight's fan_in (the bias's own shape does not give it)"}}},
        [](Parameters& p, const InitializerRequest&) -> Distribution {
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
        [](Parameters& p, const InitializerRequest&) -> Distribution {
          p.alias("stddev", "std");
          p.alias("lower", "a");
          p.alias("upper", "b");
          return torch::trunc_normal(p.number_or("mean", 0.0), p.number_or("std", 1.0),
                                     p.number_or("a", -2.0), p.number_or("b", 2.0));
        });

    add(list, {"keras.glorot_uniform", "U(-a, a), a = sqrt(6 / (fan_in + fan_out))", {}, true},
        with_fans([](Parameters&, Fans fans) -> Distribution { return keras::glorot_uniform(fans); }));
    add(list,
        {"keras.glorot_normal",
         "normal truncated at +-2 s, s = sqrt(2 / (fan_in + fan_out)) / 0.8796",
         {},
         true},
        with_fans([](Parameters&, Fans fans) -> Distribution { return keras::glorot_normal(fans); }));
    add(list, {"keras.he_uniform", "U(-a, a), a = sqrt(6 / fan_in)", {}, true},
        with_fans([](Parameters&, Fans fans) -> Distribution { return keras::he_uniform(fans); }));
    add(list, {"keras.he_normal", "normal truncated at +-2 s, s = sqrt(2 / fan_in) / 0.8796", {}, true},
        with_fans([](Parameters&, Fans fans) -> Distribution { return keras::he_normal(fans); }));
    add(list, {"keras.lecun_uniform", "U(-a, a), a = sqrt(3 / fan_in)", {}, true},
        with_fans([](Parameters&, Fans fans) -> Distribution { return keras::lecun_uniform(fans); }));
    add(list, {"keras.lecun_normal", "normal truncated at +-2 s, s = sqrt(1 / fan_in) / 0.8796", {}, true},
        with_fans([](Parameters&, Fans fans) -> Distribution { return keras::lecun_normal(fans); }));
    add(list,
        {"keras.variance_scaling",
         "variance scale / fan as uniform, normal or +-2 sigma truncated normal",
         {{"scale", "default 1"},
          {"mode", "fan_in (default), fan_out or fan_avg"},
          {"distribution", "truncated_normal (default), untruncated_normal (alias normal) or uniform"}},
         true},
        with_fans([](Parameters& p, Fans fans) -> Distribution {
          const double scale = p.number_or("scale", 1.0);
          const auto mode = p.text("mode");
          const auto distribution = p.text("distribution");
          return keras::variance_scaling(fans, scale, mode ? parse_fan_mode(*mode) : FanMode::fan_in,
                                         distribution ? parse_variance_distribution(*distribution)
                                                      : keras::VarianceDistribution::truncated_normal);
        }));
    add(list,
        {"keras.truncated_normal",
         "N(mean, std^2) truncated to mean +- 2 std, no variance correction",
         {{"mean", "default 0"}, {"std", "required (Keras uses 0.05, JAX 0.01; alias stddev)"}}},
        [](Parameters& p, const InitializerRequest&) -> Distribution {
          p.alias("stddev", "std");
          const double mean = p.number_or("mean", 0.0);
          return keras::truncated_normal(mean, p.required_number("std"));
        });
    return list;
  }();
  return table;
}

const Entry& find_entry(std::string_view requested) {
  std::string name(requested);
  if (name.size() > 1 && name.back() == '_') name.pop_back();  // PyTorch's in-place spelling
  for (const Entry& entry : entries()) {
    if (entry.doc.name == name) return entry;
  }
  const Entry* unique = nullptr;
  int matches = 0;
  for (const Entry& entry : entries()) {
    const std::string_view full = entry.doc.name;
    if (full.size() > name.size() && full.ends_with(name) && full[full.size() - name.size() - 1] == '.') {
      unique = &entry;
      ++matches;
    }
  }
  if (matches == 1) return *unique;
  std::string known;
  for (const Entry& entry : entries()) {
    if (!known.empty()) known += ", ";
    known += entry.doc.name;
  }
  throw UsageError("--init: unknown initializer '" + std::string(requested) + "'; known: " + known);
}

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
      {"in_axis", "JAX-style explicit input axis (negative counts from the end)"},
      {"out_axis", "JAX-style explicit output axis"},
      {"batch_axis", "JAX-style batch axis, excluded from the fans"},
  };
  return docs;
}

ResolvedInitializer resolve_initializer(const InitializerRequest& request) {
  const Entry& entry = find_entry(request.name);
  Parameters parameters(std::string(entry.doc.name), request.parameters);
  ResolvedInitializer resolved;
  resolved.name = std::string(entry.doc.name);
  try {
    resolved.distribution = entry.make(parameters, request);
  } catch (const std::invalid_argument& error) {  // the library's message names its parameter
    throw UsageError("--init " + resolved.name + ": " + error.what());
  }
  parameters.reject_unused(entry.doc);
  resolved.fans = parameters.resolved_fans;
  return resolved;
}

Layout parse_layout(std::string_view text, std::string_view what) {
  if (text == "torch" || text == "pytorch") return Layout::torch;
  if (text == "keras" || text == "jax") return Layout::keras;
  throw UsageError(std::string(what) + ": '" + std::string(text) + "' is not torch or keras");
}

}  // namespace nninit::cli
