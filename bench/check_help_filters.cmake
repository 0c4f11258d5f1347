# cmake -DBENCH=path/to/nninit-bench -P check_help_filters.cmake
# Every --benchmark_filter='REGEX' example that `nninit-bench --help` prints
# must select at least one benchmark of a default run (listed, not run); a
# filter written with the --sizes spelling ('bytes:4K/') must select none
# (the control that shows an empty selection is seen).
if(NOT DEFINED BENCH)
  message(FATAL_ERROR "check_help_filters.cmake: BENCH is not set")
endif()
execute_process(COMMAND "${BENCH}" --help OUTPUT_VARIABLE help ERROR_VARIABLE help_errors RESULT_VARIABLE result)
string(REGEX MATCHALL "--benchmark_filter='[^']*'" examples "${help}")
if(NOT examples)
  message(FATAL_ERROR "nninit-bench --help gives no --benchmark_filter='...' example:\n${help}")
endif()

function(count_selected filter out)
  execute_process(COMMAND "${BENCH}" --benchmark_list_tests "--benchmark_filter=${filter}"
                  OUTPUT_VARIABLE names ERROR_VARIABLE errors RESULT_VARIABLE result)
  string(REGEX MATCHALL "[^\n]+" lines "${names}")
  list(LENGTH lines count)
  set(${out} ${count} PARENT_SCOPE)
endfunction()

set(failures "")
foreach(example IN LISTS examples)
  string(REGEX REPLACE "^--benchmark_filter='(.*)'$" "\\1" filter "${example}")
  count_selected("${filter}" count)
  message(STATUS "--benchmark_filter='${filter}': ${count} benchmarks")
  if(count EQUAL 0)
    string(APPEND failures "\n  --benchmark_filter='${filter}' (from --help) selects no benchmark")
  endif()
endforeach()
count_selected("bytes:4K/" control)
if(NOT control EQUAL 0)
  string(APPEND failures "\n  the control filter 'bytes:4K/' selects ${control} benchmarks, expected none")
endif()
if(failures)
  message(FATAL_ERROR "nninit-bench --help:${failures}")
endif()
