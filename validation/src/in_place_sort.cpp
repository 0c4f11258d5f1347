// In-place ascending sorts in totalOrder.
#include "nninit/validation/in_place_sort.hpp"

#include "radix_sort.hpp"

namespace nninit::validation {

void sort_in_place(std::span<float> values) {
  internal::sort_in_place_by_key(values, [](float x) noexcept { return internal::total_order_key(x); });
}

void sort_in_place(std::span<double> values) {
  internal::sort_in_place_by_key(values, [](double x) noexcept { return internal::total_order_key(x); });
}

void sort_in_place(std::span<std::uint16_t> bits, HalfFormat) { internal::sort_in_place_16(bits); }

}  // namespace nninit::validation
