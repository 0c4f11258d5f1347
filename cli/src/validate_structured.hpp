// validate_structured.hpp — `nninit validate --init NAME` for the structured
// initializers (orthogonal in the PyTorch, Keras and JAX conventions, sparse,
// eye, identity, dirac, delta-orthogonal): the checks of nninit::validation
// (orthogonality, the Haar law, sparse zero counts and positions, exact
// identity-like structure) applied to a whole tensor read from a file.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "initializers_by_name.hpp"
#include "nninit/dtype.hpp"
#include "nninit/validation/battery.hpp"
#include "nninit/validation/output_grid.hpp"
#include "nninit/validation/test_result.hpp"

namespace nninit::cli {

struct StructuredCheckOptions {
  DType dtype = DType::f32;                                         // the file's element type
  validation::OutputGrid grid = validation::OutputGrid::float32;    // the grid its values lie on
  // The unit roundoff of the QR that made an orthogonal matrix when it is
  // not nninit's own (0: nninit's double-precision QR, whose error the
  // dtype's rounding bound already covers; 2^-24: a float32 QR, as PyTorch
  // computes torch.nn.init.orthogonal_ for a float32 tensor).
  double foreign_qr_unit_roundoff = 0.0;
  validation::BatteryOptions battery;  // alpha; the battery run on sparse non-zeros
};

struct StructuredReport {
  std::string expected;   // describe_structured(), e.g. "orthogonal(convention=torch, gain=1)"
  std::string reference;  // what was checked, one line
  std::string allowance;  // how the orthogonality allowance was set (empty when none applies)
  std::vector<validation::TestResult> results;  // exact checks first, then the judged statistical tests
};

// The allowance for a matrix orthogonalised by another framework's QR in
// precision `unit_roundoff`, beyond the rounding bound of nninit's own
// (validation::orthogonality_bound): gain^2 u 4 (8 + sqrt(m k)), m =
// max(rows, cols), k = min(rows, cols); README ("Validate a tensor",
// structured initializers) explains the form and the measurements behind
// the constants. 0 when unit_roundoff is 0. Example:
// foreign_qr_allowance(1024, 1024, 1.0, 0x1p-24) ~= 2.5e-4.
double foreign_qr_allowance(std::uint64_t rows, std::uint64_t cols, double gain, double unit_roundoff);

// Throws UsageError naming `what` (e.g. "--shape (64)") when `shape` is one
// that `initializer` does not take: orthogonal with fewer than 2 dimensions
// or a column axis out of range, eye / identity / sparse not 2-D, sparse's
// sparsity outside [0, 1] or a negative std, dirac not 3- to 5-D or groups
// not dividing shape[0], delta-orthogonal not 3- to 5-D or out < in.
void check_structured_shape(const StructuredInitializer& initializer, std::span<const std::int64_t> shape,
                            const std::string& what);

// Runs the checks of `initializer` on `values`, the whole tensor of `shape`
// in C order (every value as the file stores it, converted to double):
//   orthogonal        max |Q^T Q - gain^2 I| within the dtype's rounding
//                     bound (plus foreign_qr_allowance for another framework's
//                     QR); the entries / gain against the Haar coordinate law
//                     (KS, Anderson-Darling, chi-squared; at most 2^20 entries,
//                     evenly strided); the sum of the diagonal / gain against
//                     N(0, k / m) ("haar_diagonal(sum)");
//   sparse            exactly ceil(sparsity rows) zeros in every column, the
//                     excess zeros a rounding to zero explains, the zeros'
//                     rows uniform, and the battery on the non-zeros against
//                     N(0, std);
//   eye, identity, dirac   the exact structure;
//   delta_orthogonal  the exact zeros and the orthogonality of the centre block.
// The statistical tests are judged together (Holm at options.battery.family.alpha).
// Throws UsageError for a shape check_structured_shape refuses or a sparse
// std the grid cannot resolve, std::invalid_argument for values the checks
// cannot take (off the grid).
StructuredReport validate_structured(std::span<const double> values, std::span<const std::int64_t> shape,
                                     const StructuredInitializer& initializer, const StructuredCheckOptions& options);

}  // namespace nninit::cli
