#!/usr/bin/env bash
# Builds notatgen and runs the main job on the bundled example (Randers
# Kommune, synthetic extract): the history from before the tool is imported,
# the follow-up of 30 September 2025 is run, then the one of 31 October 2025,
# whose memo compares the two. Outputs: examples/out/2025-10-31/ (and
# examples/out/latest).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DNG_WERROR=ON >/dev/null
cmake --build build -j"$(nproc)" --target notatgen
ng=build/notatgen
cfg=examples/randers.ini
rm -rf examples/out
"$ng" history import -c "$cfg" examples/historik/refusion_maaned_2025.csv \
  examples/historik/refusion_aar_2022_2025.csv
"$ng" run -c "$cfg" --udtraek examples/sager_2025-09-30.csv
"$ng" run -c "$cfg"
if [ -f examples/oekonomi.ini ]; then
  "$ng" run -c examples/oekonomi.ini
fi
echo
echo "Skrevet:"
ls -l examples/out/latest/
