// structured_suite.hpp — the structured initializers in the validation suite:
// orthogonal (PyTorch, Keras, JAX), sparse (PyTorch), eye, dirac, Keras
// Identity and JAX delta_orthogonal, as cases and negative controls. Each
// entry fills through nninit's public API and runs the statistics layer's
// structured checks (orthogonality.hpp, haar_law.hpp, sparse_structure.hpp,
// identity_structure.hpp); the runner judges them with everything else.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "nninit/dtype.hpp"
#include "nninit/validation/battery.hpp"
#include "runner.hpp"
#include "suite.hpp"

namespace nninit::validation::suite {

struct StructuredEntry {
  std::string name;  // "torch.orthogonal(sqrt 2)/[256, 64, 3, 3]/f32", "control.sparse_zero_count_minus_1/f32"
  DType dtype = DType::f32;
  bool is_control = false;
  // Fills and tests; for a control, `exact` holds checks that must fail and
  // `tests` tests that must reject.
  std::function<CaseResult(std::uint64_t seed, const BatteryOptions& battery)> run;
};

// The independent small matrices per orthogonal case: quick 2^14, full 2^16.
std::size_t small_matrix_count(Tier tier) noexcept;

// The structured cases of a tier (every family in every dtype, `seeds`
// seeds), filtered by `selection`.
std::vector<StructuredEntry> structured_cases(Tier tier, std::uint64_t seed, int seeds, const Selection& selection);

// The structured negative controls (filtered by dtype only).
std::vector<StructuredEntry> structured_controls(Tier tier, const std::vector<DType>& dtypes);

}  // namespace nninit::validation::suite
