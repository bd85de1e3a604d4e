#!/usr/bin/env bash
# End-to-end: the comparison across municipalities, by one run and by map +
# reduce, against an independent computation.
#
#  1. four synthetic municipalities (gen_extract --kommune: Randers, Aarhus,
#     Odense and Læsø, which has too few cases to be shown) and a FOLK1A
#     export with two quarters, the country, a region and "I alt" rows;
#  2. one run over the four extracts joined into one (a kommune column),
#     writing the benchmark memo and the bilag;
#  3. the map step: each municipality's own run, four at a time in parallel
#     (xargs -P), as a batch scheduler's array would run them
#     (docs/nationalt.md), then the reduce step (notatgen samlet) over their
#     data.json;
#  4. both data.json checked against tests/benchmark_check.py (the rules
#     computed again from the CSV files, with no notatgen code), against each
#     other (the same tables, cell by cell, the same suppression), both bilag
#     against their data.json and recalculated by LibreOffice
#     (tests/xlsx_check.py), both memos' sentences with the numbers computed
#     and their tagging (tests/pdf_check.py);
#  5. the reduce twice gives the same bytes; a contribution with suppressed
#     cells, one given twice, and a broken population file are refused with
#     their file named, by `check` as by `run`.
set -euo pipefail
: "${NOTATGEN:?}" "${GEN_EXTRACT:?}" "${SRC:?}" "${WORK:?}"
PY=/usr/bin/python3
rm -rf "$WORK" && mkdir -p "$WORK"
cd "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }
export SOURCE_DATE_EPOCH=1761868800

# 1 ---------------------------------------------------------------------------
declare -A SAGER=([730]=160 [751]=420 [461]=260 [825]=2)
for k in 730 751 461 825; do
  "$GEN_EXTRACT" --kommune "$k" --sager "${SAGER[$k]}" "k$k.csv"
