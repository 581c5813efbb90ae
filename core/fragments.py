"""Rendered HTML that is the same for every user, cached under a key that names the data it was built from.

    html = fragments_html({"matrix": (f"dashboard-matrix:{snapshot.pk}:{built}", lambda: render_to_string(…))})

A key names a stored state that never changes under it: a snapshot and its build time, or `data_version()` for
live data (statuses, contacts, the division, support actions, …), plus every request parameter the HTML depends
on. So a cached fragment is never stale, and the timeout only frees memory. Nothing that depends on who asks
(role, region, permission) goes into a fragment: the page renders that around the fragments, on every request.
"""

from collections.abc import Callable

from django.core.cache import cache
from django.db import connection

from core.models import DataVersion

FRAGMENT_TIMEOUT = 24 * 60 * 60


def data_version() -> int:
    """How many transactions that changed data have committed (core.models.DataVersion); one query, written out
    because the ORM took four times as long to compile it as the database to answer it, on every page."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {DataVersion._meta.db_table} WHERE id = 1")  # noqa: S608 - a model's table name
        row = cursor.fetchone()
    return row[0] if row else 0


def fragments_html(fragments: dict[str, tuple[str, Callable[[], str]]]) -> dict[str, str]:
    """{name: (cache key, render function)} → {name: HTML}, read in one cache round trip and rendered only on a
    miss (Redis down: every time). The templates' SafeStrings survive the cache's pickling."""
    keys = {name: key for name, (key, _) in fragments.items()}
    html = cache.get_many(list(keys.values()))
    missing = {key: render for key, render in fragments.values() if key not in html}
    rendered = {key: render() for key, render in missing.items()}
    if rendered:
        cache.set_many(rendered, FRAGMENT_TIMEOUT)
    return {name: html[key] if key in html else rendered[key] for name, key in keys.items()}
