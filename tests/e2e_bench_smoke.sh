#!/usr/bin/env bash
# End-to-end: bench/run.sh on a small extract (10^4 rows, one run each), so
# the benchmark and its peer keep working: every program runs, the peer's
# tier table equals notatgen's (bench/run.sh checks it and stops otherwise),
# and the results file has its tables. The numbers themselves are not
# judged here (bench/results.md is made on a quiet machine).
set -euo pipefail
: "${NOTATGEN:?}" "${GEN_EXTRACT:?}" "${SRC:?}" "${WORK:?}"
rm -rf "$WORK" && mkdir -p "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }
cc -O2 -o "$WORK/csv_loop" "$SRC/bench/csv_loop.c" -lcsv
NOTATGEN=$NOTATGEN GEN_EXTRACT=$GEN_EXTRACT CSV_LOOP=$WORK/csv_loop TMPDIR=$WORK \
  bash "$SRC/bench/run.sh" --sizes 10000 --runs 1 --out "$WORK/results.md" >"$WORK/bench.log" 2>&1 ||
  { cat "$WORK/bench.log"; fail "bench/run.sh"; }
for order in shuffled grouped; do
  grep -Eq "^\| 10000 \| $order \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \|" "$WORK/results.md" ||
    { cat "$WORK/results.md"; fail "no run row for $order"; }
  grep -q "^- 10000 rows, $order: .*beregning: udtraek" "$WORK/results.md" || fail "no stage times for $order"
done
# csv_loop counts what notatgen reads: 10^4 rows and the header
"$GEN_EXTRACT" --rows 10000 "$WORK/x.csv"
[ "$("$WORK/csv_loop" "$WORK/x.csv")" = "10001 150015 $(stat -c %s "$WORK/x.csv")" ] || fail "csv_loop counts"
# the peer on the bundled example (yearly lines without a date, households,
# 67+): the tier table e2e_example_run checks notatgen's against
/usr/bin/python3 "$SRC/bench/peer.py" "$SRC/examples/sager_2025-10-31.csv" \
  "$SRC/data/refusion_thresholds.csv" "$WORK/example-peer" >"$WORK/example-peer.txt"
printf '%s\n' "    25      169        214,1         16,0" "    50       39         79,2         13,5" \
  "    75       32        108,9         42,6" " I alt      240        402,2         72,1" >"$WORK/example-want.txt"
diff "$WORK/example-want.txt" "$WORK/example-peer.txt" || fail "the peer's tier table of the example"
echo "bench smoke: ok"
