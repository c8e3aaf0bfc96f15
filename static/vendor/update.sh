#!/usr/bin/env bash
# Rebuild static/vendor/ from static/package.json (+ package-lock.json).
#
# The portal runs on closed networks: every front-end file is served from
# this project, never from a CDN. This script fetches the pinned packages
# from the npm registry into a throw-away directory (no node_modules is
# left in the repo), copies only the files the site uses into
# static/vendor/, strips source-map comments (maps are not shipped), and
# writes the resulting package-lock.json back to static/.
#
# Usage:
#   static/vendor/update.sh          # install (lockfile honoured if it matches
#                                    # package.json), copy, refresh the lockfile
#   static/vendor/update.sh --ci     # strict: `npm ci` from the lockfile only
#
# To upgrade: edit the exact versions in static/package.json, run this
# script, review the diff of static/vendor/ and static/package-lock.json.
# Needs: bash, node + npm, access to the npm registry (build time only).
set -euo pipefail

MODE=install
case "${1:-}" in
    "") ;;
    --ci) MODE=ci ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
esac

VENDOR_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATIC_DIR="$(dirname "$VENDOR_DIR")"

command -v npm >/dev/null || { echo "npm is required" >&2; exit 1; }
[ -f "$STATIC_DIR/package.json" ] || { echo "missing $STATIC_DIR/package.json" >&2; exit 1; }

BUILD_DIR="$(mktemp -d "${TMPDIR:-/tmp}/pci-vendorbuild.XXXXXX")"
trap 'rm -rf "$BUILD_DIR"' EXIT

cp "$STATIC_DIR/package.json" "$BUILD_DIR/"
[ -f "$STATIC_DIR/package-lock.json" ] && cp "$STATIC_DIR/package-lock.json" "$BUILD_DIR/"

cd "$BUILD_DIR"
if [ "$MODE" = ci ]; then
    [ -f package-lock.json ] || { echo "--ci needs static/package-lock.json" >&2; exit 1; }
    npm ci --ignore-scripts --no-audit --no-fund
else
    npm install --ignore-scripts --no-audit --no-fund
fi

NM="$BUILD_DIR/node_modules"
STAGE="$BUILD_DIR/vendor"

# copy SRC DEST (relative to node_modules / staging dir)
put() {
    mkdir -p "$STAGE/$(dirname "$2")"
    cp "$NM/$1" "$STAGE/$2"
}

# Bootstrap (bundle = Bootstrap JS + Popper)
put bootstrap/dist/css/bootstrap.min.css       bootstrap/css/bootstrap.min.css
put bootstrap/dist/js/bootstrap.bundle.min.js  bootstrap/js/bootstrap.bundle.min.js
put bootstrap/LICENSE                          bootstrap/LICENSE
put @popperjs/core/LICENSE.md                  bootstrap/LICENSE.popperjs.md

# Bootstrap Icons: the css refers to url("fonts/bootstrap-icons.woff2?...")
put bootstrap-icons/font/bootstrap-icons.min.css     bootstrap-icons/bootstrap-icons.min.css
put bootstrap-icons/font/fonts/bootstrap-icons.woff2 bootstrap-icons/fonts/bootstrap-icons.woff2
put bootstrap-icons/font/fonts/bootstrap-icons.woff  bootstrap-icons/fonts/bootstrap-icons.woff
put bootstrap-icons/LICENSE                          bootstrap-icons/LICENSE

# htmx
put htmx.org/dist/htmx.min.js  htmx/htmx.min.js
put htmx.org/LICENSE           htmx/LICENSE

# Chart.js 4: UMD build (bundles @kurkle/color), exposes window.Chart
put chart.js/dist/chart.umd.min.js  chartjs/chart.umd.min.js
put chart.js/LICENSE.md             chartjs/LICENSE.md
put @kurkle/color/LICENSE.md        chartjs/LICENSE.kurkle-color.md

# Maps are not shipped: drop the comments that point at them.
find "$STAGE" -type f \( -name '*.js' -o -name '*.css' \) -print0 |
    xargs -0 sed -i -E '/^[[:space:]]*(\/\/# sourceMappingURL=.*|\/\*# sourceMappingURL=.*\*\/)[[:space:]]*$/d'

# Check: nothing a browser would fetch from outside the site.
fail=0
if grep -rlE 'sourceMappingURL' "$STAGE"; then
    echo "ERROR: source-map reference left in the files above" >&2; fail=1
fi
if grep -rnoE 'url\([[:space:]]*["'"'"']?(https?:)?//[^)]*\)|@import' --include='*.css' "$STAGE"; then
    echo "ERROR: css loads something from outside the site (above)" >&2; fail=1
fi
if grep -rnoE "https?://[^\"' )]*" --include='*.css' --include='*.js' "$STAGE" |
    grep -vE 'https?://(www\.w3\.org/|getbootstrap\.com|icons\.getbootstrap\.com|github\.com/(twbs|floating-ui|kurkle)/|www\.chartjs\.org|htmx\.org)'; then
    echo "ERROR: unexpected URL in the files above (review, then extend the allow-list)" >&2; fail=1
fi
[ "$fail" = 0 ] || exit 1

# Replace only the directories this script manages (keeps update.sh).
for d in bootstrap bootstrap-icons htmx chartjs; do
    rm -rf "${VENDOR_DIR:?}/$d"
    cp -R "$STAGE/$d" "$VENDOR_DIR/$d"
done
cp "$BUILD_DIR/package-lock.json" "$STATIC_DIR/package-lock.json"

echo "Vendored versions:"
node -e '
const lock = require(process.argv[1]);
for (const n of ["bootstrap", "bootstrap-icons", "htmx.org", "chart.js", "@popperjs/core", "@kurkle/color"])
  console.log("  " + n + " " + lock.packages["node_modules/" + n].version);
' "$STATIC_DIR/package-lock.json"
echo "Files:"
(cd "$VENDOR_DIR" && find . -type f ! -name update.sh | sort | xargs ls -l | awk '{printf "  %10d  %s\n", $5, $9}')
