"""Celery tasks of the dashboard; the beat schedule is CELERY_BEAT_SCHEDULE in settings."""

from datetime import date

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from dashboard.services import dashboard_rebuild


@shared_task(
    autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, retry_backoff_max=600, max_retries=8,
)
def rebuild_dashboard(month: str | None = None) -> int:
    """Rebuild the snapshot of `month` ("YYYY-MM", default: the current month); returns the snapshot id.

    Retries with exponential backoff while the database is unavailable (e.g. a restart of PostgreSQL).
    """
    first = date.fromisoformat(f"{month}-01") if month else timezone.localdate().replace(day=1)
    return dashboard_rebuild(month=first).pk
