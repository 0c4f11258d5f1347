# cmake -DSOURCE=tests/consumer -DNNINIT_SOURCE_DIR=... -DWORK_DIR=... -DCXX=...
#       -DGENERATOR=... -P check_optimisation.cmake
# nninit as a subproject is compiled with optimisation whatever the parent's
# configuration (lib/CMakeLists.txt, NNINIT_ALWAYS_OPTIMIZE): configures the
# consumer project with add_subdirectory and reads the compile command of a
# SIMD kernel from compile_commands.json. No build: seconds.
#   no CMAKE_BUILD_TYPE    -O2 (the configuration gives none)
#   Debug                  -O2 after -g (Debug's flags give none)
#   Release                -O3 only (never lowered)
#   no build type, NNINIT_ALWAYS_OPTIMIZE=OFF: no -O at all (the control that
#                          shows the check sees a missing flag)
foreach(variable SOURCE NNINIT_SOURCE_DIR WORK_DIR CXX GENERATOR)
  if(NOT DEFINED ${variable})
    message(FATAL_ERROR "check_optimisation.cmake: ${variable} is not set")
  endif()
endforeach()

function(kernel_command label out)
  set(build "${WORK_DIR}/${label}")
  file(REMOVE_RECURSE "${build}")
  execute_process(
    COMMAND "${CMAKE_COMMAND}" -S "${SOURCE}" -B "${build}" -G "${GENERATOR}" "-DCMAKE_CXX_COMPILER=${CXX}"
            -DNNINIT_CONSUMER_MODE=add_subdirectory "-DNNINIT_SOURCE_DIR=${NNINIT_SOURCE_DIR}"
            -DCMAKE_EXPORT_COMPILE_COMMANDS=ON ${ARGN}
    RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${label}: configuring the consumer failed:\n${output}")
  endif()
  if(NOT EXISTS "${build}/compile_commands.json")
    message(FATAL_ERROR "${label}: the generator '${GENERATOR}' wrote no compile_commands.json")
  endif()
  file(READ "${build}/compile_commands.json" json)
  string(JSON count LENGTH "${json}")
  math(EXPR last "${count} - 1")
  foreach(index RANGE ${last})
    string(JSON file GET "${json}" ${index} file)
    if(file MATCHES "lib/src/simd/simd_fill_f32\\.cpp$")
      string(JSON command ERROR_VARIABLE no_command GET "${json}" ${index} command)
      if(no_command)
        string(JSON command GET "${json}" ${index} arguments)
      endif()
      set(${out} "${command}" PARENT_SCOPE)
      return()
    endif()
  endforeach()
  message(FATAL_ERROR "${label}: no compile command for lib/src/simd/simd_fill_f32.cpp")
endfunction()

# The optimisation flags of a command, in order.
function(levels_of command out)
  string(REGEX MATCHALL "(^|[ ;\"])-O[^ ;\"]*" found "${command}")
  set(levels "")
  foreach(flag IN LISTS found)
    string(REGEX REPLACE "^[ ;\"]" "" flag "${flag}")
    list(APPEND levels "${flag}")
  endforeach()
  set(${out} "${levels}" PARENT_SCOPE)
endfunction()

set(failures "")
function(expect label expected)
  kernel_command(${label} command ${ARGN})
  levels_of("${command}" levels)
  message(STATUS "${label}: optimisation flags of simd_fill_f32.cpp: '${levels}'")
  if(NOT levels STREQUAL expected)
    set(failures "${failures}\n  ${label}: '${levels}', expected '${expected}' in: ${command}" PARENT_SCOPE)
  endif()
endfunction()

expect(no_build_type "-O2")
expect(debug "-O2" -DCMAKE_BUILD_TYPE=Debug)
expect(release "-O3" -DCMAKE_BUILD_TYPE=Release)
expect(no_build_type_not_forced "" -DNNINIT_ALWAYS_OPTIMIZE=OFF)
if(failures)
  message(FATAL_ERROR "nninit's kernels are not compiled as documented:${failures}")
endif()
