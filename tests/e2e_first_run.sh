#!/usr/bin/env bash
# End-to-end: a municipality's first run. The example configuration on a
# copy of the example inputs, with an empty history store and without the
# history import: there is no earlier follow-up and the yearly series has one
# year. No memo may say what the data cannot ("perioden 2025-2025", "ændret
# sig med 0 sager", "siden sidste opfølgning den ..."); each says what it can
# instead. Then a second follow-up in the same year: the memo compares the
# two, and still has one year only.
set -euo pipefail
: "${NOTATGEN:?}" "${SRC:?}" "${WORK:?}"
PY=/usr/bin/python3
rm -rf "$WORK" && mkdir -p "$WORK"

fail() { echo "FAIL: $*" >&2; exit 1; }

dir="$WORK/first"
mkdir -p "$dir"
cp "$SRC"/examples/*.csv "$SRC"/examples/logo.png "$dir/"
# the example's config next to the copy: outputs and the (new, empty) store
# under $dir/out; no history import
sed -e "s|^mappe = .*|mappe = out|" -e "s|^database = .*|database = out/historik.sqlite|" \
  "$SRC/examples/randers.ini" >"$dir/randers.ini"
[ ! -e "$dir/out/historik.sqlite" ] || fail "the store is not empty"

# memo_texts OUT DIR -- the memos of a run as flattened pdftotext, DIR/NAME.flat
memo_texts() {
  local name
  for pdf in "$1"/*.pdf; do
    name=$(basename "$pdf" .pdf)
    pdftotext -layout "$pdf" - 2>/dev/null | tr -s '[:space:]' ' ' >"$2/$name.flat"
  done
}

# check.py FLAT... -- no memo says what a first run cannot know
cat >"$WORK/check.py" <<'EOF'
import re, sys
bad = False
for path in sys.argv[1:]:
    text = open(path, encoding="utf-8").read()
    for phrase in ("ændret sig med 0 sager", "ændret sig med 0,0 mio", "{{", "}}", "-0,0"):
        if phrase in text:
            print(f"{path}: says '{phrase}'"); bad = True
    # a period from a year to the same year: "2025-2025", "fra 2025 til 2025"
    for m in re.finditer(r"(?<!\d)(\d{4}) ?(?:-|–|til) ?\1(?!\d)", text):
        print(f"{path}: says '{m.group(0)}'"); bad = True
sys.exit(1 if bad else 0)
EOF

"$NOTATGEN" run -c "$dir/randers.ini" >"$dir/run.log" 2>&1 || { cat "$dir/run.log"; fail "first run"; }
out="$dir/out/latest"
for f in sde_status.pdf oekonomi_status.pdf initiativer.pdf data.json; do
  [ -s "$out/$f" ] || fail "missing output $f"
done
$PY - "$out/data.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
v = d["values"]
# no earlier follow-up: nothing to compare with, so no bridge at all
assert "forrige_opfoelgning_dato" not in v and "tilgang_antal" not in v, sorted(v)
assert "udvikling" not in d["tables"]
assert v["foerste_aar"]["value"] == v["sidste_aar"]["value"] == 2025, (v["foerste_aar"], v["sidste_aar"])
assert [r["aar"] for r in d["tables"]["refusion_aar"]["rows"]] == [2025]
assert "udvikling_saetning" not in v and "andel_saetning" not in v
print("data.json: no earlier follow-up, one year")
EOF
memo_texts "$out" "$dir"
$PY "$WORK/check.py" "$dir"/*.flat || fail "a first-run memo says what the data cannot"
sde="$dir/sde_status.flat"
grep -qF "siden sidste opfølgning den" "$sde" && fail "sde_status compares with a follow-up that does not exist"
grep -qF "Refusionssatserne prisreguleres" "$sde" && fail "sde_status speaks of the development over a period"
for s in "Der er ingen tidligere opfølgning at sammenligne med." \
         "Der er endnu kun tal for 2025, som fremgår af følgende figur og tabel" \
         "Sager omfattet af 50 % og 75 % refusion udgør nu 47 % af udgifterne og 30 % af antallet af sager" \
         "Refusionssatserne for 2025 fremgår af følgende tabel"; do
  grep -qF "$s" "$sde" || { cat "$sde"; fail "sde_status lacks '$s'"; }
done
echo "first run: no memo says what a first run cannot know"

# a second follow-up in the same year, still without an import: it compares
# with the first (30 September), and there is still one year only
rm -rf "$dir/out" "$dir"/*.flat
"$NOTATGEN" run -c "$dir/randers.ini" --udtraek "$dir/sager_2025-09-30.csv" >"$dir/run1.log" 2>&1 \
  || { cat "$dir/run1.log"; fail "run 30-09"; }
"$NOTATGEN" run -c "$dir/randers.ini" >"$dir/run2.log" 2>&1 || { cat "$dir/run2.log"; fail "run 31-10"; }
memo_texts "$dir/out/latest" "$dir"
$PY "$WORK/check.py" "$dir"/*.flat || fail "a second-run memo says what the data cannot"
for s in "På voksenområdet har der siden sidste opfølgning den 30. september 2025 været både tilgang og afgang af sager" \
         "Der er endnu kun tal for 2025"; do
  grep -qF "$s" "$sde" || { cat "$sde"; fail "sde_status lacks '$s'"; }
done
grep -qF "Der er ingen tidligere opfølgning" "$sde" && fail "the second run does not compare"
echo "second run: compares with 30 September, one year only"
echo "e2e_first_run: ok"