done
"$PY" - <<'EOF'
# FOLK1A as the StatBank's API writes it (variable names, "18 år"), UTF-8 with BOM
import random
random.seed(2025)
people = {"Randers": 1250, "Aarhus": 5400, "Odense": 3600, "Læsø": 18}
with open("folk1a.csv", "w", encoding="utf-8-sig") as f:
    f.write("OMRÅDE;KØN;ALDER;TID;INDHOLD\n")
    for q in ("2024K4", "2025K1"):
        f.write("Hele landet;I alt;I alt;%s;5961249\n" % q)
        f.write("Region Midtjylland;I alt;30 år;%s;17000\n" % q)
        for name, base in people.items():
            f.write("%s;I alt;I alt;%s;%d\n" % (name, q, base * 90))
            for age in range(0, 100):
                f.write("%s;I alt;%d år;%s;%d\n" % (name, age, q, base + random.randint(-base // 5, base // 5)))
EOF
{ cat k730.csv; for k in 751 461 825; do tail -n +2 "k$k.csv"; done; } >sager_2025-10-31.csv

# gen_extract writes the example's columns: the example's [kolonner]
kolonner=$(awk '/^\[kolonner\]/ { p = 1; print; next } /^\[/ { p = 0 } p && NF' "$SRC/examples/randers.ini")
config() { # config FILE KODE EXTRACT MINDSTE_CELLE NOTATER [NAVN]
  cat >"$1" <<EOF
[kommune]
navn = ${6:-Randers Kommune}
kode = $2
[udtraek]
fil = $3
$kolonner
[befolkning]
fil = $WORK/folk1a.csv
[privatliv]
mindste_celle = $4
[output]
mappe = out
notater = $5
EOF
}

# 2 ---------------------------------------------------------------------------
mkdir -p en
config en/en.ini 730 ../sager_2025-10-31.csv 3 "sde_status, benchmark"
"$NOTATGEN" run -c en/en.ini >en/run.log 2>&1 || { cat en/run.log; fail "the one run"; }
one=en/out/latest
for f in benchmark.pdf bilag.xlsx data.json; do [ -s "$one/$f" ] || fail "the one run wrote no $f"; done

# 3 ---------------------------------------------------------------------------
declare -A NAVN=([730]="Randers Kommune" [751]="Aarhus Kommune" [461]="Odense Kommune" [825]="Læsø Kommune")
for k in 730 751 461 825; do
  mkdir -p "map/$k"
  cp "k$k.csv" "map/$k/sager_2025-10-31.csv"
  # the contribution to the national comparison is not published by the
  # municipality: no small cells suppressed there (docs/nationalt.md)
  config "map/$k/kommune.ini" "$k" sager_2025-10-31.csv 1 sde_status "${NAVN[$k]}"
done
mkdir -p bidrag
printf '%s\n' 730 751 461 825 | xargs -P 4 -I{} sh -c \
  '"$0" run -c map/{}/kommune.ini >map/{}/run.log 2>&1 && cp map/{}/out/latest/data.json bidrag/{}.json' \
  "$NOTATGEN" || { cat map/*/run.log; fail "a map task"; }
[ "$(ls bidrag | wc -l)" = 4 ] || fail "four contributions expected: $(ls bidrag)"
"$NOTATGEN" samlet -c en/en.ini bidrag >samlet.log 2>&1 || { cat samlet.log; fail "samlet"; }
grep -q "4 filer læst; 3 kommuner sammenlignet (befolkningen 2025K1)" samlet.log || { cat samlet.log; fail "samlet's log line"; }
red=en/out/samlet/latest
for f in benchmark.pdf bilag.xlsx data.json manifest.json; do [ -s "$red/$f" ] || fail "samlet wrote no $f"; done
[ "$(stat -c %a "$red/data.json")" = 600 ] || fail "samlet's data.json is not mode 0600"

# with one municipality the memos are the same with [befolkning] as without
mkdir -p uden
sed -e '/^\[befolkning\]/,/^fil = /d' -e "s|^mappe = out|mappe = $WORK/uden/out|" map/730/kommune.ini >map/730/uden.ini
grep -q befolkning map/730/uden.ini && fail "uden.ini still has [befolkning]"
(cd map/730 && "$NOTATGEN" run -c uden.ini >../../uden/run.log 2>&1) || { cat uden/run.log; fail "the run without [befolkning]"; }
cmp map/730/out/latest/sde_status.pdf uden/out/latest/sde_status.pdf ||
  fail "[befolkning] changed the single municipality's sde_status.pdf"

# 4 ---------------------------------------------------------------------------
for d in "$one" "$red"; do
  "$PY" "$SRC/tests/benchmark_check.py" --folk1a folk1a.csv --thresholds "$SRC/data/refusion_thresholds.csv" \
    --own 730 --min 3 "$d/data.json" k730.csv k751.csv k461.csv k825.csv || fail "$d/data.json against the independent computation"
  # no suppressed number derivable from all the published ones (the means included)
  "$PY" "$SRC/tests/suppression_check.py" "$d/data.json" >"$WORK/suppression.out" ||
    fail "$d/data.json: $(cat "$WORK/suppression.out")"
done
"$PY" - "$one/data.json" "$red/data.json" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
names = [n for n in a["tables"] if n.startswith("benchmark")]
assert len(names) == 4, names
for n in names:
    for key in ("columns", "rows", "formulas", "suppressed", "note"):
        assert a["tables"][n].get(key) == b["tables"][n].get(key), (n, key)
for n, v in a["values"].items():
    if n.startswith("benchmark") or n == "befolkning_kvartal":
        assert b["values"][n] == v, (n, v, b["values"].get(n))
for n, f in a["figures"].items():
    if n.startswith("benchmark"):
        assert b["figures"][n] == f, n
# the reduce's manifest names every contribution it read
inputs = [i["name"] for i in json.load(open(sys.argv[2].replace("data.json", "manifest.json")))["inputs"]]
assert sum(1 for i in inputs if i.endswith(".json")) == 4, inputs
assert any(i.endswith("/data/kommuner.csv") for i in inputs), inputs
# the run's manifest names the population file and the municipalities it read
inputs = [i["name"] for i in json.load(open(sys.argv[1].replace("data.json", "manifest.json")))["inputs"]]
assert any(i.endswith("/folk1a.csv") for i in inputs) and any(i.endswith("/data/kommuner.csv") for i in inputs), inputs
print("one run and map + reduce: the same %d tables, values and figures" % len(names))
EOF
# a municipality's own run counts the cases of its refusion_per_trin total
for k in 730 751 461 825; do
  "$PY" - "map/$k/out/latest/data.json" "$k" <<'EOF'
import json, sys
t = json.load(open(sys.argv[1]))["tables"]
tiers = {r["_key"]: r for r in t["refusion_per_trin"]["rows"]}["i_alt"]
own = {r["_key"]: r for r in t["benchmark"]["rows"]}[sys.argv[2]]
for col in ("antal", "udgift", "refusion"):
    assert own[col] == tiers[col], (sys.argv[2], col, own[col], tiers[col])
EOF
done
# the bilag against its data.json, then recalculated by LibreOffice
# (OOXMLRecalcMode=0 in a throwaway profile, as tests/e2e_xlsx.sh): the
# AVERAGE, MEDIAN and ratio formulas give the numbers cached
mkdir -p lo/user
cat >lo/user/registrymodifications.xcu <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
EOF
for d in "$one" "$red"; do
  rm -rf csv && mkdir csv
  (cd "$d" && soffice -env:UserInstallation="file://$WORK/lo" --headless \
    --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
    --outdir "$WORK/csv" bilag.xlsx >"$WORK/soffice.log" 2>&1) || { cat "$WORK/soffice.log"; fail "soffice on $d/bilag.xlsx"; }
  "$PY" "$SRC/tests/xlsx_check.py" "$d/bilag.xlsx" "$d/data.json" --recalc-csv "$WORK/csv" bilag ||
    fail "$d/bilag.xlsx against its data.json and LibreOffice's recalculation"
done
# the memo is tagged PDF/UA-1 and PDF/A-2 as every memo (tests/pdf_check.py)
"$PY" "$SRC/tests/pdf_check.py" "$one/benchmark.pdf" "$red/benchmark.pdf" || fail "benchmark.pdf: tagged PDF"
for d in "$one" "$red"; do
  pdftotext "$d/benchmark.pdf" - 2>/dev/null | tr '\n' ' ' | tr -s ' ' >"$WORK/memo.txt"
  "$PY" - "$d/data.json" "$WORK/memo.txt" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read()
rows = {r["_key"]: r for r in d["tables"]["benchmark"]["rows"]}
dk = lambda x, n=1: ("%.*f" % (n, x)).replace(".", ",")
own, mean = rows["730"]["sager_pr_1000"], rows["gennemsnit"]["sager_pr_1000"]
n = d["values"]["benchmark_antal_kommuner"]["value"]
want = ["Randers Kommune har %s særligt dyre enkeltsager pr. 1.000 18-66-årige; gennemsnittet for de %d kommuner er %s"
        % (dk(own), n, dk(mean)),
        "ligger %s gennemsnittet" % ("over" if dk(own) > dk(mean) else "under" if dk(own) < dk(mean) else "på"),
        "er nr. %d af %d" % (d["values"]["benchmark_egen_rang"]["value"], n),
        "medianen er %s" % dk(rows["median"]["sager_pr_1000"]),
        "Kommuner med færre end 3 sager indgår ikke i rækkefølgen, gennemsnittet, medianen og i alt: Læsø"]
for w in want:
    assert w in text, (w, text[:2000])
print("%s: the memo's sentences carry the computed numbers" % sys.argv[1])
EOF
done

# 5 ---------------------------------------------------------------------------
cp "$red/data.json" "$WORK/reduce1.json"; cp "$red/bilag.xlsx" "$WORK/reduce1.xlsx"; cp "$red/benchmark.pdf" "$WORK/reduce1.pdf"
"$NOTATGEN" samlet -c en/en.ini bidrag/*.json >samlet2.log 2>&1 || { cat samlet2.log; fail "samlet again"; }
cmp "$WORK/reduce1.json" "$red/data.json" || fail "data.json differs between two reduces"
cmp "$WORK/reduce1.xlsx" "$red/bilag.xlsx" || fail "bilag.xlsx differs between two reduces"
cmp "$WORK/reduce1.pdf" "$red/benchmark.pdf" || fail "benchmark.pdf differs between two reduces"

# the memo for someone without a municipality of their own (KL), and for a
# municipality too small to be shown
printf '[kommune]\nnavn = KL\n[output]\nmappe = %s/kl\n' "$WORK" >kl.ini
printf '[kommune]\nnavn = Læsø Kommune\nkode = 825\n[output]\nmappe = %s/laeso\n' "$WORK" >laeso.ini
for who in kl laeso; do
  "$NOTATGEN" samlet -c "$who.ini" bidrag >"$who.log" 2>&1 || { cat "$who.log"; fail "samlet for $who"; }
  pdftotext "$who/samlet/latest/benchmark.pdf" - 2>/dev/null | tr '\n' ' ' | tr -s ' ' | sed 's/\xc2\xad //g' >"$who.txt"
done
mean=$("$PY" -c 'import json,sys; r={x["_key"]: x for x in json.load(open(sys.argv[1]))["tables"]["benchmark"]["rows"]}; print(("%.1f" % r["gennemsnit"]["sager_pr_1000"]).replace(".", ","))' "$red/data.json")
grep -q "Gennemsnittet for de 3 kommuner er $mean særligt dyre enkeltsager" kl.txt || { cat kl.txt; fail "KL's memo"; }
if grep -q "Egen kommune\|ligger over\|ligger under" kl.txt; then fail "KL's memo names an own municipality"; fi
"$PY" -c 'import json,sys; f=json.load(open(sys.argv[1]))["figures"]["benchmark_figur"]; assert "highlight" not in f, f' kl/samlet/latest/data.json
grep -q "Læsø har så få sager, at kommunens tal ikke vises" laeso.txt || { cat laeso.txt; fail "Læsø's memo"; }
grep -q "Gennemsnittet for de 3 kommuner er $mean" laeso.txt || { cat laeso.txt; fail "Læsø's memo: the mean"; }

# a contribution whose small cells are suppressed cannot be added up
mkdir -p smaa
config smaa/kommune.ini 825 ../k825.csv 3 sde_status "Læsø Kommune"
"$NOTATGEN" run -c smaa/kommune.ini --dato 2025-10-31 >smaa/run.log 2>&1 || { cat smaa/run.log; fail "the small-cell run"; }
set +e
"$NOTATGEN" samlet -c en/en.ini smaa/out/latest/data.json >smaa/samlet.log 2>&1; rc=$?
set -e
[ "$rc" = 1 ] || { cat smaa/samlet.log; fail "a suppressed contribution: exit $rc, expected 1"; }
grep -q "data.json: tabellen benchmark har diskretionerede celler (række 0, kolonne antal).*mindste_celle = 1" smaa/samlet.log || { cat smaa/samlet.log; fail "the suppressed contribution's message"; }
# the same municipality twice
set +e
"$NOTATGEN" samlet -c en/en.ini bidrag/730.json bidrag/730.json >twice.log 2>&1; rc=$?
set -e
[ "$rc" = 1 ] && grep -q "kommune 730 (Randers) står også i bidrag/730.json" twice.log || { cat twice.log; fail "a municipality twice"; }
# a broken population file: the same located message from check and from run
sed -e 's/^Aarhus;I alt;40 år;2025K1;/Aarhus;I alt;40 år;2025K1;x/' folk1a.csv >folk1a_fejl.csv
sed -e "s|^fil = $WORK/folk1a.csv|fil = $WORK/folk1a_fejl.csv|" en/en.ini >en/fejl.ini
line=$(grep -n '^Aarhus;I alt;40 år;2025K1;x' folk1a_fejl.csv | cut -d: -f1)
for cmd in check run; do
  set +e
  "$NOTATGEN" "$cmd" -c en/fejl.ini >"fejl_$cmd.log" 2>&1; rc=$?
  set -e
  [ "$rc" = 1 ] || { cat "fejl_$cmd.log"; fail "$cmd with a bad population file: exit $rc"; }
  grep -q "folk1a_fejl.csv:$line:5: antallet er ikke et helt tal: 'x" "fejl_$cmd.log" || { cat "fejl_$cmd.log"; fail "$cmd: the located message"; }
done
echo "e2e_benchmark: ok"
