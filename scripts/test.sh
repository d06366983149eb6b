#!/usr/bin/env bash
# The test command: installs everything the tests need, type-checks and
# builds every package, runs every jest suite (the browser test included)
# and prints one closing line with the totals.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/bootstrap.sh
bash scripts/ensure-chromium.sh

rm -f packages/*/.jest-results.json apps/*/.jest-results.json

# Private Redis and PostgreSQL for the store tests; stopped on exit unless
# they were already running before this command (then they are not ours).
if bash scripts/services.sh status 2>/dev/null; then
  echo "test: using the services already started by scripts/services.sh"
else
  trap 'bash scripts/services.sh stop' EXIT
fi
service_env=$(bash scripts/services.sh start)
eval "$service_env"

echo "test: type-checking"
pnpm exec turbo run typecheck --output-logs=errors-only

echo "test: building and loading every package from CommonJS and ESM"
pnpm exec turbo run build --output-logs=errors-only
node scripts/check-dist.mjs

echo "test: running the suites"
status=0
pnpm exec turbo run test --concurrency=2 --continue --output-logs=full || status=$?

node scripts/summarize-tests.cjs || status=1
exit "$status"
