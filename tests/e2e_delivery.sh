#!/usr/bin/env bash
# e2e_delivery.sh -- each published set mailed exactly once, against the
# loopback SMTP server (tests/smtp_server.py):
#   - a 4xx storm over two nights: both fail (exit 3, published and
#     recorded, the deliveries failed with the reason); the third night, the
#     server well again, sends all three sets, oldest first, each once, and
#     the log line names them;
#   - `notatgen mail` sends what is due and says so; with nothing due it
#     says that; `notatgen mail --dato D` sends D's set again on demand;
#   - a date published again before its mail went out is not sent in its
#     old form (superseded), only the new set is;
#   - --dry-run records no delivery; new recipients get the set once.
set -euo pipefail
: "${NOTATGEN:?}" "${SRC:?}" "${WORK:?}"
rm -rf "$WORK" && mkdir -p "$WORK"
. "$SRC/tests/lib_night.sh"
NIGHT_SMALL=1
trap stop_server EXIT

count() { $CHECK count "$1" "$2"; }

# ---- a 4xx storm over two nights, then a good night -----------------------------
a="$WORK/storm"
start_server "$a/smtp-storm" --mode tempfail --fail-count 1000
setup_copy "$a" "$port"
for d in 2025-10-30 2025-10-31; do
  set +e
  "$NOTATGEN" run -c "$a/randers.ini" --dato "$d" >"$a/$d.log" 2>&1
  rc=$?
  set -e
  [ "$rc" = 3 ] || { cat "$a/$d.log"; fail "storm night $d: exit $rc, want 3"; }
  grep -q "IKKE sendt $d (SMTP-svar 451, midlertidig fejl" "$a/$d.log" ||
    { cat "$a/$d.log"; fail "storm night $d: log line"; }
  grep -q "forsøg 1 af 2 mislykkedes" "$a/$d.log" || fail "storm night $d: not retried"
done
# the second night retried the first night's set too
history_of "$a" | grep -q "2025-10-30 .* failed  *forsøg 2 " ||
  { history_of "$a"; fail "the first set was not tried again the second night"; }
[ "$(messages "$a/smtp-storm")" = 0 ] || fail "a 451 was counted as sent"
stop_server
start_server "$a/smtp" --mode ok
set_mail_port "$a" "$port"
"$NOTATGEN" run -c "$a/randers.ini" --dato 2025-11-01 >"$a/good.log" 2>&1 ||
  { cat "$a/good.log"; fail "the good night"; }
grep -q "mail sendt 2025-10-30 (250 Message accepted); sendt 2025-10-31 (250 Message accepted); sendt 2025-11-01 (250 Message accepted)" "$a/good.log" ||
  { tail -1 "$a/good.log"; fail "the log line does not say what was delivered"; }
for d in 2025-10-30 2025-10-31 2025-11-01; do
  [ "$(count "$a/smtp" "$a/out/$d")" = 1 ] || fail "the set of $d was not mailed once"
done
[ "$(messages "$a/smtp")" = 3 ] || fail "$(messages "$a/smtp") messages after the storm, want 3"
# oldest first
"$PY" - "$a/smtp" <<'EOF'
import email, email.policy, sys
days = []
for n in (1, 2, 3):
    msg = email.message_from_binary_file(open("%s/msg-%d.eml" % (sys.argv[1], n), "rb"),
                                         policy=email.policy.default)
    body = msg.get_body(("plain",)).get_content()
    days.append(body.split("pr. ")[1].split(".")[0])
assert days == ["30", "31", "1"], days
EOF
echo "4xx storm: two nights fail and are recorded; the good night sends all three once, oldest first"

# ---- notatgen mail --------------------------------------------------------------
"$NOTATGEN" mail -c "$a/randers.ini" >"$a/mail-none.out" 2>&1 || { cat "$a/mail-none.out"; fail "mail"; }
grep -q "intet at sende" "$a/mail-none.out" || { cat "$a/mail-none.out"; fail "mail: nothing due"; }
[ "$(messages "$a/smtp")" = 3 ] || fail "notatgen mail sent what was sent"
"$NOTATGEN" mail -c "$a/randers.ini" --dato 2025-10-31 >"$a/mail-again.out" 2>&1 ||
  { cat "$a/mail-again.out"; fail "mail --dato"; }
grep -q "^2025-10-31: sendt til okonomi@randers.dk, socialudvalget@randers.dk (250 Message accepted)" \
  "$a/mail-again.out" || { cat "$a/mail-again.out"; fail "mail --dato: what it sent"; }
