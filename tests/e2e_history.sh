#!/bin/bash
# `notatgen history import|list` on the reference tables of the status memo: the
# store is created 0600 (with its directory 0700), the listing shows every
# period with the reference's totals, a re-import replaces instead of
# duplicating, and a bad file is rejected with FILE:LINE:COLUMN and leaves the
# store as it was. Env: NOTATGEN, SRC, WORK (see tests/CMakeLists.txt).
set -u
: "${NOTATGEN:?}" "${SRC:?}" "${WORK:?}"
REF="$SRC/tests/data/reference"
BAD="$SRC/tests/data/history/bad_number.csv"

rm -rf "$WORK"
mkdir -p "$WORK"
fails=0
fail() {
    echo "FAIL: $*"
    fails=$((fails + 1))
}
ok() { echo "ok: $*"; }

printf 'sag_id;aar;beloeb\n' >"$WORK/udtraek.csv"
cat >"$WORK/notatgen.ini" <<INI
[kommune]
navn = Testby
[udtraek]
fil = udtraek.csv
[output]
mappe = out
INI
CFG="$WORK/notatgen.ini"
DB="$WORK/out/historik.sqlite"

"$NOTATGEN" history import -c "$CFG" "$REF/refusion_monthly_2025.csv" \
    "$REF/refusion_yearly_2022_2025.csv" >"$WORK/import.out" 2>"$WORK/import.err"
rc=$?
[ $rc -eq 0 ] && ok "import exit 0" || fail "import exit $rc: $(cat "$WORK/import.err")"
[ "$(stat -c %a "$DB" 2>/dev/null)" = 600 ] && ok "store mode 0600" || fail "store mode $(stat -c %a "$DB" 2>&1)"
[ "$(stat -c %a "$WORK/out" 2>/dev/null)" = 700 ] && ok "store directory 0700" || fail "directory mode"

list() { "$NOTATGEN" history list -c "$CFG" >"$WORK/list.out" 2>"$WORK/list.err"; }
list || fail "list exit $?: $(cat "$WORK/list.err")"
expect_line() { # PATTERN WHAT
    if grep -Eq "$1" "$WORK/list.out"; then ok "$2"; else fail "$2: no line matching '$1'"; fi
}
expect_line '^Indlæste opgørelser: 12$' "12 periods listed"
expect_line '^Øjebliksbilleder: 0$' "no snapshots"
expect_line '^  aar +2022 +sager 199 +udgift 267,6 mio\. kr\.' "2022 from the yearly table"
expect_line '^  aar +2025 +sager 240 +udgift 402,2 mio\. kr\.' "2025 from the yearly table"
expect_line '^  maaned +2025-02 +sager 240 +udgift 382,1 mio\. kr\.  kilde refusion_monthly_2025\.csv$' "February"
expect_line '^  maaned +2025-10 +sager 240 +udgift 402,2 mio\. kr\.' "October"
grep -q '2025-08' "$WORK/list.out" && fail "an August follow-up appeared" || ok "no August"

# Re-import: same periods replaced, not duplicated.
"$NOTATGEN" history import -c "$CFG" "$REF/refusion_monthly_2025.csv" >/dev/null 2>&1 ||
    fail "re-import failed"
cp "$WORK/list.out" "$WORK/list.before"
list
cmp -s "$WORK/list.before" "$WORK/list.out" && ok "re-import changes nothing" ||
    fail "re-import changed the listing: $(diff "$WORK/list.before" "$WORK/list.out")"

# A bad file: exit 1, FILE:LINE:COLUMN, store untouched.
"$NOTATGEN" history import -c "$CFG" "$BAD" >/dev/null 2>"$WORK/bad.err"
rc=$?
[ $rc -eq 1 ] && ok "bad file exit 1" || fail "bad file exit $rc"
grep -q "bad_number.csv:4:3: beløbet er ikke et tal: '2x7,7'" "$WORK/bad.err" && ok "error names line and column" ||
    fail "error message: $(cat "$WORK/bad.err")"
list
cmp -s "$WORK/list.before" "$WORK/list.out" && ok "bad file left the store as it was" ||
    fail "bad file changed the store"

# Usage errors: exit 2.
"$NOTATGEN" history list >/dev/null 2>&1
[ $? -eq 2 ] && ok "missing -c: exit 2" || fail "missing -c: not exit 2"
"$NOTATGEN" history remove -c "$CFG" >/dev/null 2>&1
[ $? -eq 2 ] && ok "unknown action: exit 2" || fail "unknown action: not exit 2"

[ $fails -eq 0 ] && echo "all history CLI checks passed" || echo "$fails failed"
exit $((fails > 0))
