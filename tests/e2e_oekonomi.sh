#!/usr/bin/env bash
# End-to-end: examples/oekonomi.ini (the economy memo and the
# initiatives memo) through `notatgen run`. Checks data.json against the
# reference tables (budgetmodel_2023.csv, initiativer_2022_2025.csv,
# prognose_vs_faktisk.csv), the two PDFs, and that the run stores its
# forecasts so that a later run with one more year of history sets that
# forecast against the new actuals.
set -euo pipefail
: "${NOTATGEN:?}" "${SRC:?}" "${WORK:?}"
PY=/usr/bin/python3
rm -rf "$WORK" && mkdir -p "$WORK/a"
fail() { echo "FAIL: $*" >&2; exit 1; }

cd "$WORK/a"
cp "$SRC"/examples/oekonomi.ini "$SRC"/examples/sager_2025-10-31.csv "$SRC"/examples/budget_2023.csv \
  "$SRC"/examples/initiativer.csv "$SRC"/examples/fingerplan.csv "$SRC"/examples/sde_udvikling.csv \
  "$SRC"/examples/prognose_2021.csv .
SOURCE_DATE_EPOCH=0 "$NOTATGEN" run -c oekonomi.ini >run1.log 2>&1 || { cat run1.log; fail "run 1"; }
out=out/latest
for f in data.json bilag.xlsx oekonomi_status.pdf initiativer.pdf; do
  [ -s "$out/$f" ] || fail "missing output $f"
done

$PY - "$out/data.json" "$SRC/tests/data/reference" <<'PYEOF'
import json, sys, csv, os
data = json.load(open(sys.argv[1]))
ref = sys.argv[2]
t, v = data["tables"], data["values"]

def rows(name):
    lines = [l for l in open(os.path.join(ref, name), encoding="utf-8") if not l.startswith("#")]
    return list(csv.DictReader(lines, delimiter=";"))

def kr(text):  # "708,15" mio. -> kr.
    return round(float(text.replace(".", "").replace(",", ".")) * 1e6)

# every row of the budget model, input and derived, to the kr.
budget = {r["_key"]: r for r in t["budgetoverslag"]["rows"]}
for r in rows("budgetmodel_2023.csv"):
    for y in ("2023", "2024", "2025", "2026", "2027"):
        got = round(budget[r["post"]].get(y) or 0)
        assert got == kr(r[y]), (r["post"], y, got, r[y])
# initiatives: the sums of the lines (14,1 in 2025, not the seed's 10,7)
inv = {r["_key"]: r for r in t["initiativer_investering"]["rows"]}
assert round(inv["i_alt"]["2025"]) == 14100000, inv["i_alt"]
net = {r["_key"]: r for r in t["initiativer_netto"]["rows"]}
assert [round(net["initiativ_1"][y]) for y in ("2022", "2023", "2024", "2025")] == \
    [700000, -2900000, -4100000, -5400000], net["initiativ_1"]
# the 2021 forecast against the history
pf = {r["_key"]: r for r in t["prognose_mod_faktisk"]["rows"]}
for r in rows("prognose_vs_faktisk.csv"):
    assert pf[r["aar"]]["prognose_antal"] == int(r["prognose_antal"]), r
    if r["faktisk_antal"]:
        assert pf[r["aar"]]["faktisk_antal"] == int(r["faktisk_antal"]), r
        assert pf[r["aar"]]["afvigelse_antal"] == int(r["faktisk_antal"]) - int(r["prognose_antal"])
assert round(pf["2023"]["afvigelse_udgift"]) == 30600000, pf["2023"]
assert v["prognose_lavet"]["value"] == "2021", v["prognose_lavet"]
assert round(t["fingerplan"]["rows"][-1]["2027"]) == -6500000
print("data.json matches the reference tables")
PYEOF

pdftotext -layout "$out/oekonomi_status.pdf" - >status.txt
grep -q "Der forventes et samlet merforbrug på 71,1 mio. kr." status.txt || fail "Baggrund sentence"
grep -q "107,0 mio. kr., når gæld fra tidligere" status.txt || fail "debt sentence"
pdftotext -layout "$out/initiativer.pdf" - >init.txt
grep -q "Provenu (+=merudgift)" init.txt || fail "initiatives lines"

# the run stored its forecasts (growth and trend, five years each)
n=$($PY -c "import sqlite3; print(sqlite3.connect('out/oekonomi.sqlite').execute(\"select count(*) from forecast where made_on='2025-10-31'\").fetchone()[0])")
[ "$n" = 10 ] || fail "stored forecasts: $n"

# a year later the history has 2024: the run of 2025-10-31 forecast it, and
# the next run sets that forecast against the actual 2024
$PY - <<'PYEOF'
lines = open("sde_udvikling.csv", encoding="utf-8").read().splitlines()
add = {"post": "2024", "1,0": "125", "1,5": "40", "2,0": "25", "I alt": "190", "Udgift": "300,0"}
out = []
for l in lines:
    if l.startswith("#"):
        out.append(l); continue
    key = next((k for k in add if l.startswith(k)), None)
    out.append(l + ";" + add[key] if key else l)
open("sde_udvikling.csv", "w", encoding="utf-8").write("\n".join(out) + "\n")
PYEOF
sed -i 's/^tidligere = .*//' oekonomi.ini
SOURCE_DATE_EPOCH=0 "$NOTATGEN" run -c oekonomi.ini --dato 2025-11-30 >run2.log 2>&1 || { cat run2.log; fail "run 2"; }
$PY - out/latest/data.json <<'PYEOF'
import json, sys
data = json.load(open(sys.argv[1]))
v, t = data["values"], data["tables"]
assert v["prognose_lavet"]["value"] == "2025-10-31", v["prognose_lavet"]
assert v["prognose_metode_lavet"]["value"] == "vaekst", v["prognose_metode_lavet"]
pf = {r["_key"]: r for r in t["prognose_mod_faktisk"]["rows"]}
# the forecast for 2024 made from 2020-2023: 179 x (179/121)^(1/3)
want = 179 * (179 / 121) ** (1 / 3)
assert abs(pf["2024"]["prognose_antal"] - want) < 1e-6, pf["2024"]
assert pf["2024"]["faktisk_antal"] == 190
assert abs(pf["2024"]["afvigelse_antal"] - (190 - want)) < 1e-6
print("second run compares the stored forecast with the new actuals")
PYEOF
# a municipality with no earlier forecast: the memo leaves out the comparison
# ({{#hvis prognose_mod_faktisk}}) instead of failing the night
mkdir -p "$WORK/ny" && cd "$WORK/ny"
cp "$SRC"/examples/oekonomi.ini "$SRC"/examples/*.csv .
sed -i '/^tidligere = /d' oekonomi.ini
"$NOTATGEN" run -c oekonomi.ini >run.log 2>&1 || { cat run.log; fail "run without an earlier forecast"; }
pdftotext out/latest/oekonomi_status.pdf - >status.txt
grep -q "Baggrund" status.txt || fail "the memo lacks its other sections"
if grep -q "Prognose sammenholdt med den faktiske udvikling" status.txt; then
  fail "the comparison section is there without an earlier forecast"
fi
echo "no earlier forecast: the comparison section is left out"
echo "e2e_oekonomi: ok"
