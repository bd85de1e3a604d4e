#!/bin/bash
# bench/compare.sh -- are the outputs of this tree byte-identical to those of
# another commit (before a speed change: main by default)?
#
#   bench/compare.sh [--before REF] [--sizes "100000 1000000"] [--keep]
#
# Builds the tree (Release, bench/build/, or $NOTATGEN and $GEN_EXTRACT) and
# REF (from `git archive`, in a temporary directory, or $NOTATGEN_BEFORE),
# then runs both, one after the other in the same directory, on
#   - the bundled example (history import, run of 30-09, run of 31-10),
#   - every extract of the ingest test corpus (tests/data/ingest) under check,
#   - generated extracts of each size, grouped and shuffled, with 1 row in
#     1.000 broken (afvis = raekke): check and run,
# and compares byte for byte: stdout and stderr, the rejects file, every
# published file (data.json, bilag.xlsx, the PDF memos, manifest.json) and a
# dump of the history store. SOURCE_DATE_EPOCH is fixed, so the manifest has
# no run time. Prints one line per comparison; exit 1 when anything differs.
set -euo pipefail
export LC_ALL=C

SRC=$(cd "$(dirname "$0")/.." && pwd)
BEFORE=main
SIZES="100000 1000000"
KEEP=0
while [ $# -gt 0 ]; do
    case "$1" in
    --before) BEFORE=$2; shift ;;
    --sizes) SIZES=$2; shift ;;
    --keep) KEEP=1 ;;
    -h | --help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "bench/compare.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/notatgen-compare.XXXXXX")
if [ "$KEEP" = 1 ]; then echo "keeping $TMP" >&2; else trap 'rm -rf "$TMP"' EXIT; fi

build() { # SRCDIR BUILDDIR LOG
    { cmake -S "$1" -B "$2" -DCMAKE_BUILD_TYPE=Release -DNG_TESTS=OFF &&
        cmake --build "$2" -j2 --target notatgen gen_extract; } >"$3" 2>&1 ||
        { tail -n 20 "$3" >&2; echo "bench/compare.sh: build of $1 failed" >&2; exit 2; }
}

if [ -z "${NOTATGEN:-}" ] || [ -z "${GEN_EXTRACT:-}" ]; then
    echo "building this tree in $SRC/bench/build ..." >&2
    build "$SRC" "$SRC/bench/build" "$SRC/bench/build.log"
    NOTATGEN=${NOTATGEN:-$SRC/bench/build/notatgen}
    GEN_EXTRACT=${GEN_EXTRACT:-$SRC/bench/build/gen_extract}
fi
if [ -z "${NOTATGEN_BEFORE:-}" ]; then
    echo "building $BEFORE in $TMP/before ..." >&2
    mkdir -p "$TMP/before-src"
    git -C "$SRC" archive "$BEFORE" | tar -x -C "$TMP/before-src"
    build "$TMP/before-src" "$TMP/before" "$TMP/before.log"
    NOTATGEN_BEFORE=$TMP/before/notatgen
fi
NOTATGEN=$(realpath "$NOTATGEN")
GEN_EXTRACT=$(realpath "$GEN_EXTRACT")
NOTATGEN_BEFORE=$(realpath "$NOTATGEN_BEFORE")
export SOURCE_DATE_EPOCH=1761868800 # 2025-10-31

differ=0
same=0
# compare NAME A B: one line, and the count
compare() {
    if cmp -s "$2" "$3"; then
        same=$((same + 1))
    else
        differ=$((differ + 1))
        echo "DIFFERENT: $1 ($2 vs $3)"
        diff <(head -c 2000 "$2") <(head -c 2000 "$3") | head -n 10 || true
    fi
}

