// nninit/validation/reference_qr.hpp — a plain, unblocked Householder QR in
// double precision, written independently of nninit's own: the suite's oracle
// for nninit's orthogonal output, and the maker of its "no sign correction"
// negative control.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace nninit::validation {

// Q (m x k, m >= k, C order) of the Householder QR of the (m x k) matrix a
// (C order), with LAPACK's reflector sign (R_jj = -sign(a_jj) |x|, so R's
// diagonal is negative wherever the pivot was positive); with
// sign_correction each column j is multiplied by sign(R_jj), which makes Q
// follow the Haar law when a is a normal matrix (the step PyTorch, Keras and
// JAX apply). Throws std::invalid_argument unless a.size() == m k and m >= k.
// Example: householder_q(a, 8, 8, true).
std::vector<double> householder_q(std::span<const double> a, std::size_t m, std::size_t k, bool sign_correction);

}  // namespace nninit::validation
