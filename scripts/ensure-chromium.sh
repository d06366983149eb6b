#!/usr/bin/env bash
# Makes Debian's Chromium available for the browser tests. Test tools never
# download a browser of their own here; playwright-core drives this one.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "ensure-chromium: /usr/bin/chromium is missing; install Debian's" \
    "chromium package as root (apt-get install -y chromium)" >&2
  exit 1
fi

echo "ensure-chromium: installing Debian's chromium"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y --no-install-recommends chromium >/dev/null 2>&1; then
  apt-get update >/dev/null
  apt-get install -y --no-install-recommends chromium >/dev/null
fi
