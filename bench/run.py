"""Benchmark NvO Tracker: throughput against a bare Django view, SQL queries per page and rebuild time by data size.

    .venv/bin/python bench/run.py [--quick]

For 44, 440 and 4,400 generated regions (--quick: 44 and 440 with one year of history) it creates the
PostgreSQL database nvo_bench_<regions> (dropped first), fills it, rebuilds the dashboard snapshots,
counts the SQL queries of every page in-process, serves the app with gunicorn (2 workers, DEBUG off) and
loads each page with wrk for a fixed time. Results: bench/results/results.json and results.md (printed).
Pages whose URL does not exist (yet) are reported as "n.v.t.".
"""

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = (44, 440, 4400)
QUICK_SIZES = (44, 440)
MONTHS = 120
QUICK_MONTHS = 12
WORKERS = 2
CONNECTIONS = 4
SECONDS, QUICK_SECONDS = 10.0, 3.0
WARMUP = 1.0
WRK_TIMEOUT = 10  # seconds; a slower answer counts as a socket error
REBUILD_BUDGET, QUICK_REBUILD_BUDGET = 15.0, 5.0  # seconds per size for snapshots of past months
RESULTS_DIR = ROOT / "bench" / "results"
TEMPLATE_DB = "nvo_bench_template"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"  # flushed between sizes: keep it for the benchmark

# Server and in-process Django share these; DATABASE_URL is set per size.
BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "CONN_MAX_AGE": "60",
    # The data generator's INSERT … SELECT runs for minutes at 4,400 regions.
    "DATABASE_STATEMENT_TIMEOUT": "0",
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL),
    # Plain HTTP on loopback (in production TLS ends at the proxy, so the app never sees the redirect), and the
    # Beheerder signs in without a TOTP device (no code can be typed under load).
    "HTTPS_ONLY": "false",
    "TWO_FACTOR_REQUIRED": "false",
    # The public dashboard of the newest month, released after the rebuild.
    "PUBLIC_DASHBOARD": "true",
}


