#!/usr/bin/env bash
# run.sh SECONDS [TARGET...] -- builds the libFuzzer targets with clang
# (ASan + UBSan) in build-fuzz and runs each for SECONDS (default 15) on a
# copy of its seed corpus tests/fuzz/corpus/TARGET (ingest and fields also
# on tests/data/ingest, the extract's bad-input corpus), one after the other.
# Without TARGETs every target runs (tests/fuzz/targets.cmake lists them).
#
# A crash, leak, overflow or hang (-timeout) stops that target; its input is
# written to build-fuzz/crashes/TARGET/ and the script goes on with the next
# target, then exits 1 naming the targets that failed. Copy such an input into
# tests/fuzz/corpus/TARGET/ as regression-<what> together with the fix: ctest
# replays every corpus file (fuzz_corpus_TARGET). The working corpus grows in
# build-fuzz/corpus/TARGET and is reused by the next run.
#
# Each target's summary (runs, time, exec/s, corpus size, peak memory) goes to
# build-fuzz/fuzz-TARGET.log and one line per target to stdout.
#
# NG_FUZZ_BUILD=0 skips the build (a second run.sh beside one that built).
set -euo pipefail
seconds=${1:-15}
shift || true
cd "$(dirname "$0")/../.."
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  read -r -a targets <<<"$(sed -n 's/^set(NG_FUZZ_TARGETS \(.*\)/\1/p;s/^    \([a-z ]*\))$/\1/p' \
    tests/fuzz/targets.cmake | tr '\n' ' ')"
fi
if [ "${NG_FUZZ_BUILD:-1}" != 0 ]; then
  CC=clang cmake -S . -B build-fuzz -DNG_FUZZ=ON -DNG_TESTS=OFF -DNG_WERROR=ON \
    -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
    >/dev/null
  cmake --build build-fuzz --target "${targets[@]/#/fuzz_}" -j2 >/dev/null
fi
failed=()
for t in "${targets[@]}"; do
  corpus=build-fuzz/corpus/$t
  crashes=build-fuzz/crashes/$t
  mkdir -p "$corpus" "$crashes"
  cp -n tests/fuzz/corpus/"$t"/* "$corpus/" 2>/dev/null || true
  # the extract's corpus of every bad-input class seeds its readers too
  case $t in ingest | fields) cp -n tests/data/ingest/*.csv "$corpus/" 2>/dev/null || true ;; esac
  log=build-fuzz/fuzz-$t.log
  start=$(date +%s)
  if UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    build-fuzz/tests/fuzz/fuzz_"$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len=65536 -artifact_prefix="$crashes/" -print_final_stats=1 "$corpus" >"$log" 2>&1; then
    status=ok
  else
    status=FAILED
    failed+=("$t")
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  files=$(find "$corpus" -type f | wc -l)
  echo "fuzz_$t: $status, ${runs:-?} runs in $(($(date +%s) - start)) s, coverage ${cov:-?}," \
    "corpus $files, peak ${rss:-?} MB"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "the fuzzers found a problem in: ${failed[*]} (inputs in build-fuzz/crashes/, logs in build-fuzz/fuzz-*.log)" >&2
  exit 1
fi
