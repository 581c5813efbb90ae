#!/usr/bin/env bash
# Refresh the vendored NL Design System component CSS from the npm registry.
# Usage: scripts/update_nlds.sh [version]   (default: the version in static/vendor/nl-design-system/VERSIONS.md)
# Afterwards update the version in VERSIONS.md and README, and run scripts/test.sh (the axe check).
set -euo pipefail
cd "$(dirname "$0")/.."
PACKAGE=@utrecht/component-library-css
VERSION="${1:-$(sed -n 's/^| `@utrecht\/component-library-css` | \([0-9.]*\) .*/\1/p' static/vendor/nl-design-system/VERSIONS.md)}"
DEST=static/vendor/nl-design-system
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
(cd "$TMP" && npm pack --silent "$PACKAGE@$VERSION" >/dev/null && tar xzf ./*.tgz)
[ "$(sed -n 's/.*"license": "\(.*\)".*/\1/p' "$TMP/package/package.json")" = "EUPL-1.2" ] || { echo "licence changed, check it" >&2; exit 1; }
cp "$TMP/package/dist/index.css" "$TMP/package/LICENSE.md" "$DEST/"
echo "Copied $PACKAGE@$VERSION into $DEST"
