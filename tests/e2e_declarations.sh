#!/usr/bin/env bash
# End-to-end: what the modules declare is what a run does.
#  1. every configuration key a module declares is read by some code
#     (tests/config_keys.py);
#  2. every file the example run opens for reading is in its manifest:
#     the run is traced with strace (openat) and each file opened without
#     O_WRONLY/O_RDWR under the example or the source tree (templates, the
#     thresholds file, the inputs) must be one of manifest.json's inputs;
#  3. every value of data.json is a reference or a rule over the tables'
#     cells, unless its declaration makes it a fact (`notatgen templates
#     --markdown`, column Art);
#  4. the run decides the extract date once: with [udtraek] dato and --dato,
#     --dato wins everywhere (folder, data.json, the memo header, the
#     tables' source lines).
set -euo pipefail
: "${NOTATGEN:?}" "${SRC:?}" "${WORK:?}"
PY=/usr/bin/python3
rm -rf "$WORK" && mkdir -p "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }

# 1 ---------------------------------------------------------------------------
$PY "$SRC/tests/config_keys.py" "$SRC" || fail "a declared configuration key is never read"

# 2 ---------------------------------------------------------------------------
command -v strace >/dev/null || fail "strace is missing (tools/setup.sh installs it)"
ex="$WORK/ex"
mkdir -p "$ex"
cp "$SRC"/examples/*.csv "$SRC"/examples/*.ini "$SRC"/examples/logo.png "$ex/"
cp -r "$SRC/examples/historik" "$ex/"
"$NOTATGEN" history import -c "$ex/randers.ini" "$ex/historik/refusion_maaned_2025.csv" \
  "$ex/historik/refusion_aar_2022_2025.csv" >"$WORK/import.log" 2>&1 || { cat "$WORK/import.log"; fail import; }
# LeakSanitizer cannot run under ptrace: leaks are checked by the other runs
ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" strace -f -qq -e trace=openat -o "$WORK/trace" "$NOTATGEN" run -c "$ex/randers.ini" \
  >"$WORK/run.log" 2>&1 || { cat "$WORK/run.log"; fail "the traced run"; }
$PY - "$WORK/trace" "$ex/out/latest/manifest.json" "$ex" "$SRC" <<'EOF'
import json, os, re, sys
trace, manifest, ex, src = sys.argv[1:5]
inputs = {os.path.realpath(i["name"]) for i in json.load(open(manifest))["inputs"]}
opened = set()
for line in open(trace):
    m = re.search(r'openat\([^,]+, "([^"]+)", ([A-Z_|]+)', line)
    if not m or "= -1" in line:
        continue
    path, flags = m.group(1), m.group(2)
    if "O_WRONLY" in flags or "O_RDWR" in flags or "O_DIRECTORY" in flags:
        continue
    real = os.path.realpath(path if os.path.isabs(path) else os.path.join(ex, path))
    if not os.path.isfile(real):
        continue
    out = os.path.realpath(os.path.join(ex, "out"))
    # the run's own outputs (the previous manifest) and what is not project data
    if real.startswith(out + "/"):
        continue
    if real.startswith(os.path.realpath(ex) + "/") or real.startswith(os.path.realpath(src) + "/"):
        opened.add(real)
missing = sorted(opened - inputs)
assert opened, "the trace shows no input file at all"
if missing:
    sys.exit("read but not in manifest.json's inputs:\n  " + "\n  ".join(missing))
print(f"{len(opened)} files read, all in the manifest ({len(inputs)} inputs)")
EOF

# 3 ---------------------------------------------------------------------------
"$NOTATGEN" templates --markdown >"$WORK/registry.md"
$PY - "$ex/out/latest/data.json" "$WORK/registry.md" <<'EOF'
import json, re, sys
data = json.load(open(sys.argv[1]))
facts = []
for line in open(sys.argv[2], encoding="utf-8"):
    m = re.match(r"\| `([^`]+)` \| [^|]+ \| (faktum|regel) \|", line)
    if m and m.group(2) == "faktum":
        facts.append(m.group(1))
def is_fact(name):
    pat = lambda p: "^" + re.escape(p).replace(r"\*", ".*").replace("\\#", "[0-9]") + "$"
    return any(re.match(pat(f), name) for f in facts)
bad = [n for n, v in data["values"].items() if "rule" not in v and not is_fact(n)]
assert not bad, f"values without a rule or reference: {bad}"
ruled = [n for n, v in data["values"].items() if "rule" in v]
assert len(ruled) > 60, len(ruled)
# the key figures are a table of their own, with the same rules
kt = data["tables"]["noegletal"]
assert len(kt["rows"]) == len(data["values"]), (len(kt["rows"]), len(data["values"]))
print(f"{len(ruled)} values are rules or references, {len(data['values']) - len(ruled)} facts")
EOF

# 4 ---------------------------------------------------------------------------
dd="$WORK/dato"
mkdir -p "$dd"
cp "$SRC"/examples/*.csv "$SRC"/examples/logo.png "$dd/"
sed -e "s|^fil = sager_2025-10-31.csv|fil = sager_2025-10-31.csv\ndato = 2025-10-31|" \
  "$SRC/examples/randers.ini" >"$dd/randers.ini"
grep -q '^dato = 2025-10-31' "$dd/randers.ini" || fail "the test config has no [udtraek] dato"
"$NOTATGEN" run -c "$dd/randers.ini" --dato 2025-11-30 >"$WORK/dato.log" 2>&1 || { cat "$WORK/dato.log"; fail "run --dato"; }
[ -d "$dd/out/2025-11-30" ] || fail "outputs not in out/2025-11-30"
[ ! -e "$dd/out/2025-10-31" ] || fail "outputs also in out/2025-10-31"
$PY - "$dd/out/2025-11-30/data.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["udtraek_dato"] == "2025-11-30", d["udtraek_dato"]
assert d["values"]["udtraek_dato"]["value"] == "2025-11-30", d["values"]["udtraek_dato"]
for name, t in d["tables"].items():
    src = t.get("source") or ""
    assert "31-10-2025" not in src, (name, src)
assert "udtræk pr. 30-11-2025" in d["tables"]["refusion_per_trin"]["source"]
EOF
for memo in sde_status oekonomi_status initiativer; do
  pdftotext "$dd/out/2025-11-30/$memo.pdf" "$WORK/$memo.txt"
  if grep -q '31-10-2025' "$WORK/$memo.txt"; then fail "$memo.pdf names 31-10-2025"; fi
done
grep -q '30-11-2025' "$WORK/sde_status.txt" || fail "sde_status.pdf does not name 30-11-2025"
echo "ok"
