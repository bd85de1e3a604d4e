#!/usr/bin/env bash
# End-to-end: the main job on the bundled example, as examples/run-example.sh
# runs it, into a scratch directory. Checks the published outputs against the
# reference tables, the PDF's text and fonts, the bilag, determinism,
# permissions, that no CPR-like value leaks, and that every memo is tagged
# PDF/UA-1 and PDF/A-2 (tests/pdf_check.py).
set -euo pipefail
: "${NOTATGEN:?}" "${SRC:?}" "${WORK:?}"
PY=/usr/bin/python3
rm -rf "$WORK" && mkdir -p "$WORK"

fail() { echo "FAIL: $*" >&2; exit 1; }

# a copy of the example whose outputs go to $WORK/<name>
. "$SRC/tests/lib_example.sh"
setup_copy() { example_copy "$1"; }

run_example() {
  local dir=$1
  "$NOTATGEN" history import -c "$dir/randers.ini" "$dir/historik/refusion_maaned_2025.csv" \
    "$dir/historik/refusion_aar_2022_2025.csv" >"$dir/import.log" 2>&1 || { cat "$dir/import.log"; fail "history import"; }
  "$NOTATGEN" run -c "$dir/randers.ini" --udtraek "$dir/sager_2025-09-30.csv" >"$dir/run1.log" 2>&1 || { cat "$dir/run1.log"; fail "run 30-09"; }
  "$NOTATGEN" run -c "$dir/randers.ini" >"$dir/run2.log" 2>&1 || { cat "$dir/run2.log"; fail "run 31-10"; }
}

setup_copy "$WORK/a"
run_example "$WORK/a"
out="$WORK/a/out/latest"
[ -L "$WORK/a/out/latest" ] || fail "out/latest is not a link"
for f in data.json bilag.xlsx sde_status.pdf; do
  [ -s "$out/$f" ] || fail "missing output $f"
done
echo "outputs written: $(ls "$out" | tr '\n' ' ')"

# the log line names what was read and written
grep -q "notatgen 2025-10-31 Randers Kommune: rækker 2.728 læst, 2.728 brugt, 0 afvist; 298 sager" "$WORK/a/run2.log" || { cat "$WORK/a/run2.log"; fail "log line"; }

# data.json: refusion_per_trin against the reference (to 0,1 mio. kr.),
# the follow-up tables from the history store, the bridge
$PY - "$out/data.json" "$SRC/tests/data/reference" <<'EOF'
import json, sys, csv, os
data = json.load(open(sys.argv[1]))
ref_dir = sys.argv[2]
t = data["tables"]
assert data["udtraek_dato"] == "2025-10-31", data["udtraek_dato"]
rows = {str(r["trin"]): r for r in t["refusion_per_trin"]["rows"]}
expect = {"25": (169, 214.1), "50": (39, 79.2), "75": (32, 108.9), "I alt": (240, 402.2)}
for k, (n, mio) in expect.items():
    r = rows[k]
    assert r["antal"] == n, (k, r)
    assert abs(r["udgift"] / 1e6 - mio) < 0.05 + 1e-9, (k, r["udgift"], mio)
def dk(s):
    return float(s.replace(".", "").replace(",", "."))
monthly = [l for l in open(os.path.join(ref_dir, "refusion_monthly_2025.csv"), encoding="utf-8") if not l.startswith("#")]
hdr = monthly[0].strip().split(";")
got = t["opfoelgning_maaned"]["rows"]
assert len(got) == len(monthly) - 1, (len(got), len(monthly) - 1)
for line, g in zip(monthly[1:], got):
    f = dict(zip(hdr, line.strip().split(";")))
    for tier in ("25", "50", "75", "total"):
        assert g["antal_" + tier] == int(f["antal_" + tier]), (f["maaned"], tier, g)
        assert abs(g["udgift_" + tier] / 1e6 - dk(f["udgift_" + tier])) < 0.05 + 1e-9, (f["maaned"], tier, g)
yearly = {r["aar"]: r for r in t["refusion_aar"]["rows"]}
assert sorted(yearly) == [2022, 2023, 2024, 2025], sorted(yearly)
assert yearly[2025]["antal_total"] == 240
v = data["values"]
def val(name):
    x = v[name]
    return x["value"] if isinstance(x, dict) else x
# 2 new cases and 1 ended one (e2e_example_data computes them from the two
# extracts): fewer than 3 persons, so hidden with their money, and the stayers
# with them (else tilgang = refusion_per_trin's total less eksisterende)
for name in ("tilgang_antal", "afgang_antal", "tilgang_udgift", "afgang_udgift",
             "aendring_tilgang_afgang_udgift", "aendring_eksisterende_udgift"):
    assert v[name].get("suppressed") is True and v[name]["value"] is None, (name, v[name])
hidden = {(s["table"], s["row"], s["column"]) for s in data["suppression"] if s.get("table") == "udvikling"}
assert {("udvikling", 0, "antal"), ("udvikling", 1, "antal"), ("udvikling", 3, "antal")} <= hidden, hidden
assert abs(val("aendring_udgift") - 1_000_000) < 1, val("aendring_udgift")
print("data.json matches the reference tables")
EOF

