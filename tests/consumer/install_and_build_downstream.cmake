# cmake -DBUILD_DIR=... -DPREFIX=... -DSOURCE=tests/consumer/downstream -DDOWNSTREAM_DIR=...
#       -DCXX=... -DGENERATOR=... [-DBUILD_TYPE=...] [-DCXX_FLAGS=...] -P install_and_build_downstream.cmake
# Installs the build tree of the add_subdirectory consumer (its own library,
# exported with install(EXPORT), and nninit, installed beside it by default),
# then builds and runs a downstream program that finds the consumer's package
# with find_package and links its library.
foreach(variable BUILD_DIR PREFIX SOURCE DOWNSTREAM_DIR CXX GENERATOR)
  if(NOT DEFINED ${variable})
    message(FATAL_ERROR "install_and_build_downstream.cmake: ${variable} is not set")
  endif()
endforeach()

file(REMOVE_RECURSE "${PREFIX}" "${DOWNSTREAM_DIR}")
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}" RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "cmake --install ${BUILD_DIR} failed (${result})")
endif()
file(GLOB_RECURSE installed RELATIVE "${PREFIX}" "${PREFIX}/*")
foreach(needed "cmake/nninit_consumer/nninit_consumerConfig.cmake" "cmake/nninit/nninitConfig.cmake"
               "include/nninit/nninit.hpp" "include/consumer_library.hpp")
  string(FIND "${installed}" "${needed}" position)
  if(position EQUAL -1)
    message(FATAL_ERROR "not installed under ${PREFIX}: ${needed} (installed: ${installed})")
  endif()
endforeach()

execute_process(
  COMMAND "${CMAKE_COMMAND}" -S "${SOURCE}" -B "${DOWNSTREAM_DIR}" -G "${GENERATOR}" "-DCMAKE_CXX_COMPILER=${CXX}"
          "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}" "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" "-DCMAKE_PREFIX_PATH=${PREFIX}"
  RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "configuring the downstream project against ${PREFIX} failed")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" --build "${DOWNSTREAM_DIR}" RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "building the downstream project failed")
endif()
execute_process(COMMAND "${DOWNSTREAM_DIR}/nninit_downstream" RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "nninit_downstream failed (${result})")
endif()
