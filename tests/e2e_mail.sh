#!/usr/bin/env bash
# e2e_mail.sh -- ng_mail_send against a real SMTP server on loopback.
#
# tests/smtp_server.py (aiosmtpd) plays the mail server; test_mail, run with
# NG_SMTP_PORT set, is the sending program. Checked: the attachment arrives
# byte-identical with its Danish file name, the message received is exactly
# the .eml the dry run writes, a 451 is retried and then succeeds, too many
# 451s give up, a 550 fails at once with NG_ERR_DELIVERY (exit 3), login
# works and a wrong password is a permanent failure that never shows the
# password, STARTTLS works with a trusted certificate and is refused with an
# untrusted one or when the server does not offer it (no plain-text fallback).
set -euo pipefail
: "${BUILD:?}" "${SRC:?}" "${WORK:?}"
DRIVER="$BUILD/tests/test_mail"
rm -rf "$WORK"
mkdir -p "$WORK"
# the loopback server's start_server and stop_server, fail, PY
. "$SRC/tests/lib_night.sh"
port=""
trap stop_server EXIT

# send DIR [ENV=VALUE...]: runs the driver, output in DIR/send.out, sets rc
send() {
  local dir=$1
  shift
  rc=0
  env NG_SMTP_PORT="$port" NG_SMTP_ATTACH="$attachment" "$@" "$DRIVER" >"$dir/send.out" 2>&1 || rc=$?
}

expect() { # DIR RC STATUS-LINE
  if [ "$rc" != "$2" ] || ! grep -qx "$3" "$1/send.out"; then
    cat "$1/send.out" >&2
    fail "$1: expected exit $2 and '$3', got exit $rc"
  fi
}

attachment="$WORK/Bilag æøå.xlsx"
head -c 300000 /dev/urandom >"$attachment"

# 1. delivery: the attachment decodes byte-identical, the name survives
d="$WORK/ok"
start_server "$d" --mode ok
send "$d" NG_SMTP_EML="$d/dryrun.eml"
expect "$d" 0 "status=ok attempts=1"
stop_server
[ -f "$d/msg-1.eml" ] || fail "ok: no message received"
cmp -s "$d/msg-1.eml" "$d/dryrun.eml" || fail "ok: received message differs from the .eml"
grep -qx "to udvalg@randers.dk" "$d/msg-1.eml.envelope" || fail "ok: recipient 1"
grep -qx "to oek@randers.dk" "$d/msg-1.eml.envelope" || fail "ok: recipient 2"
"$PY" - "$d/msg-1.eml" "$attachment" <<'EOF' || fail "ok: message content"
import email, email.policy, sys
msg = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
assert msg["Subject"] == "Særligt dyre enkeltsager – bilag", msg["Subject"]
assert msg["Date"] == "Fri, 31 Oct 2025 02:30:00 +0000", msg["Date"]
parts = list(msg.iter_parts())
assert len(parts) == 2, len(parts)
body = parts[0].get_content()
assert body == "Hermed bilag om særligt dyre enkeltsager.\n.punktum\n", repr(body)
att = parts[1]
assert att.get_filename() == "Bilag æøå.xlsx", att.get_filename()
assert att.get_content_type() == \
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
assert att.get_payload(decode=True) == open(sys.argv[2], "rb").read(), "attachment differs"
EOF

# 2. a 451 after DATA: retried, then delivered
d="$WORK/tempfail"
start_server "$d" --mode tempfail
send "$d"
expect "$d" 0 "status=ok attempts=2"
stop_server
grep -qx "451 DATA" "$d/replies.log" || fail "tempfail: the server did not answer 451"
[ -f "$d/msg-1.eml" ] || fail "tempfail: not delivered on the second attempt"
grep -q "forsøg 1 af 3 mislykkedes" "$d/send.out" || fail "tempfail: no warning on the retry"

# 3. a 451 to RCPT: retried, then delivered
d="$WORK/tempfail_rcpt"
start_server "$d" --mode tempfail-rcpt
send "$d"
expect "$d" 0 "status=ok attempts=2"
stop_server
[ -f "$d/msg-1.eml" ] || fail "tempfail-rcpt: not delivered"

# 4. 451 every time: gives up after the configured attempts
d="$WORK/tempfail_always"
start_server "$d" --mode tempfail --fail-count 99
send "$d" NG_SMTP_RETRIES=3
expect "$d" 3 "status=delivery attempts=3"
stop_server
grep -q "SMTP-svar 451, midlertidig fejl" "$d/send.out" || fail "tempfail-always: message"
[ "$(grep -c '451 DATA' "$d/replies.log")" = 3 ] || fail "tempfail-always: not 3 attempts"

# 5. 550: permanent, no retry
d="$WORK/permfail"
start_server "$d" --mode permfail
send "$d"
expect "$d" 3 "status=delivery attempts=1"
stop_server
grep -q "SMTP-svar 550, permanent fejl" "$d/send.out" || fail "permfail: message"
[ ! -f "$d/msg-1.eml" ] || fail "permfail: delivered anyway"

# 6. login: the right password from the environment, then a wrong one
d="$WORK/auth"
start_server "$d" --mode ok --auth notatgen:hemmelig-42
send "$d" NG_SMTP_USER=notatgen NG_SMTP_PASSWORD=hemmelig-42
expect "$d" 0 "status=ok attempts=1"
send "$d" NG_SMTP_USER=notatgen NG_SMTP_PASSWORD=forkert-17
expect "$d" 3 "status=delivery attempts=1"
stop_server
grep -q "535" "$d/send.out" || fail "auth: no 535 in the message"
! grep -q "forkert-17" "$d/send.out" || fail "auth: the password reached the output"
[ -f "$d/msg-1.eml" ] && [ ! -f "$d/msg-2.eml" ] || fail "auth: wrong number of messages"

# 7. nobody listening: a temporary failure, retried, then given up
d="$WORK/noserver"
mkdir -p "$d"
port=$((20000 + RANDOM % 20000))
send "$d" NG_SMTP_RETRIES=2
expect "$d" 3 "status=delivery attempts=2"

# 8. STARTTLS and login over TLS, with the test's own CA
d="$WORK/tls"
mkdir -p "$d"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/key.pem" -out "$d/cert.pem" -days 2 \
  -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" >/dev/null 2>&1 ||
  fail "openssl could not make a certificate"
start_server "$d" --mode ok --tls "$d/cert.pem:$d/key.pem" --auth notatgen:hemmelig-42
send "$d" NG_SMTP_STARTTLS=1 NG_SMTP_CA="$d/cert.pem" NG_SMTP_USER=notatgen \
  NG_SMTP_PASSWORD=hemmelig-42
expect "$d" 0 "status=ok attempts=1"
[ -f "$d/msg-1.eml" ] || fail "tls: not delivered"
# a certificate nobody vouches for: refused at once, nothing sent
send "$d" NG_SMTP_STARTTLS=1 NG_SMTP_USER=notatgen NG_SMTP_PASSWORD=hemmelig-42
expect "$d" 3 "status=delivery attempts=1"
stop_server
[ ! -f "$d/msg-2.eml" ] || fail "tls: delivered with an untrusted certificate"

# 9. starttls = ja against a server without STARTTLS: no fallback to plain text
d="$WORK/notls"
start_server "$d" --mode ok
send "$d" NG_SMTP_STARTTLS=1
expect "$d" 3 "status=delivery attempts=1"
stop_server
[ ! -f "$d/msg-1.eml" ] || fail "notls: sent in the clear"

echo "e2e_mail: all passed"
