#!/usr/bin/env bash
# Install, migrate, load reference and demo data, and serve the app on http://127.0.0.1:8000.
# Needs no server: without DATABASE_URL/REDIS_URL it uses SQLite and runs Celery tasks in-process.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
export DEBUG="${DEBUG:-true}"
PY=.venv/bin/python
$PY manage.py migrate --noinput
$PY manage.py load_reference_data
$PY manage.py load_demo_data --if-empty
exec $PY manage.py runserver 127.0.0.1:8000
