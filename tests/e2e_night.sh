#!/usr/bin/env bash
# End-to-end: a night under cron. Real components on loopback: an SMTP server
# (tests/smtp_server.py, aiosmtpd) that must receive the bilag byte for byte;
# a permanent 5xx (exit 3, outputs kept and recorded, the delivery failed)
# and the re-run that sends it once the server is fixed; the same inputs
# twice do not mail twice; a second run while one holds the lock (exit 4,
# naming the holder);
# a run killed with SIGKILL mid-way, a rejected extract and a full disk leave
# the last good outputs and the history exactly as they were; CPR numbers in
# an attribute and a free-text column never leak.
set -euo pipefail
: "${NOTATGEN:?}" "${SRC:?}" "${WORK:?}"
rm -rf "$WORK" && mkdir -p "$WORK"
. "$SRC/tests/lib_night.sh"

blocked=""
cleanup() {
  stop_server
  if [ -n "$blocked" ]; then kill -9 "$blocked" 2>/dev/null || true; fi
  if mountpoint -q "$WORK/full/out" 2>/dev/null; then umount "$WORK/full/out"; fi
}
trap cleanup EXIT

# the attachment of an .eml must be the bilag, byte for byte
same_attachment() {
  "$PY" - "$1" "$2" <<'EOF'
import email, email.policy, sys
msg = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
parts = [p for p in msg.iter_attachments() if p.get_filename() == "bilag.xlsx"]
assert parts, [p.get_filename() for p in msg.iter_attachments()]
assert parts[0].get_content() == open(sys.argv[2], "rb").read(), "attachment differs from the bilag"
assert "Bilag: særligt dyre enkeltsager" in str(msg["subject"]), msg["subject"]
EOF
}

# ---- 1. --dry-run writes the message; a real server receives it ----------------
start_server "$WORK/smtp" --mode ok
setup_copy "$WORK/a" "$port"
a="$WORK/a"
"$NOTATGEN" run -c "$a/randers.ini" --udtraek "$a/sager_2025-09-30.csv" --dry-run 2>"$a/dry.log" ||
  { cat "$a/dry.log"; fail "dry run"; }
[ -f "$a/out/latest/mail.eml" ] || fail "--dry-run wrote no mail.eml"
same_attachment "$a/out/latest/mail.eml" "$a/out/latest/bilag.xlsx"
[ -z "$(ls "$WORK/smtp"/msg-*.eml 2>/dev/null)" ] || fail "--dry-run sent mail"
grep -q "mail skrevet som mail.eml" "$a/dry.log" || { cat "$a/dry.log"; fail "dry-run log"; }

"$NOTATGEN" run -c "$a/randers.ini" 2>"$a/run.log" || { cat "$a/run.log"; fail "run with mail"; }
grep -q "mail sendt 2025-10-31 (250 " "$a/run.log" || { cat "$a/run.log"; fail "log says no mail"; }
sent=$(ls "$WORK/smtp"/msg-*.eml)
[ "$(echo "$sent" | wc -l)" = 1 ] || fail "expected one message, got: $sent"
same_attachment "$sent" "$a/out/latest/bilag.xlsx"
echo "mail: the received attachment is the bilag, byte for byte"

# the same inputs again: same outputs, no second mail
"$NOTATGEN" run -c "$a/randers.ini" 2>"$a/again.log" || { cat "$a/again.log"; fail "second run"; }
grep -q "mail ikke sendt: samme output er sendt før" "$a/again.log" ||
  { cat "$a/again.log"; fail "second run mailed?"; }
[ "$(messages "$WORK/smtp")" = 1 ] || fail "the same inputs mailed twice"
stop_server
echo "mail: the same inputs twice do not mail twice"

# ---- 2. a permanent failure (550): exit 3, the outputs stay published; the ----
# re-run docs/drift.md prescribes sends the bilag once the server is fixed
start_server "$WORK/smtp550" --mode permfail
set_mail_port "$a" "$port"
set +e
"$NOTATGEN" run -c "$a/randers.ini" --dato 2025-11-01 2>"$a/perm.log"
rc=$?
set -e
[ "$rc" = 3 ] || { cat "$a/perm.log"; fail "5xx gave exit $rc, expected 3"; }
grep -q "mail IKKE sendt 2025-11-01 (SMTP-svar 550" "$a/perm.log" || { cat "$a/perm.log"; fail "log line"; }
grep -q "status 3" "$a/perm.log" || fail "log line lacks the status"
$CHECK complete "$a/out/2025-11-01"
[ "$(readlink "$a/out/latest")" = 2025-11-01 ] || fail "the 5xx night was not published"
history_of "$a" | grep -q "2025-11-01 .*sæt" || fail "the 5xx night was not recorded"
history_of "$a" | grep -q "2025-11-01 .* failed .*550" || fail "the failed delivery is not in the store"
stop_server
start_server "$WORK/smtp-fixed" --mode ok
set_mail_port "$a" "$port"
"$NOTATGEN" run -c "$a/randers.ini" --dato 2025-11-01 2>"$a/fixed.log" ||
  { cat "$a/fixed.log"; fail "the re-run after the fix"; }
