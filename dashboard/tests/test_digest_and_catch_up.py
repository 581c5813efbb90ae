"""The scheduled job builds every month once and mails its digest once, however often it runs (issue 18).

After a crash the day-1 run, the hourly catch-up and the redelivered message all reach the same month.
"""

import threading
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.roles import Role
from agreements.models import AgreementStatus, Status
from core.dates import months_earlier
from dashboard import tasks
from dashboard.models import DashboardSnapshot, MonthlyDigest
from dashboard.services import dashboard_month_ensure, dashboard_rebuild
from regions.models import Region

pytestmark = pytest.mark.django_db


def test_beat_runs_the_monthly_job_on_the_first_and_catches_up_every_hour():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["rebuild-dashboard-monthly"]["task"] == tasks.monthly_run.name
    assert schedule["rebuild-dashboard-monthly"]["schedule"] == crontab(minute=5, hour=0, day_of_month=1)
    assert schedule["rebuild-dashboard-catch-up"]["task"] == tasks.monthly_run.name
    assert schedule["rebuild-dashboard-catch-up"]["schedule"] == crontab(minute=35)


def test_the_monthly_job_mails_vng_staff_who_moved_and_who_lags_now(reference_data, make_user):
    make_user(Role.VNG_MEDEWERKER, email="vng@example.org")
    zeeland = Region.objects.get(slug="zeeland")
    AgreementStatus.objects.filter(region=zeeland).update(status=Status.GEREALISEERD)

    tasks.monthly_run.apply().get()

    [message] = mail.outbox
    assert message.to == ["vng@example.org"]
    assert "1 vooruit" in message.subject
    assert "Zeeland" in message.body
    assert f"/dashboard/?maand={timezone.localdate():%Y-%m}" in message.body
    assert MonthlyDigest.objects.get().recipients == 1


def test_a_manual_rebuild_sends_no_mail(reference_data, make_user):
    make_user(Role.VNG_MEDEWERKER, email="vng@example.org")
    tasks.rebuild_dashboard.apply().get()
    assert mail.outbox == []


def test_day_one_run_catch_up_and_redelivery_build_the_month_once_and_mail_it_once(reference_data, make_user, this_month):
    make_user(Role.VNG_MEDEWERKER, email="vng@example.org")
    # The worker was killed during the 00:05 run: its transaction was rolled back, nothing is left of it.
    assert tasks.monthly_run.apply().get() == [f"{this_month:%Y-%m}"]  # the hourly catch-up
    snapshot = DashboardSnapshot.objects.get()
    assert len(mail.outbox) == 1

    AgreementStatus.objects.update(status=Status.IN_UITVOERING)  # work goes on after the month was frozen
    assert tasks.monthly_run.apply().get() == []  # the unacknowledged 00:05 message, delivered again
    assert tasks.monthly_run.apply().get() == []  # and the next catch-up
    again = DashboardSnapshot.objects.get()
    assert (again.pk, again.peildatum, again.built_at) == (snapshot.pk, snapshot.peildatum, snapshot.built_at)
    assert again.national_counts == snapshot.national_counts
    assert len(mail.outbox) == 1 and MonthlyDigest.objects.count() == 1


def test_a_month_built_before_a_crash_gets_its_digest_from_the_next_run_without_a_rebuild(reference_data, make_user, this_month):
    make_user(Role.VNG_MEDEWERKER, email="vng@example.org")
    built, _ = dashboard_month_ensure(month=this_month)  # the run died after the build, before the mail
    assert tasks.monthly_run.apply().get() == []
    assert DashboardSnapshot.objects.get().built_at == built.built_at
    assert len(mail.outbox) == 1


def test_a_failed_mail_is_not_recorded_so_the_next_run_sends_it(reference_data, make_user, settings):
    make_user(Role.VNG_MEDEWERKER, email="vng@example.org")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there
    with pytest.raises(OSError):
        tasks.monthly_run.apply(throw=True).get()
    assert DashboardSnapshot.objects.count() == 1 and not MonthlyDigest.objects.exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert tasks.monthly_run.apply().get() == []
    assert len(mail.outbox) == 1 and MonthlyDigest.objects.count() == 1


def test_the_catch_up_builds_every_missed_month_oldest_first_and_mails_only_the_current_one(reference_data, make_user, this_month):
    make_user(Role.VNG_MEDEWERKER, email="vng@example.org")
    dashboard_rebuild(month=months_earlier(this_month, 3))  # the worker was down for the last two runs and this one

    missed = [months_earlier(this_month, back) for back in (2, 1, 0)]
    assert tasks.monthly_run.apply().get() == [f"{month:%Y-%m}" for month in missed]

    months = list(DashboardSnapshot.objects.order_by("month").values_list("month", flat=True))
    assert months == [months_earlier(this_month, 3), *missed]
    for month in missed[:2]:  # a past month shows the state at its start, like its own day-1 run would have
        snapshot = DashboardSnapshot.objects.get(month=month)
        assert snapshot.peildatum == datetime.combine(month, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))
    assert [message.subject for message in mail.outbox] == [mail.outbox[0].subject]
    assert list(MonthlyDigest.objects.values_list("month", flat=True)) == [this_month]


def test_a_new_installation_builds_only_the_current_month(reference_data, this_month):
    assert tasks.monthly_run.apply().get() == [f"{this_month:%Y-%m}"]
    assert list(DashboardSnapshot.objects.values_list("month", flat=True)) == [this_month]


def test_the_database_refuses_a_second_digest_record_for_a_month(this_month):
    MonthlyDigest.objects.create(month=this_month, sent_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyDigest.objects.create(month=this_month, sent_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyDigest.objects.create(month=this_month.replace(day=2), sent_at=timezone.now())


def _lock_waiters() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")
        return cursor.fetchone()[0]


def _race(table: str, runs: int = 2) -> list:
    """Start `runs` monthly runs at once, held at the insert into `table` until all of them got there."""
    import psycopg

    from operations.tests.servers import database_url, wait_until

    outcomes = []

    def run():
        try:
            outcomes.append(tasks.monthly_run.apply(throw=True).get())
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            outcomes.append(error)
        finally:
            connection.close()

    with psycopg.connect(database_url().replace("postgres://", "postgresql://")) as holder:
        holder.execute(f"LOCK TABLE {table} IN SHARE MODE")  # reads pass, inserts wait
        threads = [threading.Thread(target=run) for _ in range(runs)]
        for thread in threads:
            thread.start()
        wait_until(lambda: _lock_waiters() >= runs, timeout=60, message="the runs did not reach the insert")
        holder.rollback()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_build_the_month_once(reference_data, this_month):
    outcomes = _race("dashboard_dashboardsnapshot")
    assert sorted(outcomes, key=len) == [[], [f"{this_month:%Y-%m}"]]
    assert DashboardSnapshot.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_mail_the_digest_once(reference_data, make_user, this_month):
    make_user(Role.VNG_MEDEWERKER, email="vng@example.org")
    dashboard_rebuild(month=this_month)
    assert _race("dashboard_monthlydigest") == [[], []]
    assert len(mail.outbox) == 1 and MonthlyDigest.objects.count() == 1
