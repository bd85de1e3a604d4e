#!/usr/bin/env bash
# Installs everything notatgen needs to build, run and test on Debian 12 (as root).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
packages=(
  build-essential cmake pkg-config clang clang-format libclang-rt-14-dev
  libcsv-dev libinih-dev libcmocka-dev libhpdf-dev libxlsxwriter-dev
  libcmark-gfm-dev libcmark-gfm-extensions-dev libcurl4-openssl-dev libsqlite3-dev
  libjansson-dev libfontconfig-dev fontconfig fonts-liberation2 zlib1g-dev libssl-dev openssl
  libhyphen-dev hyphen-da icc-profiles-free
  poppler-utils qpdf python3 python3-openpyxl python3-aiosmtpd python3-pikepdf python3-pil
  libreoffice-calc-nogui time strace unzip
  python3-pandas python3-reportlab python3-renderpm python3-xlsxwriter
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
fi
