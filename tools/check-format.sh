#!/usr/bin/env bash
# Fails when a C source or header of the project is not as clang-format
# (with the repository's .clang-format) would write it; lists the places.
# ctest runs it as the test code_format. To fix: clang-format -i FILE...
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find generator include tests bench tools -name '*.[ch]' -not -path '*/corpus/*' -not -path 'bench/build/*' | sort)
if [ ${#files[@]} -eq 0 ]; then
  echo "check-format: no C files found" >&2
  exit 1
fi
clang-format --dry-run --Werror "${files[@]}"
echo "check-format: ${#files[@]} files formatted as .clang-format says"
