#!/usr/bin/env bash
# e2e_refusion_cli.sh -- notatgen refusion: JSON and text output, the exit
# status for a year without thresholds and for a bad amount.
set -u
: "${NOTATGEN:?}" "${WORK:?}"
rm -rf "$WORK" && mkdir -p "$WORK"
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

expect_out() { # name, expected stdout, command...
    local name=$1 want=$2
    shift 2
    local got rc
    got=$("$@" 2>"$WORK/stderr")
    rc=$?
    [ "$rc" -eq 0 ] || fail "$name: exit $rc ($(cat "$WORK/stderr"))"
    [ "$got" == "$want" ] || fail "$name: got [$got], expected [$want]"
}

expect_exit() { # name, status, stderr substring, command...
    local name=$1 want_rc=$2 want_err=$3
    shift 3
    "$@" >"$WORK/stdout" 2>"$WORK/stderr"
    local rc=$?
    [ "$rc" -eq "$want_rc" ] || fail "$name: exit $rc, expected $want_rc"
    grep -qF -- "$want_err" "$WORK/stderr" || fail "$name: stderr lacks [$want_err]: $(cat "$WORK/stderr")"
    [ ! -s "$WORK/stdout" ] || fail "$name: printed to stdout: $(cat "$WORK/stdout")"
}

# The seed's example: 2,4 mio. kr. at the 2022 thresholds (860.000 /
# 1.680.000 / 2.120.000): 25 % of 820.000 + 50 % of 440.000 + 75 % of 280.000
# = 635.000 kr.; 2.400.000 is above t3, so its tier is 75.
expect_out json '[{"beloeb": 2400000, "trin": 75, "refusion": 635000}]' \
    "$NOTATGEN" refusion --year 2022 --json 2400000
# 2025 (940.000 / 1.840.000 / 2.330.000): 25 % of 560.000 = 140.000.
expect_out json-2025 '[{"beloeb": 1500000, "trin": 25, "refusion": 140000}]' \
    "$NOTATGEN" refusion --year 2025 --json 1.500.000
# Several amounts, Danish and plain notation, øre: 1.680.000,01 at 2022 is
# 205.000 kr. + half an øre, rounded up.
expect_out json-many '[{"beloeb": 860000, "trin": 0, "refusion": 0}, {"beloeb": 1680000.01, "trin": 50, "refusion": 205000.01}, {"beloeb": 2400000, "trin": 75, "refusion": 635000}]' \
    "$NOTATGEN" refusion --json --year 2022 860000 1.680.000,01 2.400.000

expect_out text "$(printf '%s\n' \
    '2.400.000 kr.  trin 75 %  refusion 635.000 kr.' \
    '1.680.000,01 kr.  trin 50 %  refusion 205.000,01 kr.' \
    '500.000 kr.  trin 0 %  refusion 0 kr.')" \
    "$NOTATGEN" refusion --year 2022 2.400.000 1680000,01 500000

# A year the thresholds file lacks: exit 2 and the message on how to add it.
expect_exit missing-year 2 "der mangler refusionsgrænser for 2031" \
    "$NOTATGEN" refusion --year 2031 2400000
grep -qF "  2031 = T1 T2 T3" "$WORK/stderr" || fail "missing-year: no config line in $(cat "$WORK/stderr")"
grep -qF "[taerskler]" "$WORK/stderr" || fail "missing-year: no [taerskler] section"

# A bad amount: exit 2 naming it, before any output.
expect_exit bad-amount 2 "'2,4x'" "$NOTATGEN" refusion --year 2022 2400000 2,4x
expect_exit no-year 2 "--year" "$NOTATGEN" refusion 2400000
expect_exit no-amount 2 "beløb" "$NOTATGEN" refusion --year 2022

# -c: the configuration's [taerskler] adds a year (2026: 960.000 / 1.880.000 /
# 2.380.000): 25 % of 920.000 + 50 % of 500.000 + 75 % of 20.000 = 495.000.
cat >"$WORK/t.ini" <<'INI'
[kommune]
navn = Testkommune
[udtraek]
fil = sager.csv
[output]
mappe = out
[taerskler]
2026 = 960.000 1.880.000 2.380.000
INI
expect_out config-year '[{"beloeb": 2400000, "trin": 75, "refusion": 495000}]' \
    "$NOTATGEN" refusion -c "$WORK/t.ini" --year 2026 --json 2400000
# without -c the year is unknown
expect_exit config-year-absent 2 "der mangler refusionsgrænser for 2026" \
    "$NOTATGEN" refusion --year 2026 2400000

exit $((fails > 0))
