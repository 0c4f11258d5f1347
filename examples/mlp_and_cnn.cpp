// Initialises an MLP and a small convolutional network the way a training
// program would, with one named stream per parameter:
//   * mlp.*   PyTorch's nn.Linear defaults (linear_default / linear_bias_default)
//   * cnn.*   torchvision's ResNet recipe (kaiming_normal, fan_out, relu) with a
//             grouped convolution, batch-norm ones/zeros and a Xavier head, in
//             PyTorch layout [out, in, kh, kw]
//   * keras.* the same kind of network in Keras layout [kh, kw, in, out] with
//             he_normal / glorot_uniform
// and then checks the properties that make named streams worth having:
//   1. the same seed gives the same bits, the thread count never matters;
//   2. inserting a layer does not change any other layer's weights;
//   3. every tensor has the standard deviation its initializer promises.
// Exits non-zero if any check fails.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "nninit/nninit.hpp"

namespace {

using namespace nninit;

struct Parameter {
  std::string name;
  std::vector<std::int64_t> shape;
  Distribution distribution;
  std::vector<float> values;
};

class Model {
 public:
  void add(std::string name, std::vector<std::int64_t> shape, Distribution distribution) {
    parameters_.push_back({std::move(name), std::move(shape), distribution, {}});
  }

  // Fills every parameter from its own stream: Stream::named(seed, name).
  void initialise(std::uint64_t seed, int threads = 0) {
    for (Parameter& parameter : parameters_) {
      std::size_t count = 1;
      for (const std::int64_t d : parameter.shape) count *= static_cast<std::size_t>(d);
      parameter.values.assign(count, 0.0f);
      fill(std::span<float>(parameter.values), parameter.distribution, Stream::named(seed, parameter.name),
           {.offset = 0, .threads = threads});
    }
  }

  const Parameter* find(const std::string& name) const {
    for (const Parameter& parameter : parameters_) {
      if (parameter.name == name) return &parameter;
    }
    return nullptr;
  }

  const std::vector<Parameter>& parameters() const { return parameters_; }

