#!/usr/bin/env bash
# e2e_suppression.sh -- no suppressed number of a run can be derived from
# everything its data.json publishes, checked by tests/suppression_check.py
# (exact rationals, independent of the C audit): the example as shipped,
# the example with mindste_celle = 30 (the tier label "25" is not a person
# count and stays; the extra suppressions are listed with their reason), and
# a run where every count is small. The checker itself finds the ældre leak
# of a per-table complement (tests/data/suppression/aeldre_leak.json) and
# the leak of a mean of rates (mean_leak.json).
set -uo pipefail
: "${NOTATGEN:?}" "${SRC:?}" "${WORK:?}"
PY=/usr/bin/python3
rm -rf "$WORK" && mkdir -p "$WORK"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
check() { # check NAME DATA.JSON
  "$PY" "$SRC/tests/suppression_check.py" "$2" >"$WORK/$1.check" 2>&1 ||
    fail "$1: $(cat "$WORK/$1.check")"
}

# ---- the example, as shipped and with mindste_celle = 30 ------------------------
. "$SRC/tests/lib_example.sh"
example() { # example DIR [extra config]
  local dir=$1
  example_copy "$dir"
  [ $# -gt 1 ] && printf '%s\n' "$2" >>"$dir/randers.ini"
  "$NOTATGEN" history import -c "$dir/randers.ini" "$dir/historik/refusion_maaned_2025.csv" \
    "$dir/historik/refusion_aar_2022_2025.csv" >/dev/null 2>&1 || fail "$dir: history import"
  "$NOTATGEN" run -c "$dir/randers.ini" >"$dir/run.log" 2>&1 || fail "$dir: run: $(tail -3 "$dir/run.log")"
}
example "$WORK/plain"
check plain "$WORK/plain/out/2025-10-31/data.json"
example "$WORK/30" $'[privatliv]\nmindste_celle = 30'
json="$WORK/30/out/2025-10-31/data.json"
check strict "$json"
"$PY" - "$json" <<'PYEOF' || fail "mindste_celle = 30: $(cat "$WORK/30.py" 2>/dev/null)"
import json, sys
d = json.load(open(sys.argv[1]))
trin = d["tables"]["refusion_per_trin"]
assert not [s for s in trin["suppressed"] if s["column"] == "trin"], "the tier label was suppressed"
reasons = {s["reason"] for s in d["suppression"]}
assert {"primaer", "penge"} <= reasons, reasons
for s in d["suppression"]:
    assert s["why"], s
    if "table" in s:
        t = d["tables"][s["table"]]
        assert {"row": s["row"], "column": s["column"]} in t["suppressed"], s
        assert t["rows"][s["row"]][s["column"]] is None, s
PYEOF

# ---- every count small: the check extract ------------------------------------------
dir="$WORK/small"
mkdir -p "$dir"
"$PY" "$SRC/tests/data/badinput/make_corpus.py" --base "$dir"
cp "$SRC/tests/data/badinput/base.ini" "$SRC/tests/data/check/sager_2026-10-31.csv" "$dir/"
"$NOTATGEN" run -c "$dir/base.ini" >"$dir/run.log" 2>&1 || fail "small: run: $(tail -3 "$dir/run.log")"
check small "$dir/ud/2026-10-31/data.json"
grep -q 'diskretionering: note: .* tal mere skjult på tværs af tabellerne' "$dir/run.log" ||
  fail "small: the run does not report its suppressions across tables"
"$PY" - "$dir/ud/2026-10-31/data.json" <<'PYEOF' || fail "small: a suppressed value or sentence is published"
import json, sys
d = json.load(open(sys.argv[1]))
for name, v in d["values"].items():
    if v.get("suppressed"):
        assert v["value"] is None, name
assert any(v.get("suppressed") for v in d["values"].values()), "no value reads a suppressed cell?"
PYEOF

# ---- the checker finds a leak ------------------------------------------------------------
"$PY" "$SRC/tests/suppression_check.py" "$SRC/tests/data/suppression/aeldre_leak.json" \
  >"$WORK/leak.out" 2>&1
[ $? -eq 1 ] || fail "the checker does not see the ældre leak: $(cat "$WORK/leak.out")"
grep -q "derivable: ('cell', 'omraader', 2, 'antal')" "$WORK/leak.out" ||
  fail "the checker names another cell: $(cat "$WORK/leak.out")"
# and the leak of a mean: 4 x the mean of the rates less the 3 published is
# the hidden one, which times its published population is the hidden count
"$PY" "$SRC/tests/suppression_check.py" "$SRC/tests/data/suppression/mean_leak.json" \
  >"$WORK/mean.out" 2>&1
[ $? -eq 1 ] || fail "the checker does not see the mean's leak: $(cat "$WORK/mean.out")"
grep -q "derivable: ('cell', 'rater', 0, 'antal')" "$WORK/mean.out" ||
  fail "the checker names another cell: $(cat "$WORK/mean.out")"

[ "$fails" -eq 0 ] || { echo "e2e_suppression: $fails failures"; exit 1; }
echo "e2e_suppression: ok"
