import io
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.utils import timezone

from agreements.models import Agreement
from dashboard import tasks
from dashboard.models import DashboardSnapshot
from nvo_tracker.celery import app as celery_app
from regions.models import Region

pytestmark = pytest.mark.django_db
PROJECT_DIR = Path(__file__).resolve().parents[2]


def test_beat_runs_the_rebuild_at_five_past_midnight_amsterdam_on_the_first_of_every_month():
    entry = settings.CELERY_BEAT_SCHEDULE["rebuild-dashboard-monthly"]
    assert entry["task"] == tasks.monthly_run.name == "dashboard.tasks.monthly_run"
    assert entry["schedule"] == crontab(minute=5, hour=0, day_of_month=1)
    assert celery_app.conf.timezone == "Europe/Amsterdam"
    assert entry["task"] in celery_app.tasks


def test_the_task_rebuilds_the_current_month_by_default_and_a_given_month(reference_data):
    assert tasks.rebuild_dashboard.apply().get() == DashboardSnapshot.objects.get().pk
    assert DashboardSnapshot.objects.get().month == timezone.localdate().replace(day=1)
    tasks.rebuild_dashboard.apply(args=["2025-06"]).get()
    assert DashboardSnapshot.objects.filter(month=date(2025, 6, 1)).exists()


def test_the_task_retries_with_backoff_while_the_database_is_unavailable(reference_data, monkeypatch):
    assert tasks.rebuild_dashboard.retry_backoff is True and tasks.rebuild_dashboard.max_retries >= 3
    assert OperationalError in tasks.rebuild_dashboard.autoretry_for
    real_rebuild, calls = tasks.dashboard_rebuild, []

    def unavailable_once(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_rebuild(**kwargs)

    monkeypatch.setattr(tasks, "dashboard_rebuild", unavailable_once)
    # Eagerly the retry runs at once (a worker waits 1 s, 2 s, 4 s, … between attempts).
    result = tasks.rebuild_dashboard.apply(args=["2025-06"], throw=False)
    assert result.successful()
    assert len(calls) == 2
    assert DashboardSnapshot.objects.filter(month=date(2025, 6, 1)).count() == 1


def test_the_command_rebuilds_a_month_with_its_history(reference_data):
    out = io.StringIO()
    call_command("rebuild_dashboard", "--month", "2025-03", "--history", "2", stdout=out)
    assert list(DashboardSnapshot.objects.order_by("month").values_list("month", flat=True)) == [
        date(2025, 1, 1),
        date(2025, 2, 1),
        date(2025, 3, 1),
    ]
    assert "Dashboard 2025-03 gebouwd (peildatum 01-03-2025 00:00)." in out.getvalue()
    with pytest.raises(CommandError, match="JJJJ-MM"):
        call_command("rebuild_dashboard", "--month", "maart")
    with pytest.raises(CommandError, match="toekomst"):
        call_command("rebuild_dashboard", "--month", f"{timezone.localdate().year + 1}-01")


@pytest.mark.worker
def test_a_real_worker_picks_up_the_task_from_redis_and_writes_the_snapshot(reference_data, transactional_db):
    """A `celery worker` process against the local Redis and the test database receives the task and builds."""
    database = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    assert not celery_app.conf.task_always_eager  # REDIS_URL is set: .delay() goes through Redis
    celery_app.control.purge()  # nothing left over from an earlier run
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "nvo_tracker",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        tasks.rebuild_dashboard.delay("2025-06")
        deadline = time.monotonic() + 60
        while not DashboardSnapshot.objects.filter(month=date(2025, 6, 1)).exists():
            assert worker.poll() is None, worker.stdout.read()
            assert time.monotonic() < deadline, "the worker did not build the snapshot within 60 s"
            time.sleep(0.5)
        assert DashboardSnapshot.objects.get().cells.count() == Region.objects.count() * Agreement.objects.count()
    finally:
        worker.send_signal(signal.SIGTERM)  # warm shutdown: finish the current task, then stop
        try:
            output, _ = worker.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
    assert "dashboard.tasks.rebuild_dashboard" in output and "succeeded" in output
