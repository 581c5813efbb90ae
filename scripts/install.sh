#!/usr/bin/env bash
# Create .venv and install the Python requirements; with --dev also the test tools, Debian's Chromium, LibreOffice
# and Node.js, and the OpenID Connect provider the tests sign in against (npm, locked in accounts/tests/oidc_provider/).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
if [ "${1:-}" = "--dev" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
  # Debian's Chromium for the browser tests, Node.js for the OpenID Connect provider they sign in against,
  # LibreOffice (no GUI) to open exported spreadsheets as a user would.
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  # Only what is missing: a Node.js from elsewhere (e.g. NodeSource, which brings its own npm) conflicts with
  # Debian's npm package, and apt would then refuse Chromium too.
  PACKAGES=""
  { [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; } || PACKAGES="chromium chromium-driver"
  command -v node >/dev/null || PACKAGES="$PACKAGES nodejs"
  command -v npm >/dev/null || PACKAGES="$PACKAGES npm"
  if [ -n "$PACKAGES" ]; then
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $PACKAGES >/dev/null
  fi
  # The test OpenID Connect provider (npm oidc-provider), exactly as locked in its package-lock.json.
  if [ ! -d accounts/tests/oidc_provider/node_modules/oidc-provider ]; then
    npm ci --prefix accounts/tests/oidc_provider --no-audit --no-fund --silent
  fi
  if [ ! -x /usr/bin/soffice ]; then
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null
  fi
else
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
fi
