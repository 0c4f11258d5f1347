// reference_fill OUTDIR — writes OUTDIR/<case>.bin, the raw little-endian
// elements of a fixed set of fills made directly with the nninit library.
// cli/tests/test_fill_values.py runs `nninit fill` with the equivalent command
// line for each case and demands the same bytes: the CLI's mapping of --init,
// --param, --shape, --layout, --seed, --stream and --dtype onto the library
// is checked against code that does not share it.
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "nninit/nninit.hpp"

namespace {

using namespace nninit;

struct Case {
  const char* name;
  std::vector<std::int64_t> shape;
  DType dtype;
  Stream stream;
  Distribution distribution;
};

std::size_t element_count(const std::vector<std::int64_t>& shape) {
  std::size_t count = 1;
  for (const std::int64_t d : shape) count *= static_cast<std::size_t>(d);
  return count;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: reference_fill OUTDIR\n");
    return 2;
  }
  const std::string directory = argv[1];
  const auto torch_fans = [](std::vector<std::int64_t> shape) { return compute_fans(shape, Layout::torch); };
  const auto keras_fans = [](std::vector<std::int64_t> shape) { return compute_fans(shape, Layout::keras); };

  const std::vector<Case> cases = {
      {"kaiming_uniform_relu",
       {64, 3, 3, 3},
       DType::f32,
       Stream::named(42, "conv1.weight"),
       torch::kaiming_uniform(torch_fans({64, 3, 3, 3}), {.nonlinearity = Nonlinearity::relu})},
      {"normal_bf16", {1000}, DType::bf16, Stream{7, 3}, Normal{0.0, 0.02}},
      {"keras_he_normal_f64",
       {3, 3, 16, 32},
       DType::f64,
       Stream::named(0x1234, "block1.conv"),
       keras::he_normal(keras_fans({3, 3, 16, 32}))},
      {"trunc_normal_f16", {33, 17}, DType::f16, Stream{5, 0x10}, torch::trunc_normal(0.0, 0.5, -1.0, 1.0)},
      {"xavier_uniform_tanh",
       {100, 50},
       DType::f32,
       Stream::named(1, "fc.weight"),
       torch::xavier_uniform(torch_fans({100, 50}), calculate_gain(Nonlinearity::tanh))},
      {"grouped_kaiming_normal",
       {64, 8, 3, 3},
       DType::f32,
       Stream::named(3, "conv2.weight"),
       torch::kaiming_normal(compute_fans_grouped_conv(std::vector<std::int64_t>{64, 8, 3, 3}, 8),
                             {.mode = FanMode::fan_out, .nonlinearity = Nonlinearity::relu})},
      {"leaky_kaiming_uniform",
       {32, 16},
       DType::f32,
       Stream{11, 12},
       torch::kaiming_uniform(torch_fans({32, 16}), {.a = 0.2})},
      {"variance_scaling_uniform",
       {128, 64},
       DType::f32,
       Stream{2, 0xFFFFFFFFFFFFFFFFull},
       keras::variance_scaling(keras_fans({128, 64}), 0.5, FanMode::fan_avg,
                               keras::VarianceDistribution::uniform)},
      {"linear_bias",
       {256},
       DType::f32,
       Stream::named(9, "fc1.bias"),
       torch::linear_bias_default(Fans{784, 784})},
      {"constant", {10}, DType::f32, Stream{0, 0}, Constant{0.5}},
      {"uniform_big", {5000011}, DType::f32, Stream{9, 1}, Uniform{-1.0, 1.0}},
  };

  for (const Case& c : cases) {
    const std::size_t count = element_count(c.shape);
    std::vector<std::uint64_t> storage((count * dtype_size(c.dtype) + 7) / 8 + 1);
    fill(storage.data(), c.dtype, count, c.distribution, c.stream);
    const std::string path = directory + "/" + c.name + ".bin";
    std::FILE* file = std::fopen(path.c_str(), "wb");
    if (file == nullptr) {
      std::perror(path.c_str());
      return 1;
    }
    const std::size_t size = count * dtype_size(c.dtype);
    const bool ok = std::fwrite(storage.data(), 1, size, file) == size;
    if (std::fclose(file) != 0 || !ok) {
      std::fprintf(stderr, "reference_fill: cannot write %s\n", path.c_str());
      return 1;
    }
  }
  return 0;
}
