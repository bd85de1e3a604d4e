#!/usr/bin/env bash
# e2e_cpr_extract.sh -- an extract full of CPR numbers leaks none: not into
# a message, the log line, the rejects file, a published output (PDF text,
# every part of the bilag, data.json, manifest.json), a file name, nor the
# history store (sqlite3 .dump). CPR numbers stand in the extract's file
# name, in an unused CPR column, in a free-text column and in rejected rows;
# 1. as sag_id and as husstand too: the run stops (exit 1) and publishes
#    nothing, check alike;
# 2. only where notatgen does not use them: the run publishes and mails the
#    bilag (a loopback SMTP server), and still none is anywhere, the mail
#    (mail.eml and the message the server got, decoded, its workbook
#    unzipped) included;
# 3. and a message of a later step that names the extract (the plausibility
#    guard's max_sag): its file name is masked too;
# 4. a link planted where the rejects file goes (by whoever can write to the
#    output folder) is refused: no row reaches the file it points to.
set -euo pipefail
: "${NOTATGEN:?}" "${SRC:?}" "${WORK:?}"
rm -rf "$WORK" && mkdir -p "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }
PY=/usr/bin/python3
. "$SRC/tests/lib_extract.sh"
. "$SRC/tests/lib_night.sh" # the loopback SMTP server: case 2 mails its bilag
trap stop_server EXIT
name=sager_0101611234_2025-10-31.csv

# extract DIR KEYS: the extract; KEYS=1 puts CPR numbers in sag_id and husstand
extract() {
  local f="$1/$name" i cpr
  printf 'sag_id;cpr;aar;maaned;beloeb;omraade;foedselsaar;husstand;maalgruppe;tilbud;bemaerkning\n' >"$f"
  for i in $(seq 1 40); do
    cpr=$(printf '%02d%02d%02d-%04d' $((i % 28 + 1)) $((i % 12 + 1)) $((50 + i)) $((1000 + i)))
    printf 'S%03d;%s;2025;%d;%d.000,00;voksen;%d;H%d;autisme;Bo %s;ring til %s om sagen\n' \
      "$i" "$cpr" $((i % 12 + 1)) $((i * 7 + 90)) $((1950 + i)) "$i" "${cpr%-*}" "${cpr/-/}" >>"$f"
  done
  # a rejected row: a bad amount, CPR numbers in its other columns
  printf 'S001;0101611234;2025;1;12x;voksen;1951;H1;autisme;;CPR 010161-1234\n' >>"$f"
  if [ "$2" = 1 ]; then
    printf '0202621234;0202621234;2025;1;100.000;voksen;1962;H2;autisme;;\n' >>"$f"
    printf 'S002;x;2025;2;100.000;voksen;1952;030363-1234;autisme;;\n' >>"$f"
  fi
}

# cpr_hits FILE...: every CPR number in the files (privacy.h's strict test:
# ten digits, with or without a dash after the sixth, not inside a longer
# number, a valid date DDMMYY in the first six), one per line
cpr_hits() {
  "$PY" - "$@" <<'EOF'
import datetime, re, sys
for path in sys.argv[1:]:
    text = open(path, "rb").read().decode("utf-8", "replace")
    for m in re.finditer(r"(?<![0-9])([0-9]{6})-?[0-9]{4}(?![0-9])", text):
        d = m.group(1)
        for century in (1900, 2000):
            try:
                datetime.date(century + int(d[4:]), int(d[2:4]), int(d[:2]))
            except ValueError:
                continue
            print(f"{path}: {m.group(0)}")
            break
EOF
}

# expect_exit WHAT DIR CMD RC: `notatgen CMD` in DIR (output in DIR/CMD.out
# and DIR/CMD.err) exits RC
expect_exit() {
  local rc
  set +e
  (cd "$2" && "$NOTATGEN" "$3" -c c.ini >"$2/$3.out" 2>"$2/$3.err")
  rc=$?
  set -e
  [ "$rc" = "$4" ] || { cat "$2/$3.err"; fail "$1 ($3): exit $rc, want $4"; }
}

setup() {
  mkdir -p "$1"
  extract "$1" "$2"
  extract_config "$1" "$name" auto
}

