#!/usr/bin/env bash
# e2e_ingest_corpus.sh -- every case of the extract's bad-input corpus
# (tests/data/ingest/expected.tsv) gives exactly its exit status and its
# messages, FILE:LINE:COLUMN, for `notatgen check` and for `notatgen run`
# alike (afvis = raekke); check prints the rows of the reconciliation; a run
# that fails publishes nothing; no message and no rejects file holds a CPR
# number. Then the cases too large for the repository, made here: a 10 MB
# field and 10^6 lines, each within 10 s and 300 MB (a sanitizer's build:
# 60 s and 1 GB, its shadow memory and quarantine are no measure of ours).
set -uo pipefail
: "${NOTATGEN:?}" "${SRC:?}" "${WORK:?}"
DATA="$SRC/tests/data/ingest"
rm -rf "$WORK" && mkdir -p "$WORK"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
CPR='(^|[^0-9])[0-9]{6}-?[0-9]{4}([^0-9]|$)'
. "$SRC/tests/lib_extract.sh"

# setup DIR TEGNSAET: a configuration for DIR/udtraek.csv
setup() { extract_config "$1" udtraek.csv "$2" 2025-10-31; }

# the diagnostics a command printed about the extract (a run's other
# modules may add their own notes on the cases it used)
messages() { grep -F "$2/udtraek.csv" "$1"; }

# run_case CASE TEGNSAET EXIT READ USED REJECTED -- the messages are in $want
run_case() {
  local name=$1 enc=$2 want_rc=$3 read=$4 used=$5 rejected=$6
  local dir="$WORK/${name%.csv}" cmd rc
  setup "$dir" "$enc"
  cp "$DATA/$name" "$dir/udtraek.csv"
  printf '%s' "$want" | sed "s|{file}|$dir/udtraek.csv|g" >"$dir/want"
  for cmd in check run; do
    rm -rf "$dir/ud"
    (cd "$dir" && "$NOTATGEN" "$cmd" -c c.ini >"$dir/$cmd.out" 2>"$dir/$cmd.err")
    rc=$?
    [ "$rc" = "$want_rc" ] || fail "$name ($cmd): exit $rc, want $want_rc"
    messages "$dir/$cmd.err" "$dir" >"$dir/$cmd.msgs"
    cmp -s "$dir/$cmd.msgs" "$dir/want" ||
      fail "$name ($cmd): messages differ: $(diff "$dir/want" "$dir/$cmd.msgs" | head -6)"
    if [ "$read" != - ] && [ "$cmd" = check ]; then
      grep -qF "udtraek.csv: rækker læst $read = brugt $used + afvist $rejected;" "$dir/check.out" ||
        fail "$name (check): no reconciliation of $read = $used + $rejected in: $(cat "$dir/check.out")"
    fi
    if [ "$cmd" = run ] && [ "$want_rc" != 0 ] && [ -e "$dir/ud/2025-10-31" ]; then
      fail "$name (run): a failed run published $(ls "$dir/ud")"
    fi
    if grep -qE "$CPR" "$dir/$cmd.out" "$dir/$cmd.err" "$dir"/ud/afviste_* 2>/dev/null; then
      fail "$name ($cmd): a CPR number was written"
    fi
  done
}

ncases=0
name='' want=''
while IFS=$'\t' read -r kind a b c d e f g h i; do
  case $kind in
  fil)
    [ -n "$name" ] && run_case "$name" "${args[@]}"
    name=$a want='' args=("$b" "$c" "$d" "$e" "$f")
    ncases=$((ncases + 1))
    ;;
  besked) want+="$b"$'\n' ;;
  esac
done < <(grep -v '^#' "$DATA/expected.tsv")
[ -n "$name" ] && run_case "$name" "${args[@]}"
[ "$ncases" -ge 29 ] || fail "only $ncases cases in expected.tsv"

# ---- the cases made here --------------------------------------------------
# big_case NAME WANT-EXIT WANT-MESSAGE: check and run within the bounds
max_secs=10 max_mb=300
if grep -q __asan_init "$NOTATGEN"; then
  max_secs=60 max_mb=1024
fi
big_case() {
  local name=$1 want_rc=$2 want=$3 dir="$WORK/$1" cmd rc secs kb
  for cmd in check run; do
    rm -rf "$dir/ud"
    (cd "$dir" && /usr/bin/time -f "%e %M" -o "$dir/$cmd.time" \
      "$NOTATGEN" "$cmd" -c c.ini >"$dir/$cmd.out" 2>"$dir/$cmd.err")
    rc=$?
    [ "$rc" = "$want_rc" ] || fail "$name ($cmd): exit $rc, want $want_rc: $(head -3 "$dir/$cmd.err")"
    grep -qxF -- "${want//\{file\}/$dir/udtraek.csv}" "$dir/$cmd.err" ||
      fail "$name ($cmd): no line [$want] in: $(head -3 "$dir/$cmd.err")"
    read -r secs kb < <(tail -n 1 "$dir/$cmd.time")
    awk -v s="$secs" -v k="$kb" -v ms="$max_secs" -v mm="$max_mb" \
      'BEGIN { exit !(s <= ms && k <= mm * 1024) }' ||
      fail "$name ($cmd): $secs s, $((kb / 1024)) MB"
  done
}

# a 10 MB field: the reading stops at its line, the file is rejected
dir="$WORK/field_10mb"
setup "$dir" auto
{
  printf 'sag_id;aar;maaned;beloeb;omraade;foedselsaar;note\n'
  printf 'S001;2025;1;100;voksen;1961;kort\n'
  printf 'S002;2025;1;100;voksen;1961;'
  head -c 10000000 /dev/zero | tr '\0' 'x'
  printf '\nS003;2025;1;100;voksen;1961;kort\n'
} >"$dir/udtraek.csv"
big_case field_10mb 1 "{file}:3: linjen er over 1.048.576 byte lang (højst 1.048.576 byte pr. linje); resten af filen er ikke læst"

# 10^6 lines, all but one of them no row of the extract: each is counted
# and rejected, the messages beyond the first 10.000 are counted, the run
# goes on with the one good row
dir="$WORK/lines_1e6"
setup "$dir" auto
{
  printf 'sag_id;aar;maaned;beloeb;omraade;foedselsaar\n'
  printf 'S001;2025;1;100;voksen;1961\n'
  yes x | head -n 1000000
} >"$dir/udtraek.csv"
big_case lines_1e6 0 "{file}:3:2: for få felter: 1 i stedet for 6"
grep -qF "udtraek.csv: rækker læst 1.000.001 = brugt 1 + afvist 1.000.000;" "$dir/check.out" ||
  fail "lines_1e6: reconciliation: $(cat "$dir/check.out")"
grep -qxF "... og 990000 meddelelser mere (se afvisningsfilen)" "$dir/check.err" ||
  fail "lines_1e6: the messages not kept are not counted: $(tail -2 "$dir/check.err")"
[ "$(wc -l <"$dir/ud/afviste_udtraek.csv")" = 1000001 ] || fail "lines_1e6: rejects file"

[ "$fails" = 0 ] || { echo "e2e_ingest_corpus: $fails failures"; exit 1; }
echo "e2e_ingest_corpus: ok ($ncases cases, check and run)"
