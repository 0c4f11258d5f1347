# cmake -DPREFIX=... -DPKGCONFIGDIR=lib/pkgconfig -DPKG_CONFIG=... -DCXX=...
#       -DSOURCE=consumer.cpp -DOUTPUT=... [-DEXTRA_FLAGS=...] -P pkg_config_build.cmake
# Builds the consumer program with nothing but the compiler and
# `pkg-config --cflags --libs nninit` from an installed tree, then runs it.
foreach(variable PREFIX PKGCONFIGDIR PKG_CONFIG CXX SOURCE OUTPUT)
  if(NOT DEFINED ${variable})
    message(FATAL_ERROR "pkg_config_build.cmake: ${variable} is not set")
  endif()
endforeach()

set(ENV{PKG_CONFIG_PATH} "${PREFIX}/${PKGCONFIGDIR}")
execute_process(COMMAND "${PKG_CONFIG}" --modversion nninit
                OUTPUT_VARIABLE version OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "pkg-config --modversion nninit failed")
endif()
if(DEFINED EXPECTED_VERSION AND NOT version STREQUAL EXPECTED_VERSION)
  message(FATAL_ERROR "pkg-config says nninit ${version}, expected ${EXPECTED_VERSION}")
endif()
execute_process(COMMAND "${PKG_CONFIG}" --cflags --libs nninit
                OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "pkg-config --cflags --libs nninit failed")
endif()
message(STATUS "pkg-config --cflags --libs nninit: ${flags}")
separate_arguments(flags UNIX_COMMAND "${flags}")
separate_arguments(extra UNIX_COMMAND "${EXTRA_FLAGS}")
execute_process(COMMAND "${CXX}" -std=c++20 ${extra} "${SOURCE}" -o "${OUTPUT}" ${flags}
                RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "compiling ${SOURCE} with pkg-config's flags failed")
endif()
execute_process(COMMAND "${OUTPUT}" RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "${OUTPUT} failed (${result})")
endif()
