#!/usr/bin/env bash
# Runs one benchmark of bench/ with the private Redis and PostgreSQL of
# scripts/services.sh (started here when not already running, and then
# stopped at the end). Usage: scripts/bench.sh sessions|tokens
# A bench without a script in bench/package.json runs bench/src/NAME.ts
# with tsx.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/bootstrap.sh >/dev/null
if ! bash scripts/services.sh status >/dev/null 2>&1; then
  trap 'bash scripts/services.sh stop >/dev/null' EXIT
fi
eval "$(bash scripts/services.sh start)"
if node -e 'process.exit(require("./bench/package.json").scripts[process.argv[1]] ? 0 : 1)' "$1"; then
  pnpm --filter @portcullis/bench run "$1"
else
  pnpm --filter @portcullis/bench exec tsx "src/$1.ts"
fi
