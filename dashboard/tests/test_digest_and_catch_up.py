"""The scheduled run mails the digest; a run missed while the broker was down is caught up."""

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.utils import timezone

from accounts.roles import Role
from agreements.models import AgreementStatus, Status
from dashboard import tasks
from dashboard.models import DashboardSnapshot
from regions.models import Region

pytestmark = pytest.mark.django_db


def test_beat_catches_up_every_hour_and_the_monthly_run_sends_the_digest():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["rebuild-dashboard-monthly"]["kwargs"] == {"send_digest": True}
    assert schedule["rebuild-dashboard-if-missing"]["task"] == tasks.rebuild_dashboard_if_missing.name
    assert schedule["rebuild-dashboard-if-missing"]["schedule"] == crontab(minute=35)


def test_the_scheduled_rebuild_mails_vng_staff_who_moved_and_who_lags_now(reference_data, make_user):
    make_user(Role.VNG_MEDEWERKER, email="vng@example.org")
    zeeland = Region.objects.get(slug="zeeland")
    AgreementStatus.objects.filter(region=zeeland).update(status=Status.GEREALISEERD)

    tasks.rebuild_dashboard.apply(kwargs={"send_digest": True}).get()

    [message] = mail.outbox
    assert message.to == ["vng@example.org"]
    assert "1 vooruit" in message.subject
    assert "Zeeland" in message.body
    assert f"/dashboard/?maand={timezone.localdate():%Y-%m}" in message.body


def test_a_manual_rebuild_sends_no_mail(reference_data, make_user):
    make_user(Role.VNG_MEDEWERKER, email="vng@example.org")
    tasks.rebuild_dashboard.apply().get()
    assert mail.outbox == []


def test_the_catch_up_builds_a_missing_month_once_and_never_rebuilds_it(reference_data, make_user):
    make_user(Role.VNG_MEDEWERKER, email="vng@example.org")
    snapshot_id = tasks.rebuild_dashboard_if_missing.apply().get()
    snapshot = DashboardSnapshot.objects.get(pk=snapshot_id)
    assert snapshot.month == timezone.localdate().replace(day=1)
    assert len(mail.outbox) == 1

    assert tasks.rebuild_dashboard_if_missing.apply().get() is None
    assert DashboardSnapshot.objects.get().built_at == snapshot.built_at
    assert len(mail.outbox) == 1
