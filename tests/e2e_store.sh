#!/usr/bin/env bash
# e2e_store.sh -- the history store across runs:
#   - one store, one municipality: another municipality's run (and import)
#     is refused with exit 2 naming both, and changes nothing;
#   - concurrent runs on one store from two output folders: the second
#     exits 4 naming the holder (also `history list`); another program
#     holding the file gives exit 4 and a Danish message, never SQLite's
#     "database is locked";
#   - a failing run leaves every table row-identical: the CPR guard (with a
#     changed [prognose] tidligere, which must not be re-imported), a
#     `latest` that is a real folder, a CR in a [mail] value;
#   - an empty (0-byte) store is refused, not filled with a new schema;
#   - SOURCE_DATE_EPOCH outside 0..253402300799 is an error, not a crash;
#   - a login without TLS is refused unless login_uden_tls = ja.
set -euo pipefail
: "${NOTATGEN:?}" "${SRC:?}" "${WORK:?}"
rm -rf "$WORK" && mkdir -p "$WORK"
. "$SRC/tests/lib_night.sh"
NIGHT_SMALL=1
holder=""
cleanup() {
  if [ -n "$holder" ]; then kill -9 "$holder" 2>/dev/null || true; fi
  stop_server
}
trap cleanup EXIT
rows() { $CHECK rows "$1"; }

# expect RC LOG PATTERN CMD...: the command's exit status and a line of its output
expect() {
  local want=$1 log=$2 pattern=$3
  shift 3
  set +e
  "$@" >"$log" 2>&1
  local rc=$?
  set -e
  [ "$rc" = "$want" ] || { cat "$log"; fail "$*: exit $rc, want $want"; }
  grep -q -- "$pattern" "$log" || { cat "$log"; fail "$*: no '$pattern'"; }
  ! grep -q "database is locked" "$log" || fail "$*: SQLite's own message"
}

