"""Celery tasks of the agreements; the beat schedule is CELERY_BEAT_SCHEDULE in settings."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from agreements.services import afstemming_mails_send


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5)
def send_afstemming_mails() -> dict[str, int]:
    """The daily afstemming e-mails; the service keeps them to one per user and kind per day."""
    sent = afstemming_mails_send()
    return {"regio": sent.regio, "adviseur": sent.adviseur}
