# NninitInstall.cmake — install rules and the package files of nninit:
#   include/nninit/*.hpp                      public headers
#   lib/libnninit.a                           the library (static unless BUILD_SHARED_LIBS)
#   lib/cmake/nninit/nninitConfig.cmake       find_package(nninit 1.0 CONFIG) -> nninit::nninit
#   lib/cmake/nninit/nninitConfigVersion.cmake  SameMajorVersion
#   lib/cmake/nninit/nninitTargets*.cmake     the exported target
#   lib/pkgconfig/nninit.pc                   pkg-config --cflags --libs nninit
# and (from the source tree's tests/consumer/) the "consumer" ctests that build
# a small program against the installed tree, with add_subdirectory, with
# FetchContent and with pkg-config.
#
# Included by the top-level CMakeLists.txt right after add_subdirectory(lib),
# so the nninit target and everything it links are known here.

include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# On by default also when nninit is a subproject: a target of the parent that
# links nninit::nninit and is installed with install(EXPORT) needs nninit's own
# export set (CMake refuses to generate otherwise), and a static nninit must
# be installed beside it to link. The rules are in components
# (nninit_runtime, nninit_development); OFF installs nothing of nninit.
option(NNINIT_INSTALL "Generate nninit's install rules" ON)

set(NNINIT_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/nninit"
    CACHE STRING "Where to install nninit's CMake package files (relative to the prefix)")
set(NNINIT_INSTALL_PKGCONFIGDIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig"
    CACHE STRING "Where to install nninit.pc (relative to the prefix)")
mark_as_advanced(NNINIT_INSTALL_CMAKEDIR NNINIT_INSTALL_PKGCONFIGDIR)

# ---------------------------------------------------------------------------
# What a consumer of the installed library must find again. A static nninit
# carries its PRIVATE link dependencies into the consumer's link line
# ($<LINK_ONLY:...> in the exported target), so the package config has to
# recreate every imported target nninit links (OpenMP::OpenMP_CXX, hwy::hwy or
# PkgConfig::<name>, ...). They are discovered from the target's link
# libraries rather than listed by hand, so a dependency added in
# lib/CMakeLists.txt is picked up without touching this file.
#
# Outputs (in the caller's scope):
#   NNINIT_PACKAGE_DEPENDENCIES   CMake code for nninitConfig.cmake
#   NNINIT_PC_REQUIRES            pkg-config modules nninit's link needs
#   NNINIT_PC_LIBS                extra linker flags (-lgomp, -lhwy, ...)
#   NNINIT_EXPORT_TARGETS         nninit plus the project's own libraries it links
# ---------------------------------------------------------------------------
function(_nninit_collect_link_items target out_items out_targets)
  set(items "")
  set(own_targets "")
  set(pending ${target})
  set(visited "")
  while(pending)
    list(POP_FRONT pending current)
    if(current IN_LIST visited)
      continue()
    endif()
    list(APPEND visited ${current})
    get_target_property(type ${current} TYPE)
    get_target_property(imported ${current} IMPORTED)
    if(NOT imported AND NOT type STREQUAL "INTERFACE_LIBRARY")
      list(APPEND own_targets ${current})
    endif()
    set(links "")
    foreach(property LINK_LIBRARIES INTERFACE_LINK_LIBRARIES)
      get_target_property(value ${current} ${property})
      if(value)
        list(APPEND links ${value})
      endif()
    endforeach()
    foreach(link IN LISTS links)
      # Unwrap the simple generator expressions CMake itself writes.
      string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" link "${link}")
      string(REGEX REPLACE "^\\$<BUILD_INTERFACE:.*>$" "" link "${link}")
      string(REGEX REPLACE "^\\$<INSTALL_INTERFACE:(.*)>$" "\\1" link "${link}")
      if(link STREQUAL "" OR link MATCHES "^\\$<")
        continue()
      endif()
      # Imported targets (OpenMP::OpenMP_CXX, PkgConfig::HWY, ...) may be
      # visible only in the directory that created them: go by the name.
      if(link MATCHES "::" AND NOT TARGET ${link})
        list(APPEND items ${link})
      elseif(TARGET ${link})
        get_target_property(aliased ${link} ALIASED_TARGET)
        if(aliased)
          set(link ${aliased})
        endif()
        get_target_property(link_imported ${link} IMPORTED)
        if(link_imported)
          list(APPEND items ${link})
        else()
          list(APPEND pending ${link})
        endif()
      else()
        list(APPEND items ${link})
      endif()
    endforeach()
  endwhile()
  list(REMOVE_DUPLICATES items)
  list(REMOVE_DUPLICATES own_targets)
  set(${out_items} ${items} PARENT_SCOPE)
  set(${out_targets} ${own_targets} PARENT_SCOPE)
