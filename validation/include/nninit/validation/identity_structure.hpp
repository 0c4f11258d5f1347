// nninit/validation/identity_structure.hpp — exact structure of identity-like
// weights: PyTorch's eye_ and dirac_, Keras's Identity, and the zeros and the
// centre block of JAX's delta_orthogonal. Each check counts the elements
// that differ from the structure (p = 1 when none, 0 otherwise; no error rate).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "nninit/validation/test_result.hpp"

namespace nninit::validation {

// A (rows x cols) matrix (C order) equal to `diagonal` where row == column and
// +0 or -0 elsewhere (eye: diagonal 1; Keras Identity(gain): gain rounded to
// the dtype). name "structure(eye)". Throws std::invalid_argument unless
// values.size() == rows * cols. Example: eye_structure_check(w, 3, 5, 1.0).
TestResult eye_structure_check(std::span<const double> values, std::uint64_t rows, std::uint64_t cols,
                               double diagonal);

// A convolution weight [out, in, k1, ...] (3 to 5 dimensions) equal to
// PyTorch's dirac_(groups): `one` at [g * out / groups + d, d, k1 / 2, ...]
// for every group g and d < min(out / groups, in), zero elsewhere. `centre`
// gives the spatial centre per spatial dimension (empty: PyTorch's k // 2).
// name "structure(dirac)". Throws std::invalid_argument for a shape that is
// not 3- to 5-D, groups < 1 or not dividing out, or a size mismatch.
TestResult dirac_structure_check(std::span<const double> values, std::span<const std::int64_t> shape,
                                 std::int64_t groups, double one,
                                 std::span<const std::int64_t> centre = {});

// A kernel in JAX's layout [k1, ..., in, out] (3 to 5 dimensions) that is zero
// except at the spatial centre ((k - 1) // 2 in every spatial dimension, JAX's
// delta_orthogonal; or `centre`). name "structure(delta_orthogonal zeros)".
// When centre_block is given it receives the (in x out) block at the centre
// (C order), for orthogonality_check. Throws std::invalid_argument for a
// shape that is not 3- to 5-D or a size mismatch.
TestResult delta_orthogonal_structure_check(std::span<const double> values, std::span<const std::int64_t> shape,
                                            std::vector<double>* centre_block = nullptr,
                                            std::span<const std::int64_t> centre = {});

}  // namespace nninit::validation
