# The libFuzzer targets: one tests/fuzz/fuzz_<name>.c each, with a seed
# corpus in tests/fuzz/corpus/<name>/ (crash and leak reproducers are kept
# there too, named regression-*). Used by tests/fuzz/CMakeLists.txt (the
# fuzzers, clang) and tests/CMakeLists.txt (a replay of every corpus file
# through the same code in the normal and sanitizer builds).
set(NG_FUZZ_TARGETS ingest config csvdoc budget initiatives forecast history thresholds template
    pdf xlsx fields befolkning)

function(ng_fuzz_target_setup target)
  target_link_libraries(${target} PRIVATE notatgen_core)
  target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/generator
                             ${PROJECT_SOURCE_DIR}/tests/fuzz)
  target_compile_definitions(${target} PRIVATE NG_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
endfunction()
