#!/usr/bin/env bash
# Renders the sample digest (the golden HTML of the unit tests, tests/fixtures/digest/) in headless
# Chromium and saves the screenshot as docs/digest.png, so that the docs show what the team gets.
#   scripts/digest-screenshot.sh [HTML_FILE] [PNG_FILE]
# The window is 900 px wide (a mail client's reading pane) and tall enough for the whole sample
# (DIGEST_SCREENSHOT_HEIGHT, default 1960).
# Installs Debian's chromium when it is missing (needs root). Chromium runs with networking of its
# own turned off; the digest itself loads nothing from outside.
set -euo pipefail
cd "$(dirname "$0")/.."

html="${1:-tests/fixtures/digest/digest_ru.html}"
png="${2:-docs/digest.png}"

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "chromium is not installed; run as root or: apt-get install -y chromium" >&2
    exit 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
fi

profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
mkdir -p "$(dirname "$png")"
chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
  --disable-sync --no-first-run --hide-scrollbars --user-data-dir="$profile" \
  --screenshot="$(realpath -m "$png")" --window-size="900,${DIGEST_SCREENSHOT_HEIGHT:-1960}" "file://$(realpath "$html")" 2>/dev/null
echo "wrote $png"
