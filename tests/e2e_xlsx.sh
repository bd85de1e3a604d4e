#!/usr/bin/env bash
# e2e_xlsx.sh -- the Excel bilag read back by openpyxl and recalculated by
# LibreOffice.
#
# test_xlsx writes its fixture workbooks into $NG_XLSX_OUT (see
# tests/test_xlsx.c). Then:
#   (a) xlsx_check.py compares every sheet with data.json (values, formulas,
#       formats, layout, charts), also for the constant_memory workbook;
#   (b) LibreOffice recalculates every formula (OOXMLRecalcMode=0 in a
#       throwaway profile: without it LibreOffice trusts our cached values)
#       and every number must equal the cached one; bilag_forkert.xlsx caches
#       one wrong value on purpose and must be caught;
#   (c) two runs of the program give byte-identical files;
#   (d) sheet names: æøå kept, over-long titles cut to 31 characters and made
#       unique;
#   (e) two parts of bilag.xlsx equal reference XML in tests/data/xlsx/.
# Env: BUILD (build tree), SRC (source tree), WORK (scratch, wiped here).
set -euo pipefail
: "${BUILD:?}" "${SRC:?}" "${WORK:?}"
PY=/usr/bin/python3
CHECK="$SRC/tests/xlsx_check.py"
TEST_XLSX="$BUILD/tests/test_xlsx"

rm -rf "$WORK"
mkdir -p "$WORK/run1" "$WORK/run2" "$WORK/csv" "$WORK/lo/user"

fail() {
    echo "e2e_xlsx: FAIL: $*" >&2
    exit 1
}

NG_XLSX_OUT="$WORK/run1" "$TEST_XLSX" >"$WORK/run1.log" 2>&1 || {
    cat "$WORK/run1.log"
    fail "test_xlsx failed"
}
out="$WORK/run1"
for f in bilag.xlsx bilag_sager.xlsx bilag_forkert.xlsx data.json data_forkert.json; do
    [ -s "$out/$f" ] || fail "test_xlsx wrote no $f"
    [ "$(stat -c %a "$out/$f")" = 600 ] || fail "$f is not mode 0600"
done

echo "== (a) read back with openpyxl"
"$PY" "$CHECK" "$out/bilag.xlsx" "$out/data.json"
"$PY" "$CHECK" "$out/bilag_sager.xlsx" "$out/data.json" --cases 50
# The wrong fixture is self-consistent with its data.json: only (b) sees it.
"$PY" "$CHECK" "$out/bilag_forkert.xlsx" "$out/data_forkert.json"

echo "== (b) LibreOffice recalculation"
command -v soffice >/dev/null ||
    fail "soffice missing: apt-get install -y --no-install-recommends libreoffice-calc-nogui"
soffice --version
cat >"$WORK/lo/user/registrymodifications.xcu" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
EOF
# Token 12 = -1: every sheet to its own CSV (LibreOffice 7.4+), named
# <file>-<sheet>.csv; token 9 = false: full values, not as shown.
(cd "$out" && soffice -env:UserInstallation="file://$WORK/lo" --headless \
    --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
    --outdir "$WORK/csv" bilag.xlsx bilag_sager.xlsx bilag_forkert.xlsx >"$WORK/soffice.log" 2>&1) || {
    cat "$WORK/soffice.log"
    fail "soffice failed"
}
"$PY" "$CHECK" "$out/bilag.xlsx" "$out/data.json" --recalc-csv "$WORK/csv" bilag
"$PY" "$CHECK" "$out/bilag_sager.xlsx" "$out/data.json" --cases 50 \
    --recalc-csv "$WORK/csv" bilag_sager
if "$PY" "$CHECK" "$out/bilag_forkert.xlsx" "$out/data_forkert.json" \
    --recalc-csv "$WORK/csv" bilag_forkert >"$WORK/forkert.log" 2>&1; then
    cat "$WORK/forkert.log"
    fail "a wrong cached value passed LibreOffice's recalculation"
fi
# Exactly the corrupted cell (the debt of 2024, D9) and nothing else.
grep -q "D9: LibreOffice recalculates '143', the workbook caches 144" "$WORK/forkert.log" ||
    fail "the wrong value was not reported as expected: $(cat "$WORK/forkert.log")"
[ "$(wc -l <"$WORK/forkert.log")" -eq 1 ] || fail "more than the one wrong cell: $(cat "$WORK/forkert.log")"
echo "wrong cached value caught: $(cat "$WORK/forkert.log")"

echo "== (c) two runs (another time zone), same bytes"
TZ=America/New_York NG_XLSX_OUT="$WORK/run2" "$TEST_XLSX" >"$WORK/run2.log" 2>&1 || fail "second test_xlsx run failed"
for f in bilag.xlsx bilag_sager.xlsx data.json; do
    cmp "$WORK/run1/$f" "$WORK/run2/$f" || fail "$f differs between runs"
done

echo "== (d) sheet names"
"$PY" - "$out/bilag.xlsx" <<'EOF'
import sys, openpyxl
names = openpyxl.load_workbook(sys.argv[1], read_only=True).sheetnames
# registered tables get the registry's short name; others their cut title
want = ["Indhold", "Refusion pr. trin", "Økonomi på socialområdet (servi",
        "Økonomi på socialområdet (s (2)", "Initiativer & netto 1.000 kr. ø",
        "Månedlig opfølgning", "Sager pr. 1.000 indbyggere", "Krydshenvisninger"]
if names != want:
    sys.exit("sheet names %r, expected %r" % (names, want))
print("sheet names ok")
EOF
echo "== (e) reference XML (as libxlsxwriter's tests: unzip, compare the XML)"
"$PY" "$CHECK" "$out/bilag.xlsx" "$out/data.json" --reference "$SRC/tests/data/xlsx"
echo "e2e_xlsx: ok"
