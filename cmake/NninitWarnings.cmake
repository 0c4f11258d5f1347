# nninit_set_warnings(target): the project's warning set, errors when
# NNINIT_WARNINGS_AS_ERRORS is on (CI), plus the sanitizers of NNINIT_SANITIZE.
function(nninit_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wconversion -Wsign-conversion -Wshadow)
  # GCC 12 reports false -Wrestrict overlaps inside std::string's operator+
  # (GCC bug 105329, fixed in GCC 13); it is noise, not a finding.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(NNINIT_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(NNINIT_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=${NNINIT_SANITIZE} -fno-omit-frame-pointer
                                             -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE -fsanitize=${NNINIT_SANITIZE})
  endif()
endfunction()

# The floating-point policy of the generating path: IEEE operations only, no
# contraction of a*b+c into fused multiply-adds (GCC contracts by default in
# GNU mode and also contracts SIMD intrinsics), no fast-math.
function(nninit_set_float_policy target)
  target_compile_options(${target} PRIVATE -ffp-contract=off -fno-fast-math)
endfunction()
