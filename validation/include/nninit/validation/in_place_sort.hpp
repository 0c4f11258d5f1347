// nninit/validation/in_place_sort.hpp — ascending sorts of a sample in its own
// memory (float, double, or the bits of a 16-bit format), for tensors too
// large to copy: how the battery sorts a 1 GiB file's values.
#pragma once

#include <cstdint>
#include <span>

#include "nninit/validation/half_precision.hpp"

namespace nninit::validation {

// Sorts in IEEE 754 totalOrder: -NaN < -inf < ... < -0 < +0 < ... < +inf <
// +NaN (a NaN with its sign bit set first, one without last; NaNs among
// themselves by payload). For NaN-free input the result equals std::sort's
// values, with -0 before +0. A radix sort on the order-preserving integer key
// (an in-place most-significant-digit pass, then least-significant-digit
// passes per bucket), O(n); extra memory at most n / 16 elements (plus 2^16
// for short inputs). Example: sort_in_place(std::span<float>(values)).
void sort_in_place(std::span<float> values);
void sort_in_place(std::span<double> values);

// The same for the raw bits of a 16-bit format, ordered by the values they
// encode (NaN bits placed as above): a counting sort, O(n + 2^16).
void sort_in_place(std::span<std::uint16_t> bits, HalfFormat format);

}  // namespace nninit::validation
