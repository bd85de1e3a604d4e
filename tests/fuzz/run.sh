#!/usr/bin/env bash
# run.sh SECONDS -- builds the fuzzers with clang in build-fuzz and runs the
# ingest fuzzer (every way of reading, one and two threads, against each
# other) for SECONDS (default 60) on a copy of the seed corpus
# tests/data/ingest (every class of bad input of the extract) and the inputs
# the fuzzer once found a problem with (tests/fuzz/corpus/ingest/regression-*),
# then the template fuzzer for half as long on the shipped
# and the test templates, then the plain-line split against libcsv
# (fuzz_fields) for a quarter as long on the ingest seeds, then the
# population (FOLK1A) reader for a sixth (at least 10 s) on
# tests/data/befolkning. Crashes are written to build-fuzz/crashes/; the
# exit status is libFuzzer's.
set -euo pipefail
seconds=${1:-60}
cd "$(dirname "$0")/../.."
CC=clang cmake -S . -B build-fuzz -DNG_FUZZ=ON -DNG_TESTS=OFF -DNG_WERROR=ON \
  -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
  >/dev/null
cmake --build build-fuzz --target fuzz_ingest fuzz_template fuzz_fields fuzz_befolkning -j2
corpus=build-fuzz/corpus
mkdir -p "$corpus" build-fuzz/crashes
cp tests/data/ingest/*.csv tests/data/check/*.csv tests/fuzz/corpus/ingest/* "$corpus/" 2>/dev/null || true
build-fuzz/tests/fuzz/fuzz_ingest -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix=build-fuzz/crashes/ -print_final_stats=1 "$corpus"
tcorpus=build-fuzz/corpus_template
mkdir -p "$tcorpus"
cp templates/*.md tests/data/templates/*.md "$tcorpus/"
tseconds=$(( seconds / 2 > 10 ? seconds / 2 : 10 ))
build-fuzz/tests/fuzz/fuzz_template -max_total_time="$tseconds" -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix=build-fuzz/crashes/ -print_final_stats=1 "$tcorpus"
fcorpus=build-fuzz/corpus_fields
mkdir -p "$fcorpus"
cp tests/data/ingest/*.csv "$fcorpus/" 2>/dev/null || true
fseconds=$(( seconds / 4 > 10 ? seconds / 4 : 10 ))
build-fuzz/tests/fuzz/fuzz_fields -max_total_time="$fseconds" -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix=build-fuzz/crashes/ -print_final_stats=1 "$fcorpus"
bcorpus=build-fuzz/corpus_befolkning
mkdir -p "$bcorpus"
cp tests/data/befolkning/*.csv "$bcorpus/"
bseconds=$(( seconds / 6 > 10 ? seconds / 6 : 10 ))
build-fuzz/tests/fuzz/fuzz_befolkning -max_total_time="$bseconds" -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix=build-fuzz/crashes/ -print_final_stats=1 "$bcorpus"
