#!/usr/bin/env bash
# The demo command: installs dependencies, then starts the demo and the
# local test IdP on embedded defaults (memory stores, generated keys).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/bootstrap.sh
cd apps/demo
exec pnpm exec tsx src/main.ts
