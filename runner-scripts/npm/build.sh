#!/usr/bin/env bash
# Bundles the Scripts' npm modules into <output dir> (the Maven build passes target/classes/scriptforge/npm).
# `npm ci` runs only when package-lock.json changed since the last install, and the bundles of a given
# lock + shims + bundler are cached under ~/.cache/scriptforge/npm-bundles: builds on 2 cores are slow.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(mkdir -p "$1" && cd "$1" && pwd)"
cache="${SCRIPTFORGE_CACHE:-$HOME/.cache/scriptforge}"

need() {
  echo "ERROR: $1 is needed to bundle the Scripts' npm modules (runner-scripts/npm)." >&2
  echo "       Install Node.js 20 or newer with npm: https://nodejs.org/en/download (or: apt-get install nodejs npm)." >&2
  exit 1
}
command -v node >/dev/null || need node
command -v npm >/dev/null || need npm
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)' || need "Node.js >= 18 (found $(node --version))"

cd "$here"
lock_hash="$(sha256sum package-lock.json | cut -c1-64)"
if [ "$(cat node_modules/.scriptforge-lock 2>/dev/null || true)" != "$lock_hash" ]; then
  # --ignore-scripts: no package's install script runs on the build machine (esbuild needs none).
  npm ci --cache "$cache/npm" --prefer-offline --ignore-scripts --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.scriptforge-lock
fi

inputs_hash="$( (echo "$lock_hash"; cat bundle.mjs build.sh shims/*.js) | sha256sum | cut -c1-64)"
bundles="$cache/npm-bundles/$inputs_hash"
if [ ! -f "$bundles/index.json" ]; then
  rm -rf "$bundles.tmp"
  node bundle.mjs "$bundles.tmp"
  rm -rf "$bundles" && mv "$bundles.tmp" "$bundles"
fi
cp "$bundles"/* "$out"/
