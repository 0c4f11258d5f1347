# cmake -DBUILD_DIR=... -DPREFIX=... [-DCONFIG=...] -DLIBDIR=lib -DINCLUDEDIR=include
#       -DBINDIR=bin -DCMAKEDIR=lib/cmake/nninit -DPKGCONFIGDIR=lib/pkgconfig
#       [-DEXPECT_CLI=ON] [-DEXPECT_VALIDATE=ON] -P install_and_check.cmake
# Installs the build tree into a fresh PREFIX and checks that the package files
# are there. The fixture of the consumer tests that use the installed tree.
foreach(variable BUILD_DIR PREFIX LIBDIR INCLUDEDIR BINDIR CMAKEDIR PKGCONFIGDIR)
  if(NOT DEFINED ${variable})
    message(FATAL_ERROR "install_and_check.cmake: ${variable} is not set")
  endif()
endforeach()

file(REMOVE_RECURSE "${PREFIX}")
set(config_arguments "")
if(CONFIG)
  set(config_arguments --config "${CONFIG}")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}" ${config_arguments}
                RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "cmake --install failed (${result})")
endif()

set(expected
  "${INCLUDEDIR}/nninit/nninit.hpp"
  "${INCLUDEDIR}/nninit/fill.hpp"
  "${INCLUDEDIR}/nninit/version.hpp"
  "${LIBDIR}/libnninit.a"
  "${CMAKEDIR}/nninitConfig.cmake"
  "${CMAKEDIR}/nninitConfigVersion.cmake"
  "${CMAKEDIR}/nninitTargets.cmake"
  "${PKGCONFIGDIR}/nninit.pc")
if(EXPECT_CLI)
  list(APPEND expected "${BINDIR}/nninit")
endif()
if(EXPECT_VALIDATE)
  list(APPEND expected "${BINDIR}/nninit-validate")
endif()
if(EXISTS "${PREFIX}/${LIBDIR}/libnninit.so")
  list(REMOVE_ITEM expected "${LIBDIR}/libnninit.a")
endif()
set(missing "")
foreach(file IN LISTS expected)
  if(NOT EXISTS "${PREFIX}/${file}")
    list(APPEND missing "${file}")
  endif()
endforeach()
if(missing)
  message(FATAL_ERROR "not installed under ${PREFIX}: ${missing}")
endif()

# The pkg-config file must point at the prefix it was installed to.
file(STRINGS "${PREFIX}/${PKGCONFIGDIR}/nninit.pc" prefix_line REGEX "^prefix=")
if(NOT prefix_line STREQUAL "prefix=${PREFIX}")
  message(FATAL_ERROR "nninit.pc says '${prefix_line}', expected 'prefix=${PREFIX}'")
endif()
# Nothing in the installed CMake files may point back into the source or build tree.
file(GLOB cmake_files "${PREFIX}/${CMAKEDIR}/*.cmake")
get_filename_component(source_dir "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)
foreach(file IN LISTS cmake_files)
  file(READ "${file}" text)
  foreach(tree "${source_dir}" "${BUILD_DIR}")
    string(FIND "${text}" "${tree}" position)
    if(NOT position EQUAL -1)
      message(FATAL_ERROR "${file} refers to ${tree}")
    endif()
  endforeach()
endforeach()
message(STATUS "installed nninit into ${PREFIX}: ${expected}")
