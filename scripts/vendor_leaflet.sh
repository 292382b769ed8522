#!/usr/bin/env bash
# Vendors Leaflet from the npm registry into the app's static files (no CDN: users may be offline).
set -euo pipefail
VERSION="${1:-1.9.4}"
TARGET="$(dirname "$0")/../oasis/www/static/vendor/leaflet"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack "leaflet@$VERSION" --silent >/dev/null && tar xzf "leaflet-$VERSION.tgz")
rm -rf "$TARGET" && mkdir -p "$TARGET/images"
cp "$WORK/package/dist/leaflet.js" "$WORK/package/dist/leaflet.css" "$TARGET/"
cp "$WORK/package/dist/images/"*.png "$TARGET/images/"
cp "$WORK/package/LICENSE" "$TARGET/LICENSE"
echo "$VERSION" > "$TARGET/VERSION"
echo "Leaflet $VERSION copié dans $TARGET"
