#!/bin/sh
# notatgen-nightly.sh -- the nightly run of notatgen for one municipality,
# for cron. Copy it, adjust the settings below, and call it from cron:
#
#   notatgen-nightly.sh randers                 uses /etc/notatgen/randers.ini
#   notatgen-nightly.sh randers --dato 2025-10-31    re-creates one night
#
# It appends everything notatgen says to the log file, adds one line saying
# how the run ended, and mails the operator when the run did not succeed
# (when the `mail` command exists and OPERATOR is set). It exits with
# notatgen's own exit status, so cron or a monitoring system can act on it.
#
# Settings (environment variables, or edit the defaults here):
#   NOTATGEN   the program                 (default: notatgen on PATH)
#   CONFIG_DIR where <kommune>.ini lives   (default: /etc/notatgen)
#   LOG        the log file                (default: /var/log/notatgen.log)
#   OPERATOR   who gets mail on failure    (default: nobody)
set -u

NOTATGEN=${NOTATGEN:-notatgen}
CONFIG_DIR=${CONFIG_DIR:-/etc/notatgen}
LOG=${LOG:-/var/log/notatgen.log}
OPERATOR=${OPERATOR:-}

if [ $# -lt 1 ]; then
    echo "brug: $0 KOMMUNE [flere argumenter til notatgen run]" >&2
    exit 2
fi
kommune=$1
shift
config="$CONFIG_DIR/$kommune.ini"

# The log and the temporary output are readable by this user only: the
# diagnostics name files and rows of sensitive case data.
umask 077
out=$(mktemp "${TMPDIR:-/tmp}/notatgen-nightly.XXXXXX") || exit 3
trap 'rm -f "$out"' EXIT INT TERM

started=$(date '+%Y-%m-%d %H:%M:%S')
"$NOTATGEN" run -c "$config" "$@" >"$out" 2>&1
status=$?

case $status in
0) meaning="ok" ;;
1) meaning="input afvist: se fejlene ovenfor og afvisningsfilen (afviste rækker) i outputmappen" ;;
2) meaning="fejl i konfigurationen, kommandolinjen, tærsklerne eller en skabelon: ret $config" ;;
3) meaning="I/O- eller mailfejl (disk, rettigheder, SMTP-server): de forrige output er urørte" ;;
4) meaning="en anden kørsel holder stadig låsen: denne kørsel er sprunget over" ;;
*) meaning="uventet exit-status (programmet er måske gået ned)" ;;
esac

{
    sed "s/^/$started $kommune: /" "$out"
    echo "$started $kommune: notatgen-nightly: exit $status: $meaning"
} >>"$LOG" 2>/dev/null || {
    echo "notatgen-nightly: kan ikke skrive til $LOG" >&2
    cat "$out" >&2
}

if [ "$status" -ne 0 ] && [ -n "$OPERATOR" ] && command -v mail >/dev/null 2>&1; then
    {
        echo "notatgen for $kommune sluttede $started med exit-status $status:"
        echo "$meaning"
        echo
        echo "De sidste linjer fra kørslen (hele loggen: $LOG):"
        echo
        tail -n 40 "$out"
    } | mail -s "notatgen $kommune: kørslen fejlede (exit $status)" "$OPERATOR"
fi

exit "$status"