grep -q "mail sendt 2025-11-01" "$a/fixed.log" || { cat "$a/fixed.log"; fail "re-run did not mail"; }
[ "$(messages "$WORK/smtp-fixed")" = 1 ] || fail "the fixed server got $(messages "$WORK/smtp-fixed") messages"
[ "$($CHECK count "$WORK/smtp-fixed" "$a/out/2025-11-01")" = 1 ] || fail "not the night's bilag"
"$NOTATGEN" run -c "$a/randers.ini" --dato 2025-11-01 2>"$a/fixed2.log" || fail "third run"
[ "$(messages "$WORK/smtp-fixed")" = 1 ] || fail "mailed twice after the fix"
stop_server
echo "mail: 550 gives exit 3, the outputs stay; the re-run sends once when the server is fixed"
sed -i '/^\[mail\]/,$d' "$a/randers.ini" # no mail for the rest

# ---- 3. the lock: a second run exits 4 naming the holder; kill -9 mid-run ----
hist_before=$(history_of "$a")
out_before=$(hashes "$a/out/latest")
fifo="$WORK/extract.fifo"
mkfifo "$fifo"
"$NOTATGEN" run -c "$a/randers.ini" --udtraek "$fifo" --dato 2025-11-30 >"$a/blocked.out" 2>"$a/blocked.log" &
blocked=$!
for _ in $(seq 1 50); do
  grep -q pid "$a/out/.notatgen.lock" 2>/dev/null && break
  sleep 0.1
done
set +e
"$NOTATGEN" run -c "$a/randers.ini" 2>"$a/second.log"
rc=$?
set -e
[ "$rc" = 4 ] || { cat "$a/second.log"; fail "a second run gave exit $rc, expected 4"; }
grep -q "en anden kørsel holder låsen (pid $blocked, startet " "$a/second.log" ||
  { cat "$a/second.log"; fail "the message does not name the holder"; }
# feed half an extract, then kill -9 the run in the middle of reading it
exec 3>"$fifo"
head -c 100000 "$a/sager_2025-10-31.csv" >&3
sleep 0.3
kill -9 "$blocked"
wait "$blocked" 2>/dev/null || true
blocked=
exec 3>&-
[ "$(history_of "$a")" = "$hist_before" ] || fail "the killed run changed the history"
[ "$(hashes "$a/out/latest")" = "$out_before" ] || fail "the killed run changed the outputs"
[ ! -e "$a/out/2025-11-30" ] || fail "the killed run published"
# a stale lock does not block the next night
"$NOTATGEN" run -c "$a/randers.ini" 2>"$a/after-kill.log" || { cat "$a/after-kill.log"; fail "run after kill -9"; }
[ -z "$(ls -d "$a"/out/.staging-* 2>/dev/null)" ] || fail "staging directories left behind"
echo "lock: exit 4 with the holder's PID; kill -9 leaves outputs and history; no stale lock"

# ---- 4. a rejected extract (afvis = fil) leaves everything as it was --------
hist_before=$(history_of "$a")
out_before=$(hashes "$a/out/latest")
bad="$a/sager_2025-12-31.csv"
sed '5s/;\(-\?[0-9.]*,[0-9][0-9]\);/;12.3x4;/' "$a/sager_2025-10-31.csv" >"$bad"
cmp -s "$bad" "$a/sager_2025-10-31.csv" && fail "could not corrupt the extract"
set +e
"$NOTATGEN" run -c "$a/randers.ini" --udtraek "$bad" 2>"$a/bad.log"
rc=$?
set -e
[ "$rc" = 1 ] || { cat "$a/bad.log"; fail "a bad row gave exit $rc, expected 1"; }
grep -q "sager_2025-12-31.csv:5:.*'12.3x4'" "$a/bad.log" || { cat "$a/bad.log"; fail "message"; }
[ "$(history_of "$a")" = "$hist_before" ] || fail "a rejected run changed the history"
[ "$(hashes "$a/out/latest")" = "$out_before" ] || fail "a rejected run changed the outputs"
[ -s "$a/out/afviste_sager_2025-12-31.csv" ] || fail "no rejects file"
echo "bad input: exit 1, rejects file written, outputs and history untouched"