# no_cpr_written DIR: every byte the commands wrote in DIR (their output
# beside the extract, everything under ud/, file names included)
no_cpr_written() {
  local dir=$1 f
  cat "$dir"/*.out "$dir"/*.err >"$dir/all.txt"
  find "$dir/ud" -print >>"$dir/all.txt" 2>/dev/null || true
  while IFS= read -r -d '' f; do
    case $f in
    *.pdf) pdftotext "$f" - >>"$dir/all.txt" 2>/dev/null || fail "pdftotext $f" ;;
    *.xlsx) unzip -p "$f" >>"$dir/all.txt" || fail "unzip $f" ;;
    *.sqlite) sqlite3 "$f" .dump >>"$dir/all.txt" || fail "sqlite3 $f" ;;
    *.eml) eml_text "$f" >>"$dir/all.txt" || fail "eml $f" ;;
    *) cat "$f" >>"$dir/all.txt" ;;
    esac
  done < <(find "$dir/ud" -type f -print0 2>/dev/null)
  if cpr_hits "$dir/all.txt" | head -5 | grep .; then
    fail "$dir: a CPR number was written (above)"
  fi
}

# eml_text FILE: a mail as a reader gets it: its headers, every part
# decoded, and every member of an attached workbook
eml_text() {
  "$PY" - "$1" <<'EOF'
import email, email.policy, io, sys, zipfile
msg = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
out = sys.stdout.buffer
for k, v in msg.items():
    out.write(f"{k}: {v}\n".encode())
for part in msg.walk():
    if part.is_multipart():
        continue
    data = part.get_payload(decode=True) or b""
    name = part.get_filename() or ""
    out.write(f"--- part {part.get_content_type()} {name}\n".encode())
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for member in z.namelist():
                out.write(z.read(member))
    else:
        out.write(data)
EOF
}

# ---- 1. CPR numbers as keys: the run stops ------------------------------------
dir="$WORK/keys"
setup "$dir" 1
[ "$(cpr_hits "$dir/$name" | wc -l)" -ge 80 ] || fail "test setup: too few CPR numbers"
for cmd in check run; do
  expect_exit keys "$dir" "$cmd" 1
  file="$dir/sager_XXXXXX-XXXX_2025-10-31.csv"
  grep -qxF "$file:43:1: feltet i kolonnen 'sag_id' ligner et CPR-nummer (værdien vises ikke); et CPR-nummer må ikke stå i en kolonne, som notatgen bruger, så kørslen stopper" "$dir/$cmd.err" ||
    { cat "$dir/$cmd.err"; fail "keys ($cmd): the sag_id's message"; }
  grep -qxF "$file:44:8: feltet i kolonnen 'husstand' ligner et CPR-nummer (værdien vises ikke); et CPR-nummer må ikke stå i en kolonne, som notatgen bruger, så kørslen stopper" "$dir/$cmd.err" ||
    fail "keys ($cmd): the husstand's message"
  [ ! -e "$dir/ud/2025-10-31" ] || fail "keys ($cmd): published"
  [ -f "$dir/ud/afviste_sager_XXXXXX-XXXX_2025-10-31.csv" ] || fail "keys ($cmd): no rejects file"
  [ "$(stat -c %a "$dir/ud/afviste_sager_XXXXXX-XXXX_2025-10-31.csv")" = 600 ] ||
    fail "keys ($cmd): rejects file mode"
  no_cpr_written "$dir"
done
# the rejected rows keep their line numbers
cut -d';' -f1 "$dir/ud/afviste_sager_XXXXXX-XXXX_2025-10-31.csv" | tr '\n' ' ' |
  grep -qx 'linje 42 43 44 ' || fail "keys: rejects file lines"

# ---- 2. CPR numbers only where notatgen does not use them: published ----------
dir="$WORK/unused"
setup "$dir" 0
start_server "$dir/ud/smtp" --mode ok # its saved messages are under ud/: checked too
mail_section "$port" >>"$dir/c.ini"
expect_exit unused "$dir" check 0
expect_exit unused "$dir" run 0
stop_server
for f in sde_status.pdf bilag.xlsx data.json manifest.json mail.eml; do
  [ -s "$dir/ud/latest/$f" ] || fail "unused: $f not published"
done
[ "$(ls "$dir"/ud/smtp/msg-*.eml | wc -l)" = 1 ] || fail "unused: the bilag was not mailed once"
eml_text "$dir/ud/latest/mail.eml" >"$dir/mail.txt"
grep -q "<worksheet" "$dir/mail.txt" || fail "unused: eml_text read no workbook"
[ -s "$dir/ud/historik.sqlite" ] || fail "unused: no history store"
grep -q "XXXXXX-XXXX" "$dir/ud/afviste_sager_XXXXXX-XXXX_2025-10-31.csv" ||
  fail "unused: the rejects file masks nothing"
no_cpr_written "$dir"

# ---- 3. a later step's message names the extract: masked too -----------------
dir="$WORK/guard"
setup "$dir" 0
printf '[plausibilitet]\nmax_sag = 10.000\n' >>"$dir/c.ini"
for cmd in check run; do
  expect_exit guard "$dir" "$cmd" 1
  grep -q "/sager_XXXXXX-XXXX_2025-10-31.csv:[0-9]*: sag S0[0-9]* har en årsudgift i 2025 på" \
    "$dir/$cmd.err" || { cat "$dir/$cmd.err"; fail "guard ($cmd): the guard's message"; }
  [ ! -e "$dir/ud/2025-10-31" ] || fail "guard ($cmd): published"
  no_cpr_written "$dir"
done

# ---- 4. a link planted as the rejects file: refused -------------------------
dir="$WORK/link"
setup "$dir" 0
mkdir -p "$dir/ud"
printf 'den andens fil\n' >"$dir/victim"
ln -s ../victim "$dir/ud/afviste_sager_XXXXXX-XXXX_2025-10-31.csv"
for cmd in check run; do
  expect_exit link "$dir" "$cmd" 3
  grep -q "afviste_sager_XXXXXX-XXXX_2025-10-31.csv: afvisningsfilen er et symbolsk link" \
    "$dir/$cmd.err" || { cat "$dir/$cmd.err"; fail "link ($cmd): the message"; }
  [ "$(cat "$dir/victim")" = "den andens fil" ] || fail "link ($cmd): written through the link"
  [ -L "$dir/ud/afviste_sager_XXXXXX-XXXX_2025-10-31.csv" ] || fail "link ($cmd): the link removed"
  [ ! -e "$dir/ud/2025-10-31" ] || fail "link ($cmd): published"
  no_cpr_written "$dir"
done
echo "e2e_cpr_extract: ok"
