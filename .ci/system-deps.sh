#!/usr/bin/env bash
# Debian/Ubuntu packages the tests need: Qt's runtime libraries, a virtual X server, xdotool
# and a window manager (openbox) for the end-to-end desk test, poppler (pdftoppm) to rasterise
# PDFs, LibreOffice to open exported CSVs, and PostgreSQL for the shared-server tests. Run as
# root.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
packages=(
  libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core libpulse0
  xvfb xauth xdotool x11-apps imagemagick libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libx11-xcb1
  openbox poppler-utils libreoffice-calc-nogui postgresql
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
