// Initialises a small convolutional network and an MLP head the way a
// training program would: one named stream per parameter, PyTorch and
// Keras conventions side by side. Prints each tensor's target and measured
// standard deviation.
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "nninit/nninit.hpp"

namespace {

struct Parameter {
  std::string name;
  std::vector<std::int64_t> shape;  // PyTorch layout [out, in, k...]
  nninit::Distribution distribution;
};

double measured_stddev(const std::vector<float>& values) {
  double mean = 0.0;
  for (float v : values) mean += v;
  mean /= static_cast<double>(values.size());
  double sum = 0.0;
  for (float v : values) sum += (v - mean) * (v - mean);
  return std::sqrt(sum / static_cast<double>(values.size() - 1));
}

std::size_t element_count(const std::vector<std::int64_t>& shape) {
  std::size_t count = 1;
  for (auto d : shape) count *= static_cast<std::size_t>(d);
  return count;
}

}  // namespace

int main() {
  using namespace nninit;
  const std::uint64_t seed = 2026;
  auto fans = [](std::vector<std::int64_t> shape) { return compute_fans(shape, Layout::torch); };
  const torch::KaimingOptions relu{.a = 0.0, .mode = FanMode::fan_in, .nonlinearity = Nonlinearity::relu};

  std::vector<Parameter> network = {
      {"conv1.weight", {64, 3, 3, 3}, torch::kaiming_normal(fans({64, 3, 3, 3}), relu)},
      {"conv2.weight", {128, 64, 3, 3}, torch::kaiming_uniform(fans({128, 64, 3, 3}), relu)},
      {"conv3.weight (groups=4)", {128, 32, 3, 3},
       torch::kaiming_uniform(compute_fans_grouped_conv(std::vector<std::int64_t>{128, 32, 3, 3}, 4), relu)},
      {"fc1.weight", {1024, 2048}, torch::xavier_uniform(fans({1024, 2048}), calculate_gain(Nonlinearity::tanh))},
      {"fc1.bias", {1024}, torch::linear_bias_default(fans({1024, 2048}))},
      {"fc2.weight (Keras he_normal)", {512, 1024}, keras::he_normal(fans({512, 1024}))},
      {"head.weight", {10, 512}, torch::trunc_normal(0.0, 0.02, -0.04, 0.04)},
      {"head.bias", {10}, zeros()},
  };

  std::printf("%-30s %-12s %10s %10s  %s\n", "parameter", "shape", "target std", "measured",
              "distribution");
  for (const Parameter& parameter : network) {
    std::vector<float> values(element_count(parameter.shape));
    fill(std::span<float>(values), parameter.distribution, Stream::named(seed, parameter.name));
    std::string shape;
    for (auto d : parameter.shape) {
      if (!shape.empty()) shape += 'x';
      shape += std::to_string(d);
    }
    std::printf("%-30s %-12s %10.6f %10.6f  %s\n", parameter.name.c_str(), shape.c_str(),
                distribution_stddev(parameter.distribution), measured_stddev(values),
                describe(parameter.distribution).c_str());
  }
  return 0;
}
