#!/usr/bin/env bash
# Installs what the demo and the tests need on a fresh machine that has only
# Node.js and npm: pnpm at the version package.json pins, then the
# workspace's dependencies from the committed lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."

want=$(node -p "require('./package.json').packageManager.split('@')[1]")
have=$(pnpm --version 2>/dev/null || true)
if [ "$have" != "$want" ]; then
  echo "bootstrap: installing pnpm $want"
  npm install --global --no-audit --no-fund "pnpm@$want" >/dev/null
fi

echo "bootstrap: installing dependencies"
pnpm install --frozen-lockfile --reporter=append-only | tail -n 3