endfunction()

function(_nninit_describe_dependencies)
  _nninit_collect_link_items(nninit items own_targets)
  set(code "")
  set(pc_requires "")
  set(pc_libs "")
  set(seen_packages "")
  foreach(item IN LISTS items)
    if(item MATCHES "::" OR TARGET ${item})
      string(REGEX MATCH "^([^:]+)::(.+)$" is_namespaced "${item}")
      set(namespace "${CMAKE_MATCH_1}")
      set(name "${CMAKE_MATCH_2}")
      if(NOT is_namespaced)
        message(WARNING "nninit links the imported target '${item}', which has no namespace; "
                        "the installed package config cannot recreate it")
        continue()
      endif()
      if(namespace IN_LIST seen_packages AND NOT namespace STREQUAL "PkgConfig")
        continue()
      endif()
      list(APPEND seen_packages ${namespace})
      if(namespace STREQUAL "OpenMP")
        string(APPEND code "find_dependency(OpenMP COMPONENTS CXX)\n")
        foreach(omp_lib IN LISTS OpenMP_CXX_LIB_NAMES)
          if(NOT omp_lib STREQUAL "pthread")
            list(APPEND pc_libs "-l${omp_lib}")
          endif()
        endforeach()
        list(APPEND pc_libs "-lpthread")
      elseif(namespace STREQUAL "Threads")
        string(APPEND code "find_dependency(Threads)\n")
        list(APPEND pc_libs "-lpthread")
      elseif(namespace STREQUAL "hwy")
        string(APPEND code "find_dependency(hwy)\n")
        list(APPEND pc_libs "-lhwy")
      elseif(namespace STREQUAL "Boost")
        string(APPEND code "find_dependency(Boost CONFIG)\n")
      elseif(namespace STREQUAL "PkgConfig")
        # Recreate PkgConfig::<prefix> with the module list the project used.
        set(arguments "${__pkg_config_arguments_${name}}")
        set(modules "")
        foreach(argument IN LISTS arguments)
          if(NOT argument MATCHES "^(REQUIRED|QUIET|IMPORTED_TARGET|GLOBAL|NO_CMAKE_PATH|NO_CMAKE_ENVIRONMENT_PATH)$")
            list(APPEND modules "${argument}")
          endif()
        endforeach()
        if(NOT modules)
          set(modules "${${name}_MODULE_NAME}")
        endif()
        if(NOT modules)
          message(WARNING "nninit links ${item} but its pkg-config modules are unknown; "
                          "the installed package config cannot recreate it")
          continue()
        endif()
        string(REPLACE ";" " " module_text "${modules}")
        string(APPEND code
               "if(NOT TARGET ${item})\n"
               "  find_dependency(PkgConfig)\n"
               "  pkg_check_modules(${name} QUIET IMPORTED_TARGET ${module_text})\n"
               "  if(NOT ${name}_FOUND)\n"
               "    set(nninit_FOUND FALSE)\n"
               "    set(nninit_NOT_FOUND_MESSAGE \"nninit needs the pkg-config module(s) ${module_text}\")\n"
               "    return()\n"
               "  endif()\n"
               "endif()\n")
        # pkg-config: the module's link flags, not a Requires: nninit's public
        # headers include none of its dependencies' headers, and a Requires
        # (or Requires.private) would put the module's Cflags into every
        # `pkg-config --cflags nninit` (libhwy's -DHWY_SHARED_DEFINE).
        foreach(flag IN LISTS ${name}_LDFLAGS)
          if(flag MATCHES "^-L(.*)$" AND CMAKE_MATCH_1 IN_LIST CMAKE_CXX_IMPLICIT_LINK_DIRECTORIES)
            continue()  # a directory the linker searches anyway
          endif()
          list(APPEND pc_libs "${flag}")
        endforeach()
        if(NOT ${name}_LDFLAGS)
          foreach(module IN LISTS modules)
            string(REGEX REPLACE "[<>=].*$" "" module_name "${module}")
            list(APPEND pc_requires "${module_name}")
          endforeach()
        endif()
      else()
        string(APPEND code "find_dependency(${namespace})\n")
        message(STATUS "nninit: the package config will call find_dependency(${namespace}) for ${item}")
      endif()
    elseif(item MATCHES "^-")
      list(APPEND pc_libs "${item}")
    elseif(IS_ABSOLUTE "${item}")
      # A library found with find_library: the exported target keeps the path.
      get_filename_component(library_name "${item}" NAME_WE)
      string(REGEX REPLACE "^lib" "" library_name "${library_name}")
      list(APPEND pc_libs "-l${library_name}")
    else()
      list(APPEND pc_libs "-l${item}")
    endif()
  endforeach()
  list(REMOVE_DUPLICATES pc_requires)
  list(REMOVE_DUPLICATES pc_libs)
  string(REPLACE ";" ", " pc_requires "${pc_requires}")
  string(REPLACE ";" " " pc_libs "${pc_libs}")
  set(NNINIT_PACKAGE_DEPENDENCIES "${code}" PARENT_SCOPE)
  set(NNINIT_PC_REQUIRES "${pc_requires}" PARENT_SCOPE)
  set(NNINIT_PC_LIBS "${pc_libs}" PARENT_SCOPE)
  set(NNINIT_EXPORT_TARGETS ${own_targets} PARENT_SCOPE)
