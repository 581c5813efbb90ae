#!/usr/bin/env bash
# Install everything (Python packages, Debian's Chromium) and run the full test suite
# against the local PostgreSQL and Redis, which it starts when they are not running.
# Before the tests: missing migrations, an upward import between the app layers (import-linter, see
# docs/development.md), ruff (including the security rules) and unformatted code fail the run.
# Arguments go to pytest, e.g. the fast subset for development: scripts/test.sh -m "not browser and not worker and not faults"
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh --dev
scripts/services.sh
PY=.venv/bin/python
DEBUG=true $PY manage.py makemigrations --check --dry-run >/dev/null
.venv/bin/lint-imports --no-cache >/dev/null || .venv/bin/lint-imports --no-cache
.venv/bin/ruff check .
.venv/bin/ruff format --check --quiet .
exec .venv/bin/pytest "$@"
