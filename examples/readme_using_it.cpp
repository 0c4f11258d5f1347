// readme_using_it.cpp — the first example of README.md ("Using it"), compiled
// and run: main() checks what it shows. The lines between the two marker
// comments are README.md's ```cpp block byte for byte; the ctest
// example.readme_snippets (check_readme_snippets.cmake) fails when they drift.
// [README.md]
#include <nninit/nninit.hpp>

#include <span>
#include <vector>

std::vector<float> conv2_weight() {
  std::vector<float> weight(256 * 128 * 3 * 3);
  const nninit::Fans fans = nninit::compute_fans({256, 128, 3, 3}, nninit::Layout::torch);
  const auto distribution = nninit::torch::kaiming_uniform(
      fans, {.nonlinearity = nninit::Nonlinearity::relu});  // Uniform{-b, b}, b = sqrt(6 / fan_in)
  nninit::fill(std::span(weight), distribution, nninit::Stream::named(/*seed=*/42, "conv2.weight"));
  return weight;
}
// [end README.md]

#include <cmath>
#include <cstdio>

int main() {
  const std::vector<float> weight = conv2_weight();
  const double bound = std::sqrt(6.0 / (128 * 3 * 3));  // fan_in = in * k1 * k2
  double sum_of_squares = 0;
  bool inside = true;
  for (const float w : weight) {
    inside = inside && -bound <= w && w < bound;
    sum_of_squares += static_cast<double>(w) * static_cast<double>(w);
  }
  // U(-b, b) has variance b^2 / 3 = 2 / fan_in; 294912 values pin it within 1%.
  const double variance = sum_of_squares / static_cast<double>(weight.size());
  const bool variance_ok = std::abs(variance / (bound * bound / 3) - 1) < 0.01;
  const bool reproducible = conv2_weight() == weight;
  std::printf("conv2.weight: %zu values in [-%.6f, %.6f): %s; variance %.6g (2 / fan_in = %.6g): %s; "
              "a second fill is identical: %s\n",
              weight.size(), bound, bound, inside ? "yes" : "NO", variance, bound * bound / 3,
              variance_ok ? "yes" : "NO", reproducible ? "yes" : "NO");
  return inside && variance_ok && reproducible ? 0 : 1;
}
