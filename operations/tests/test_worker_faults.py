"""The Celery worker survives its broker going away while a task runs (issue 18).

A real worker (prefork, as in the Procfile) against a private redis-server that the test stops and starts
again, and the test database. The task is held inside the database (the test locks the snapshot table)
so that Redis goes away while it runs.
"""

from datetime import date

import psycopg
import pytest
from django.db import connection

from dashboard import tasks
from dashboard.models import DashboardSnapshot
from nvo_tracker.celery import app as celery_app
from operations.tests.servers import PrivateRedis, database_url, start_worker, stop_process, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.faults]


def _send(redis_url: str, month: str) -> None:
    with celery_app.connection_for_write(redis_url) as connection:
        tasks.rebuild_dashboard.apply_async(args=[month], connection=connection)


def _a_query_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:  # autocommit: every check sees the current pg_stat_activity
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")
        return cursor.fetchone()[0] > 0


def test_the_worker_survives_redis_going_away_while_a_task_runs_and_takes_new_work_after(reference_data, transactional_db, tmp_path):
    redis = PrivateRedis(tmp_path)
    redis.start()
    worker, output = start_worker(redis_url=redis.url, database_url=database_url())
    lock_holder = psycopg.connect(database_url().replace("postgres://", "postgresql://"), autocommit=False)
    try:
        wait_until(lambda: "ready." in output, timeout=60, message=f"the worker did not start:\n{output}")
        lock_holder.execute("LOCK TABLE dashboard_dashboardsnapshot IN ACCESS EXCLUSIVE MODE")
        _send(redis.url, "2025-06")
        wait_until(_a_query_waits_for_a_lock, timeout=60, message=f"the task did not start:\n{output}")

        redis.stop()  # the broker goes away while the task runs
        wait_until(lambda: "Connection to broker lost" in output, timeout=60, message=f"the worker did not notice:\n{output}")
        lock_holder.rollback()  # the task goes on and finishes without a broker
        wait_until(
            lambda: DashboardSnapshot.objects.filter(month=date(2025, 6, 1)).exists(),
            timeout=60,
            message=f"the running task did not finish:\n{output}",
        )
        assert worker.poll() is None, f"the worker exited:\n{output}"

        redis.start()  # the broker is back: the same worker takes new work
        wait_until(
            lambda: sum("Connected to redis" in line for line in output.lines) >= 2,
            timeout=90,
            message=f"the worker did not reconnect:\n{output}",
        )
        _send(redis.url, "2025-07")
        wait_until(
            lambda: DashboardSnapshot.objects.filter(month=date(2025, 7, 1)).exists(),
            timeout=60,
            message=f"the worker took no new task after the broker came back:\n{output}",
        )
        assert worker.poll() is None, f"the worker exited:\n{output}"
        assert "Unrecoverable error" not in output, str(output)
    finally:
        lock_holder.close()
        stop_process(worker)
        redis.stop()
