#!/usr/bin/env bash
# End-to-end: a progress line (per cent, rows, rows/s) while a large extract
# is read -- on a terminal only. Under cron (no terminal) stderr stays quiet.
set -euo pipefail
: "${NOTATGEN:?}" "${GEN_EXTRACT:?}" "${SRC:?}" "${WORK:?}"
rm -rf "$WORK" && mkdir -p "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v script >/dev/null || fail "script(1) from bsdutils is needed to give the run a terminal"

# 700.000 rows: about 70 MB, above the 64 MiB from which progress is shown
"$GEN_EXTRACT" --rows 700000 "$WORK/sager_2025-10-31.csv" >/dev/null
sed -e '/^\[udtraek\]/,/^\[/ s/^fil = .*/fil = sager_2025-10-31.csv/' \
    -e '/^\[output\]/,$d' "$SRC/examples/randers.ini" >"$WORK/check.ini"
printf '[output]\nmappe = out\n' >>"$WORK/check.ini"

# without a terminal: no progress
"$NOTATGEN" check -c "$WORK/check.ini" >"$WORK/plain.out" 2>"$WORK/plain.err" ||
  { cat "$WORK/plain.err"; fail "check"; }
if grep -q "rækker/s" "$WORK/plain.err"; then fail "progress printed without a terminal"; fi

# with a terminal (script(1) gives the command a pseudo-terminal)
script -qec "$NOTATGEN check -c $WORK/check.ini" /dev/null >"$WORK/tty.out" 2>&1 ||
  { cat "$WORK/tty.out"; fail "check on a terminal"; }
grep -aq "rækker/s" "$WORK/tty.out" || { cat "$WORK/tty.out"; fail "no progress on a terminal"; }
grep -aq "læst 100 %" "$WORK/tty.out" || { cat -v "$WORK/tty.out" | head; fail "progress never reached 100 %"; }
echo "e2e_progress: ok"
