#!/usr/bin/env bash
# e2e_badinput.sh -- every class of bad input for every small input kind
# (tests/data/badinput/KIND/CASE, made by make_corpus.py; the 10 MB field and
# the 10^6-line file made here) gives exactly the message of expected.tsv,
# FILE:LINE[:COLUMN]: ..., and its exit status, for `notatgen check` and for
# `notatgen run` alike (`history import` for the history import); a run that
# fails publishes nothing and leaves the history store as it was. The big
# cases fail fast and small: within 5 s and 200 MB (a sanitizer's build: 60 s
# and 1 GB).
#
# expected.tsv: KIND <tab> CASE <tab> EXIT <tab> MESSAGE, where {dir} in the
# message stands for the case's directory. The thresholds file (the shipped
# data file, not configurable) is checked by test_refusion.c from the same
# table. NG_BADINPUT_RECORD=FILE writes what the binary says instead of
# comparing (to review a new case by hand).
set -uo pipefail
: "${NOTATGEN:?}" "${SRC:?}" "${WORK:?}"
PY=/usr/bin/python3
DATA="$SRC/tests/data/badinput"
rm -rf "$WORK" && mkdir -p "$WORK"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
record=${NG_BADINPUT_RECORD:-}
[ -n "$record" ] && : >"$record"

# the file each kind's case replaces (its name in base.ini)
target() {
  case $1 in
  budget) echo budget.csv ;; initiativer) echo initiativer.csv ;;
  fingerplan) echo fingerplan.csv ;; historik) echo sde_udvikling.csv ;;
  prisindeks) echo prisindeks.csv ;; prognose) echo prognose.csv ;;
  import) echo import.csv ;; befolkning) echo befolkning.csv ;;
  konfiguration) echo base.ini ;;
  esac
}

setup() {
  local dir=$1
  mkdir -p "$dir"
  "$PY" "$DATA/make_corpus.py" --base "$dir"
  cp "$DATA/base.ini" "$SRC/tests/data/check/sager_2026-10-31.csv" "$dir/"
}

# the big cases' bounds (a sanitizer's build: ASan's shadow memory and
# quarantine, e2e_ingest_corpus.sh does the same)
max_secs=5 max_mb=200
if grep -q __asan_init "$NOTATGEN"; then
  max_secs=60 max_mb=1024
fi

# run_case KIND CASE-FILE EXPECTED-EXIT EXPECTED-MESSAGE
run_case() {
  local kind=$1 file=$2 want_rc=$3 want=$4 name
  name=$(basename "$file")
  local dir="$WORK/$kind/${name%.*}"
  setup "$dir"
  cp "$file" "$dir/$(target "$kind")"
  want=${want//\{dir\}/$dir}
  local cmds=(check run)
  [ "$kind" = import ] && cmds=(import)
  for cmd in "${cmds[@]}"; do
    local out="$dir/$cmd.err" rc
    if [ "$cmd" = import ]; then
      "$NOTATGEN" history import -c "$dir/base.ini" "$dir/import.csv" >/dev/null 2>"$out"
    else
      /usr/bin/time -f "%e %M" -o "$dir/$cmd.time" "$NOTATGEN" "$cmd" -c "$dir/base.ini" \
        >/dev/null 2>"$out"
    fi
    rc=$?
    if [ -n "$record" ]; then
      printf '%s\t%s\t%s\t%s\t%s\n' "$kind" "$name" "$cmd" "$rc" \
        "$(grep -v '^notatgen \|: note: \|^ikke indlæst: ' "$out" | head -1 | sed "s|$dir|{dir}|g")" >>"$record"
      continue
    fi
    [ "$rc" = "$want_rc" ] || fail "$kind/$name ($cmd): exit $rc, want $want_rc: $(head -3 "$out")"
    if [ -z "$want" ]; then
      ! grep -v ': note: \|^notatgen ' "$out" | grep -q . ||
        fail "$kind/$name ($cmd): want no message, got: $(head -3 "$out")"
    else
      grep -qxF -- "$want" "$out" || fail "$kind/$name ($cmd): no line [$want] in: $(head -3 "$out")"
    fi
    if [ "$cmd" = run ] && [ "$want_rc" != 0 ] &&
      [ -n "$(ls -A "$dir/ud" 2>/dev/null | grep -v '^historik.sqlite\|^\.notatgen.lock')" ]; then
      fail "$kind/$name (run): a failed run published something: $(ls -A "$dir/ud")"
    fi
    if [ "$cmd" != import ] && [ -f "$dir/$cmd.time" ]; then
      read -r secs kb < <(tail -n 1 "$dir/$cmd.time")
      case $name in
      felt_10mb.* | mange_linjer.*)
        awk -v s="$secs" -v m="$max_secs" 'BEGIN { exit !(s < m) }' ||
          fail "$kind/$name ($cmd): $secs s"
        [ "$kb" -lt $((max_mb * 1024)) ] || fail "$kind/$name ($cmd): $kb KB"
        ;;
      esac
    fi
  done
}

# the committed cases, then the big ones (made here)
"$PY" "$DATA/make_corpus.py" --big "$WORK/big"
n=0
if [ -n "$record" ]; then
  for f in "$DATA"/*/* "$WORK"/big/*/*; do
    [ -f "$f" ] || continue
    kind=$(basename "$(dirname "$f")")
    case $kind in taerskler) continue ;; esac
    case $f in *.py | *.ini | *.tsv) [ "$kind" = konfiguration ] || continue ;; esac
    run_case "$kind" "$f" 0 ""
  done
  echo "recorded into $record"
  exit 0
fi
while IFS=$'\t' read -r kind case rc message; do
  case $kind in '' | '#'* | taerskler) continue ;; esac
  file="$DATA/$kind/$case"
  [ -f "$file" ] || file="$WORK/big/$kind/$case"
  [ -f "$file" ] || { fail "$kind/$case: no such case"; continue; }
  run_case "$kind" "$file" "$rc" "$message"
  n=$((n + 1))
done <"$DATA/expected.tsv"

# every case of the corpus has its expected message
for f in "$DATA"/*/* "$WORK"/big/*/*; do
  [ -f "$f" ] || continue
  kind=$(basename "$(dirname "$f")")
  grep -q "^$kind	$(basename "$f")	" "$DATA/expected.tsv" || fail "$kind/$(basename "$f"): not in expected.tsv"
done

[ "$fails" -eq 0 ] || { echo "e2e_badinput: $fails failures"; exit 1; }
echo "e2e_badinput: ok ($n cases)"
