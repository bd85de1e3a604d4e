#!/usr/bin/env bash
# Builds notatgen and runs every test: the fuzzers for a bounded time, the
# suite under AddressSanitizer + UndefinedBehaviorSanitizer, and the suite in
# a normal build last, so the run ends with ctest's own summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
fuzz_seconds=${NG_FUZZ_SECONDS:-15} # per target; tests/fuzz/README.md has the long run

echo "== fuzzing every parser and renderer, ${fuzz_seconds}s each"
mkdir -p build-fuzz
if bash tests/fuzz/run.sh "$fuzz_seconds" >build-fuzz/fuzz.log 2>&1; then
  grep '^fuzz_' build-fuzz/fuzz.log
else
  cat build-fuzz/fuzz.log
  echo "the fuzzers found a problem (log above)" >&2
  exit 1
fi

echo "== tests under ASan + UBSan"
cmake -S . -B build-asan -DNG_SANITIZE=ON -DNG_WERROR=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-asan -j"$jobs"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --output-on-failure -j"$jobs")

echo "== tests"
cmake -S . -B build -DNG_WERROR=ON >/dev/null
cmake --build build -j"$jobs"
cd build && ctest --output-on-failure -j"$jobs"
