// The battery's sort of float and double samples (internal): Highway's
// vectorised quicksort (hwy/contrib/sort, VQSort) of the values' totalOrder
// keys where the CPU has AVX2 or AVX-512, the in-place radix sort of
// radix_sort.hpp elsewhere; the same array bit for bit either way.
#pragma once

#include <span>

namespace nninit::validation::internal {

// Sorts `values` ascending in IEEE totalOrder (-NaN < -inf < ... < -0 < +0 <
// ... < +inf < +NaN), in place, with O(1) extra memory on the vector path (at
// most 1/16 of the array on the radix path): bit for bit the array of
// sort_in_place_by_key(values, total_order_key).
void sort_total_order(std::span<float> values);
void sort_total_order(std::span<double> values);

// Whether sort_total_order takes the vector path on this CPU, and a switch for
// tests (true: the best this CPU has; false: the radix sort).
bool vector_sort_in_use() noexcept;
void set_vector_sort_allowed(bool allowed) noexcept;

}  // namespace nninit::validation::internal