[ "$(count "$a/smtp" "$a/out/2025-10-31")" = 2 ] || fail "mail --dato did not send again"
cmp -s "$a/smtp/msg-2.eml" "$a/smtp/msg-4.eml" || fail "mail --dato sent another message"
"$NOTATGEN" run -c "$a/randers.ini" --dato 2025-11-01 >"$a/after.log" 2>&1 || fail "after mail"
[ "$(messages "$a/smtp")" = 4 ] || fail "a run after notatgen mail sent again"
set +e
"$NOTATGEN" mail -c "$a/randers.ini" --dato 2024-01-01 >"$a/mail-nodate.out" 2>&1
rc=$?
set -e
[ "$rc" != 0 ] && grep -q "ingen publicerede output for 2024-01-01" "$a/mail-nodate.out" ||
  { cat "$a/mail-nodate.out"; fail "mail --dato of a date never published"; }
stop_server

# a failed night, then notatgen mail with the server back
start_server "$a/smtp550" --mode permfail
set_mail_port "$a" "$port"
set +e
"$NOTATGEN" run -c "$a/randers.ini" --dato 2025-11-02 >"$a/perm.log" 2>&1
rc=$?
set -e
[ "$rc" = 3 ] || { cat "$a/perm.log"; fail "550 night: exit $rc"; }
stop_server
start_server "$a/smtp2" --mode ok
set_mail_port "$a" "$port"
"$NOTATGEN" mail -c "$a/randers.ini" >"$a/mail-due.out" 2>&1 || { cat "$a/mail-due.out"; fail "mail due"; }
grep -q "^2025-11-02: sendt til " "$a/mail-due.out" || { cat "$a/mail-due.out"; fail "mail due: output"; }
[ "$(count "$a/smtp2" "$a/out/2025-11-02")" = 1 ] && [ "$(messages "$a/smtp2")" = 1 ] ||
  fail "notatgen mail did not send the failed set once"
echo "notatgen mail: sends what is due, says so, and --dato sends a date again"

# ---- a date published again before its mail went out -----------------------------
b="$WORK/superseded"
mkdir -p "$b"
setup_copy "$b" 9 # nobody listens on port 9: the mail fails
set +e
"$NOTATGEN" run -c "$b/randers.ini" >"$b/first.log" 2>&1
rc=$?
set -e
[ "$rc" = 3 ] || { cat "$b/first.log"; fail "no server: exit $rc"; }
old_bilag=$(sha256sum <"$b/out/2025-10-31/bilag.xlsx")
{ cat "$b/sager_2025-10-31.csv"; printf '999999;;2025;;2.000.000,00;Voksen;1980;;;nej;autisme;privat;Test;\xa7 108;730\r\n'; } >"$b/rettet.csv"
set_mail_port "$b" "$port"
"$NOTATGEN" run -c "$b/randers.ini" --udtraek "$b/rettet.csv" --dato 2025-10-31 >"$b/second.log" 2>&1 ||
  { cat "$b/second.log"; fail "the corrected night"; }
[ "$(count "$a/smtp2" "$b/out/2025-10-31")" = 1 ] || fail "the corrected set was not mailed"
"$PY" - "$a/smtp2" "$old_bilag" <<'EOF'
import email, email.policy, glob, hashlib, sys
for p in glob.glob(sys.argv[1] + "/msg-*.eml"):
    msg = email.message_from_binary_file(open(p, "rb"), policy=email.policy.default)
    for a in msg.iter_attachments():
        assert hashlib.sha256(a.get_content()).hexdigest() + "  -" != sys.argv[2], "the old set was sent"
EOF
history_of "$b" | grep -q "superseded" || fail "the old set is not marked superseded"
echo "a date published again before its mail: only the new set is sent"

# ---- --dry-run records nothing; new recipients get the set once ------------------
"$NOTATGEN" run -c "$b/randers.ini" --dato 2025-11-03 --dry-run >"$b/dry.log" 2>&1 || fail "dry run"
! history_of "$b" | grep -q "^  2025-11-03 .*til " || fail "a dry run recorded a delivery"
sed -i 's/^til = .*/til = ny@randers.dk/' "$b/randers.ini"
n0=$(messages "$a/smtp2")
"$NOTATGEN" run -c "$b/randers.ini" --udtraek "$b/rettet.csv" --dato 2025-10-31 >"$b/new-to.log" 2>&1 ||
  fail "new recipients"
[ "$(messages "$a/smtp2")" = $((n0 + 1)) ] || fail "new recipients: $(messages "$a/smtp2") messages"
grep -q "^to ny@randers.dk$" "$a/smtp2/msg-$((n0 + 1)).eml.envelope" || fail "not to the new recipient"
"$NOTATGEN" run -c "$b/randers.ini" --udtraek "$b/rettet.csv" --dato 2025-10-31 >/dev/null 2>&1 || fail "again"
[ "$(messages "$a/smtp2")" = $((n0 + 1)) ] || fail "new recipients got it twice"
echo "--dry-run records no delivery; new recipients get the set once"
echo "e2e_delivery: ok"