# ---- 5. a full disk: exit 3, the last good outputs stay ---------------------
# (the tmpfs holds one good run: the three memos, the bilag and data.json, some 1,2 MB)
f="$WORK/full"
setup_copy "$f" 25
sed -i '/^\[mail\]/,$d' "$f/randers.ini"
rm -rf "$f/out" && mkdir -p "$f/out"
mount -t tmpfs -o size=2400k,mode=0700 tmpfs "$f/out" || fail "cannot mount a tmpfs for the full-disk test"
"$NOTATGEN" history import -c "$f/randers.ini" "$f"/historik/*.csv >/dev/null
"$NOTATGEN" run -c "$f/randers.ini" 2>"$f/ok.log" || { cat "$f/ok.log"; fail "run on the tmpfs"; }
out_before=$(hashes "$f/out/latest")
hist_before=$(history_of "$f")
free_kb=$(df -k --output=avail "$f/out" | tail -1)
dd if=/dev/zero of="$f/out/filler" bs=1k count=$((free_kb - 60)) 2>/dev/null || true
set +e
"$NOTATGEN" run -c "$f/randers.ini" --dato 2025-11-01 2>"$f/full.log"
rc=$?
set -e
[ "$rc" = 3 ] || { cat "$f/full.log"; fail "a full disk gave exit $rc, expected 3"; }
[ "$(hashes "$f/out/latest")" = "$out_before" ] || fail "a full disk changed the outputs"
rm -f "$f/out/filler"
[ "$(history_of "$f")" = "$hist_before" ] || fail "a full disk changed the history"
[ ! -e "$f/out/2025-11-01" ] || fail "a full disk published"
[ -z "$(ls -d "$f"/out/.staging-* 2>/dev/null)" ] || fail "staging left on the full disk"
umount "$f/out"
echo "full disk: exit 3, outputs and history untouched"

# ---- 6. CPR numbers in an attribute and a free-text column never leak -------
p="$WORK/privacy"
setup_copy "$p" 25
sed -i '/^\[mail\]/,$d' "$p/randers.ini"
# the first line of the most expensive case: Målgruppe (an attribute that is
# published in a table) and Tilbud (free text, never published)
"$PY" - "$p/sager_2025-10-31.csv" <<'EOF'
import sys
path = sys.argv[1]
lines = open(path, "rb").read().split(b"\r\n")
hdr = lines[0].split(b";")
col = lambda name: hdr.index(name.encode("cp1252"))
sag, beloeb, mg, tb = col("Sags-ID"), col("Beløb"), col("Målgruppe"), col("Tilbud")
total, first = {}, {}
for i, line in enumerate(lines[1:], start=1):
    f = line.split(b";")
    if len(f) != len(hdr):
        continue  # a quoted Tilbud with ';' inside: not this one
    amount = float(f[beloeb].replace(b".", b"").replace(b",", b"."))
    total[f[sag]] = total.get(f[sag], 0) + amount
    first.setdefault(f[sag], i)
top = max(total, key=total.get)
f = lines[first[top]].split(b";")
f[mg] = b"0101901234"
f[tb] = b"Botilbud for 010190-1234"
lines[first[top]] = b";".join(f)
open(path, "wb").write(b"\r\n".join(lines))
EOF
set +e
"$NOTATGEN" run -c "$p/randers.ini" >"$p/stdout.log" 2>"$p/run.log"
rc=$?
set -e
[ "$rc" = 1 ] || { cat "$p/run.log"; fail "a CPR number in a published attribute gave exit $rc, expected 1"; }
grep -q "CPR" "$p/run.log" || { cat "$p/run.log"; fail "the guard did not say why"; }
if grep -rqE '0101901234|010190-1234' "$p/out" "$p/run.log" "$p/stdout.log"; then
  grep -rlE '0101901234|010190-1234' "$p/out" "$p/run.log" "$p/stdout.log"
  fail "a CPR number leaked"
fi
[ ! -e "$p/out/latest" ] || fail "published despite a CPR number"
echo "privacy: the run refuses to publish, and the number appears nowhere"

# small cells are suppressed with a complement (data.json of run 1)
"$PY" - "$a/out/latest/data.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
hits = {n: t.get("suppressed") for n, t in d["tables"].items() if t.get("suppressed")}
assert hits, "no suppressed cell anywhere in the example"
for name, cells in hits.items():
    t = d["tables"][name]
    cols = [c["key"] for c in t["columns"]]
    # each column with a suppressed cell has at least two, so a total cannot reveal one
    per_col = {}
    for c in cells:
        per_col.setdefault(c["column"], []).append(c)
    for col, cs in per_col.items():
        assert len(cs) >= 2, (name, col, cs)
print("small cells: suppressed with complements in", ", ".join(sorted(hits)))
EOF
echo "e2e_night: ok"
