# cmake -DPREFIX=... -DPKGCONFIGDIR=lib/pkgconfig -DPKG_CONFIG=... -DCXX=...
#       -DSOURCE=consumer.cpp [-DLIBRARY_SOURCE=consumer_library.cpp] -DOUTPUT=...
#       [-DEXTRA_FLAGS=...] -P pkg_config_build.cmake
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
# nninit's public headers need nothing but its include directory: no
# dependency's flags (libhwy's -DHWY_SHARED_DEFINE) may leak into the consumer.
execute_process(COMMAND "${PKG_CONFIG}" --cflags nninit
                OUTPUT_VARIABLE cflags OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "pkg-config --cflags nninit failed")
endif()
separate_arguments(cflag_list UNIX_COMMAND "${cflags}")
foreach(flag IN LISTS cflag_list)
  if(NOT flag MATCHES "^-I")
    message(FATAL_ERROR "pkg-config --cflags nninit gives '${cflags}': '${flag}' is not an include directory")
  endif()
endforeach()
execute_process(COMMAND "${PKG_CONFIG}" --cflags --libs nninit
                OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "pkg-config --cflags --libs nninit failed")
endif()
message(STATUS "pkg-config --cflags --libs nninit: ${flags}")
separate_arguments(flags UNIX_COMMAND "${flags}")
separate_arguments(extra UNIX_COMMAND "${EXTRA_FLAGS}")
execute_process(COMMAND "${CXX}" -std=c++20 ${extra} "${SOURCE}" ${LIBRARY_SOURCE} -o "${OUTPUT}" ${flags}
                RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "compiling ${SOURCE} with pkg-config's flags failed")
endif()
execute_process(COMMAND "${OUTPUT}" RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "${OUTPUT} failed (${result})")
endif()
