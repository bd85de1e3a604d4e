#!/usr/bin/env bash
# e2e_check.sh -- `notatgen check` on a small extract: a clean run reconciles
# and exits 0 (having rendered everything into a staging folder it removes);
# one bad amount exits 1 with FILE:LINE:COLUMN and the value, and that row
# alone lands in the rejects file; no CPR value reaches the output.
set -euo pipefail
: "${NOTATGEN:?}" "${SRC:?}" "${WORK:?}"
rm -rf "$WORK"
mkdir -p "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }

extract=sager_2026-10-31.csv

# ---- 1. the clean extract ----------------------------------------------------
mkdir "$WORK/ok"
cp "$SRC/tests/data/check/check.ini" "$SRC/tests/data/check/$extract" "$WORK/ok/"
set +e
"$NOTATGEN" check -c "$WORK/ok/check.ini" >"$WORK/ok.out" 2>"$WORK/ok.err"
rc=$?
set -e
[ "$rc" -eq 0 ] || { cat "$WORK/ok.err"; fail "clean extract: exit $rc, want 0"; }
# 8 rows; 1.250.000,00 - 12.500,50 + 2.400.000 + 2 x 400.000 + 980.000 + 25.000
# + 1.100.000,25 = 6.542.499,75 kr. (by hand)
want="$extract: rækker læst 8 = brugt 8 + afvist 0; beløb læst 6.542.499,75 kr. = brugt 6.542.499,75 kr. + afvist 0,00 kr."
grep -qF "$want" "$WORK/ok.out" || { cat "$WORK/ok.out"; fail "clean extract: reconciliation line"; }
grep -qF "$extract: 5 sager" "$WORK/ok.out" || fail "clean extract: case count"
# the notes run gives too (small cells suppressed), nothing else
! grep -v ': note: ' "$WORK/ok.err" || fail "clean extract: unexpected diagnostics"
[ -d "$WORK/ok/ud" ] || fail "output dir not created"
[ "$(stat -c %a "$WORK/ok/ud")" = 700 ] || fail "output dir mode $(stat -c %a "$WORK/ok/ud")"
# check rendered everything into a staging folder and removed it; the lock
# file stays (as run's does), and no history store is created
[ "$(ls -A "$WORK/ok/ud")" = ".notatgen.lock" ] ||
  fail "check wrote something besides a rejects file: $(ls -A "$WORK/ok/ud")"

# ---- 2. one amount changed to 12.3x4 (line 5, column 5) ------------------------
mkdir "$WORK/bad"
cp "$SRC/tests/data/check/check.ini" "$WORK/bad/"
sed '5s/;400\.000;/;12.3x4;/' "$SRC/tests/data/check/$extract" >"$WORK/bad/$extract"
[ "$(grep -c '12.3x4' "$WORK/bad/$extract")" -eq 1 ] || fail "test setup: sed did not change one row"
set +e
"$NOTATGEN" check -c "$WORK/bad/check.ini" >"$WORK/bad.out" 2>"$WORK/bad.err"
rc=$?
set -e
[ "$rc" -eq 1 ] || { cat "$WORK/bad.err"; fail "bad amount: exit $rc, want 1"; }
grep -qF "$extract:5:5: beløbet er ikke et tal: '12.3x4'" "$WORK/bad.err" ||
  { cat "$WORK/bad.err"; fail "bad amount: diagnostic"; }
[ "$(grep -c ':5:5:' "$WORK/bad.err")" -eq 1 ] || fail "bad amount: want exactly one diagnostic for the row"
want="$extract: rækker læst 8 = brugt 7 + afvist 1; beløb læst 6.142.499,75 kr. = brugt 6.142.499,75 kr. + afvist 0,00 kr."
grep -qF "$want" "$WORK/bad.out" || { cat "$WORK/bad.out"; fail "bad amount: reconciliation line"; }
rejects="$WORK/bad/ud/afviste_$extract"
[ -f "$rejects" ] || fail "no rejects file"
[ "$(stat -c %a "$rejects")" = 600 ] || fail "rejects file mode $(stat -c %a "$rejects")"
{
  printf 'linje;'; sed -n 1p "$WORK/bad/$extract"
  printf '5;'; sed -n 5p "$WORK/bad/$extract"
} >"$WORK/rejects.want"
cmp "$rejects" "$WORK/rejects.want" || { diff "$rejects" "$WORK/rejects.want"; fail "rejects file content"; }
[ "$(ls -A "$WORK/bad/ud" | grep -v '^\.notatgen\.lock$')" = "afviste_$extract" ] ||
  fail "check wrote more than the rejects file"

# a clean run afterwards removes the stale rejects file
cp "$SRC/tests/data/check/$extract" "$WORK/bad/$extract"
"$NOTATGEN" check -c "$WORK/bad/check.ini" >/dev/null 2>&1 || fail "re-run after correction"
[ ! -e "$rejects" ] || fail "stale rejects file left behind"

# ---- 3. --udtraek override and usage / config errors ------------------------------
"$NOTATGEN" check -c "$WORK/ok/check.ini" --udtraek "$WORK/ok/$extract" --dato 2026-10-31 \
  >"$WORK/override.out" 2>&1 || fail "--udtraek override"
set +e
"$NOTATGEN" check >/dev/null 2>&1; rc_usage=$?
"$NOTATGEN" check -c "$WORK/missing.ini" >/dev/null 2>&1; rc_cfg=$?
"$NOTATGEN" check -c "$WORK/ok/check.ini" --dato 31-02-2026 >/dev/null 2>&1; rc_dato=$?
set -e
[ "$rc_usage" -eq 2 ] || fail "no -c: exit $rc_usage, want 2"
[ "$rc_cfg" -ne 0 ] || fail "missing config: exit 0"
[ "$rc_dato" -eq 2 ] || fail "bad --dato: exit $rc_dato, want 2"

# ---- 4. no CPR-like value in anything printed --------------------------------------
if grep -E '[0-9]{6}-?[0-9]{4}' "$WORK"/*.out "$WORK"/*.err; then
  fail "a CPR-like value was printed"
fi
echo "e2e_check: ok"