endfunction()

# The package version is project(VERSION); the header must say the same.
file(STRINGS ${PROJECT_SOURCE_DIR}/lib/include/nninit/version.hpp _nninit_version_lines
     REGEX "#define NNINIT_VERSION_(MAJOR|MINOR|PATCH) [0-9]+")
set(_nninit_header_version "")
foreach(_nninit_part MAJOR MINOR PATCH)
  string(REGEX MATCH "NNINIT_VERSION_${_nninit_part} ([0-9]+)" _nninit_match "${_nninit_version_lines}")
  list(APPEND _nninit_header_version "${CMAKE_MATCH_1}")
endforeach()
string(REPLACE ";" "." _nninit_header_version "${_nninit_header_version}")
if(NOT _nninit_header_version STREQUAL PROJECT_VERSION)
  message(FATAL_ERROR "nninit: project(VERSION ${PROJECT_VERSION}) disagrees with "
                      "lib/include/nninit/version.hpp (${_nninit_header_version})")
endif()

# The stream version (which bits a seed gives), read from the header that defines it.
file(STRINGS ${PROJECT_SOURCE_DIR}/lib/include/nninit/stream.hpp _nninit_stream_version_line
     REGEX "stream_version = [0-9]+")
string(REGEX MATCH "[0-9]+" NNINIT_STREAM_VERSION "${_nninit_stream_version_line}")

