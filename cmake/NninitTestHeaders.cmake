# nninit_use_test_headers(target): the GoogleTest binaries share one
# precompiled copy of <gtest/gtest.h> and the standard headers every test
# includes. Parsing gtest.h alone takes about 2 s per test source; with about
# 50 test sources in each of CI's two builds that is minutes of CI time.
#
# A precompiled header is only used with the flags it was built with, so the
# target gets the same warnings and floating-point policy as the header's
# owner (nninit_test_headers); GCC's -Winvalid-pch (added by CMake) reports
# any mismatch, and -Werror makes that an error.
function(nninit_use_test_headers target)
  if(NOT TARGET nninit_test_headers)
    add_library(nninit_test_headers OBJECT ${PROJECT_SOURCE_DIR}/cmake/test_headers.cpp)
    target_link_libraries(nninit_test_headers PRIVATE GTest::gtest OpenMP::OpenMP_CXX)
    target_compile_features(nninit_test_headers PRIVATE cxx_std_20)
    nninit_set_warnings(nninit_test_headers)
    nninit_set_float_policy(nninit_test_headers)
    target_precompile_headers(nninit_test_headers PRIVATE
      <gtest/gtest.h> <algorithm> <cmath> <cstddef> <cstdint> <limits> <stdexcept> <string> <vector>)
  endif()
  target_precompile_headers(${target} REUSE_FROM nninit_test_headers)
  target_link_libraries(${target} PRIVATE OpenMP::OpenMP_CXX)
  nninit_set_float_policy(${target})
endfunction()
