"""Hung servers cost seconds, not the site (issue 18): PostgreSQL and Redis that stop answering.

The app runs as in production (gunicorn from the Procfile) or in-process, with a TCP proxy of the test
between it and the shared PostgreSQL or Redis; `hang()` makes the proxy stop forwarding without closing
anything, like a server that froze. The test's HTTP client waits at most 60 s: that only keeps a broken
test from waiting forever; without the timeouts the requests below hang until gunicorn kills the worker.
"""

import json
import os
import subprocess
import sys
from urllib.parse import urlsplit

import psycopg
import pytest
from django.conf import settings
from django.core.cache import cache

from accounts.roles import Role
from dashboard.services import dashboard_rebuild
from operations.tests.proxy import TcpProxy
from operations.tests.servers import Gunicorn, database_url, wait_until

pytestmark = pytest.mark.faults

SESSION_COOKIE = "sessionid=een-bestaande-sessie"  # any session cookie makes the page read the database


@pytest.fixture
def postgres_proxy():
    with TcpProxy(int(settings.DATABASES["default"]["PORT"] or 5432)) as proxy:
        yield proxy


def test_a_hung_postgresql_gives_the_dutch_503_and_a_503_json_then_recovers_without_restart(transactional_db, postgres_proxy):
    # CONN_MAX_AGE keeps the connection open between requests, so the hang hits a connection in use.
    server = Gunicorn({"DATABASE_URL": database_url(postgres_proxy.port), "CONN_MAX_AGE": "60"})
    try:
        assert server.get("/healthz")[0] == 200
        assert server.get("/", SESSION_COOKIE)[0] == 302  # to the login page

        postgres_proxy.hang()
        status, body = server.get("/", SESSION_COOKIE)  # a query on the open connection that never returns
        assert status == 503 and "Tijdelijk niet beschikbaar" in body and "Internal Server Error" not in body
        status, body = server.get("/healthz")  # a new connection to a server that does not answer
        assert status == 503 and json.loads(body)["database"] == "fout"

        postgres_proxy.resume()
        assert server.get("/healthz")[0] == 200
        assert server.get("/", SESSION_COOKIE)[0] == 302
        assert "WORKER TIMEOUT" not in server.output, str(server.output)
    finally:
        server.stop()


def test_a_statement_that_runs_too_long_is_ended_by_the_server_with_a_dutch_503(transactional_db):
    server = Gunicorn({"DATABASE_URL": database_url()})
    try:
        with psycopg.connect(database_url().replace("postgres://", "postgresql://")) as holder:
            holder.execute("LOCK TABLE django_session IN ACCESS EXCLUSIVE MODE")  # the session read waits
            status, body = server.get("/?zoek=Jan+Jansen", SESSION_COOKIE, request_id="proef-503")
            assert status == 503 and "Tijdelijk niet beschikbaar" in body
            # The fault leaves a trace on stderr: path and request id, the cause, no query string or cookie.
            wait_until(lambda: "proef-503" in server.output, timeout=30, message=str(server.output))
            assert "ERROR django.request [request proef-503 /] Service Unavailable: /" in server.output
            assert "canceling statement due to statement timeout" in server.output
            assert "Jan" not in str(server.output) and "een-bestaande-sessie" not in str(server.output)
            status, body = server.get("/healthz")  # needs no session: still answers
            assert status == 200
        assert server.get("/", SESSION_COOKIE)[0] == 302
    finally:
        server.stop()


def test_the_database_timeouts_are_set_and_gunicorns_is_above_them():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["connect_timeout"] == settings.DATABASE_CONNECT_TIMEOUT == 3
    assert f"-c statement_timeout={settings.DATABASE_STATEMENT_TIMEOUT * 1000}" in options["options"]
    procfile = (settings.BASE_DIR / "Procfile").read_text()
    assert f"--timeout ${{WEB_TIMEOUT:-{settings.WEB_TIMEOUT}}}" in procfile  # gunicorn's default is the settings'
    assert settings.WEB_TIMEOUT > settings.DATABASE_CONNECT_TIMEOUT + settings.DATABASE_STATEMENT_TIMEOUT + 1


