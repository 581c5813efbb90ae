"""Celery tasks of the dashboard; the beat schedule is CELERY_BEAT_SCHEDULE in settings."""

import logging
from datetime import date

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from dashboard.services import dashboard_monthly_run, dashboard_rebuild

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def rebuild_dashboard(month: str | None = None) -> int:
    """Rebuild the snapshot of `month` ("YYYY-MM", default: the current month); returns the snapshot id.

    Retries with exponential backoff while the database is unavailable (e.g. a restart of PostgreSQL).
    A rebuild by hand: it replaces the month and mails nothing (the scheduled job is monthly_run).
    """
    first = date.fromisoformat(f"{month}-01") if month else timezone.localdate().replace(day=1)
    return dashboard_rebuild(month=first).pk


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, retry_backoff_max=600, max_retries=8)
def monthly_run() -> list[str]:
    """The monthly job: beat runs it at 00:05 on the 1st and every hour as a catch-up; returns the months built.

    However often it runs (the day-1 run, the catch-up after a crash or a broker outage, a redelivered
    message that was never acknowledged) every month is built once and its digest mailed once.
    """
    built, digest_sent = dashboard_monthly_run()
    months = [f"{snapshot.month:%Y-%m}" for snapshot in built]
    if built or digest_sent:
        logger.info("Monthly run: built %s, digest %s", ", ".join(months) or "nothing", "sent" if digest_sent else "not sent")
    return months
