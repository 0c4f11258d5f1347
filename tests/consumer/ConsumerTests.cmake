# The "consumer" ctests: build tests/consumer/consumer.cpp against nninit four
# ways and run it.
#   consumer.install                      cmake --install into <build>/consumer/prefix (fixture)
#   consumer.find_package                 find_package(nninit 1.0 CONFIG) from that prefix
#   consumer.find_package_wrong_major     find_package(nninit 2.0) must be refused (SameMajorVersion)
#   consumer.pkg_config                   c++ consumer.cpp consumer_library.cpp $(pkg-config --cflags --libs nninit),
#                                         and --cflags is nothing but -I
#   consumer.add_subdirectory             add_subdirectory(<nninit source>)
#   consumer.add_subdirectory_export      cmake --install of that build (the consumer's own library,
#                                         exported with install(EXPORT), and nninit), then a
#                                         downstream project that find_package()s and links it
#   consumer.fetchcontent                 FetchContent_Declare(nninit SOURCE_DIR <nninit source>)
#   consumer.optimisation                 as a subproject with no build type or Debug, nninit's
#                                         kernels still get -O2 (configure only, compile_commands.json)
# In every mode the consumer project also has a library of its own that links
# nninit::nninit and is installed with its own export set (as a subproject,
# that generates only because nninit exports its targets there too).
# Included from cmake/NninitInstall.cmake; the tests are added at the end of
# nninit's top-level directory, after include(CTest) has set BUILD_TESTING.

