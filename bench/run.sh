#!/bin/bash
# bench/run.sh -- notatgen against the analyst's script, side by side in one
# run; `check` against libcsv's empty loop and wc -l. See bench/README.md.
#
#   bench/run.sh [--sizes "100000 1000000 10000000"] [--runs N] [--out FILE]
#                [--orders "shuffled grouped"]
#
# Uses $NOTATGEN, $GEN_EXTRACT and $CSV_LOOP when set, else builds them
# (Release) in bench/build/ of the source tree. For each size and order it
# generates an extract (gen_extract --rows N [--shuffle]) in a temporary
# directory, then runs, alternating, N times each (default 5, 3 from 10^7
# rows on): `notatgen run` (a fresh output directory each time) and
# bench/peer.py; then `notatgen check`, bench/csv_loop and `wc -l`. It
# reports medians of the wall time (and the peak RSS of the median run),
# checks that the peer's tier table is notatgen's, and writes the tables,
# the stage times of one `run --tider` per extract, the commands and the
# machine to bench/results.md (or --out). Each extract is deleted as soon as
# it is measured.
set -euo pipefail
export LC_ALL=C # $EPOCHREALTIME and awk must use a decimal point

SRC=$(cd "$(dirname "$0")/.." && pwd)
SIZES="100000 1000000 10000000"
ORDERS="shuffled grouped"
RUNS=
OUT="$SRC/bench/results.md"
PY=/usr/bin/python3
while [ $# -gt 0 ]; do
    case "$1" in
    --sizes) SIZES=$2; shift ;;
    --orders) ORDERS=$2; shift ;;
    --runs) RUNS=$2; shift ;;
    --out) OUT=$2; shift ;;
    -h | --help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "bench/run.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "bench/run.sh: $TIME is missing (Debian package 'time')" >&2; exit 2; }
"$PY" -c 'import pandas, reportlab.graphics.charts.barcharts, xlsxwriter' 2>/dev/null || {
    echo "bench/run.sh: the peer needs python3-pandas, python3-reportlab, python3-renderpm and python3-xlsxwriter (tools/setup.sh)" >&2
    exit 2
}

# ---- the binaries
BUILD="$SRC/bench/build"
if [ -z "${NOTATGEN:-}" ] || [ -z "${GEN_EXTRACT:-}" ]; then
    echo "building notatgen and gen_extract (Release) in $BUILD ..." >&2
    if ! { cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DNG_TESTS=OFF &&
        cmake --build "$BUILD" -j2 --target notatgen gen_extract; } >"$BUILD.log" 2>&1; then
        tail -n 20 "$BUILD.log" >&2
        echo "bench/run.sh: the build failed (log: $BUILD.log)" >&2
        exit 2
    fi
    NOTATGEN=${NOTATGEN:-$BUILD/notatgen}
    GEN_EXTRACT=${GEN_EXTRACT:-$BUILD/gen_extract}
fi
if [ -z "${CSV_LOOP:-}" ]; then
    mkdir -p "$BUILD"
    CSV_LOOP=$BUILD/csv_loop
    cc -O2 -o "$CSV_LOOP" "$SRC/bench/csv_loop.c" -lcsv
fi
NOTATGEN=$(realpath "$NOTATGEN")
GEN_EXTRACT=$(realpath "$GEN_EXTRACT")
CSV_LOOP=$(realpath "$CSV_LOOP")
THRESHOLDS=$SRC/data/refusion_thresholds.csv

