"""Celery tasks of the dashboard; the beat schedule is CELERY_BEAT_SCHEDULE in settings."""

from datetime import date

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from dashboard.models import DashboardSnapshot
from dashboard.services import dashboard_digest_send, dashboard_rebuild


@shared_task(
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def rebuild_dashboard(month: str | None = None, send_digest: bool = False) -> int:
    """Rebuild the snapshot of `month` ("YYYY-MM", default: the current month); returns the snapshot id.

    Retries with exponential backoff while the database is unavailable (e.g. a restart of PostgreSQL).
    With `send_digest` (the scheduled monthly run) VNG staff then get the monthly digest e-mail.
    """
    first = date.fromisoformat(f"{month}-01") if month else timezone.localdate().replace(day=1)
    snapshot = dashboard_rebuild(month=first)
    if send_digest:
        dashboard_digest_send(snapshot=snapshot)
    return snapshot.pk


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=8)
def rebuild_dashboard_if_missing() -> int | None:
    """Catch up on a missed monthly run: build this month's snapshot (and send the digest) only if it is missing.

    Beat runs this every hour. If Redis (the broker) was down at 00:05 on the 1st, the monthly run was never
    delivered; the first hourly run after the broker is back builds the month instead. An existing snapshot is
    never rebuilt here, so the peildatum of the month stays the moment of its first build.
    """
    if DashboardSnapshot.objects.filter(month=timezone.localdate().replace(day=1)).exists():
        return None
    return rebuild_dashboard(send_digest=True)
