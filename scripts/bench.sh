#!/usr/bin/env bash
# Runs one benchmark of bench/ with the private Redis and PostgreSQL of
# scripts/services.sh (started here when not already running, and then
# stopped at the end). Usage: scripts/bench.sh sessions
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/bootstrap.sh >/dev/null
if ! bash scripts/services.sh status >/dev/null 2>&1; then
  trap 'bash scripts/services.sh stop >/dev/null' EXIT
fi
eval "$(bash scripts/services.sh start)"
pnpm --filter @portcullis/bench run "$1"