# the PDF: Danish text and numbers, fonts embedded, valid structure
pdftotext -layout "$out/sde_status.pdf" "$WORK/a/sde_status.txt"
txt="$WORK/a/sde_status.txt"
# words joined across line breaks (and hyphenated words, whose line ends with
# a soft hyphen, U+00AD), so a sentence can be found wherever it wraps
sed -z 's/\xc2\xad\n//g' "$txt" | tr -s '[:space:]' ' ' > "$WORK/a/sde_status.flat"
for s in "Status vedr. særligt dyre enkeltsager" "Sagsnummer" "Socialudvalget" "940.000" \
         "1.840.000" "2.330.000" "Oktober 2025" "Februar 2025" "402,2" "214,1" "108,9" \
         "Side 1 af" \
         "siden sidste opfølgning den 30. september 2025 været både tilgang og afgang af sager inden for refusionsgrænsen. Antallet af nye og afsluttede sager vises ikke" \
         "stigning i udgifterne på ca. 1,0 mio. kr. siden sidste opfølgning. Den følgende" \
         "udgør nu 47 % af udgifterne og 30 % af antallet af sager" \
         "Udviklingen i perioden 2022-2025" "Fra 2022 til 2025 har antallet af sager med 50 % og 75 % refusion ændret sig med 37 sager"; do
  grep -qF "$s" "$WORK/a/sde_status.flat" || { echo "--- pdftotext:"; head -80 "$txt"; fail "PDF lacks '$s'"; }
done
# the hidden counts and their money are in no sentence
for s in "tilgang på 2" "afgang på 1" "0,7 mio. kr. vedrører" "0,3 mio. kr. vedrører"; do
  grep -qF "$s" "$WORK/a/sde_status.flat" && fail "PDF tells the hidden '$s'"
done
# the undecided 67+ cases and the shares reach the reader
for s in "For 4 borgere på 67 år og derover kan det ikke afgøres ud fra udtrækket" \
         "og er ikke regnet med i refusionen" "Borgerne i sagerne" \
         "af sagerne har en kommunal leverandør"; do
  grep -qF "$s" "$WORK/a/sde_status.flat" || fail "sde_status.pdf lacks '$s'"
done
# the economy memo: the header from the config, the refusion budget section;
# the initiatives memo: the scenarios' sentence from data
pdftotext "$out/oekonomi_status.pdf" - | tr -s '[:space:]' ' ' > "$WORK/a/oekonomi.flat"
for s in "Skrevet af:" "Mette Holst-Langberg" "E-mail:" "Mette.Holst-Langberg@randers.dk" \
         "Indtægtsbudgettet for refusion af særligt dyre enkeltsager er på 72,0 mio. kr. i 2025" \
         "Kvartalsvis a'conto-hjemtagelse af refusion 2025" "Løsningsforslag" \
         "Udgifter til særligt dyre sager: prognose og faktisk udvikling"; do
  grep -qF "$s" "$WORK/a/oekonomi.flat" || fail "oekonomi_status.pdf lacks '$s'"
done
pdftotext "$out/initiativer.pdf" - | tr -s '[:space:]' ' ' > "$WORK/a/initiativer.flat"
for s in "Prognose 2023-2028" "Prognose og scenarier (mio. kr.)" \
         "vil den løbende demografi (her anslået til 25,0 mio. kr. i 2028) og de 3 initiativer (forventet 18,0 mio. kr. i 2028) kunne mindske udgiftsudviklingen/hæve budgettet med samlet 43,0 mio. kr., så der bliver en forbedring i prognosen på dette beløb"; do
  grep -qF "$s" "$WORK/a/initiativer.flat" || fail "initiativer.pdf lacks '$s'"
done

# the cost bands count persons by their own spend (an independent count
# from the extract; siblings of a household are never summed there)
"$PY" "$SRC/tools/check_example.py" "$SRC/examples/sager_2025-10-31.csv" --bands > "$WORK/bands.csv"
$PY - "$out/data.json" "$WORK/bands.csv" <<'EOF'
import csv, json, sys
t = json.load(open(sys.argv[1]))["tables"]["udgiftsintervaller"]
rows = {r["_key"]: r for r in t["rows"]}
for b in csv.DictReader(open(sys.argv[2]), delimiter=";"):
    r = rows[b["interval"]]
    assert r["antal"] == int(b["antal"]), (b, r)
    assert abs(r["udgift"] * 100 - int(b["udgift_oere"])) < 1, (b, r)
print("udgiftsintervaller: every person by his own spend, as the independent count")
EOF

if pdffonts "$out/sde_status.pdf" | awk 'NR>2 && $(NF-4) != "yes" {bad=1} END {exit !bad}'; then
  pdffonts "$out/sde_status.pdf"; fail "a font is not embedded"
