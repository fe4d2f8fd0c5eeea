#!/usr/bin/env bash
# Install what the browser tests (tests/browser, marker "browser") need: Debian's Chromium and its driver.
# Playwright drives /usr/bin/chromium; it never downloads a browser of its own. Safe to re-run: does nothing
# when Chromium is already there. Needs root (or sudo) and Debian's package mirror.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
/usr/bin/chromium --version
