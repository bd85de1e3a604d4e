#!/usr/bin/env bash
# e2e_check.sh -- `notatgen check` on a small extract: a clean run reconciles
# and exits 0 (having rendered everything into a staging folder it removes);
# one bad amount exits 1 with FILE:LINE:COLUMN and the value, and that row
# alone lands in the rejects file (its CPR number masked); check predicts run:
# a year without thresholds, a template error, a CR in a [mail] value and a
# label longer than an Excel cell (a field too long) make both fail alike; no
# CPR value reaches the output.
set -euo pipefail
: "${NOTATGEN:?}" "${SRC:?}" "${WORK:?}"
rm -rf "$WORK"
mkdir -p "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }
PY=/usr/bin/python3

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
# the row as it stands in the extract, with its line number, but the CPR
# number of its (unused) cpr column masked
{
  printf 'linje;'; sed -n 1p "$WORK/bad/$extract"
  printf '5;'; sed -n 5p "$WORK/bad/$extract" | sed 's/;0303101234;/;XXXXXX-XXXX;/'
} >"$WORK/rejects.want"
grep -q ';0303101234;' "$WORK/bad/$extract" || fail "test setup: row 5 has no CPR number"
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

# ---- 5. check predicts run: the same failure, the same messages -------------------
# predict NAME DIR ARGS...: check and run on DIR/check.ini fail with the same
# exit status and the same messages (run's own log line aside), and run
# publishes nothing
predict() {
  local name=$1 d=$2
  shift 2
  set +e
  "$NOTATGEN" check -c "$d/check.ini" "$@" >/dev/null 2>"$d/check.err"
  local rc_check=$?
  "$NOTATGEN" run -c "$d/check.ini" "$@" >/dev/null 2>"$d/run.err"
  local rc_run=$?
  set -e
  [ "$rc_run" != 0 ] || fail "$name: run succeeded"
  [ "$rc_check" = "$rc_run" ] || { cat "$d/check.err"; fail "$name: check exit $rc_check, run exit $rc_run"; }
  grep -Ev '^notatgen[ :]' "$d/run.err" >"$d/run.msgs" # run's own log line
  cmp -s "$d/check.err" "$d/run.msgs" || { diff "$d/check.err" "$d/run.msgs"; fail "$name: the messages differ"; }
  [ -z "$(ls "$d/ud" | grep -E '^20')" ] && [ ! -e "$d/ud/latest" ] || fail "$name: run published"
  echo "check predicts run: $name (exit $rc_run)"
}

new_case() {
  rm -rf "$WORK/$1" && mkdir -p "$WORK/$1"
  cp "$SRC/tests/data/check/check.ini" "$SRC/tests/data/check/$extract" "$WORK/$1/"
}

# a year without thresholds (the extract's 2026 taken out of the config)
new_case aar
sed -i '/^\[taerskler\]/,$d' "$WORK/aar/check.ini"
predict "a year without thresholds" "$WORK/aar"
grep -q "der mangler refusionsgrænser for 2026" "$WORK/aar/check.err" || fail "thresholds: message"

# a template error
new_case skabelon
cp -r "$SRC/templates" "$WORK/skabelon/tpl"
printf '\n{{ ukendt_vaerdi }}\n' >>"$WORK/skabelon/tpl/sde_status.md"
sed -i 's/^mappe = ud/mappe = ud\nskabeloner = tpl/' "$WORK/skabelon/check.ini"
predict "a template error" "$WORK/skabelon"
grep -q "sde_status.md:[0-9]*: ukendt værdi 'ukendt_vaerdi'" "$WORK/skabelon/check.err" || fail "template: message"

# a CR in a [mail] value
new_case mail
printf '\n[mail]\nserver = 127.0.0.1\nport = 9\nstarttls = nej\nfra = a@b.dk\ntil = c@d.dk\nemne = Bilag\rBcc: x@y.dk\n' \
  >>"$WORK/mail/check.ini"
predict "a CR in a mail value" "$WORK/mail"

# a label longer than an Excel cell holds (32.767 characters): the ingest
# refuses a kept field over 1000 bytes, located, in check as in run
new_case etiket
"$PY" - "$WORK/etiket/$extract" <<'EOF'
import sys
lines = open(sys.argv[1]).read().split("\n")
for i in (1, 2, 3):  # one case, so the label is a row of the målgruppe table
    f = lines[i].split(";")
    f[10] = "a" * 40000
    lines[i] = ";".join(f)
open(sys.argv[1], "w").write("\n".join(lines))
EOF
predict "a label of 40.000 characters" "$WORK/etiket"
grep -q "$extract:2:11: feltet i kolonnen 'maalgruppe' er over 1000 byte langt" "$WORK/etiket/check.err" ||
  fail "label: message"

# and a run that can succeed: check and run both exit 0
new_case ok2
"$NOTATGEN" check -c "$WORK/ok2/check.ini" >/dev/null 2>&1 || fail "check of a good night"
"$NOTATGEN" run -c "$WORK/ok2/check.ini" >/dev/null 2>&1 || fail "run of a good night"

# ---- 4. no CPR-like value in anything printed --------------------------------------
if grep -E '[0-9]{6}-?[0-9]{4}' "$WORK"/*.out "$WORK"/*.err "$WORK"/*/*.err; then
  fail "a CPR-like value was printed"
fi
echo "e2e_check: ok"
