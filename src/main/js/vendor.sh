#!/usr/bin/env bash
# Puts the browser players that are not served as WebJars into the player page's webroot (run by
# Maven in generate-resources; OUT is target/classes/webroot/vendor). Today: dash.js, pinned with its
# integrity in package-lock.json here, installed with npm from the registry npm is configured for.
# Without npm, or when npm cannot reach a registry, the build goes on: the server still serves
# LL-DASH, and the player page offers HLS only (it looks for vendor/dashjs/dash.all.min.js).
set -uo pipefail
OUT=${1:?usage: vendor.sh OUT_DIR}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$HERE/../../../target/player-vendor
if [ -f "$OUT/dashjs/dash.all.min.js" ] && [ "$OUT/dashjs/dash.all.min.js" -nt "$HERE/package-lock.json" ]; then
  exit 0
fi
if ! command -v npm > /dev/null; then
  echo "[vendor] npm not found: the player page will offer HLS only (dash.js is fetched with npm)" >&2
  exit 0
fi
mkdir -p "$WORK"
cp "$HERE/package.json" "$HERE/package-lock.json" "$WORK/"
if ! (cd "$WORK" && timeout 300 npm ci --no-audit --no-fund --ignore-scripts --loglevel=error > npm.log 2>&1); then
  echo "[vendor] npm ci failed (see target/player-vendor/npm.log): the player page will offer HLS only" >&2
  exit 0
fi
mkdir -p "$OUT/dashjs"
cp "$WORK/node_modules/dashjs/dist/modern/umd/dash.all.min.js" "$OUT/dashjs/"
cp "$WORK/node_modules/dashjs/LICENSE.md" "$OUT/dashjs/LICENSE.md" 2>/dev/null || true
echo "[vendor] dash.js $(node -p "require('$WORK/node_modules/dashjs/package.json').version" 2>/dev/null) -> $OUT/dashjs" >&2
