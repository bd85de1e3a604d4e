#!/usr/bin/env bash
# e2e_privacy.sh -- CPR numbers in file names and symbolic links planted in
# the output folder.
#
# 1. CPR numbers in file names: the extract (whose cpr column holds CPR
#    numbers, ignored), an earlier forecast and a history import are named
#    with a CPR number. `check`, `run`, `history import` and `history list`
#    print none of them, and no byte written -- stdout, stderr, every output
#    (manifest.json, data.json, the bilag unzipped, the PDF's text), the
#    history store (SQLite file and journal) -- holds one, masked or not.
# 2. A symbolic link planted in the output folder is refused with a message
#    and nothing is written through it: the lock, the date directory, the
#    history store and its journal; a planted `latest` is replaced (not
#    followed).
set -uo pipefail
: "${NOTATGEN:?}" "${SRC:?}" "${WORK:?}"
PY=/usr/bin/python3
rm -rf "$WORK" && mkdir -p "$WORK"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

setup() {
  local dir=$1
  mkdir -p "$dir"
  "$PY" "$SRC/tests/data/badinput/make_corpus.py" --base "$dir"
  cp "$SRC/tests/data/badinput/base.ini" "$dir/"
  cp "$SRC/tests/data/check/sager_2026-10-31.csv" "$dir/sager_0101801234_2026-10-31.csv"
  mv "$dir/prognose.csv" "$dir/prognose_010180-1234.csv"
  sed -i 's/^fil = sager_2026-10-31.csv/fil = sager_0101801234_2026-10-31.csv/;
          s/^tidligere = prognose.csv/tidligere = prognose_010180-1234.csv/' "$dir/base.ini"
  "$PY" - "$dir/refusion_0101801234.csv" <<'EOF'
import sys
open(sys.argv[1], "w").write(
    "maaned;antal_25;udgift_25;antal_50;udgift_50;antal_75;udgift_75\n"
    "2026-02;179;221,7;35;70,9;26;89,5\n")
EOF
}

# ---- 1. CPR numbers in file names ----------------------------------------------
dir="$WORK/cpr"
setup "$dir"
cpr_re='0101801234|010180-1234|XXXXXX-XXXX.*0101|0101611234|0202651234|0303101234'
extract_cprs=$(cut -d';' -f2 "$dir/sager_0101801234_2026-10-31.csv" | tail -n +2 | sort -u | tr '\n' '|')
pattern="0101801234|010180-1234|${extract_cprs%|}"
"$NOTATGEN" history import -c "$dir/base.ini" "$dir/refusion_0101801234.csv" \
  >"$dir/import.out" 2>"$dir/import.err" || fail "history import: $(cat "$dir/import.err")"
"$NOTATGEN" history list -c "$dir/base.ini" >"$dir/list.out" 2>"$dir/list.err" ||
  fail "history list: $(cat "$dir/list.err")"
grep -q 'refusion_XXXXXX-XXXX.csv' "$dir/list.out" ||
  fail "history list does not show the import's masked name: $(cat "$dir/list.out")"
"$NOTATGEN" check -c "$dir/base.ini" >"$dir/check.out" 2>"$dir/check.err" ||
  fail "check: $(cat "$dir/check.err")"
grep -q 'sager_XXXXXX-XXXX_2026-10-31.csv: 5 sager' "$dir/check.out" ||
  fail "check does not name the extract masked: $(cat "$dir/check.out")"
"$NOTATGEN" run -c "$dir/base.ini" >"$dir/run.out" 2>"$dir/run.err" ||
  fail "run: $(cat "$dir/run.err")"
out="$dir/ud/2026-10-31"
[ -f "$out/manifest.json" ] || fail "run published no manifest"
grep -q 'sager_XXXXXX-XXXX_2026-10-31.csv' "$out/manifest.json" ||
  fail "manifest.json does not name the extract masked"
# every byte written
mkdir -p "$dir/text"
unzip -p "$out/bilag.xlsx" >"$dir/text/bilag.xml"
for pdf in "$out"/*.pdf; do pdftotext "$pdf" "$dir/text/$(basename "$pdf").txt" 2>/dev/null; done
"$PY" - "$dir/ud/historik.sqlite" >"$dir/text/historik.dump" <<'EOF'
import sqlite3, sys
for line in sqlite3.connect(sys.argv[1]).iterdump():
    print(line)
EOF
for f in "$dir"/*.out "$dir"/*.err "$out"/* "$dir"/text/* "$dir"/ud/historik.sqlite*; do
  [ -f "$f" ] || continue
  if grep -aEq "$pattern" "$f"; then
    fail "a CPR number in $(basename "$f"): $(grep -aEo "$pattern" "$f" | head -3 | tr '\n' ' ')"
  fi
done
grep -q 'Importeret prognose (prognose_XXXXXX-XXXX.csv)' "$dir/text/historik.dump" ||
  fail "the earlier forecast's source is not stored masked"

# ---- 2. symbolic links planted in the output folder --------------------------------
# run_with_link NAME LINK-IN-ud WANT-EXIT WANT-MESSAGE
run_with_link() {
  local name=$1 link=$2 want_rc=$3 want=$4
  local d="$WORK/link_$name"
  setup "$d"
  mkdir -p "$d/ud" "$d/victim"
  ln -s "$d/victim/target" "$d/ud/$link"
  "$NOTATGEN" run -c "$d/base.ini" >"$d/run.out" 2>"$d/run.err"
  local rc=$?
  [ "$rc" = "$want_rc" ] || fail "$name: exit $rc, want $want_rc: $(head -3 "$d/run.err")"
  grep -qF -- "$want" "$d/run.err" || fail "$name: no [$want] in $(head -3 "$d/run.err")"
  [ -z "$(ls -A "$d/victim")" ] || fail "$name: something was written through the link"
  [ -L "$d/ud/$link" ] || fail "$name: the planted link was removed or replaced"
}
run_with_link lock .notatgen.lock 3 \
  "ud/.notatgen.lock: låsefilen er et symbolsk link; notatgen skriver ikke gennem et link (fjern linket)"
run_with_link dato 2026-10-31 3 "hverken en mappe eller notatgens eget link"
run_with_link historik historik.sqlite 3 "historiklageret er et symbolsk link"
run_with_link journal historik.sqlite-journal 3 "historiklageret er et symbolsk link"

# latest planted as a link to elsewhere: replaced by ours, its target untouched
d="$WORK/link_latest"
setup "$d"
mkdir -p "$d/ud" "$d/victim"
ln -s "$d/victim" "$d/ud/latest"
"$NOTATGEN" run -c "$d/base.ini" >"$d/run.out" 2>"$d/run.err" || fail "latest: run failed: $(cat "$d/run.err")"
[ "$(readlink "$d/ud/latest")" = 2026-10-31 ] || fail "latest points at $(readlink "$d/ud/latest")"
[ -z "$(ls -A "$d/victim")" ] || fail "latest: something was written through the planted link"

[ "$fails" -eq 0 ] || { echo "e2e_privacy: $fails failures"; exit 1; }
echo "e2e_privacy: ok"
