#!/bin/bash
# templates/README.md lists the names a template can use between the
# registry markers; that section must be exactly `notatgen templates
# --markdown`, and docs/datasaet.md exactly `notatgen templates --datasaet`,
# so the documentation cannot drift from the modules' declarations.
# Regenerate both with tools/update-templates-readme.sh.
set -euo pipefail
rm -rf "$WORK"
mkdir -p "$WORK"
readme="$SRC/templates/README.md"

grep -qx '<!-- registry:begin -->' "$readme"
grep -qx '<!-- registry:end -->' "$readme"
sed -n '/^<!-- registry:begin -->$/,/^<!-- registry:end -->$/p' "$readme" | sed '1d;$d' \
    >"$WORK/readme_section.md"
"$NOTATGEN" templates --markdown >"$WORK/generated.md"

if ! diff -u "$WORK/readme_section.md" "$WORK/generated.md"; then
    echo "templates/README.md is out of date: replace the section between the registry" >&2
    echo "markers with the output of 'notatgen templates --markdown'" >&2
    exit 1
fi

"$NOTATGEN" templates --datasaet >"$WORK/datasaet.md"
if ! diff -u "$SRC/docs/datasaet.md" "$WORK/datasaet.md"; then
    echo "docs/datasaet.md is out of date: run tools/update-templates-readme.sh" >&2
    exit 1
fi

# the plain listing names every registered value, table and figure too
"$NOTATGEN" templates >"$WORK/plain.txt"
for name in aar aendring_tilgang_afgang_udgift taerskler refusion_aar refusion_aar_figur; do
    grep -q "^  $name " "$WORK/plain.txt" || { echo "missing $name in plain listing" >&2; exit 1; }
done

# an unknown argument is a usage error (exit 2)
set +e
"$NOTATGEN" templates --bogus 2>"$WORK/err.txt"
rc=$?
set -e
[ "$rc" -eq 2 ] || { echo "expected exit 2, got $rc" >&2; exit 1; }
grep -q "ukendt argument '--bogus'" "$WORK/err.txt"
echo "ok"