 private:
  std::vector<Parameter> parameters_;
};

Fans torch_fans(const std::vector<std::int64_t>& shape) { return compute_fans(shape, Layout::torch); }
Fans keras_fans(const std::vector<std::int64_t>& shape) { return compute_fans(shape, Layout::keras); }

// nn.Linear(in, out): weight [out, in] and bias [out] with PyTorch's defaults.
void add_linear(Model& model, const std::string& name, std::int64_t in, std::int64_t out) {
  const Fans fans = torch_fans({out, in});
  model.add(name + ".weight", {out, in}, torch::linear_default(fans));
  model.add(name + ".bias", {out}, torch::linear_bias_default(fans));
}

Model make_mlp(bool with_extra_layer) {
  Model model;
  add_linear(model, "mlp.fc1", 784, 512);
  if (with_extra_layer) add_linear(model, "mlp.fc1b", 512, 512);  // inserted later in a project's life
  add_linear(model, "mlp.fc2", 512, 256);
  add_linear(model, "mlp.fc3", 256, 10);
  return model;
}

Model make_cnn() {
  Model model;
  const torch::KaimingOptions resnet{.a = 0.0, .mode = FanMode::fan_out, .nonlinearity = Nonlinearity::relu};
  // PyTorch layout [out, in/groups, kh, kw].
  model.add("cnn.conv1.weight", {32, 3, 3, 3}, torch::kaiming_normal(torch_fans({32, 3, 3, 3}), resnet));
  model.add("cnn.bn1.weight", {32}, ones());
  model.add("cnn.bn1.bias", {32}, zeros());
  const std::vector<std::int64_t> grouped = {64, 8, 3, 3};  // Conv2d(32, 64, 3, groups=4)
  model.add("cnn.conv2.weight", grouped,
            torch::kaiming_normal(compute_fans_grouped_conv(grouped, 4), resnet));
  model.add("cnn.bn2.weight", {64}, ones());
  model.add("cnn.bn2.bias", {64}, zeros());
  model.add("cnn.head.weight", {10, 64}, torch::xavier_uniform(torch_fans({10, 64})));
  model.add("cnn.head.bias", {10}, zeros());
  // Keras layout [kh, kw, in, out] and Dense [in, out].
  model.add("keras.conv1.kernel", {3, 3, 3, 32}, keras::he_normal(keras_fans({3, 3, 3, 32})));
  model.add("keras.conv1.bias", {32}, zeros());
  model.add("keras.conv2.kernel", {3, 3, 32, 64}, keras::he_normal(keras_fans({3, 3, 32, 64})));
  model.add("keras.dense.kernel", {64, 10}, keras::glorot_uniform(keras_fans({64, 10})));
  return model;
}

double sample_stddev(const std::vector<float>& values) {
  if (values.size() < 2) return 0.0;
  double mean = 0.0;
  for (const float v : values) mean += static_cast<double>(v);
  mean /= static_cast<double>(values.size());
  double sum = 0.0;
  for (const float v : values) sum += (static_cast<double>(v) - mean) * (static_cast<double>(v) - mean);
  return std::sqrt(sum / static_cast<double>(values.size() - 1));
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

std::string shape_text(const std::vector<std::int64_t>& shape) {
  std::string text;
  for (const std::int64_t d : shape) text += (text.empty() ? "" : "x") + std::to_string(d);
  return text;
}

int failures = 0;
void check(bool condition, const std::string& what) {
  if (!condition) {
    std::printf("FAILED: %s\n", what.c_str());
    ++failures;
  }
}

void print_and_check_statistics(const Model& model) {
  std::printf("%-22s %-10s %18s %10s %10s  %s\n", "parameter", "shape", "stream id", "target std", "measured",
              "distribution");
  for (const Parameter& p : model.parameters()) {
    const double target = distribution_stddev(p.distribution);
    const double measured = sample_stddev(p.values);
    std::printf("%-22s %-10s 0x%016llx %10.6f %10.6f  %s\n", p.name.c_str(), shape_text(p.shape).c_str(),
                static_cast<unsigned long long>(stream_id_from_name(p.name)), target, measured,
                describe(p.distribution).c_str());
    if (p.values.size() >= 500) {  // enough values for a 10% check at this fixed seed
      check(std::fabs(measured - target) <= 0.1 * target, p.name + ": measured std far from the target");
    } else if (target == 0.0) {
      check(measured == 0.0, p.name + ": a constant tensor varies");
    }
  }
}

}  // namespace

int main() {
  const std::uint64_t seed = 20260101;

  Model mlp = make_mlp(false);
  Model cnn = make_cnn();
  mlp.initialise(seed);
  cnn.initialise(seed);
  std::printf("MLP (PyTorch nn.Linear defaults), seed %llu\n", static_cast<unsigned long long>(seed));
  print_and_check_statistics(mlp);
  std::printf("\nCNN (PyTorch and Keras layouts), seed %llu\n", static_cast<unsigned long long>(seed));
  print_and_check_statistics(cnn);

  // 1. Reproducible, whatever the thread count.
  Model again = make_cnn();
  again.initialise(seed, /*threads=*/1);
  for (const Parameter& p : cnn.parameters()) {
    check(same_bits(p.values, again.find(p.name)->values), p.name + ": a second initialisation differs");
  }
  Model other_seed = make_cnn();
  other_seed.initialise(seed + 1);
  check(!same_bits(cnn.find("cnn.conv1.weight")->values, other_seed.find("cnn.conv1.weight")->values),
        "another seed gives the same weights");

  // 2. Inserting a layer leaves every other layer as it was.
  Model grown = make_mlp(true);
  grown.initialise(seed);
  for (const Parameter& p : mlp.parameters()) {
    check(same_bits(p.values, grown.find(p.name)->values), p.name + ": changed when mlp.fc1b was inserted");
  }
  std::printf("\ninserting mlp.fc1b left the %zu other MLP tensors bit-identical: %s\n",
              mlp.parameters().size(), failures == 0 ? "yes" : "NO");

  std::printf("%s\n", failures == 0 ? "all checks passed" : "SOME CHECKS FAILED");
  return failures == 0 ? 0 : 1;
}
