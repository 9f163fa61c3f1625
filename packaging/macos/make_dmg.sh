#!/bin/sh
# macOS disk image from the app bundle. NOT RUN HERE: .github/workflows/release.yml runs it on a
# macOS runner, after `python tools/build_bundle.py` made dist/checkin.app:
#   sh packaging/macos/make_dmg.sh        -> dist/checkin-<version>-macos-<arch>.dmg
# The .app declares the .checkin file type (tools/bundle_spec.py, info_plist): a double-clicked
# event file arrives as the app's one argument and opens in the desk.
# Unsigned: the first start needs right-click > Open (or signing and notarising with an Apple
# Developer ID: codesign --deep --options runtime, then xcrun notarytool submit).
set -eu
cd "$(dirname "$0")/../.."
app=dist/checkin.app
[ -d "$app" ] || { echo "make_dmg: $app is missing: run python tools/build_bundle.py first" >&2; exit 1; }
version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' checkin/__init__.py)
arch=$(uname -m)
staging=build/dmg
rm -rf "$staging"
mkdir -p "$staging"
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"
hdiutil create -volname "checkin $version" -srcfolder "$staging" -ov -format UDZO \
  "dist/checkin-$version-macos-$arch.dmg"
echo "dist/checkin-$version-macos-$arch.dmg"