def database_url(name: str) -> str:
    parts = urlsplit(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    return urlunsplit(parts._replace(path=f"/{name}"))


os.environ.update(BENCH_ENV, DATABASE_URL=database_url(TEMPLATE_DB))

import django

django.setup()

import psycopg
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.services import roles_ensure, user_create
from agreements.models import AgreementStatus, Status
from agreements.services import agreement_definitions_from_file, agreements_load
from bench.data import bench_data_create, month_add
from bench.report import results_markdown, targets
from dashboard.models import DashboardSnapshot
from dashboard.services import snapshot_release

# (key, label, URL name, needs a region slug) of the pages loaded with GET; signed in unless in ANONYMOUS.
PAGES = (
    ("bare", "bare Django view", "bench_bare", False),
    ("bare_signed_in", "bare Django view, signed in", "bench_bare_signed_in", False),
    ("layout", "empty page in the layout, signed in", "bench_layout", False),
    ("dashboard", "national dashboard", "dashboard:index", False),
    ("region", "region page", "pages:region_detail", True),
    ("region_list", "region list", "pages:region_list", False),
    ("trend", "trend", "dashboard:trend", False),
    ("lagging", "achterblijvers", "dashboard:lagging", False),
    ("follow_up", "follow-up overview", "pages:follow_up", False),
    ("public", "public dashboard, anonymous", "public:index", False),
)
ANONYMOUS = {"bare", "public"}  # loaded without a session cookie, as a visitor of the public pages is
# Pages a person opens most, timed in headless Chromium (Navigation Timing), median of BROWSER_LOADS loads.
BROWSER_PAGES = ("dashboard", "region", "region_list", "trend")
BROWSER_LOADS = 7
CHROMIUM = "/usr/bin/chromium"
SAVE = ("save", "saving a status (POST)", "agreements:status_edit")
REGION_SLUG = "benchregio-00001"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", file=sys.stderr, flush=True)


# --- Databases -----------------------------------------------------------------------------------------------


def _admin(sql: str) -> None:
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        admin.execute(sql)


def use_database(name: str) -> None:
    connection.close()
    connection.settings_dict["NAME"] = name


def template_create() -> None:
    """Migrate once into a template database with the roles and the 8 real agreements; sizes copy it."""
    use_database("postgres")
    _admin(f"DROP DATABASE IF EXISTS {TEMPLATE_DB} WITH (FORCE)")
    _admin(f"CREATE DATABASE {TEMPLATE_DB}")
    use_database(TEMPLATE_DB)
    call_command("migrate", verbosity=0, interactive=False)
    roles_ensure()
    agreements_load(definitions=agreement_definitions_from_file())
    use_database("postgres")


def size_database_create(regions: int) -> str:
    name = f"nvo_bench_{regions}"
    _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    _admin(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE_DB}")
    use_database(name)
    return name


# --- Snapshots -----------------------------------------------------------------------------------------------


def rebuild_snapshots(*, months: int, budget: float) -> dict | None:
    """Time the monthly job as it runs in production, then rebuilds of past months until `budget` s are used.

    The monthly job finds the snapshots of the months before it (it reads their scores for "vorige maand" and
    the stagnation rule), so those are built first, from the history, and timed as past months.
    """
    try:
        from dashboard.services import STAGNATION_SNAPSHOTS, dashboard_rebuild
    except ImportError:
        return None
    this_month = timezone.localdate().replace(day=1)
    past = []

    def rebuild_past(back: int) -> None:
        started = time.perf_counter()
        dashboard_rebuild(month=month_add(this_month, -back))
        past.append(time.perf_counter() - started)

    for back in range(STAGNATION_SNAPSHOTS - 1, 0, -1):
        rebuild_past(back)
    started = time.perf_counter()
    dashboard_rebuild(month=this_month)
    current = time.perf_counter() - started
    deadline = time.perf_counter() + budget
    for back in range(STAGNATION_SNAPSHOTS, months + 1):
        if time.perf_counter() > deadline:
            break
        rebuild_past(back)
    return {
        "current_month_s": current,
        "past_months": len(past),
        "past_median_s": statistics.median(past),
        "snapshots": 1 + len(past),
    }


def analyze() -> None:
    """Table statistics for the planner, as autovacuum would gather them in production soon after such a load;
    without them PostgreSQL sorts every region to find the first 100 by name."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- Pages and query counts ----------------------------------------------------------------------------------


def page_path(url_name: str, slug: bool) -> str | None:
    try:
        return reverse(url_name, kwargs={"slug": REGION_SLUG} if slug else None)
    except NoReverseMatch:
        return None


def save_path(agreement_status: AgreementStatus) -> str | None:
    try:
        return reverse(SAVE[2], kwargs={"slug": agreement_status.region.slug, "number": agreement_status.agreement.number})
    except NoReverseMatch:
        return None


def save_targets(count: int) -> list[AgreementStatus]:
    """One status per load-generating thread, each in its own region, that a save can keep valid (not Gerealiseerd)."""
    statuses = (
        AgreementStatus.objects.exclude(status=Status.GEREALISEERD)
        .filter(region__slug__startswith="benchregio-", agreement__number=1)
        .select_related("region", "agreement")
        .prefetch_related("criteria_met")
        .order_by("region__slug")
    )
    return list(statuses[:count])


def save_form_data(agreement_status: AgreementStatus, version: int, counter: int) -> dict:
    return {
        "status": agreement_status.status,
        "criteria_met": [criterion.pk for criterion in agreement_status.criteria_met.all()],
        "explanation": f"Benchmark-opslag {counter}",
        "evidence_links": "",
        "version": version,
    }


VERSION_INPUT = re.compile(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"')
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def form_version(html: str) -> int:
    match = VERSION_INPUT.search(html)
    if not match:
        raise RuntimeError("The status form has no version field.")
    return int(match.group(1) or match.group(2))


def count_queries(client: Client, method: str, path: str, data=None) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(path, data) if data is not None else getattr(client, method)(path)
    return len(queries), response.status_code


def query_counts(user, pages: dict[str, str | None], save: AgreementStatus | None) -> dict[str, dict]:
    """SQL queries of each page for a signed-in Beheerder: the first request and a repeat (warm caches)."""
    client = Client()
    client.force_login(user)
    counts = {}
    for key, path in pages.items():
        if path is None:
            continue
        page_client = Client() if key in ANONYMOUS else client  # without a session, like under load
        first, status = count_queries(page_client, "get", path)
        repeat, _ = count_queries(page_client, "get", path)
        counts[key] = {"queries": first, "queries_repeat": repeat}
        if status != 200:
            counts[key]["error"] = f"GET answered {status}"
    path = save_path(save) if save else None
    if path:
        counts["save"] = {}
        for counter, attempt in enumerate(("queries", "queries_repeat")):
            version = form_version(client.get(path).content.decode())
            counts["save"][attempt], status = count_queries(client, "post", path, save_form_data(save, version, counter))
            if status != 302:
                counts["save"]["error"] = f"POST answered {status}, not a redirect after saving"
    return counts


# --- Serving and loading -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served(database: str):
    """A fresh gunicorn per measurement, so requests still queued from a slow page cannot slow the next one."""
    cache.clear()
    port = free_port()
    env = {**os.environ, **BENCH_ENV, "DATABASE_URL": database_url(database)}
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "nvo_tracker.wsgi:application",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "error",
            "--chdir",
            str(ROOT),
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        _wait_until_answering(port)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_until_answering(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            probe.request("GET", reverse("bench_bare"))
            if probe.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 60 s.")


def answer_status(port: int, path: str, cookie: str) -> int:
    """The status of one GET: wrk counts only 4xx and 5xx as errors, so a redirect to the login page would pass."""
    probe = http.client.HTTPConnection("127.0.0.1", port, timeout=WRK_TIMEOUT)
    probe.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = probe.getresponse()
    response.read()
    probe.close()
    return response.status


def wrk(port: int, path: str, cookie: str, seconds: float, *, warmup: bool = False) -> dict | None:
    if (status := answer_status(port, path, cookie)) != 200:
        return {"error": f"GET answered {status}, not 200"}
    command = [
        "wrk",
        "-t1",
        f"-c{CONNECTIONS}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        f"{WRK_TIMEOUT}s",
        "-s",
        str(ROOT / "bench" / "wrk_report.lua"),
        *(["-H", f"Cookie: {cookie}"] if cookie else []),
        f"http://127.0.0.1:{port}{path}",
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    summary = json.loads(next(line for line in output.splitlines() if line.startswith("{")))
    if warmup:
        return None
    if not summary["requests"]:
        return {"error": f"no answer completed within {seconds:g} s"}
    if summary["non_2xx"]:
        return {"error": f"{summary['non_2xx']} of {summary['requests']} answers were not 2xx"}
    return {
        "rps": summary["requests"] / (summary["duration_us"] / 1e6),
        "p50_ms": summary["p50_us"] / 1000,
        "p95_ms": summary["p95_us"] / 1000,
        "requests": summary["requests"],
        "socket_errors": summary["socket_errors"],
    }


class SaveLoad:
    """`CONNECTIONS` threads, each saving its own status in a loop like a browser: GET the form, POST it back.

    Every POST carries the version the form showed, so every save is accepted and writes history.
    Throughput counts accepted saves per second (a GET + a POST each); latency is the POST's alone.
    """

    def __init__(self, port: int, session: str, statuses: list[AgreementStatus]):
        self.port, self.session, self.statuses = port, session, statuses
        self.latencies: list[float] = []
        self.failures = 0
        self.lock = threading.Lock()

    def _request(self, method: str, path: str, cookies: dict, body: str | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=WRK_TIMEOUT)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read().decode()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie" and value.startswith("csrftoken="):
                cookies["csrftoken"] = value.split(";", 1)[0].split("=", 1)[1]
        conn.close()
        return response.status, content

    def _worker(self, agreement_status: AgreementStatus, until: float, record_after: float) -> None:
        path = save_path(agreement_status)
        cookies = {"sessionid": self.session}
        counter = 0
        while time.monotonic() < until:
            started = time.monotonic()
            try:
                _, html = self._request("GET", path, cookies)
                data = save_form_data(agreement_status, form_version(html), counter)
                data["csrfmiddlewaretoken"] = CSRF_INPUT.search(html).group(1)
                counter += 1
                started = time.monotonic()
                status, _ = self._request("POST", path, cookies, urlencode(data, doseq=True))
            except (OSError, RuntimeError, AttributeError):  # a timeout, or a page without the form
                status = None
            elapsed = time.monotonic() - started
            if started >= record_after:
                with self.lock:
                    if status == 302:
                        self.latencies.append(elapsed)
                    else:
                        self.failures += 1

    def run(self, seconds: float, warmup: float) -> dict:
        start = time.monotonic()
        record_after, until = start + warmup, start + warmup + seconds
        threads = [threading.Thread(target=self._worker, args=(s, until, record_after)) for s in self.statuses]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if self.failures or not self.latencies:
            return {"error": f"{self.failures} saves failed or timed out, {len(self.latencies)} accepted"}
        ordered = sorted(self.latencies)
        return {
            "rps": len(ordered) / (time.monotonic() - record_after),
            "p50_ms": 1000 * ordered[len(ordered) // 2],
            "p95_ms": 1000 * ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))],
            "requests": len(ordered),
        }


# --- One size, the whole run ---------------------------------------------------------------------------------


def bench_size(regions: int, *, months: int, seconds: float, rebuild_budget: float) -> dict:
    log(f"{regions} regions: generating {months} months of history")
    database = size_database_create(regions)
    started = time.perf_counter()
    data = bench_data_create(regions=regions, months=months)
    generated = time.perf_counter() - started
    log(f"{regions} regions: {data.status_changes:,} status changes in {generated:.1f} s; rebuilding snapshots")
    cache.clear()
    rebuild = rebuild_snapshots(months=months, budget=rebuild_budget)
    analyze()

    user = user_create(username="bench", password=secrets.token_urlsafe(20), role=Role.BEHEERDER)
    newest = DashboardSnapshot.objects.order_by("-month").first()
    if newest is not None:
        snapshot_release(snapshot=newest, user=user)
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    paths = {key: page_path(url_name, slug) for key, _, url_name, slug in PAGES}
    statuses = save_targets(CONNECTIONS)
    cache.clear()
    log(f"{regions} regions: counting queries")
    counts = query_counts(user, paths, statuses[0] if statuses else None)
    connection.close()

    pages = []
    for key, label, _, _ in PAGES:
        page = {"key": key, "label": label, "path": paths[key], **counts.get(key, {})}
        if paths[key] is not None and "error" not in page:
            log(f"{regions} regions: loading {label}")
            cookie = "" if key in ANONYMOUS else f"sessionid={session}"
            with served(database) as port:
                refused = wrk(port, paths[key], cookie, WARMUP, warmup=True)  # None, or why the page cannot be loaded
                page.update(refused or wrk(port, paths[key], cookie, seconds))
        pages.append(page)
    with served(database) as port:
        timings = browser_timings(port, session, {key: paths[key] for key in BROWSER_PAGES if paths.get(key)})
    key, label, _ = SAVE
    page = {"key": key, "label": label, "path": save_path(statuses[0]) if statuses else None, **counts.get(key, {})}
    if page["path"] is not None and "error" not in page:
        log(f"{regions} regions: {label}")
        with served(database) as port:
            page.update(SaveLoad(port, session, statuses).run(seconds, WARMUP))
    pages.append(page)
    bare, bare_signed_in = (pages[0].get("rps"), pages[1].get("rps"))
    for page in pages:
        page["ratio"] = page["rps"] / bare if bare and page.get("rps") else None
        page["ratio_signed_in"] = page["rps"] / bare_signed_in if bare_signed_in and page.get("rps") and page is not pages[0] else None
    return {
        "regions": regions,
        "database": database,
        "municipalities": data.municipalities,
        "statuses": data.statuses,
        "status_changes": data.status_changes,
        "generate_s": generated,
        "rebuild": rebuild,
        "pages": pages,
        "browser": timings,
    }


def browser_timings(port: int, session: str, paths: dict[str, str]) -> list[dict]:
    """What a person waits for: Navigation Timing in Debian's headless Chromium (time to first byte and the load
    event, from the start of navigation), the median of BROWSER_LOADS loads after one warm-up load per page."""
    if not Path(CHROMIUM).exists():
        return [{"key": key, "error": f"{CHROMIUM} ontbreekt"} for key in paths]
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_cookies([{"name": "sessionid", "value": session, "domain": "127.0.0.1", "path": "/"}])
        tab = context.new_page()
        for key, path in paths.items():
            url = f"http://127.0.0.1:{port}{path}"
            samples = []
            for load in range(BROWSER_LOADS + 1):
                response = tab.goto(url, wait_until="load")
                if response is None or response.status != 200:
                    samples = None
                    break
                entry = tab.evaluate(
                    "() => { const n = performance.getEntriesByType('navigation')[0];"
                    " return {ttfb: n.responseStart - n.startTime, load: n.loadEventEnd - n.startTime}; }"
                )
                if load:  # the first load warms the caches
                    samples.append(entry)
            if samples is None:
                out.append({"key": key, "error": f"GET answered {response.status if response else 'nothing'}"})
                continue
            out.append(
                {
                    "key": key,
                    "ttfb_ms": statistics.median(sample["ttfb"] for sample in samples),
                    "load_ms": statistics.median(sample["load"] for sample in samples),
                    "loads": len(samples),
                }
            )
        browser.close()
    return out


def git_commit() -> str:
    result = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT, check=False)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True, cwd=ROOT, check=False)
    return (result.stdout.strip() or "unknown") + ("+changes" if dirty.stdout.strip() else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="44 and 440 regions, one year of history, 3 s per page")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        log("installing wrk (Debian package)")
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        noninteractive = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=True, env=noninteractive)
    months = QUICK_MONTHS if args.quick else MONTHS
    seconds = QUICK_SECONDS if args.quick else SECONDS
    started_at, started = datetime.now(UTC), time.perf_counter()

    log("collecting static files and migrating the template database")
    call_command("collectstatic", verbosity=0, interactive=False)
    template_create()
    sizes = [
        bench_size(regions, months=months, seconds=seconds, rebuild_budget=QUICK_REBUILD_BUDGET if args.quick else REBUILD_BUDGET)
        for regions in (QUICK_SIZES if args.quick else SIZES)
    ]
    results = {
        "started_at": started_at.isoformat(timespec="seconds"),
        "git_commit": git_commit(),
        "quick": args.quick,
        "months": months,
        "load": {
            "workers": WORKERS,
            "connections": CONNECTIONS,
            "seconds": seconds,
            "warmup": WARMUP,
            "generator": "wrk (GET pages), Python threads (saving)",
        },
        "sizes": sizes,
    }
    results["duration_s"] = time.perf_counter() - started
    results["targets"] = targets(results)
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    markdown = results_markdown(results)
    (RESULTS_DIR / "results.md").write_text(markdown)
    print(markdown)


if __name__ == "__main__":
    main()
