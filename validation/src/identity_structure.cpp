// Exact structure of identity-like weights.
#include "nninit/validation/identity_structure.hpp"

#include <sstream>
#include <stdexcept>
#include <string>

#include "exact_check.hpp"

namespace nninit::validation {
namespace {

std::string shape_text(std::span<const std::int64_t> shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

std::string format(double value) {
  std::ostringstream text;
  text.precision(17);
  text << value;
  return text.str();
}

std::uint64_t element_count(std::span<const std::int64_t> shape, const char* what) {
  std::uint64_t count = 1;
  for (const std::int64_t d : shape) {
    if (d < 0) throw std::invalid_argument(std::string(what) + ": negative dimension in " + shape_text(shape));
    count *= static_cast<std::uint64_t>(d);
  }
  return count;
}

void require_kernel(std::span<const double> values, std::span<const std::int64_t> shape, const char* what) {
  if (shape.size() < 3 || shape.size() > 5) {
    throw std::invalid_argument(std::string(what) + ": the shape must have 3 to 5 dimensions, got " +
                                shape_text(shape));
  }
  if (element_count(shape, what) != values.size()) {
    throw std::invalid_argument(std::string(what) + ": " + std::to_string(values.size()) +
                                " values for the shape " + shape_text(shape));
  }
}

// Counts mismatches; remembers the first.
struct Mismatches {
  std::uint64_t count = 0;
  std::uint64_t first = 0;
  double first_value = 0.0, first_expected = 0.0;
  void check(std::uint64_t index, double value, double expected) {
    if (value == expected) return;  // -0 == +0
    if (count++ == 0) {
      first = index;
      first_value = value;
      first_expected = expected;
    }
  }
  std::string describe(std::uint64_t total) const {
    std::string text = std::to_string(count) + " of " + std::to_string(total) + " elements differ";
    if (count > 0) {
      text += "; first at flat index " + std::to_string(first) + ": " + format(first_value) + ", expected " +
              format(first_expected);
    }
    return text;
  }
};

}  // namespace

TestResult eye_structure_check(std::span<const double> values, std::uint64_t rows, std::uint64_t cols,
                               double diagonal) {
  if (rows != 0 && (values.size() % rows != 0 || values.size() / rows != cols)) {
    throw std::invalid_argument("eye_structure_check: " + std::to_string(values.size()) + " values are not a " +
                                std::to_string(rows) + " x " + std::to_string(cols) + " matrix");
  }
  Mismatches wrong;
  for (std::uint64_t r = 0; r < rows; ++r) {
    for (std::uint64_t c = 0; c < cols; ++c) wrong.check(r * cols + c, values[r * cols + c], r == c ? diagonal : 0.0);
  }
  return internal::exact_result("structure(eye)", wrong.count == 0,
                                std::to_string(rows) + " x " + std::to_string(cols) + ", diagonal " +
                                    format(diagonal) + ": " + wrong.describe(values.size()),
                                static_cast<double>(wrong.count), 0.0);
}

TestResult dirac_structure_check(std::span<const double> values, std::span<const std::int64_t> shape,
                                 std::int64_t groups, double one, std::span<const std::int64_t> centre) {
  require_kernel(values, shape, "dirac_structure_check");
  if (groups < 1 || shape[0] % groups != 0) {
    throw std::invalid_argument("dirac_structure_check: groups " + std::to_string(groups) +
                                " must be >= 1 and divide out channels " + std::to_string(shape[0]));
  }
  const std::size_t spatial = shape.size() - 2;
  if (!centre.empty() && centre.size() != spatial) {
    throw std::invalid_argument("dirac_structure_check: the centre needs " + std::to_string(spatial) + " indices");
  }
  const std::int64_t out_per_group = shape[0] / groups;
  const std::int64_t in = shape[1];
  // Flat offset of the centre within one [k...] kernel, and the kernel size.
  std::uint64_t kernel = 1, centre_offset = 0;
  for (std::size_t s = 0; s < spatial; ++s) {
    const auto k = static_cast<std::uint64_t>(shape[2 + s]);
    const std::uint64_t c = centre.empty() ? k / 2 : static_cast<std::uint64_t>(centre[s]);
    centre_offset = centre_offset * k + c;
    kernel *= k;
  }
  Mismatches wrong;
  for (std::uint64_t index = 0; index < values.size(); ++index) {
    const std::uint64_t position = index % kernel;
    const std::uint64_t channel = index / kernel;  // o * in + i
    const auto o = static_cast<std::int64_t>(channel / static_cast<std::uint64_t>(in));
    const auto i = static_cast<std::int64_t>(channel % static_cast<std::uint64_t>(in));
    const std::int64_t d = o % out_per_group;
    const bool is_one = position == centre_offset && d == i && d < in;
    wrong.check(index, values[index], is_one ? one : 0.0);
  }
  return internal::exact_result("structure(dirac)", wrong.count == 0,
                                shape_text(shape) + ", groups " + std::to_string(groups) + ": " +
                                    wrong.describe(values.size()),
                                static_cast<double>(wrong.count), 0.0);
}

TestResult delta_orthogonal_structure_check(std::span<const double> values, std::span<const std::int64_t> shape,
                                            std::vector<double>* centre_block,
                                            std::span<const std::int64_t> centre) {
  require_kernel(values, shape, "delta_orthogonal_structure_check");
  const std::size_t spatial = shape.size() - 2;
  if (!centre.empty() && centre.size() != spatial) {
    throw std::invalid_argument("delta_orthogonal_structure_check: the centre needs " + std::to_string(spatial) +
                                " indices");
  }
  std::uint64_t centre_position = 0;
  for (std::size_t s = 0; s < spatial; ++s) {
    const auto k = static_cast<std::uint64_t>(shape[s]);
    const std::uint64_t c = centre.empty() ? (k - 1) / 2 : static_cast<std::uint64_t>(centre[s]);
    centre_position = centre_position * k + c;
  }
  const auto block = static_cast<std::uint64_t>(shape[spatial]) * static_cast<std::uint64_t>(shape[spatial + 1]);
  Mismatches wrong;
  for (std::uint64_t index = 0; index < values.size(); ++index) {
    if (index / block != centre_position) wrong.check(index, values[index], 0.0);
  }
  if (centre_block != nullptr && block > 0) {
    const auto begin = static_cast<std::ptrdiff_t>(centre_position * block);
    centre_block->assign(values.begin() + begin, values.begin() + begin + static_cast<std::ptrdiff_t>(block));
  }
  return internal::exact_result("structure(delta_orthogonal zeros)", wrong.count == 0,
                                shape_text(shape) + ": every element off the spatial centre is zero; " +
                                    wrong.describe(values.size()),
                                static_cast<double>(wrong.count), 0.0);
}

}  // namespace nninit::validation