function(_nninit_add_consumer_tests)
  if(NOT (BUILD_TESTING AND NNINIT_BUILD_TESTS))
    return()
  endif()
  set(source_dir "${PROJECT_SOURCE_DIR}/tests/consumer")
  set(work_dir "${PROJECT_BINARY_DIR}/consumer")
  set(prefix "${work_dir}/prefix")
  cmake_host_system_information(RESULT cores QUERY NUMBER_OF_LOGICAL_CORES)

  # The consumers use the same compiler and build type, and the sanitizers
  # the library was built with (an instrumented static library needs them at
  # link time).
  set(flags "")
  if(NNINIT_SANITIZE)
    set(flags "-fsanitize=${NNINIT_SANITIZE} -fno-omit-frame-pointer")
  endif()
  set(build_type "${CMAKE_BUILD_TYPE}")
  if(NOT build_type)
    set(build_type Release)
  endif()
  set(common_options
    "-DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER}"
    "-DCMAKE_BUILD_TYPE=${build_type}"
    "-DCMAKE_CXX_FLAGS=${flags}")
  set(generator_arguments --build-generator "${CMAKE_GENERATOR}")
  if(CMAKE_MAKE_PROGRAM)
    list(APPEND generator_arguments --build-makeprogram "${CMAKE_MAKE_PROGRAM}")
  endif()
  set(environment "CMAKE_BUILD_PARALLEL_LEVEL=${cores}")

  if(NNINIT_INSTALL)
    set(expect_cli OFF)
    if(TARGET nninit_cli)
      set(expect_cli ON)
    endif()
    set(expect_validate OFF)
    if(TARGET nninit-validate)
      set(expect_validate ON)
    endif()
    add_test(NAME consumer.install
      COMMAND "${CMAKE_COMMAND}" "-DBUILD_DIR=${PROJECT_BINARY_DIR}" "-DPREFIX=${prefix}"
              "-DCONFIG=$<CONFIG>" "-DLIBDIR=${CMAKE_INSTALL_LIBDIR}"
              "-DINCLUDEDIR=${CMAKE_INSTALL_INCLUDEDIR}" "-DBINDIR=${CMAKE_INSTALL_BINDIR}"
              "-DCMAKEDIR=${NNINIT_INSTALL_CMAKEDIR}" "-DPKGCONFIGDIR=${NNINIT_INSTALL_PKGCONFIGDIR}"
              "-DEXPECT_CLI=${expect_cli}" "-DEXPECT_VALIDATE=${expect_validate}"
              -P "${source_dir}/install_and_check.cmake")
    set_tests_properties(consumer.install PROPERTIES
      LABELS consumer FIXTURES_SETUP nninit_installed RESOURCE_LOCK nninit_consumer_prefix)

    add_test(NAME consumer.find_package
      COMMAND "${CMAKE_CTEST_COMMAND}" --build-and-test "${source_dir}" "${work_dir}/find_package"
              ${generator_arguments}
              --build-options ${common_options}
                              -DNNINIT_CONSUMER_MODE=find_package
                              "-DCMAKE_PREFIX_PATH=${prefix}"
              --test-command "${work_dir}/find_package/nninit_consumer")
    set_tests_properties(consumer.find_package PROPERTIES
      LABELS consumer FIXTURES_REQUIRED nninit_installed ENVIRONMENT "${environment}" TIMEOUT 600)

    add_test(NAME consumer.find_package_wrong_major
      COMMAND "${CMAKE_COMMAND}" -S "${source_dir}" -B "${work_dir}/find_package_wrong_major"
              ${common_options} -DNNINIT_CONSUMER_MODE=find_package
              -DNNINIT_CONSUMER_REQUIRED_VERSION=2.0 "-DCMAKE_PREFIX_PATH=${prefix}")
    set_tests_properties(consumer.find_package_wrong_major PROPERTIES
      LABELS consumer FIXTURES_REQUIRED nninit_installed
      PASS_REGULAR_EXPRESSION "requested version \"2\\.0\"")

    find_program(NNINIT_PKG_CONFIG_EXECUTABLE NAMES pkg-config pkgconf)
    mark_as_advanced(NNINIT_PKG_CONFIG_EXECUTABLE)
    if(NNINIT_PKG_CONFIG_EXECUTABLE)
      add_test(NAME consumer.pkg_config
        COMMAND "${CMAKE_COMMAND}" "-DPREFIX=${prefix}" "-DPKGCONFIGDIR=${NNINIT_INSTALL_PKGCONFIGDIR}"
                "-DPKG_CONFIG=${NNINIT_PKG_CONFIG_EXECUTABLE}" "-DCXX=${CMAKE_CXX_COMPILER}"
                "-DSOURCE=${source_dir}/consumer.cpp" "-DLIBRARY_SOURCE=${source_dir}/consumer_library.cpp"
                "-DOUTPUT=${work_dir}/pkg_config_consumer"
                "-DEXPECTED_VERSION=${PROJECT_VERSION}" "-DEXTRA_FLAGS=-O2 ${flags}"
                -P "${source_dir}/pkg_config_build.cmake")
      set_tests_properties(consumer.pkg_config PROPERTIES
        LABELS consumer FIXTURES_REQUIRED nninit_installed TIMEOUT 300)
    endif()
  endif()

  # consumer.add_subdirectory and consumer.fetchcontent bring nninit's source
  # into a user's project the two ways CMake offers. They compile Highway's
  # static target only (HWY_COMPILE_ONLY_STATIC), which gives the same bits
  # (the contract) in a fraction of the compile time: every SIMD target is
  # compiled, and its bits tested, by this build's own unit tests; what these
  # two test is the subproject's configuration. consumer.optimisation checks
  # the kernels' flags of a full subproject configuration.
  set(mode_flags_add_subdirectory "-DHWY_COMPILE_ONLY_STATIC=1")
  set(mode_flags_fetchcontent "-DHWY_COMPILE_ONLY_STATIC=1")
  foreach(mode add_subdirectory fetchcontent)
    add_test(NAME consumer.${mode}
      COMMAND "${CMAKE_CTEST_COMMAND}" --build-and-test "${source_dir}" "${work_dir}/${mode}"
              ${generator_arguments}
              --build-options ${common_options}
                              "-DCMAKE_CXX_FLAGS=${flags} ${mode_flags_${mode}}"
                              -DNNINIT_CONSUMER_MODE=${mode}
                              "-DNNINIT_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
              --test-command "${work_dir}/${mode}/nninit_consumer")
    set_tests_properties(consumer.${mode} PROPERTIES
      LABELS consumer ENVIRONMENT "${environment}" TIMEOUT 900 COST 15)  # COST: see mpi/CMakeLists.txt
  endforeach()
  set_tests_properties(consumer.add_subdirectory PROPERTIES FIXTURES_SETUP nninit_subproject_built)

  add_test(NAME consumer.add_subdirectory_export
    COMMAND "${CMAKE_COMMAND}" "-DBUILD_DIR=${work_dir}/add_subdirectory"
            "-DPREFIX=${work_dir}/add_subdirectory_prefix" "-DSOURCE=${source_dir}/downstream"
            "-DDOWNSTREAM_DIR=${work_dir}/downstream" "-DCXX=${CMAKE_CXX_COMPILER}"
            "-DGENERATOR=${CMAKE_GENERATOR}" "-DBUILD_TYPE=${build_type}" "-DCXX_FLAGS=${flags}"
            -P "${source_dir}/install_and_build_downstream.cmake")
  set_tests_properties(consumer.add_subdirectory_export PROPERTIES
    LABELS consumer FIXTURES_REQUIRED nninit_subproject_built ENVIRONMENT "${environment}" TIMEOUT 600)

  add_test(NAME consumer.optimisation
    COMMAND "${CMAKE_COMMAND}" "-DSOURCE=${source_dir}" "-DNNINIT_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
            "-DWORK_DIR=${work_dir}/optimisation" "-DCXX=${CMAKE_CXX_COMPILER}" "-DGENERATOR=${CMAKE_GENERATOR}"
            -P "${source_dir}/check_optimisation.cmake")
  set_tests_properties(consumer.optimisation PROPERTIES LABELS consumer TIMEOUT 300)
endfunction()

cmake_language(DEFER DIRECTORY "${PROJECT_SOURCE_DIR}" CALL _nninit_add_consumer_tests)
