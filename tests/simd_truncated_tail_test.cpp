// The SIMD truncated normal's choice between the central-only path (no
// uniform of the fill can reach a tail of the inverse CDF) and the full path
// with compressed tail lanes, on every compiled target this CPU supports: at
// the exact boundary |q| = 0.425 and one representable value beyond it, and
// for windows whose largest uniforms just cross it. Every target must give
// the scalar reference's bits (kernels/fill_range.hpp).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "fill_plan.hpp"
#include "kernels/fill_range.hpp"
#include "nninit/stream.hpp"
#include "simd/simd_fill.hpp"

namespace {

using namespace nninit;
using internal::FillKind;
using internal::FillPlan;
namespace simd = nninit::internal::simd;

template <class W>
FillPlan<W> plan_with(W centred_lower_cdf, W mass) {
  FillPlan<W> plan;
  plan.kind = FillKind::truncated_normal;
  // lower_cdf and upper_tail only feed the tails; any probability will do.
  plan.truncated_normal.parameters = {centred_lower_cdf, W(0.05), W(0.05), mass, W(0), W(1)};
  plan.clamp_low = -std::numeric_limits<W>::infinity();
  plan.clamp_high = std::numeric_limits<W>::infinity();
  return plan;
}

// Plans around the boundary: q constant (mass 0) at +-0.425 and one step
// beyond; q sweeping up to just below, exactly at, and just beyond 0.425.
template <class W>
std::vector<FillPlan<W>> boundary_plans() {
  const W limit = static_cast<W>(0.425);
  const W beyond = std::nextafter(limit, W(1));
  const W below = std::nextafter(limit, W(0));
  std::vector<FillPlan<W>> plans;
  for (const W q : {limit, beyond, W(0) - limit, W(0) - beyond, below}) {
    plans.push_back(plan_with(q, W(0)));
  }
  // q from about -0.3 up to about 0.425 at the largest uniform: mass a hair
  // under, at, and over what reaches the boundary.
  const W start = W(-0.3);
  for (const W stretch : {W(0.999), W(1), W(1.001), W(1.1)}) {
    plans.push_back(plan_with(start, (limit - start) * stretch));
  }
  return plans;
}

template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b, std::size_t& where) {
  for (where = 0; where < a.size(); ++where) {
    if (std::memcmp(&a[where], &b[where], sizeof(T)) != 0) return false;
  }
  return true;
}

template <class T>
class SimdTruncatedTailTest : public ::testing::Test {};
using OutputTypes = ::testing::Types<float, double, bfloat16, float16>;
TYPED_TEST_SUITE(SimdTruncatedTailTest, OutputTypes);

TYPED_TEST(SimdTruncatedTailTest, EveryTargetEqualsReferenceAtTheTailBoundary) {
  using T = TypeParam;
  using W = typename FillPlan<T>::Working;
  const Stream stream{11, 12};
  constexpr std::size_t count = 20000;
  int targets_run = 0;
  std::size_t plan_number = 0;
  for (const FillPlan<W>& working_plan : boundary_plans<W>()) {
    SCOPED_TRACE("boundary plan " + std::to_string(plan_number++));
    FillPlan<T> plan;
    plan.kind = working_plan.kind;
    plan.truncated_normal = working_plan.truncated_normal;
    plan.clamp_low = working_plan.clamp_low;
    plan.clamp_high = working_plan.clamp_high;
    std::vector<T> expected(count);
    internal::fill_range(expected.data(), 5, count, stream, plan.truncated_normal, plan.clamp_low,
                         plan.clamp_high);
    const std::int64_t runnable = simd::runnable_targets();
    for (std::int64_t bits = runnable; bits != 0; bits &= bits - 1) {
      const std::int64_t target = bits & -bits;
      simd::restrict_targets_for_test(target);
      ASSERT_STREQ(simd::dispatched_target_name(), simd::target_name(target));
      for (const simd::StoreHint hint : {simd::StoreHint::regular, simd::StoreHint::streaming}) {
        std::vector<T> actual(count);
        simd::fill(plan, actual.data(), 5, count, stream, hint);
        std::size_t where = 0;
        EXPECT_TRUE(same_bits(expected, actual, where))
            << "target " << simd::target_name(target) << ": first difference at element "
            << where;
      }
      ++targets_run;
    }
    simd::restrict_targets_for_test(0);
  }
  EXPECT_GT(targets_run, 0);
}

// Negative control: the test sees a wrong choice. The reference of a plan
// whose q is one step beyond the boundary (every lane in a tail) differs from
// the central piece's value, so a kernel that skipped the tail would fail.
TEST(SimdTruncatedTailControl, BeyondTheBoundaryTheTailGivesOtherBits) {
  const float limit = 0.425f;
  const float beyond = std::nextafter(limit, 1.0f);
  const FillPlan<float> tail_plan = plan_with(beyond, 0.0f);
  const FillPlan<float> central_plan = plan_with(limit, 0.0f);
  const Stream stream{11, 12};
  std::vector<float> tail(64);
  std::vector<float> central(64);
  internal::fill_range(tail.data(), 0, 64, stream, tail_plan.truncated_normal,
                       tail_plan.clamp_low, tail_plan.clamp_high);
  internal::fill_range(central.data(), 0, 64, stream, central_plan.truncated_normal,
                       central_plan.clamp_low, central_plan.clamp_high);
  // The central piece at 0.425 is about 1.44 std; the tail at p = 0.05 is the
  // 5 % quantile (negated in the upper tail): far apart.
  EXPECT_GT(std::fabs(tail[0] - central[0]), 0.1f);
}

}  // namespace
