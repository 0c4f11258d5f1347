// Which compilation of CdfTable::evaluate_many's four-at-once normal path
// runs (internal): the AVX2 one where the CPU has AVX2 (x86-64 with GCC or
// Clang), the baseline one elsewhere. Both give the same numbers as the scalar
// path; tests turn AVX2 off to check the baseline compilation on an AVX2 machine.
#pragma once

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#define NNINIT_VALIDATION_AVX2_CLONE 1
#else
#define NNINIT_VALIDATION_AVX2_CLONE 0
#endif

namespace nninit::validation::internal {

// Allows (the default) or forbids the AVX2 compilation, for every CdfTable.
void set_cdf_table_avx2_allowed(bool allowed) noexcept;
// Whether evaluate_many uses the AVX2 compilation now.
bool cdf_table_avx2_in_use() noexcept;

}  // namespace nninit::validation::internal
