#!/usr/bin/env bash
# Install everything (Python packages, Debian's Chromium) and run the full test suite
# against the local PostgreSQL and Redis, which it starts when they are not running.
# Before the tests: missing migrations and ruff (including the security rules) fail the run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh --dev
scripts/services.sh
PY=.venv/bin/python
DEBUG=true $PY manage.py makemigrations --check --dry-run >/dev/null
.venv/bin/ruff check .
exec .venv/bin/pytest "$@"
