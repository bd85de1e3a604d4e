#!/usr/bin/env bash
# End-to-end: the example run with a corpus of templates beside the shipped
# ones (tests/data/pdf_corpus: every kind of block, tables over several pages
# and on a landscape page, figures of every type, footnotes, lists), each
# memo checked by tests/pdf_check.py (tagged PDF/UA-1, PDF/A-2, text
# extraction, poppler silent) against a second run for identical bytes; the
# logo on the first page only with logo_sider = foerste; a logo that is no
# image, a CMYK JPEG or missing is an error of check and run; and the
# checker's self-test (it notices broken files).
set -euo pipefail
: "${NOTATGEN:?}" "${SRC:?}" "${WORK:?}"
PY=/usr/bin/python3
rm -rf "$WORK" && mkdir -p "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }

. "$SRC/tests/lib_example.sh"

# the example with the corpus's templates beside the shipped ones
setup() {
  local dir=$1
  example_copy "$dir"
  mkdir -p "$dir/skabeloner"
  cp "$SRC"/templates/* "$SRC"/tests/data/pdf_corpus/*.md "$dir/skabeloner/"
  sed -i -e "s|^mappe = out$|mappe = out\nskabeloner = skabeloner|" \
      -e "s|^notater = .*|notater = sde_status, oekonomi_status, initiativer, korpus_tekst, korpus_tabeller|" \
      "$dir/randers.ini"
  "$NOTATGEN" history import -c "$dir/randers.ini" "$dir"/historik/*.csv >/dev/null
}

run() {
  local dir=$1
  "$NOTATGEN" run -c "$dir/randers.ini" >"$dir/run.log" 2>&1 || { cat "$dir/run.log"; fail "run in $dir"; }
}

setup "$WORK/a" && run "$WORK/a"
setup "$WORK/b" && run "$WORK/b"
out=$WORK/a/out/latest
ls "$out"/korpus_tekst.pdf "$out"/korpus_tabeller.pdf >/dev/null || fail "the corpus memos were not written"
$PY "$SRC/tests/pdf_check.py" --logo --twin "$WORK/b/out/latest" "$out"/*.pdf
echo "every memo of the corpus passes tests/pdf_check.py"

# the wide table went to a landscape page, the rest stayed portrait
pdfinfo -f 1 -l 99 "$out/korpus_tabeller.pdf" | grep -q 'size:  841.89 x 595.276' ||
  fail "the wide table is not on a landscape page"
# soft hyphens end hyphenated lines; joined again they are the template's words
pdftotext "$out/korpus_tekst.pdf" "$WORK/tekst.txt"
$PY - "$WORK/tekst.txt" "$SRC/tests/data/pdf_corpus/korpus_tekst.md" <<'PYEOF'
import re, sys
text, source = open(sys.argv[1]).read(), open(sys.argv[2]).read()
words = set(re.findall(r"\w+", source))
split = re.findall(r"(\w+)\u00ad\n(\w+)", text)
assert len(split) >= 2, split
for a, b in split:
    assert a + b in words, (a, b)
print("hyphenated:", ", ".join(a + "-" + b for a, b in split))
PYEOF

# logo_sider = foerste: a Figure on page 1, nothing on page 2
mkdir -p "$WORK/c" && setup "$WORK/c"
sed -i 's/^logo_sider = .*/logo_sider = foerste/' "$WORK/c/randers.ini"
run "$WORK/c"
$PY - "$WORK/c/out/latest/sde_status.pdf" <<'PYEOF'
import sys, pikepdf
pdf = pikepdf.open(sys.argv[1])
xobjects = [len(p.obj.Resources.get("/XObject", {}).keys()) for p in pdf.pages]
assert xobjects[0] == 1 and all(n == 0 for n in xobjects[1:]), xobjects
print("logo_sider = foerste: the logo on page 1 only")
PYEOF

# bad logos stop the run with a clear message, and check says so first
expect_error() {
  local what=$1 msg=$2 cmd
  for cmd in check run; do
    "$NOTATGEN" $cmd -c "$WORK/d/randers.ini" >"$WORK/d/$cmd.log" 2>&1 && fail "$what: $cmd succeeded"
    grep -q "$msg" "$WORK/d/$cmd.log" || { cat "$WORK/d/$cmd.log"; fail "$what: $cmd has no '$msg'"; }
  done
  echo "$what: $(grep -m1 "$msg" "$WORK/d/run.log")"
}
mkdir -p "$WORK/d" && setup "$WORK/d"
echo "ikke et billede" >"$WORK/d/logo.png"
expect_error "a logo that is no image" "logoet kan ikke læses"
printf '\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00' >"$WORK/d/logo.png"
$PY - "$WORK/d/logo.png" <<'PYEOF'
import sys
from PIL import Image
Image.new("CMYK", (30, 10), (0, 80, 80, 0)).save(sys.argv[1], "JPEG")
PYEOF
expect_error "a CMYK logo" "logoet er i CMYK"
rm "$WORK/d/logo.png"
expect_error "a missing logo" "logoet kan ikke læses"

# the checker notices broken files
$PY "$SRC/tests/pdf_check.py" --self-test "$out/sde_status.pdf"
echo "e2e_pdf_corpus: ok"