# ---- one store, one municipality -------------------------------------------------
a="$WORK/randers"
setup_copy "$a"
sed -i 's|^database = .*|database = ../shared.sqlite|' "$a/randers.ini"
"$NOTATGEN" history import -c "$a/randers.ini" "$a"/historik/*.csv >/dev/null
"$NOTATGEN" run -c "$a/randers.ini" >"$a/run.log" 2>&1 || { cat "$a/run.log"; fail "Randers"; }
b="$WORK/aarhus"
setup_copy "$b"
sed -i 's|^database = .*|database = ../shared.sqlite|; s/^navn = Randers Kommune/navn = Aarhus Kommune/; s/^kode = 730/kode = 751/' \
  "$b/randers.ini"
before=$(rows "$WORK/shared.sqlite")
expect 2 "$b/run.log" "tilhører Randers Kommune (kode 730), men konfigurationen er for Aarhus Kommune (kode 751)" \
  "$NOTATGEN" run -c "$b/randers.ini"
expect 2 "$b/import.log" "tilhører Randers Kommune" \
  "$NOTATGEN" history import -c "$b/randers.ini" "$b"/historik/*.csv
[ "$(rows "$WORK/shared.sqlite")" = "$before" ] || fail "another municipality changed the store"
[ ! -e "$b/out/2025-10-31" ] || fail "another municipality's run published"
# a store from before owners were recorded: its snapshots' municipality decides
"$PY" -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('DELETE FROM store_owner'); c.commit()" \
  "$WORK/shared.sqlite"
expect 2 "$b/run2.log" "tilhører Randers Kommune" "$NOTATGEN" run -c "$b/randers.ini"
echo "one store, one municipality: Aarhus is refused (exit 2), the store unchanged"

# ---- concurrent runs on one store ------------------------------------------------
# the first run holds the store while its mail server keeps it waiting (a
# server that accepts and never answers)
"$PY" - "$WORK/blackhole.port" <<'EOF' &
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(4)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
conns = []
while True:
    conns.append(s.accept()[0])
EOF
blackhole=$!
for _ in $(seq 1 50); do [ -s "$WORK/blackhole.port" ] && break; sleep 0.1; done
c="$WORK/randers2" # the same municipality and store, another output folder
cp -r "$a" "$c"
rm -rf "$c/out"
mail_section "$(cat "$WORK/blackhole.port")" >>"$a/randers.ini"
"$NOTATGEN" run -c "$a/randers.ini" --dato 2025-11-30 >"$a/blocked.log" 2>&1 &
holder=$!
for _ in $(seq 1 100); do
  grep -q "pid $holder" "$WORK/shared.sqlite.lock" 2>/dev/null && break
  sleep 0.1
done
expect 4 "$c/run.log" "en anden kørsel holder låsen (pid $holder, startet " "$NOTATGEN" run -c "$c/randers.ini"
grep -q "historiklageret bruges af en anden kørsel" "$c/run.log" || fail "the message does not say the store"
expect 4 "$c/list.log" "pid $holder" "$NOTATGEN" history list -c "$c/randers.ini"
kill "$holder" "$blackhole" 2>/dev/null || true
wait "$holder" "$blackhole" 2>/dev/null || true
holder=""
sed -i '/^\[mail\]/,$d' "$a/randers.ini"
"$NOTATGEN" run -c "$c/randers.ini" >"$c/after.log" 2>&1 || { cat "$c/after.log"; fail "after the holder"; }
# another program (an sqlite3 shell) holding a write lock on the file
"$PY" - "$WORK/shared.sqlite" "$WORK/held" <<'EOF' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN EXCLUSIVE")
open(sys.argv[2], "w").close()
time.sleep(30)
EOF
holder=$!
for _ in $(seq 1 100); do [ -e "$WORK/held" ] && break; sleep 0.1; done
expect 4 "$c/busy.log" "optaget af et andet program end notatgen" "$NOTATGEN" run -c "$c/randers.ini" --dato 2025-12-01
kill "$holder" 2>/dev/null || true
wait "$holder" 2>/dev/null || true
holder=""
echo "concurrent runs: the second exits 4 naming the holder, never 'database is locked'"

# ---- a failing run leaves every table as it was ------------------------------------
p="$WORK/privacy"
setup_copy "$p"
"$NOTATGEN" run -c "$p/randers.ini" >"$p/ok.log" 2>&1 || { cat "$p/ok.log"; fail "first night"; }
before=$(rows "$p/out/historik.sqlite")
grep -q "2024.*178" <<<"$before" || fail "the earlier forecast's 2024 is not in the store"
sed -i 's/^2024;\([^;]*\);/2024;999;/' "$p/prognose_2021.csv"
grep -q '^2024;999;' "$p/prognose_2021.csv" || fail "test setup: the forecast file did not change"
# a CPR number in a published attribute (Målgruppe) of the most expensive case
"$PY" - "$p/sager_2025-10-31.csv" <<'EOF'
import sys
lines = open(sys.argv[1], "rb").read().split(b"\r\n")
hdr = lines[0].split(b";")
mg, beloeb = hdr.index("Målgruppe".encode("cp1252")), hdr.index("Beløb".encode("cp1252"))
best = max(range(1, len(lines) - 1),
           key=lambda i: float(lines[i].split(b";")[beloeb].replace(b".", b"").replace(b",", b".")))
f = lines[best].split(b";")
f[mg] = b"0101901234"
lines[best] = b";".join(f)
open(sys.argv[1], "wb").write(b"\r\n".join(lines))
EOF
expect 1 "$p/cpr.log" "CPR" "$NOTATGEN" run -c "$p/randers.ini"
[ "$(rows "$p/out/historik.sqlite")" = "$before" ] ||
  { diff <(echo "$before") <(rows "$p/out/historik.sqlite"); fail "the CPR-stopped run changed the store"; }
cp "$SRC/examples/sager_2025-10-31.csv" "$p/"
# latest is a real folder: refused before anything is published
mv "$p/out/latest" "$p/latest.link"
mkdir "$p/out/latest"
expect 3 "$p/latest.log" "er ikke et symbolsk link; notatgen erstatter den ikke" \
  "$NOTATGEN" run -c "$p/randers.ini" --dato 2025-11-30
[ ! -e "$p/out/2025-11-30" ] || fail "published although latest is a folder"
[ "$(rows "$p/out/historik.sqlite")" = "$before" ] || fail "the latest-refused run changed the store"
rmdir "$p/out/latest"
mv "$p/latest.link" "$p/out/latest"
# a CR in a [mail] value: the message is made before publishing
mail_section 25 >>"$p/randers.ini"
printf 'emne = Bilag\rBcc: x@y.dk\n' >>"$p/randers.ini"
sed -i '/^emne = Bilag: /d' "$p/randers.ini"
set +e
"$NOTATGEN" run -c "$p/randers.ini" --dato 2025-11-30 >"$p/cr.log" 2>&1
rc=$?
set -e
[ "$rc" = 2 ] || { cat "$p/cr.log"; fail "a CR in [mail] emne: exit $rc, want 2"; }
[ ! -e "$p/out/2025-11-30" ] || fail "published with a CR in a mail header"
[ "$(rows "$p/out/historik.sqlite")" = "$before" ] || fail "the CR-refused run changed the store"
echo "failing runs (CPR guard, latest a folder, CR in [mail]) leave every table row-identical"

# ---- an empty store ------------------------------------------------------------------
e="$WORK/empty"
setup_copy "$e"
: >"$e/out/historik.sqlite"
expect 3 "$e/run.log" "historiklageret er en tom fil (0 byte)" "$NOTATGEN" run -c "$e/randers.ini"
[ ! -s "$e/out/historik.sqlite" ] || fail "the empty store was filled"
[ ! -e "$e/out/2025-10-31" ] || fail "published with an empty store"
echo "an empty store is refused, not re-initialised"

# ---- SOURCE_DATE_EPOCH ---------------------------------------------------------------
s="$WORK/epoch"
setup_copy "$s"
for bad in 1e17 -5 99999999999999999999 abc 253402300800 " 12" 12x; do
  expect 2 "$s/bad.log" "SOURCE_DATE_EPOCH skal være et helt antal sekunder" \
    env SOURCE_DATE_EPOCH="$bad" "$NOTATGEN" run -c "$s/randers.ini"
  expect 2 "$s/bad-check.log" "SOURCE_DATE_EPOCH skal være et helt antal sekunder" \
    env SOURCE_DATE_EPOCH="$bad" "$NOTATGEN" check -c "$s/randers.ini"
done
[ ! -e "$s/out/2025-10-31" ] || fail "published with a bad SOURCE_DATE_EPOCH"
SOURCE_DATE_EPOCH=253402300799 "$NOTATGEN" run -c "$s/randers.ini" >"$s/max.log" 2>&1 ||
  { cat "$s/max.log"; fail "the largest SOURCE_DATE_EPOCH"; }
SOURCE_DATE_EPOCH=0 "$NOTATGEN" run -c "$s/randers.ini" --dato 2025-11-30 >"$s/zero.log" 2>&1 ||
  { cat "$s/zero.log"; fail "SOURCE_DATE_EPOCH=0"; }
echo "SOURCE_DATE_EPOCH: out of range is exit 2 with a message; 0 and year 9999 work"

# ---- a login without TLS ---------------------------------------------------------------
l="$WORK/login"
setup_copy "$l"
mail_section 2525 >>"$l/randers.ini"
printf 'bruger = notatgen\nadgangskode_env = NG_TEST_PW\n' >>"$l/randers.ini"
expect 2 "$l/check.log" "'bruger' uden 'starttls' sender adgangskoden ukrypteret" \
  "$NOTATGEN" check -c "$l/randers.ini"
printf 'login_uden_tls = ja\n' >>"$l/randers.ini"
NG_TEST_PW=x "$NOTATGEN" check -c "$l/randers.ini" >"$l/ok.log" 2>&1 || { cat "$l/ok.log"; fail "login_uden_tls"; }
echo "a login without TLS is refused unless login_uden_tls = ja"
echo "e2e_store: ok"
