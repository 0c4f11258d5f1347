// fans.cpp — fan computation for the PyTorch, Keras/JAX and explicit-axes
// layouts (see nninit/fans.hpp).
#include "nninit/fans.hpp"

#include <charconv>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "nninit/error.hpp"

namespace nninit {
namespace {

std::string format_double(double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

std::string format_shape(std::span<const std::int64_t> shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i != 0) text += ", ";
    text += std::to_string(shape[i]);
  }
  return text + "]";
}

[[noreturn]] void fail(const char* function, const std::string& message) {
  throw invalid_argument(std::string("nninit::") + function + ": " + message);
}

// Checks every dimension is positive and the product of all of them fits in
// int64; returns that product.
// `param` is the parameter's name in messages.
std::int64_t checked_total(const char* function, const char* param,
                           std::span<const std::int64_t> shape) {
  std::int64_t total = 1;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] <= 0) {
      fail(function, std::string(param) + "[" + std::to_string(i) + "] (" +
                         std::to_string(shape[i]) + ") must be positive");
    }
  }
  for (const std::int64_t dimension : shape) {
    if (total > std::numeric_limits<std::int64_t>::max() / dimension) {
      fail(function, "the product of the dimensions of " + std::string(param) + " " +
                         format_shape(shape) + " overflows int64");
    }
    total *= dimension;
  }
  return total;
}

// in * r and out * r never exceed the (checked) total, so they cannot overflow.
Fans fans_from(std::int64_t in, std::int64_t out, std::int64_t receptive_field) {
  return Fans{static_cast<double>(in * receptive_field),
              static_cast<double>(out * receptive_field)};
}

Fans torch_fans(const char* function, const char* param, std::span<const std::int64_t> shape) {
  if (shape.size() < 2) {
    fail(function, std::string(param) + " " + format_shape(shape) + " has " +
                       std::to_string(shape.size()) +
                       " dimension(s); the torch layout [out, in, k...] needs at least 2");
  }
  const std::int64_t total = checked_total(function, param, shape);
  const std::int64_t receptive_field = total / (shape[0] * shape[1]);
  return fans_from(shape[1], shape[0], receptive_field);
}

// Normalises `axis` (negative counts from the end) to [0, rank).
std::size_t normalise_axis(const char* name, int axis, std::size_t rank) {
  const auto signed_rank = static_cast<std::int64_t>(rank);
  const std::int64_t normalised = axis < 0 ? axis + signed_rank : axis;
  if (normalised < 0 || normalised >= signed_rank) {
    fail("compute_fans", std::string(name) + " (" + std::to_string(axis) +
                             ") is out of range for a shape of rank " + std::to_string(rank) +
                             " (valid: " + std::to_string(-signed_rank) + " to " +
                             std::to_string(signed_rank - 1) + ")");
  }
  return static_cast<std::size_t>(normalised);
}

void require_distinct(const char* name_a, int a, std::size_t index_a, const char* name_b, int b,
                      std::size_t index_b) {
  if (index_a == index_b) {
    fail("compute_fans", std::string(name_a) + " (" + std::to_string(a) + ") and " + name_b + " (" +
                             std::to_string(b) + ") name the same dimension " +
                             std::to_string(index_a));
  }
}

void require_fan(const char* function, const char* name, double value) {
  if (!std::isfinite(value) || !(value > 0.0)) {
    fail(function,
         std::string(name) + " (" + format_double(value) + ") must be finite and positive");
  }
}

}  // namespace

Fans compute_fans(std::span<const std::int64_t> shape, Layout layout) {
  switch (layout) {
    case Layout::torch:
      return torch_fans("compute_fans", "shape", shape);
    case Layout::keras: {
      const std::int64_t total = checked_total("compute_fans", "shape", shape);
      if (shape.empty()) return Fans{1.0, 1.0};
      if (shape.size() == 1)
        return Fans{static_cast<double>(shape[0]), static_cast<double>(shape[0])};
      const std::int64_t in = shape[shape.size() - 2];
      const std::int64_t out = shape[shape.size() - 1];
      return fans_from(in, out, total / (in * out));
    }
  }
  fail("compute_fans",
       "layout (" + std::to_string(static_cast<int>(layout)) + ") is not a valid nninit::Layout");
}

Fans compute_fans(std::initializer_list<std::int64_t> shape, Layout layout) {
  return compute_fans(std::span<const std::int64_t>(shape.begin(), shape.size()), layout);
}

