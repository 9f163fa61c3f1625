#!/usr/bin/env bash
# Debian/Ubuntu packages the tests need: Qt's runtime libraries, a virtual X server and
# xdotool for the end-to-end desk test, poppler (pdftoppm) to rasterise PDFs, LibreOffice to
# open exported CSVs, PostgreSQL for the shared-server tests, GLib's gio with the MIME database
# (the bundle test opens an event file as a file manager does), openbox (the bundle and desk
# end-to-end tests run under a window manager), and binutils (the bundle's libraries are
# stripped). Runs apt-get as root: through sudo when started by another user.
set -euo pipefail
if [ "$(id -u)" != 0 ]; then exec sudo bash "$0" "$@"; fi
export DEBIAN_FRONTEND=noninteractive
packages=(
  libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core libpulse0
  xvfb xauth xdotool x11-apps imagemagick libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libx11-xcb1
  poppler-utils libreoffice-calc-nogui postgresql libglib2.0-bin shared-mime-info binutils openbox
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
