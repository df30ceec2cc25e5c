#!/usr/bin/env bash
# Installs Debian's chromium for the end-to-end tests (test/e2e), which drive it with
# playwright-core. Idempotent: does nothing when /usr/bin/chromium exists.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y --no-install-recommends chromium; then
  # A fresh image has no package lists yet.
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends chromium
fi
/usr/bin/chromium --version || true
