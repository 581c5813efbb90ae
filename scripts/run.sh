#!/usr/bin/env bash
# Install, migrate, load reference and demo data, and serve the app on http://127.0.0.1:${PORT:-8000}.
# Needs no server: without DATABASE_URL/REDIS_URL it uses SQLite and runs Celery tasks in-process.
# The demo runs like production (DEBUG off), so visitors see the Dutch error pages; it keeps a generated secret
# key in .demo-secret-key. Set DEBUG=true in the shell for Django's debug pages while developing.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
PORT="${PORT:-8000}"
[ -s .demo-secret-key ] || .venv/bin/python -c "import secrets; print(secrets.token_urlsafe(50))" > .demo-secret-key
export SECRET_KEY="${SECRET_KEY:-$(cat .demo-secret-key)}"
export DEBUG="${DEBUG:-false}" HTTPS_ONLY="${HTTPS_ONLY:-false}" TWO_FACTOR_REQUIRED="${TWO_FACTOR_REQUIRED:-false}"
export SITE_URL="${SITE_URL:-http://127.0.0.1:$PORT}"
# The demo shows the public dashboard of released months at /openbaar/.
export PUBLIC_DASHBOARD="${PUBLIC_DASHBOARD:-true}"
PY=.venv/bin/python
$PY manage.py migrate --noinput
$PY manage.py collectstatic --noinput -v 0
$PY manage.py load_reference_data
$PY manage.py load_demo_data --if-empty
echo "NvO Tracker draait op http://127.0.0.1:$PORT (demo-accounts: zie README)"
exec $PY manage.py runserver "127.0.0.1:$PORT"
