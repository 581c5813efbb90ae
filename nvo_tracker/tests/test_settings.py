"""The settings start from a copied `.env.example` as its first line promises, and it documents every variable."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / ".env.example"
VARIABLE = re.compile(r"^#?\s*([A-Z][A-Z0-9_]+)=", re.MULTILINE)


def _example_values() -> dict[str, str]:
    """The uncommented `NAME=value` lines, as `cp .env.example .env` gives them to the settings."""
    values = {}
    for line in EXAMPLE.read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            values[name.strip()] = value.strip()
    return values


def _settings_from(environment: dict[str, str]) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], 'name': str(s.DATABASES['default']['NAME']), "
        "'email': s.EMAIL_BACKEND, 'eager': s.CELERY_TASK_ALWAYS_EAGER, 'cache': s.CACHES['default']['BACKEND'], "
        "'session_age': s.SESSION_COOKIE_AGE, 'debug': s.DEBUG}))"
    )
    keep = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**keep, "DJANGO_SETTINGS_MODULE": "nvo_tracker.settings", **environment},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_copied_env_example_gives_the_embedded_setup():
    loaded = _settings_from(_example_values())
    assert loaded["engine"] == "django.db.backends.sqlite3" and loaded["name"].endswith("db.sqlite3")
    assert loaded["email"] == "django.core.mail.backends.console.EmailBackend"
    assert loaded["eager"] is True  # no Redis: tasks run in-process instead of silently never
    assert loaded["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert loaded["session_age"] == 30 * 60 and loaded["debug"] is True


def test_filled_in_values_override_the_defaults():
    loaded = _settings_from(
        {
            **_example_values(),
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/elders",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "EMAIL_URL": "smtp://127.0.0.1:2525",
            "REDIS_URL": "redis://127.0.0.1:6379/9",
        }
    )
    assert loaded["engine"] == "django.db.backends.postgresql" and loaded["name"] == "elders"
    assert loaded["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert loaded["eager"] is False
    assert loaded["cache"] == "operations.cache.FailSoftRedisCache"


def test_env_example_documents_exactly_the_variables_the_settings_read():
    documented = set(VARIABLE.findall(EXAMPLE.read_text()))
    assert documented == set(settings.ENVIRONMENT_VARIABLES)
    assert all(help_text for help_text in settings.ENVIRONMENT_VARIABLES.values())


def test_production_refuses_to_start_without_a_secret_key():
    keep = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**keep, "DJANGO_SETTINGS_MODULE": "nvo_tracker.settings", "DEBUG": "false", "SECRET_KEY": ""},
    )
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr
