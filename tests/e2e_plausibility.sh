#!/usr/bin/env bash
# e2e_plausibility.sh -- nights whose numbers cannot be right stop before
# anything is published (exit 1, the store row-identical), with a message
# naming the column and value, the case, or the two totals; `check` stops
# with the same message; --godkend or [plausibilitet] godkend = DATO lets the
# night through and the log line says so:
#   - the unit slip: a tkr extract written 1936.600 under decimaltegn = auto
#     (every value ambiguous) -- read right with decimaltegn = punktum;
#     a column that a later value decides is read again with that notation;
#   - a case's yearly spend above max_sag;
#   - the total spend more than `faktor` times the last snapshot's, either way.
set -euo pipefail
: "${NOTATGEN:?}" "${SRC:?}" "${WORK:?}"
rm -rf "$WORK" && mkdir -p "$WORK"
. "$SRC/tests/lib_night.sh"
NIGHT_SMALL=1
rows() { $CHECK rows "$1/out/historik.sqlite"; }
refusion() { sed -n 's/.*; refusion \([0-9.,]*\) mio\. kr\..*/\1/p' "$1"; }

# rewrite EXTRACT OUT FACTOR FORMAT: every Beløb times FACTOR, written as
# FORMAT (dansk: 1.234.567,89 | tkr3: kr./1000 with a point and 3 decimals)
rewrite() {
  "$PY" - "$@" <<'EOF'
import sys
src, dst, factor, form = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
lines = open(src, "rb").read().split(b"\r\n")
hdr = lines[0].split(b";")
col = hdr.index("Beløb".encode("cp1252"))
out = [lines[0]]
for line in lines[1:]:
    if not line:
        out.append(line)
        continue
    f = line.split(b";")
    kr = float(f[col].replace(b".", b"").replace(b",", b".")) * factor
    if form == "tkr3":
        v = "%.3f" % (kr / 1000)
    else:
        whole, dec = ("%.2f" % abs(kr)).split(".")
        v = ("-" if kr < 0 else "") + "{:,}".format(int(whole)).replace(",", ".") + "," + dec
    f[col] = v.encode()
    out.append(b";".join(f))
open(dst, "wb").write(b"\r\n".join(out))
EOF
}

# stops KIND DIR LOG PATTERN ARGS...: run exits 1 naming PATTERN, publishes
# nothing and leaves the store; check says the same
stops() {
  local kind=$1 d=$2 log=$3 pattern=$4
  shift 4
  local before
  before=$(rows "$d")
  set +e
  "$NOTATGEN" run -c "$d/randers.ini" "$@" >"$log.run" 2>&1
  local rc_run=$?
  "$NOTATGEN" check -c "$d/randers.ini" "$@" >/dev/null 2>"$log.check"
  local rc_check=$?
  set -e
  [ "$rc_run" = 1 ] || { cat "$log.run"; fail "$kind: run exit $rc_run, want 1"; }
  [ "$rc_check" = 1 ] || { cat "$log.check"; fail "$kind: check exit $rc_check, want 1"; }
  grep -q -- "$pattern" "$log.run" || { cat "$log.run"; fail "$kind: run's message"; }
  diff <(grep -v '^notatgen ' "$log.run" | grep -v ': note: ') \
    <(grep -v ': note: ' "$log.check") >/dev/null ||
    { diff <(grep -v '^notatgen ' "$log.run") "$log.check"; fail "$kind: check's messages differ"; }
  [ "$(rows "$d")" = "$before" ] || fail "$kind: the stopped night changed the store"
  grep -q "intet er udgivet; er tallene rigtige, så godkend natten med --godkend" "$log.run" ||
    fail "$kind: no word on how to let it through"
}

# ---- the unit slip ------------------------------------------------------------------
u="$WORK/slip"
setup_copy "$u"
"$NOTATGEN" run -c "$u/randers.ini" >"$u/kr.log" 2>&1 || { cat "$u/kr.log"; fail "the kr extract"; }
kr_refusion=$(refusion "$u/kr.log")
rewrite "$u/sager_2025-10-31.csv" "$u/sager_tkr_2025-11-30.csv" 1 tkr3
grep -q ';1936\.600;\|;[0-9]\{1,4\}\.[0-9]\{3\};' "$u/sager_tkr_2025-11-30.csv" || fail "test setup: no 1936.600-like values"
udtraek_key() { sed -i "/^\[udtraek\]/,/^\[kolonner\]/ s/^$1 = .*/$1 = $2/" "$u/randers.ini"; }
udtraek_key enhed tkr
udtraek_key decimaltegn auto
stops "unit slip" "$u" "$u/slip" "beløbene i kolonnen 'Beløb' kan læses på to måder: '" \
  --udtraek "$u/sager_tkr_2025-11-30.csv"
grep -q "sager_tkr_2025-11-30.csv:[0-9]*: beløbene i kolonnen 'Beløb' kan læses på to måder: '[0-9.]*' (linje [0-9]*) kan være .* eller .*; angiv decimaltegn = komma eller decimaltegn = punktum" \
  "$u/slip.run" || { cat "$u/slip.run"; fail "unit slip: the message does not name line, value and readings"; }
