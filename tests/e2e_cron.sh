#!/usr/bin/env bash
# e2e_cron.sh -- examples/cron/notatgen-nightly.sh with a stand-in notatgen
# and a stand-in mail(1): the exit status passes through, the log gets the
# run's output and a closing line with the meaning of the status, and the
# operator is mailed on failure only.
set -euo pipefail
: "${SRC:?}" "${WORK:?}"
rm -rf "$WORK"
mkdir -p "$WORK/bin"
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

cat >"$WORK/bin/fake-notatgen" <<'FAKE'
#!/bin/sh
echo "args: $*"
echo "notatgen 2025-10-31 Testkommune: status $FAKE_STATUS" >&2
exit "$FAKE_STATUS"
FAKE
cat >"$WORK/bin/mail" <<'FAKE'
#!/bin/sh
{ echo "mail $*"; cat; } >>"$MAIL_SPOOL"
FAKE
chmod +x "$WORK/bin/fake-notatgen" "$WORK/bin/mail"

run() { # STATUS [args...]
  local status=$1
  shift
  rc=0
  env PATH="$WORK/bin:$PATH" FAKE_STATUS="$status" NOTATGEN="$WORK/bin/fake-notatgen" \
    CONFIG_DIR=/etc/notatgen LOG="$WORK/notatgen.log" OPERATOR=drift@example.dk \
    MAIL_SPOOL="$WORK/mail.txt" sh "$SRC/examples/cron/notatgen-nightly.sh" testkommune "$@" || rc=$?
}

run 0 --dato 2025-10-31
[ "$rc" = 0 ] || fail "status 0 became $rc"
grep -q "testkommune: args: run -c /etc/notatgen/testkommune.ini --dato 2025-10-31$" \
  "$WORK/notatgen.log" || fail "arguments not passed on"
grep -q "testkommune: notatgen-nightly: exit 0: ok$" "$WORK/notatgen.log" || fail "ok line"
[ ! -e "$WORK/mail.txt" ] || fail "mailed on success"
[ "$(stat -c %a "$WORK/notatgen.log")" = 600 ] || fail "log file not 0600"

for s in 1 2 3 4; do
  run $s
  [ "$rc" = $s ] || fail "status $s became $rc"
done
grep -q "exit 1: input afvist" "$WORK/notatgen.log" || fail "meaning of 1"
grep -q "exit 2: fejl i konfigurationen" "$WORK/notatgen.log" || fail "meaning of 2"
grep -q "exit 3: I/O- eller mailfejl" "$WORK/notatgen.log" || fail "meaning of 3"
grep -q "exit 4: en anden kørsel holder stadig låsen" "$WORK/notatgen.log" || fail "meaning of 4"
[ "$(grep -c '^mail -s' "$WORK/mail.txt")" = 4 ] || fail "operator not mailed 4 times"
grep -q "^mail -s notatgen testkommune: kørslen fejlede (exit 3) drift@example.dk$" \
  "$WORK/mail.txt" || fail "mail subject"
grep -q "Testkommune: status 3" "$WORK/mail.txt" || fail "run output not in the mail"
echo "e2e_cron: all passed"
