"""Fixtures shared by every app's tests."""

import http.client
import io
import os
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.roles import Role
from accounts.tests.factories import FACTORY_PASSWORD, UserFactory


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Production serves hashed files from `collectstatic`'s manifest; tests read `static/` directly."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def reference_data(db):
    """The shipped reference data: 44 regions with their municipalities and the 8 agreements."""
    call_command("load_reference_data", stdout=io.StringIO())


@pytest.fixture
def this_month():
    """The first day of the current month (Europe/Amsterdam): the month the monthly job builds."""
    from django.utils import timezone

    return timezone.localdate().replace(day=1)


@pytest.fixture
def make_user(db):
    def make(role: Role | None = None, regions=(), **fields):
        return UserFactory(role=role, regions=list(regions), **fields)

    return make


# --- Browser tests: Playwright drives Debian's headless Chromium; it never downloads a browser. ---

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS_DIR = Path(__file__).resolve().parent / "test-artifacts"


def pytest_collection_modifyitems(items):
    """Tests that use the browser tab fixture `page` are browser tests; a parameter that happens to be called
    `page` (a URL name in the permission matrix, say) is not."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if "page" in getattr(item, "fixturenames", ()) and "page" not in (callspec.params if callspec else {}):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's ORM calls stay synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    """A fresh browser tab on the live server (its data is committed, so the server thread sees it)."""
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def screenshot(page, request):
    """`screenshot("name")` saves the tab as test-artifacts/<test>-<name>.png and returns the path."""

    def take(name: str) -> Path:
        ARTIFACTS_DIR.mkdir(exist_ok=True)
        path = ARTIFACTS_DIR / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def browser_login(page):
    """`browser_login(user)` signs `user` in through the login form (factory users share one password)."""

    def login(user, password: str = FACTORY_PASSWORD):
        page.goto("/inloggen/")
        page.get_by_label("Gebruikersnaam").fill(user.username)
        page.get_by_label("Wachtwoord").fill(password)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_load_state()

    return login


# --- Accessibility (issue 8): axe-core, bundled with axe-playwright-python, runs offline in the page. ---


@pytest.fixture(scope="session")
def _axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def assert_accessible(_axe):
    """`assert_accessible(page)` runs axe-core on the page and fails listing every serious or critical violation."""

    def check(tab):
        violations = _axe.run(tab).response["violations"]
        serious = [v for v in violations if v["impact"] in ("serious", "critical")]
        report = "\n".join(
            f"- {v['impact']} {v['id']}: {v['help']} ({', '.join(str(n['target']) for n in v['nodes'][:5])})" for v in serious
        )
        assert not serious, f"axe found {len(serious)} serious/critical violations on {tab.url}:\n{report}"

    return check


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Factory users are hashed with MD5 in tests; PBKDF2's deliberate slowness made each user cost seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- Dashboard speed (W1): cached fragments and the demo banner live in the cache (Redis), which a test's
# database rollback does not undo; every test starts with an empty cache, and with nothing a process keeps in
# memory (the released month and the public pages, issue 17). ---


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    from dashboard.selectors import released_snapshot_forget
    from public_dashboard.views import pages

    cache.clear()
    released_snapshot_forget()
    pages.clear()


@pytest.fixture(autouse=True)
def _data_version_counts_inside_the_test_transaction(request):
    """core.fragments.data_version() moves when a transaction that changed data commits (a deferred trigger). A test
    that runs inside one transaction, rolled back at its end, never commits: there the trigger fires at once instead,
    so a page read after a write in the same test sees the new version, as it would after the commit."""
    if request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames):
        request.getfixturevalue("_django_db_helper")
        from django.db import connection

        if connection.in_atomic_block and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS core_data_version_bump IMMEDIATE")


# --- A real web server (issue 18): the Procfile's own `web` command, against the test database. ---

ROOT_DIR = Path(__file__).resolve().parent


def _procfile_web() -> str:
    """The Procfile's `web` command, as honcho or a platform runs it."""
    return next(line for line in (ROOT_DIR / "Procfile").read_text().splitlines() if line.startswith("web:"))[4:]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def web_server(transactional_db):
    """The port of a gunicorn started exactly as the Procfile's `web` line (collectstatic, then gunicorn with
    nvo_tracker/gunicorn_conf.py) against the test database; the test's data must be committed (transactional)."""
    from django.db import connection

    port = _free_port()
    database = connection.settings_dict
    env = {
        **os.environ,
        "PORT": str(port),
        "DEBUG": "false",
        "HTTPS_ONLY": "false",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
    }
    server = subprocess.Popen(  # noqa: S602 - our own Procfile's command, as honcho runs it
        _procfile_web(),
        shell=True,
        cwd=ROOT_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                probe.request("GET", "/healthz")
                probe.getresponse().read()
                probe.close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("gunicorn did not start: " + server.stderr.read1().decode()) from None
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