[ ! -e "$u/out/2025-11-30" ] || fail "the unit slip was published"
[ "$(readlink "$u/out/latest")" = 2025-10-31 ] || fail "latest moved"
# the officer tells the notation: the same refusion as the kr extract
udtraek_key decimaltegn punktum
"$NOTATGEN" run -c "$u/randers.ini" --udtraek "$u/sager_tkr_2025-11-30.csv" >"$u/punktum.log" 2>&1 ||
  { cat "$u/punktum.log"; fail "decimaltegn = punktum"; }
[ "$(refusion "$u/punktum.log")" = "$kr_refusion" ] ||
  fail "the tkr extract read with punktum: $(refusion "$u/punktum.log"), the kr extract: $kr_refusion"
# a value later in the column decides it: read again with that notation
udtraek_key decimaltegn auto
"$PY" - "$u/sager_tkr_2025-11-30.csv" "$u/sager_tkr_2025-12-31.csv" <<'EOF'
import sys
raw = open(sys.argv[1], "rb").read().split(b"\r\n")
hdr = raw[0].split(b";")
col = hdr.index("Beløb".encode("cp1252"))
last = [i for i, l in enumerate(raw) if l][-1]
f = raw[last].split(b";")
f[col] = f[col][:-2]  # 12.345 -> 12.3: one decimal, unambiguously a point
raw[last] = b";".join(f)
open(sys.argv[2], "wb").write(b"\r\n".join(raw))
EOF
"$NOTATGEN" run -c "$u/randers.ini" --udtraek "$u/sager_tkr_2025-12-31.csv" >"$u/decided.log" 2>&1 ||
  { cat "$u/decided.log"; fail "a column decided by its last value"; }
grep -q "kolonnen 'Beløb' skrives med decimalpunktum (fx '[0-9.]*', linje [0-9]*) og læses helt med den notation" \
  "$u/decided.log" || { cat "$u/decided.log"; fail "no word on the notation decided"; }
# --godkend lets the ambiguous night through, and the log line says so
"$NOTATGEN" run -c "$u/randers.ini" --udtraek "$u/sager_tkr_2025-11-30.csv" --godkend >"$u/godkend.log" 2>&1 ||
  { cat "$u/godkend.log"; fail "--godkend"; }
grep -q "; plausibilitet godkendt (--godkend): tvetydige beløb" "$u/godkend.log" ||
  { tail -1 "$u/godkend.log"; fail "the log line does not say what was let through"; }
grep -q "advarsel: beløbene i kolonnen 'Beløb' kan læses på to måder.*(godkendt)" "$u/godkend.log" ||
  fail "--godkend: the warning"
echo "unit slip: stopped with the column and value; punktum reads it right; a deciding value re-reads; --godkend passes"

# ---- a case above max_sag -------------------------------------------------------------
m="$WORK/maxsag"
setup_copy "$m"
printf '\n[plausibilitet]\nmax_sag = 4.000.000\n' >>"$m/randers.ini"
stops "max_sag" "$m" "$m/max" "sag [0-9]* har en årsudgift i 2025 på [0-9,]* mio. kr.; over grænsen på 4,0 mio. kr."
[ ! -e "$m/out/2025-10-31" ] || fail "published with a case above max_sag"
printf 'godkend = 2025-09-30\n' >>"$m/randers.ini"
stops "max_sag, another night's godkend" "$m" "$m/other" "over grænsen på 4,0 mio. kr."
sed -i 's/^godkend = .*/godkend = 2025-10-31/' "$m/randers.ini"
"$NOTATGEN" run -c "$m/randers.ini" >"$m/ok.log" 2>&1 || { cat "$m/ok.log"; fail "godkend = the night"; }
grep -q "; plausibilitet godkendt (\[plausibilitet\] godkend): sag over max_sag" "$m/ok.log" ||
  { tail -1 "$m/ok.log"; fail "godkend: log line"; }
echo "max_sag: stopped naming the case; godkend = the night's date lets it through"

# ---- the total against the last snapshot ------------------------------------------------
t="$WORK/total"
setup_copy "$t"
"$NOTATGEN" run -c "$t/randers.ini" >"$t/first.log" 2>&1 || { cat "$t/first.log"; fail "first night"; }
rewrite "$t/sager_2025-10-31.csv" "$t/sager_2025-11-30.csv" 4 dansk
stops "total x4" "$t" "$t/up" "gange så stor som forrige opfølgnings [0-9,]* mio. kr. (31. oktober 2025); mere end faktor 3" \
  --udtraek "$t/sager_2025-11-30.csv"
rewrite "$t/sager_2025-10-31.csv" "$t/sager_2025-12-31.csv" 0.25 dansk
stops "total /4" "$t" "$t/down" "gange mindre end forrige opfølgnings" --udtraek "$t/sager_2025-12-31.csv"
printf '\n[plausibilitet]\nfaktor = 5\n' >>"$t/randers.ini"
"$NOTATGEN" run -c "$t/randers.ini" --udtraek "$t/sager_2025-11-30.csv" >"$t/f5.log" 2>&1 ||
  { cat "$t/f5.log"; fail "faktor = 5"; }
echo "total: x4 and /4 stopped with both totals; faktor = 5 lets x4 through"
echo "e2e_plausibility: ok"
