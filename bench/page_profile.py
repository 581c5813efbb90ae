"""Where a page's time goes: in-process timings and a cProfile of one benchmark page, on a database of its own.

    .venv/bin/python bench/page_profile.py region --regions 4400 [--requests 200] [--profile] [--reuse]

Pages are the keys of `bench.run.PAGES` plus "save" (the status form: GET, then POST). The database
nvo_profile_<regions> (on DATABASE_URL's server) is created and filled like the benchmark's, unless --reuse finds
it. Several people can profile at once when each sets their own PROFILE_DATABASE_PREFIX (database names) and
BENCH_REDIS_URL (Redis database; the cache is cleared). The numbers are for comparing before and after on the
same machine; the benchmark (bench/run.py) is what the README reports.
"""

import argparse
import cProfile
import io
import os
import pstats
import secrets
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import run  # noqa: E402  (sets up Django with the benchmark's settings, before any model is imported)


def database_prepare(name: str, *, regions: int, months: int, reuse: bool):
    import psycopg
    from django.core.management import call_command

    from accounts.models import User
    from accounts.roles import Role
    from accounts.services import roles_ensure, user_create
    from agreements.services import agreement_definitions_from_file, agreements_load
    from bench.data import bench_data_create
    from dashboard.models import DashboardSnapshot
    from dashboard.services import snapshot_release

    run.use_database("postgres")
    with psycopg.connect(run.database_url("postgres"), autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not (reuse and exists):
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {name}")
    run.use_database(name)
    if reuse and exists:
        return User.objects.get(username="bench")
    call_command("migrate", verbosity=0, interactive=False)
    roles_ensure()
    agreements_load(definitions=agreement_definitions_from_file())
    bench_data_create(regions=regions, months=months)
    run.rebuild_snapshots(months=months, budget=5.0)
    run.analyze()
    user = user_create(username="bench", password=secrets.token_urlsafe(20), role=Role.BEHEERDER)
    newest = DashboardSnapshot.objects.order_by("-month").first()
    if newest is not None:
        snapshot_release(snapshot=newest, user=user)
    return user


def request_maker(page: str, user):
    """A function that makes one request of `page` (as the benchmark does) and returns its status code."""
    from django.test import Client

    client = Client()
    if page not in run.ANONYMOUS:
        client.force_login(user)
    if page == "save":
        target = run.save_targets(1)[0]
        path = run.save_path(target)
        counter = iter(range(10**9))

        def save() -> int:
            version = run.form_version(client.get(path).content.decode())
            return client.post(path, run.save_form_data(target, version, next(counter))).status_code

        return save, path
    key, _, url_name, slug = next(entry for entry in run.PAGES if entry[0] == page)
    path = run.page_path(url_name, slug)
    return (lambda: client.get(path).status_code), path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("page", choices=[entry[0] for entry in run.PAGES] + ["save"])
    parser.add_argument("--regions", type=int, default=44)
    parser.add_argument("--months", type=int, default=run.QUICK_MONTHS)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--reuse", action="store_true", help="keep the database when it exists")
    parser.add_argument("--profile", action="store_true", help="print the cProfile of the timed requests")
    parser.add_argument("--sort", default="tottime", help="cProfile sort key (tottime, cumulative)")
    args = parser.parse_args()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call_command("collectstatic", verbosity=0, interactive=False)  # the benchmark's settings serve the manifest
    prefix = os.environ.get("PROFILE_DATABASE_PREFIX", "nvo_profile")
    user = database_prepare(f"{prefix}_{args.regions}", regions=args.regions, months=args.months, reuse=args.reuse)
    cache.clear()
    make_request, path = request_maker(args.page, user)
    with CaptureQueriesContext(connection) as first:
        status = make_request()
    first_count = len(first)  # now: the next request empties the connection's query log
    for _ in range(10):  # warm caches and connections
        make_request()
    with CaptureQueriesContext(connection) as repeat:
        make_request()
    repeat_queries = repeat.captured_queries
    profiler = cProfile.Profile() if args.profile else None
    timings, cpu = [], []
    for _ in range(args.requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        make_request()
        if profiler:
            profiler.disable()
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    print(f"{args.page} {path} at {args.regions:,} regions: answer {status}, {first_count} queries (repeat: {len(repeat_queries)})")
    print(
        f"{args.requests} requests: median {1000 * statistics.median(timings):.2f} ms, "
        f"mean {1000 * statistics.mean(timings):.2f} ms, min {1000 * min(timings):.2f} ms; "
        f"this process's CPU time: median {1000 * statistics.median(cpu):.2f} ms (steadier on a busy machine)"
    )
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(args.sort).print_stats(35)
        print(out.getvalue())
    if os.environ.get("PROFILE_SQL"):
        for query in repeat_queries:
            print(f"{query['time']}s  {query['sql'][:300]}")


if __name__ == "__main__":
    main()
