#!/usr/bin/env bash
# Vendors the Système de design de l'État (@gouvfr/dsfr) from the npm registry into the app's static files
# (no CDN: agents may be offline or behind a proxy). Only what the compiled stylesheet and scripts reference is kept:
# the stylesheet, the module and nomodule scripts, the Marianne and Spectral fonts, the icons the components use, the
# favicons and the licence.
set -euo pipefail
VERSION="${1:-1.15.3}"
TARGET="$(dirname "$0")/../oasis/www/static/vendor/dsfr"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack "@gouvfr/dsfr@$VERSION" --silent >/dev/null && tar xzf "gouvfr-dsfr-$VERSION.tgz")
DIST="$WORK/package/dist"
rm -rf "$TARGET" && mkdir -p "$TARGET"
cp "$DIST/dsfr.min.css" "$DIST/dsfr.module.min.js" "$DIST/dsfr.nomodule.min.js" "$TARGET/"
cp -r "$DIST/fonts" "$DIST/favicon" "$TARGET/"
# The icons the stylesheet itself points to (url(icons/…)), nothing else.
grep -o 'url(icons/[^)]*)' "$DIST/dsfr.min.css" | sed 's/^url(//; s/)$//' | sort -u | while read -r icon; do
  mkdir -p "$TARGET/$(dirname "$icon")" && cp "$DIST/$icon" "$TARGET/$icon"
done
# Icon families used by the pages (fr-icon-…), with the pictures they point to (url(../../../icons/…)).
for family in system user document map business; do
  css="utility/icons/icons-$family/icons-$family.min.css"
  mkdir -p "$TARGET/$(dirname "$css")" && cp "$DIST/$css" "$TARGET/$css"
  grep -o 'url(\.\./\.\./\.\./icons/[^)]*)' "$DIST/$css" | sed 's/^url(\.\.\/\.\.\/\.\.\///; s/)$//' | sort -u | while read -r icon; do
    mkdir -p "$TARGET/$(dirname "$icon")" && cp "$DIST/$icon" "$TARGET/$icon"
  done
done
cp "$WORK/package/LICENSE.md" "$TARGET/LICENSE.md"
echo "$VERSION" > "$TARGET/VERSION"
echo "DSFR $VERSION copié dans $TARGET"
