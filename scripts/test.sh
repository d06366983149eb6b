#!/usr/bin/env bash
# The test command: installs everything the tests need, type-checks and
# builds every package, runs every jest suite (the browser test included)
# and prints one closing line with the totals.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/bootstrap.sh
bash scripts/ensure-chromium.sh

rm -f packages/*/.jest-results.json apps/*/.jest-results.json

echo "test: type-checking"
pnpm exec turbo run typecheck --output-logs=errors-only

echo "test: building and loading every package from CommonJS and ESM"
pnpm exec turbo run build --output-logs=errors-only
node scripts/check-dist.mjs

echo "test: running the suites"
status=0
pnpm exec turbo run test --concurrency=2 --output-logs=full || status=$?

node scripts/summarize-tests.cjs || status=1
exit "$status"
