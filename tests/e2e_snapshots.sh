#!/usr/bin/env bash
# End-to-end: eight monthly follow-ups, each a real extract run through
# `notatgen run`, build the monthly table of refusion_monthly_2025.csv from
# the history store alone (no imported aggregates): every count exact and
# every amount to the kr.
set -euo pipefail
: "${NOTATGEN:?}" "${GEN_EXTRACT:?}" "${SRC:?}" "${WORK:?}"
PY=/usr/bin/python3
rm -rf "$WORK" && mkdir -p "$WORK/snap"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$GEN_EXTRACT" --snapshots "$WORK/snap" >/dev/null
cp "$SRC"/examples/*.csv "$SRC"/examples/logo.png "$WORK/"
sed -e '/^\[udtraek\]/,/^\[/ s/^fil = .*/fil = snap\/sager_2025-10-31.csv/' -e '/^\[refusionsbudget\]/,$d' \
  "$SRC/examples/randers.ini" >"$WORK/randers.ini"
n=0
for f in "$WORK"/snap/sager_2025-*.csv; do
  "$NOTATGEN" run -c "$WORK/randers.ini" --udtraek "$f" 2>"$WORK/run.log" || { cat "$WORK/run.log"; fail "run $f"; }
  n=$((n + 1))
done
[ "$n" = 8 ] || fail "expected 8 snapshots, found $n"
"$NOTATGEN" history list -c "$WORK/randers.ini" | grep -c 2025- | grep -qx 8 || fail "history has not 8 snapshots"

$PY - "$WORK/out/latest/data.json" "$SRC/tests/data/reference/refusion_monthly_2025.csv" <<'PYEOF'
import json, sys
rows = json.load(open(sys.argv[1]))["tables"]["opfoelgning_maaned"]["rows"]
ref = [l.strip().split(";") for l in open(sys.argv[2], encoding="utf-8") if not l.startswith("#")]
hdr, ref = ref[0], ref[1:]
assert len(rows) == len(ref), (len(rows), len(ref))
def kr(mio):  # "221,7" mio. kr. -> 221700000 kr.
    whole, _, dec = mio.partition(",")
    return int(whole) * 1_000_000 + int((dec + "0")[:1]) * 100_000
for r, line in zip(rows, ref):
    f = dict(zip(hdr, line))
    assert r["_key"] == f["maaned"], (r["_key"], f["maaned"])
    for tier in ("25", "50", "75", "total"):
        assert r["antal_" + tier] == int(f["antal_" + tier]), (f["maaned"], tier, r)
        assert r["udgift_" + tier] == kr(f["udgift_" + tier]), (f["maaned"], tier, r["udgift_" + tier])
print("opfoelgning_maaned from 8 recorded snapshots equals refusion_monthly_2025.csv exactly")
PYEOF