fi
qpdf --check "$out/sde_status.pdf" >/dev/null || fail "qpdf --check"

# the bilag: every table of data.json as a sheet, values, formulas and charts
# as the table model says (xlsx_check.py), then recalculated by LibreOffice
# with recalculation forced: every formula must give the memo's number
$PY "$SRC/tests/xlsx_check.py" "$out/bilag.xlsx" "$out/data.json"
mkdir -p "$WORK/lo/user" "$WORK/csv"
cat >"$WORK/lo/user/registrymodifications.xcu" <<'XCU'
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
XCU
(cd "$out" && soffice -env:UserInstallation="file://$WORK/lo" --headless \
    --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
    --outdir "$WORK/csv" bilag.xlsx >"$WORK/soffice.log" 2>&1) || { cat "$WORK/soffice.log"; fail "soffice"; }
$PY "$SRC/tests/xlsx_check.py" "$out/bilag.xlsx" "$out/data.json" --recalc-csv "$WORK/csv" bilag
echo "bilag: every formula recalculates in LibreOffice to the cached value"
$PY - "$out/bilag.xlsx" <<'PYEOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
for name in ("Indhold", "Refusion pr. trin", "Månedlig opfølgning", "Refusion pr. år",
             "Budgetoverslag", "Nettoeffekt", "Prognose mod faktisk", "Refusionsbudget"):
    assert name in wb.sheetnames, (name, wb.sheetnames)
print("bilag sheets:", ", ".join(wb.sheetnames))
PYEOF

# no CPR-like value in any output (the extract carries a CPR column)
$PY - "$out" "$txt" <<'EOF'
import os, re, sys, zipfile, datetime
cpr = re.compile(rb"(?<!\d)(\d{6})-?(\d{4})(?!\d)")
def valid(d):
    dd, mm, yy = int(d[0:2]), int(d[2:4]), int(d[4:6])
    for c in (1900, 2000):
        try:
            datetime.date(c + yy, mm, dd); return True
        except ValueError:
            pass
    return False
def scan(name, data):
    for m in cpr.finditer(data):
        if valid(m.group(1).decode()):
            sys.exit(f"CPR-like value in {name} at {m.start()}")
out = sys.argv[1]
for f in os.listdir(out):
    p = os.path.join(out, f)
    if f.endswith(".xlsx"):
        with zipfile.ZipFile(p) as z:
            for n in z.namelist():
                scan(f + ":" + n, z.read(n))
    elif not f.endswith(".pdf"):
        scan(f, open(p, "rb").read())
scan("pdftotext", open(sys.argv[2], "rb").read())
print("no CPR-like values in the outputs")
EOF
for log in "$WORK"/a/*.log; do
  if grep -Eq '(^|[^0-9])[0-9]{6}-?[0-9]{4}([^0-9]|$)' "$log"; then fail "CPR-like value in $log"; fi
done

# permissions: files 0600, directories 0700
bad=$(find "$WORK/a/out/" -mindepth 1 \( -type f ! -perm 600 -o -type d ! -perm 700 \) -print)
[ -z "$bad" ] || { ls -la "$WORK/a/out" "$out"; fail "loose permissions: $bad"; }

# determinism: a second copy gives byte-identical outputs
setup_copy "$WORK/b"
run_example "$WORK/b"
for f in data.json bilag.xlsx sde_status.pdf; do
  cmp "$out/$f" "$WORK/b/out/latest/$f" || fail "$f differs between two runs"
done
echo "two runs give identical bytes"

# every memo: tagged PDF/UA-1 and PDF/A-2 as tests/pdf_check.py sees it, the
# logo in the letterhead, the same bytes (and /ID) as the second run's
$PY "$SRC/tests/pdf_check.py" --logo --twin "$WORK/b/out/latest" "$out"/*.pdf
# the bilag's charts carry the same alternative text as the memos' figures
$PY - "$out" <<'PYEOF'
import glob, os, re, sys, zipfile, pikepdf
out = sys.argv[1]
with zipfile.ZipFile(os.path.join(out, "bilag.xlsx")) as z:
    descr = {re.sub("&amp;", "&", d) for n in z.namelist() if n.startswith("xl/drawings/drawing")
             for d in re.findall(r'descr="([^"]*)"', z.read(n).decode())}
alts = set()
for f in glob.glob(os.path.join(out, "*.pdf")):
    with pikepdf.open(f) as pdf:
        def walk(k):
            if isinstance(k, pikepdf.Array):
                for x in k:
                    walk(x)
            elif isinstance(k, pikepdf.Dictionary) and "/S" in k:
                if k.S == pikepdf.Name.Figure and k.get("/A", {}).get("/BBox") is not None \
                        and "diagram" in str(k.Alt):
                    alts.add(str(k.Alt))
                walk(k.get("/K"))
        walk(pdf.Root.StructTreeRoot.K)
assert alts and alts <= descr, (alts - descr, descr)
print(f"the bilag's charts describe themselves as the memos' {len(alts)} figures do")
PYEOF
echo "e2e_example_run: ok"