TMP=$(mktemp -d "${TMPDIR:-/tmp}/notatgen-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# ---- helpers

# Runs CMD... under time -v; prints "WALL RSS_KB" (wall from $EPOCHREALTIME,
# microseconds; the time(1) wrapper's start-up is included). A failure stops
# the benchmark: a number for a run that did not do its work is no number.
measure() { # LOG CMD...
    local log=$1
    shift
    local t0=$EPOCHREALTIME
    if ! "$TIME" -v -o "$log.time" "$@" >"$log.out" 2>"$log.err"; then
        echo "bench/run.sh: failed: $*" >&2
        tail -n 20 "$log.err" >&2
        exit 1
    fi
    local t1=$EPOCHREALTIME
    local rss
    rss=$(grep -F "Maximum resident set size" "$log.time" | sed 's/.*: //')
    awk -v a="$t0" -v b="$t1" -v r="$rss" 'BEGIN { printf "%.4f %d\n", b - a, r }'
}

# Median of the first column of lines "WALL RSS", with the RSS of that run.
median() { # FILE -> "WALL RSS"
    sort -n "$1" | awk '{ w[NR] = $1; r[NR] = $2 } END { m = int((NR + 1) / 2); printf "%s %s\n", w[m], r[m] }'
}

# write_config DIR [ENCODING]
source "$SRC/bench/config.sh"

# notatgen's tier table (data.json) as the peer prints it, to compare.
notatgen_tiers() { # DATA_JSON
    "$PY" - "$1" <<'EOF'
import json, sys
rows = json.load(open(sys.argv[1]))["tables"]["refusion_per_trin"]["rows"]
def mio(kr):
    return f"{kr / 1e6:,.1f}".replace(",", "X").replace(".", ",").replace("X", ".")
for r in rows:
    print(f"{str(r['trin']):>6} {r['antal']:>8} {mio(r['udgift']):>12} {mio(r['refusion']):>12}")
EOF
}

# ---- the runs
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
run_rows=()
check_rows=()
stage_notes=()
for n in $SIZES; do
    runs=${RUNS:-$([ "$n" -ge 10000000 ] && echo 3 || echo 5)}
    for order in $ORDERS; do
        dir="$TMP/$n-$order"
        mkdir -p "$dir"
        file="$dir/sager_2025-10-31.csv"
        flags=(--rows "$n")
        [ "$order" = shuffled ] && flags+=(--shuffle)
        "$GEN_EXTRACT" "${flags[@]}" "$file"
        write_config "$dir"
        bytes=$(stat -c %s "$file")
        echo "$n rows, $order ($((bytes / 1000000)) MB): $runs runs each ..." >&2
        cat "$file" >/dev/null # in the page cache: what is measured is the programs, not the disk
        : >"$dir/run.t"
        : >"$dir/peer.t"
        : >"$dir/check.t"
        : >"$dir/loop.t"
        : >"$dir/wc.t"
        for ((i = 0; i < runs; i++)); do
            rm -rf "$dir/out" "$dir/peer"
            (cd "$dir" && measure "$dir/run" "$NOTATGEN" run -c bench.ini) >>"$dir/run.t"
            measure "$dir/peer" "$PY" "$SRC/bench/peer.py" "$file" "$THRESHOLDS" "$dir/peer" >>"$dir/peer.t"
            (cd "$dir" && measure "$dir/check" "$NOTATGEN" check -c bench.ini) >>"$dir/check.t"
            measure "$dir/loop" "$CSV_LOOP" "$file" >>"$dir/loop.t"
            measure "$dir/wc" wc -l "$file" >>"$dir/wc.t"
        done
        # the peer did the same work: its tier table is notatgen's
        notatgen_tiers "$dir/out/latest/data.json" >"$dir/tiers.notatgen"
        if ! diff "$dir/tiers.notatgen" "$dir/peer.out" >"$dir/tiers.diff"; then
            echo "bench/run.sh: the peer's tier table differs from notatgen's ($n rows, $order):" >&2
            cat "$dir/tiers.diff" >&2
            exit 1
        fi
        # the stage times of one more run
        rm -rf "$dir/out"
        (cd "$dir" && "$NOTATGEN" run -c bench.ini --tider) 2>"$dir/tider.err" >/dev/null
        stage_notes+=("$n rows, $order: $(grep '^tider:' "$dir/tider.err" |
            sed -E 's/^tider: *//; s/ +([0-9]+,[0-9]+) s +\(hukommelse højst ([0-9]+) MB\)$/|\1|\2/' |
            awk -F'|' '$2 != "0,000" { sub(/ +$/, "", $1); printf "%s%s %s s", sep, $1, $2; sep = "; " }
                       END { if ($3 != "") printf " (peak %s MB)", $3 }')")
        read -r run_s run_kb < <(median "$dir/run.t")
        read -r peer_s peer_kb < <(median "$dir/peer.t")
        read -r check_s check_kb < <(median "$dir/check.t")
        read -r loop_s _ < <(median "$dir/loop.t")
        read -r wc_s _ < <(median "$dir/wc.t")
        run_rows+=("$(awk -v n="$n" -v o="$order" -v b="$bytes" -v r="$run_s" -v p="$peer_s" \
            -v rk="$run_kb" -v pk="$peer_kb" 'BEGIN {
            printf "| %d | %s | %.1f | %.3f | %.3f | %.3f | %.1f | %.1f | %.2f |",
                n, o, b / 1e6, r, p, r / p, rk / 1024, pk / 1024, r / n * 1e6 }')")
        check_rows+=("$(awk -v n="$n" -v o="$order" -v b="$bytes" -v c="$check_s" -v l="$loop_s" \
            -v w="$wc_s" -v ck="$check_kb" 'BEGIN {
            printf "| %d | %s | %.1f | %.3f | %.3f | %.2f | %.3f | %.0f | %.1f |",
                n, o, b / 1e6, c, l, c / l, w, b / 1e6 / c, ck / 1024 }')")
        rm -rf "$dir"
    done
done

# ---- the report
{
    echo "\`notatgen run\` against bench/peer.py (pandas + ReportLab + XlsxWriter), medians of wall seconds"
    echo
    echo "| rows | order | MB | run s | peer s | run / peer | run peak RSS (MB) | peer peak RSS (MB) | run µs/row |"
    echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${run_rows[@]}"
    echo
    echo "\`notatgen check\` against libcsv's empty loop on one core (bench/csv_loop.c) and \`wc -l\`, medians of wall seconds"
    echo
    echo "| rows | order | MB | check s | csv_loop s | check / loop | wc -l s | check MB/s | check peak RSS (MB) |"
    echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${check_rows[@]}"
    echo
    echo "Stage times of one \`notatgen run --tider\` per extract (stages under 1 ms left out):"
    echo
    for s in "${stage_notes[@]}"; do echo "- $s"; done
} >"$TMP/table.md"
cat "$TMP/table.md"

{
    echo "# Benchmark results"
    echo
    echo "Made by \`bench/run.sh --sizes \"$SIZES\" --orders \"$ORDERS\"${RUNS:+ --runs $RUNS}\` on $(date -u +%Y-%m-%d)" \
        "($("$NOTATGEN" --version 2>/dev/null || echo notatgen), $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')," \
        "$(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1e6 }' /proc/meminfo) RAM," \
        "Debian $(cat /etc/debian_version), pandas $("$PY" -c 'import pandas; print(pandas.__version__)'))."
    echo "The machine's $(nproc) cores are shared with other work: a run is only as quiet as the machine was" \
        "(load average $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end)."
    echo "Per extract, alternating: \`notatgen run -c bench.ini\` (fresh output directory)," \
        "\`python3 bench/peer.py EXTRACT data/refusion_thresholds.csv OUTDIR\`," \
        "\`notatgen check -c bench.ini\`, \`bench/build/csv_loop EXTRACT\`, \`wc -l EXTRACT\`;" \
        "the peer's tier table was checked equal to notatgen's."
    echo
    cat "$TMP/table.md"
} >"$OUT"
echo "written: $OUT" >&2
