// nninit/validation/validation.hpp — umbrella header of the statistics layer of
// nninit's validation suite (target nninit::validation).
#pragma once

#include "nninit/validation/anderson_darling.hpp"
#include "nninit/validation/battery.hpp"
#include "nninit/validation/binomial_test.hpp"
#include "nninit/validation/bounds.hpp"
#include "nninit/validation/chi_squared.hpp"
#include "nninit/validation/correlation.hpp"
#include "nninit/validation/extreme_values.hpp"
#include "nninit/validation/discrete_output.hpp"
#include "nninit/validation/kolmogorov_distribution.hpp"
#include "nninit/validation/kolmogorov_smirnov.hpp"
#include "nninit/validation/moment_tests.hpp"
#include "nninit/validation/multiple_testing.hpp"
#include "nninit/validation/output_grid.hpp"
#include "nninit/validation/probability_transform.hpp"
#include "nninit/validation/reference_distribution.hpp"
#include "nninit/validation/resolution.hpp"
#include "nninit/validation/sample.hpp"
#include "nninit/validation/tail_counts.hpp"
#include "nninit/validation/test_result.hpp"
#include "nninit/validation/two_level.hpp"