Fans compute_fans(std::span<const std::int64_t> shape, const FanAxes& axes) {
  const std::int64_t total = checked_total("compute_fans", "shape", shape);
  const std::size_t in_index = normalise_axis("axes.in_axis", axes.in_axis, shape.size());
  const std::size_t out_index = normalise_axis("axes.out_axis", axes.out_axis, shape.size());
  require_distinct("axes.in_axis", axes.in_axis, in_index, "axes.out_axis", axes.out_axis,
                   out_index);
  std::int64_t batch = 1;
  if (axes.batch_axis) {
    const int batch_axis = *axes.batch_axis;
    const std::size_t batch_index = normalise_axis("axes.batch_axis", batch_axis, shape.size());
    require_distinct("axes.batch_axis", batch_axis, batch_index, "axes.in_axis", axes.in_axis,
                     in_index);
    require_distinct("axes.batch_axis", batch_axis, batch_index, "axes.out_axis", axes.out_axis,
                     out_index);
    batch = shape[batch_index];
  }
  const std::int64_t in = shape[in_index];
  const std::int64_t out = shape[out_index];
  return fans_from(in, out, total / (in * out * batch));
}

Fans compute_fans(std::initializer_list<std::int64_t> shape, const FanAxes& axes) {
  return compute_fans(std::span<const std::int64_t>(shape.begin(), shape.size()), axes);
}

Fans compute_fans(std::span<const std::int64_t> shape, const FanAxisGroups& axes) {
  if (shape.size() < 2) {
    fail("compute_fans", "shape " + format_shape(shape) + " has " + std::to_string(shape.size()) +
                             " dimension(s); JAX's axes (in_axis, out_axis, batch_axis) need at least 2");
  }
  const std::int64_t total = checked_total("compute_fans", "shape", shape);
  std::vector<const char*> owner(shape.size(), nullptr);  // which group named each dimension
  // The product of the group's dimensions; never above the (checked) total.
  auto group_size = [&](const char* name, const std::vector<int>& group) {
    std::int64_t size = 1;
    for (const int axis : group) {
      const std::size_t index = normalise_axis(name, axis, shape.size());
      if (owner[index] != nullptr) {
        fail("compute_fans", std::string(name) + " (" + std::to_string(axis) + ") names dimension " +
                                 std::to_string(index) + ", which " + owner[index] + " already names");
      }
      owner[index] = name;
      size *= shape[index];
    }
    return size;
  };
  const std::int64_t in = group_size("axes.in_axes", axes.in_axes);
  const std::int64_t out = group_size("axes.out_axes", axes.out_axes);
  const std::int64_t batch = group_size("axes.batch_axes", axes.batch_axes);
  return fans_from(in, out, total / (in * out * batch));
}

Fans compute_fans(std::initializer_list<std::int64_t> shape, const FanAxisGroups& axes) {
  return compute_fans(std::span<const std::int64_t>(shape.begin(), shape.size()), axes);
}

Fans compute_fans_grouped_conv(std::span<const std::int64_t> torch_shape, std::int64_t groups) {
  constexpr const char* function = "compute_fans_grouped_conv";
  if (torch_shape.size() < 3) {
    fail(function,
         "torch_shape " + format_shape(torch_shape) + " has " + std::to_string(torch_shape.size()) +
             " dimension(s); a convolution weight [out, in/groups, k...] needs at least 3");
  }
  const Fans fans = torch_fans(function, "torch_shape", torch_shape);
  if (groups < 1) {
    fail(function, "groups (" + std::to_string(groups) + ") must be at least 1");
  }
  if (torch_shape[0] % groups != 0) {
    fail(function, "groups (" + std::to_string(groups) + ") must divide torch_shape[0] (" +
                       std::to_string(torch_shape[0]) + ")");
  }
  return fans;
}

Fans compute_fans_grouped_conv(std::initializer_list<std::int64_t> torch_shape,
                               std::int64_t groups) {
  return compute_fans_grouped_conv(
      std::span<const std::int64_t>(torch_shape.begin(), torch_shape.size()), groups);
}

double select_fan(const Fans& fans, FanMode mode) {
  switch (mode) {
    case FanMode::fan_in:
      require_fan("select_fan", "fans.fan_in", fans.fan_in);
      return fans.fan_in;
    case FanMode::fan_out:
      require_fan("select_fan", "fans.fan_out", fans.fan_out);
      return fans.fan_out;
    case FanMode::fan_avg:
      require_fan("select_fan", "fans.fan_in", fans.fan_in);
      require_fan("select_fan", "fans.fan_out", fans.fan_out);
      // Equals (fan_in + fan_out) / 2 (halving a normal double is exact), without
      // overflowing for fans near the largest double.
      return fans.fan_in / 2.0 + fans.fan_out / 2.0;
  }
  fail("select_fan",
       "mode (" + std::to_string(static_cast<int>(mode)) + ") is not a valid nninit::FanMode");
}

}  // namespace nninit