def test_the_settings_refuse_a_web_timeout_not_above_the_database_timeouts():
    env = {**os.environ, "WEB_TIMEOUT": "9", "DATABASE_CONNECT_TIMEOUT": "3", "DATABASE_STATEMENT_TIMEOUT": "5"}
    check = [sys.executable, "-c", "import nvo_tracker.settings"]
    result = subprocess.run(check, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60)  # noqa: S603
    assert result.returncode != 0 and "WEB_TIMEOUT must be above" in result.stderr
    env["WEB_TIMEOUT"] = "10"
    result = subprocess.run(check, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60)  # noqa: S603
    assert result.returncode == 0, result.stderr


@pytest.fixture
def redis_proxy():
    with TcpProxy(int(urlsplit(settings.REDIS_URL).port or 6379)) as proxy:
        yield proxy


@pytest.fixture
def cache_through(settings, redis_proxy):
    """The app's cache, as configured, but reaching Redis through the proxy; a short breaker for the test."""
    location = urlsplit(settings.REDIS_URL)._replace(netloc=f"127.0.0.1:{redis_proxy.port}").geturl()
    default = settings.CACHES["default"]
    settings.CACHES = {"default": {**default, "LOCATION": location, "OPTIONS": {**default["OPTIONS"], "breaker_seconds": 2}}}
    cache.clear()
    return redis_proxy


def test_a_hung_redis_is_asked_once_then_left_alone_until_the_breaker_closes(cache_through):
    proxy = cache_through
    cache.set("sleutel", "waarde")
    assert cache.get("sleutel") == "waarde"

    proxy.hang()
    assert cache.get("sleutel", "standaard") == "standaard"  # waits the socket timeout once, then opens the breaker
    asked = proxy.client_bytes
    for _ in range(20):
        assert cache.get("sleutel", "standaard") == "standaard"
        assert cache.get_many(["sleutel"]) == {}
        cache.set("sleutel", "nieuw")
    assert proxy.client_bytes == asked  # not one byte more to the hung Redis

    proxy.resume()

    def redis_answers_again():
        cache.set("sleutel", "weer")
        return cache.get("sleutel") == "weer"

    wait_until(redis_answers_again, timeout=30, message="the cache did not use Redis again")


def test_sign_in_and_pages_ask_a_hung_redis_only_once(cache_through, client, make_user, reference_data, this_month):
    proxy = cache_through
    beheerder = make_user(Role.BEHEERDER)
    dashboard_rebuild(month=this_month)
    proxy.hang()
    response = client.post(
        "/inloggen/",
        {"login_view-current_step": "auth", "auth-username": beheerder.username, "auth-password": "test-wachtwoord-123"},
    )
    assert response.status_code == 302
    asked = proxy.client_bytes
    for url in ("/dashboard/", "/regios/", "/regios/zeeland/", "/dashboard/trend/"):
        assert client.get(url).status_code == 200, url
    assert proxy.client_bytes == asked


def test_public_pages_with_a_hung_redis_are_served_and_ask_it_once(cache_through, client, settings, reference_data, this_month, make_user):
    from dashboard.services import snapshot_release

    proxy = cache_through
    settings.PUBLIC_DASHBOARD = True
    snapshot_release(snapshot=dashboard_rebuild(month=this_month), user=make_user(Role.VNG_MEDEWERKER))
    proxy.hang()
    assert client.get("/openbaar/").status_code == 200  # waits the socket timeout once, then opens the breaker
    asked = proxy.client_bytes
    for url in ("/openbaar/", "/openbaar/trend/", "/openbaar/regio/zeeland/", "/openbaar/afspraak/3/"):
        assert client.get(url).status_code == 200, url
    assert proxy.client_bytes == asked


def test_the_cache_gives_up_on_redis_quickly():
    options = settings.CACHES["default"]["OPTIONS"]
    assert options["socket_timeout"] == options["socket_connect_timeout"] == 0.25
    assert options["breaker_seconds"] == 30
