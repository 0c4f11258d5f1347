// nninit fills as samples of doubles; dtypes and distributions as references.
#include "sampling.hpp"

#include <span>
#include <stdexcept>
#include <type_traits>
#include <variant>

#include "nninit/fill.hpp"

namespace nninit::validation::suite {
namespace {

template <class T>
std::vector<double> fill_as_doubles(std::size_t count, const Distribution& distribution, const Stream& stream,
                                    std::uint64_t offset, int threads) {
  std::vector<T> buffer(count);
  fill(std::span<T>(buffer), distribution, stream, FillOptions{.offset = offset, .threads = threads});
  std::vector<double> values(count);
  for (std::size_t i = 0; i < count; ++i) {
    if constexpr (std::is_same_v<T, bfloat16> || std::is_same_v<T, float16>) {
      values[i] = static_cast<double>(to_float(buffer[i]));
    } else {
      values[i] = static_cast<double>(buffer[i]);
    }
  }
  return values;
}

}  // namespace

OutputGrid grid_for(DType dtype) noexcept {
  switch (dtype) {
    case DType::f32:
      return OutputGrid::float32;
    case DType::f64:
      return OutputGrid::continuous;
    case DType::bf16:
      return OutputGrid::bfloat16;
    case DType::f16:
      return OutputGrid::float16;
  }
  return OutputGrid::continuous;
}

ReferenceDistribution reference_for(const Distribution& distribution, DType dtype) {
  const ReferenceDistribution base = std::visit(
      [](const auto& d) -> ReferenceDistribution {
        using D = std::decay_t<decltype(d)>;
        if constexpr (std::is_same_v<D, Uniform>) {
          return ReferenceDistribution::uniform(d.low, d.high);
        } else if constexpr (std::is_same_v<D, Normal>) {
          return ReferenceDistribution::normal(d.mean, d.stddev);
        } else if constexpr (std::is_same_v<D, TruncatedNormal>) {
          return ReferenceDistribution::truncated_normal(d.mean, d.stddev, d.lower, d.upper);
        } else {
          throw std::invalid_argument("reference_for: a constant has no reference distribution");
        }
      },
      distribution);
  return base.on_grid(grid_for(dtype), BoundRounding::clamp_inside);
}

std::vector<double> fill_values(DType dtype, std::size_t count, const Distribution& distribution,
                                const Stream& stream, std::uint64_t offset, int threads) {
  switch (dtype) {
    case DType::f32:
      return fill_as_doubles<float>(count, distribution, stream, offset, threads);
    case DType::f64:
      return fill_as_doubles<double>(count, distribution, stream, offset, threads);
    case DType::bf16:
      return fill_as_doubles<bfloat16>(count, distribution, stream, offset, threads);
    case DType::f16:
      return fill_as_doubles<float16>(count, distribution, stream, offset, threads);
  }
  throw std::invalid_argument("fill_values: invalid dtype");
}

double round_to_dtype(double value, DType dtype) noexcept {
  const float single = static_cast<float>(value);
  switch (dtype) {
    case DType::f32:
      return static_cast<double>(single);
    case DType::f64:
      return value;
    case DType::bf16:
      return static_cast<double>(to_float(to_bfloat16(single)));
    case DType::f16:
      return static_cast<double>(to_float(to_float16(single)));
  }
  return value;
}

double generator_step(DType dtype) noexcept { return dtype == DType::f64 ? 0x1p-52 : 0x1p-23; }

}  // namespace nninit::validation::suite
