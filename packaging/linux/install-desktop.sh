#!/bin/sh
# Put checkin in this user's applications menu and make .checkin files open in it.
#   ./desktop/install-desktop.sh          (from the unpacked checkin folder; no root needed)
# Writes under ${XDG_DATA_HOME:-~/.local/share}: the menu entry, the icon and the file type.
set -eu
bundle=$(cd "$(dirname "$0")/.." && pwd)
here="$bundle/desktop"
data=${XDG_DATA_HOME:-$HOME/.local/share}
mkdir -p "$data/applications" "$data/mime/packages" "$data/icons/hicolor/256x256/apps"
sed "s|@BUNDLE@|$bundle|g" "$here/checkin.desktop" > "$data/applications/checkin.desktop"
cp "$here/checkin-mime.xml" "$data/mime/packages/checkin.xml"
cp "$bundle/_internal/resources/icons/checkin.png" "$data/icons/hicolor/256x256/apps/checkin.png"
if command -v update-mime-database >/dev/null; then update-mime-database "$data/mime"; fi
if command -v update-desktop-database >/dev/null; then
  update-desktop-database "$data/applications" || true
fi
if command -v xdg-mime >/dev/null; then
  xdg-mime default checkin.desktop application/x-checkin
elif command -v gio >/dev/null; then
  gio mime application/x-checkin checkin.desktop >/dev/null
fi
echo "checkin is in the applications menu; .checkin files open in it ($bundle)"
