#!/usr/bin/env bash
# Regenerates the list of names in templates/README.md (between the registry
# markers) from `notatgen templates --markdown`, and docs/datasaet.md from
# `notatgen templates --datasaet`. Usage: tools/update-templates-readme.sh [NOTATGEN]
set -euo pipefail
cd "$(dirname "$0")/.."
ng=${1:-build/notatgen}
readme=templates/README.md
generated=$(mktemp)
"$ng" templates --markdown >"$generated"
awk -v gen="$generated" '
  /^<!-- registry:begin -->$/ { print; while ((getline line < gen) > 0) print line; skip = 1; next }
  /^<!-- registry:end -->$/ { skip = 0 }
  !skip { print }
' "$readme" >"$readme.new"
mv "$readme.new" "$readme"
rm -f "$generated"
"$ng" templates --datasaet >docs/datasaet.md
