# Shared build rules. Every target of ours goes through one of these so warnings, visibility
# and output locations stay uniform.

# -Wall -Wextra -Werror on our code only (never on system headers).
function(coregate_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wno-error=deprecated-declarations)
endfunction()

# A static library of ours: coregate_library(NAME SOURCES ... [PUBLIC_LIBS ...] [PRIVATE_LIBS ...])
# Include root is the repository root, so headers are included as "gateway/config/config_node.h".
function(coregate_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_LIBS;PRIVATE_LIBS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_PUBLIC_LIBS} PRIVATE ${ARG_PRIVATE_LIBS})
  coregate_warnings(${name})
endfunction()

# A plugin: a MODULE named libcoregate_<name>.so in build/plugins, hidden visibility so only the
# entry symbol coregate_plugin_init is exported (DESIGN §3), linked against the SDK only.
# EXPORTS overrides the exported symbol list (only the broken-plugin fixtures need that).
function(coregate_plugin name)
  cmake_parse_arguments(ARG "" "OUTPUT_DIRECTORY" "SOURCES;LIBS;EXPORTS" ${ARGN})
  set(target coregate_${name})
  add_library(${target} MODULE ${ARG_SOURCES})
  if(NOT ARG_OUTPUT_DIRECTORY)
    set(ARG_OUTPUT_DIRECTORY ${COREGATE_PLUGIN_OUTPUT_DIRECTORY})
  endif()
  set_target_properties(${target} PROPERTIES
    PREFIX "lib"
    OUTPUT_NAME "coregate_${name}"
    LIBRARY_OUTPUT_DIRECTORY "${ARG_OUTPUT_DIRECTORY}"
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_link_libraries(${target} PRIVATE coregate_sdk ${ARG_LIBS})
  # Keep the plugin's own copies of the C++ runtime symbols it uses from leaking into the host, and
  # make an unresolved symbol fail the plugin's link rather than the gateway's dlopen. Not under the
  # sanitizers: their runtime lives in the executable, so a plugin legitimately leaves it unresolved.
  target_link_options(${target} PRIVATE -Wl,--exclude-libs,ALL)
  # Hidden visibility still lets template instantiations from system headers (libstdc++, Boost)
  # escape as weak globals; a version script makes the entry symbol the only export.
  if(NOT ARG_EXPORTS)
    set(ARG_EXPORTS coregate_plugin_init)
  endif()
  list(JOIN ARG_EXPORTS "; " export_list)
  set(map_file ${CMAKE_CURRENT_BINARY_DIR}/${target}.map)
  file(WRITE ${map_file} "{ global: ${export_list}; local: *; };\n")
  target_link_options(${target} PRIVATE -Wl,--version-script=${map_file})
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${map_file})
  if(NOT COREGATE_SANITIZE)
    target_link_options(${target} PRIVATE -Wl,-z,defs)
  endif()
  coregate_warnings(${target})
endfunction()

# A GoogleTest executable registered with CTest: coregate_test(NAME SOURCES ... LIBS ... [LABELS ...])
# Tests are discovered at test time so a sanitizer build never runs binaries during the build.
function(coregate_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_compile_definitions(${name} PRIVATE
    COREGATE_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    COREGATE_BINARY_DIR="${PROJECT_BINARY_DIR}")
  coregate_warnings(${name})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  # PROPERTIES is itself a list: escape the label list so every label survives, not only the first.
  string(REPLACE ";" "\\;" labels "${ARG_LABELS}")
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST
    PROPERTIES TIMEOUT ${ARG_TIMEOUT} LABELS "${labels}")
endfunction()

# A libFuzzer target (only in a clang build with COREGATE_BUILD_FUZZ). A short smoke run is
# registered with CTest (label "fuzz"); tools/test.sh runs it, docs say how to run it long.
function(coregate_fuzzer name)
  cmake_parse_arguments(ARG "" "CORPUS" "SOURCES;LIBS" ${ARGN})
  # Without COREGATE_BUILD_FUZZ the target still exists (so target_* calls after this work) but is
  # never built or run.
  if(NOT COREGATE_BUILD_FUZZ)
    add_executable(${name} EXCLUDE_FROM_ALL ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE ${ARG_LIBS})
    target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
    return()
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  coregate_warnings(${name})
  set(corpus_args "")
  if(ARG_CORPUS)
    set(corpus_args "${ARG_CORPUS}")
  endif()
  add_test(NAME fuzz.${name}
    COMMAND ${name} -max_total_time=15 -timeout=10 -rss_limit_mb=2048 ${corpus_args})
  set_tests_properties(fuzz.${name} PROPERTIES LABELS fuzz TIMEOUT 120)
endfunction()

# A benchmark program (prints its figures; never a pass/fail test).
function(coregate_bench name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  # Without COREGATE_BUILD_BENCH the target exists but is left out of the default build.
  set(exclude "")
  if(NOT COREGATE_BUILD_BENCH)
    set(exclude EXCLUDE_FROM_ALL)
  endif()
  add_executable(${name} ${exclude} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/bench")
  coregate_warnings(${name})
endfunction()