if(NNINIT_INSTALL)
  _nninit_describe_dependencies()

  set_target_properties(nninit PROPERTIES EXPORT_NAME nninit)
  install(TARGETS ${NNINIT_EXPORT_TARGETS}
    EXPORT nninitTargets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT nninit_development
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT nninit_runtime
            NAMELINK_COMPONENT nninit_development
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT nninit_runtime
    INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/lib/include/nninit
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT nninit_development
    FILES_MATCHING PATTERN "*.hpp" PATTERN "*.h")
  install(EXPORT nninitTargets
    NAMESPACE nninit::
    DESTINATION ${NNINIT_INSTALL_CMAKEDIR} COMPONENT nninit_development)

  configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/nninitConfig.cmake.in
    ${PROJECT_BINARY_DIR}/nninitConfig.cmake
    INSTALL_DESTINATION ${NNINIT_INSTALL_CMAKEDIR})
  # The library is static by default and its ABI is not architecture-neutral:
  # leave ARCH_INDEPENDENT off so a 32-bit consumer does not pick a 64-bit build.
  write_basic_package_version_file(${PROJECT_BINARY_DIR}/nninitConfigVersion.cmake
    VERSION ${PROJECT_VERSION}
    COMPATIBILITY SameMajorVersion)
  install(FILES ${PROJECT_BINARY_DIR}/nninitConfig.cmake ${PROJECT_BINARY_DIR}/nninitConfigVersion.cmake
    DESTINATION ${NNINIT_INSTALL_CMAKEDIR} COMPONENT nninit_development)

  # pkg-config. A static library needs its dependencies on every link line, so
  # they go to Requires/Libs; a shared one hides them in the .private fields.
  get_target_property(_nninit_type nninit TYPE)
  if(_nninit_type STREQUAL "STATIC_LIBRARY")
    set(NNINIT_PC_REQUIRES_FIELD "Requires")
    set(NNINIT_PC_LIBS_PUBLIC "${NNINIT_PC_LIBS}")
    set(NNINIT_PC_LIBS_PRIVATE "")
  else()
    set(NNINIT_PC_REQUIRES_FIELD "Requires.private")
    set(NNINIT_PC_LIBS_PUBLIC "")
    set(NNINIT_PC_LIBS_PRIVATE "${NNINIT_PC_LIBS}")
  endif()
  if(NNINIT_PC_LIBS_PUBLIC)
    string(PREPEND NNINIT_PC_LIBS_PUBLIC " ")
  endif()
  if(NNINIT_PC_LIBS_PRIVATE)
    set(NNINIT_PC_LIBS_PRIVATE_LINE "Libs.private: ${NNINIT_PC_LIBS_PRIVATE}")
  else()
    set(NNINIT_PC_LIBS_PRIVATE_LINE "")
  endif()
  if(NNINIT_PC_REQUIRES)
    set(NNINIT_PC_REQUIRES_LINE "${NNINIT_PC_REQUIRES_FIELD}: ${NNINIT_PC_REQUIRES}")
  else()
    set(NNINIT_PC_REQUIRES_LINE "")
  endif()
  if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
    set(NNINIT_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
  else()
    set(NNINIT_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
  endif()
  if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
    set(NNINIT_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
  else()
    set(NNINIT_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
  endif()
  # The prefix is resolved at install time, so `cmake --install --prefix DIR`
  # writes a nninit.pc that points at DIR.
  set(NNINIT_PC_PREFIX "@NNINIT_PC_PREFIX@")  # kept for the install-time pass
  configure_file(${PROJECT_SOURCE_DIR}/cmake/nninit.pc.in ${PROJECT_BINARY_DIR}/nninit.pc.in.configured @ONLY)
  install(CODE "
    set(NNINIT_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
    configure_file(\"${PROJECT_BINARY_DIR}/nninit.pc.in.configured\" \"${PROJECT_BINARY_DIR}/nninit.pc\" @ONLY)
  " COMPONENT nninit_development)
  install(FILES ${PROJECT_BINARY_DIR}/nninit.pc
    DESTINATION ${NNINIT_INSTALL_PKGCONFIGDIR} COMPONENT nninit_development)
endif()

# The consumer tests are registered at the end of the top-level directory,
# once include(CTest) has decided BUILD_TESTING.
if(EXISTS ${PROJECT_SOURCE_DIR}/tests/consumer/ConsumerTests.cmake)
  include(${PROJECT_SOURCE_DIR}/tests/consumer/ConsumerTests.cmake)
endif()
