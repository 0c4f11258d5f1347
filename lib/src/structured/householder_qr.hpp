// householder_qr.hpp — the QR factorisation behind the orthogonal
// initializers: Householder reflections in double precision, blocked (32
// reflectors per panel, applied as one block reflector I - V T V^T), with one
// fixed order of operations. Every sum runs over rows in ascending order; the
// work is split across threads and SIMD lanes by columns only, and every
// product and sum is a separate IEEE operation (the library is built with
// -ffp-contract=off), so the bits do not depend on the thread count, the
// SIMD target or the compiler's vector width.
#pragma once

#include <cstddef>
#include <span>

namespace nninit::internal {

// Householder reflectors per panel of the blocked factorisation. Part of the
// output's definition: changing it changes bits (a stream-version change).
inline constexpr std::size_t householder_block = 32;

// In place: `a` (m x k, row-major, m >= k >= 1) becomes the first k columns of
// the orthogonal factor Q of a = Q R, with the column signs chosen so that R
// has a positive diagonal (a zero diagonal entry counts as positive). That Q
// is unique, so it is what any QR routine followed by the sign correction
// Q diag(sign(diag R)) gives, up to rounding. `threads` as in FillOptions
// (0: OpenMP's default); the result does not depend on it.
// Example: orthonormalize_columns(std::span(a), 1024, 512, 0).
void orthonormalize_columns(std::span<double> a, std::size_t m, std::size_t k, int threads);

}  // namespace nninit::internal