# Every file under the two directories (same names on both sides).
compare_dirs() { # LABEL DIR_BEFORE DIR_AFTER
    local f
    (cd "$2" && find . -type f | sort) >"$TMP/files.before"
    (cd "$3" && find . -type f | sort) >"$TMP/files.after"
    compare "$1: file list" "$TMP/files.before" "$TMP/files.after"
    while read -r f; do
        case "$f" in
        *.sqlite) # the store's content, not its page layout
            sqlite3 "$2/$f" .dump >"$TMP/dump.before"
            sqlite3 "$3/$f" .dump >"$TMP/dump.after"
            # the schema itself may change (a migration); compare the rows
            grep '^INSERT' "$TMP/dump.before" | grep -v 'schema_version' >"$TMP/rows.before" || true
            grep '^INSERT' "$TMP/dump.after" | grep -v 'schema_version' >"$TMP/rows.after" || true
            compare "$1: $f (rows)" "$TMP/rows.before" "$TMP/rows.after"
            ;;
        *.lock) ;;
        *manifest.json) # the shipped data and templates are named by the source tree each binary was built from
            sed -E 's#"name": "[^"]*/(data|templates)/#"name": "SRC/\1/#' "$2/$f" >"$TMP/manifest.before"
            sed -E 's#"name": "[^"]*/(data|templates)/#"name": "SRC/\1/#' "$3/$f" >"$TMP/manifest.after"
            compare "$1: $f (source tree's path left out)" "$TMP/manifest.before" "$TMP/manifest.after"
            ;;
        *) [ -f "$3/$f" ] && compare "$1: $f" "$2/$f" "$3/$f" ;;
        esac
    done <"$TMP/files.before"
}

# Runs CMD with both binaries in DIR: DIR/side.before and DIR/side.after hold
# what each left in DIR/work (which starts as a copy of DIR/input).
both() { # DIR LABEL SCRIPT (uses $ng)
    local dir=$1 label=$2 script=$3 side
    for side in before after; do
        rm -rf "$dir/work"
        cp -r "$dir/input" "$dir/work"
        if [ "$side" = before ]; then ng=$NOTATGEN_BEFORE; else ng=$NOTATGEN; fi
        (cd "$dir/work" && ng=$ng bash -c "$script") >"$dir/work/.stdout" 2>"$dir/work/.stderr" || true
        rm -rf "$dir/$side"
        mv "$dir/work" "$dir/$side"
    done
    compare_dirs "$label" "$dir/before" "$dir/after"
}

# ---- the example
d=$TMP/example
mkdir -p "$d/input"
# every input of the example (not its outputs): a missing one (the logo)
# would make both sides fail alike and compare as identical
(cd "$SRC/examples" && find . -path ./out -prune -o -type f -print | tar -cf - -T -) |
    tar -xf - -C "$d/input"
both "$d" example '
"$ng" history import -c randers.ini historik/refusion_maaned_2025.csv historik/refusion_aar_2022_2025.csv &&
"$ng" run -c randers.ini --udtraek sager_2025-09-30.csv &&
"$ng" run -c randers.ini && "$ng" check -c randers.ini; echo "exit $?"'
for side in before after; do
    grep -qx "exit 0" "$d/$side/.stdout" || {
        differ=$((differ + 1))
        echo "FAILED: example ($side): $(tail -n 2 "$d/$side/.stderr" | tr '\n' ' ')"
    }
done

# ---- the ingest corpus, under check
# write_config DIR [ENCODING]
source "$SRC/bench/config.sh"
for f in "$SRC"/tests/data/ingest/*.csv; do
    name=$(basename "$f" .csv)
    d=$TMP/corpus/$name
    mkdir -p "$d/input"
    cp "$f" "$d/input/sager_2025-10-31.csv"
    write_config "$d/input" auto
    both "$d" "corpus $name" '"$ng" check -c bench.ini; echo "exit $?"'
    rm -rf "$d"
done

# ---- generated extracts
for n in $SIZES; do
    for order in grouped shuffled; do
        d=$TMP/gen-$n-$order
        mkdir -p "$d/input"
        flags=(--rows "$n" --bad $((n / 1000)))
        [ "$order" = shuffled ] && flags+=(--shuffle)
        "$GEN_EXTRACT" "${flags[@]}" "$d/input/sager_2025-10-31.csv"
        write_config "$d/input" windows-1252
        both "$d" "$n rows $order" '"$ng" check -c bench.ini; echo "check exit $?";
"$ng" run -c bench.ini; echo "run exit $?"'
        rm -rf "$d"
    done
done

echo "$same identical, $differ different (before: $BEFORE)"
[ "$differ" = 0 ]
