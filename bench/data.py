"""Synthetic benchmark data: N generated regions × the 8 agreements with `months` of monthly history.

Everything is generated inside PostgreSQL (INSERT … SELECT over generate_series), which writes the
4.2 million history rows of the largest size far faster than any client-side loop could send them.
The shape follows the app's own invariants: one centrumgemeente per region, one status per
region × agreement whose `version` and content match its last StatusChange, history versions 2..months+1
with old → new chained, and Gerealiseerd only with every minimum criterion ticked.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from agreements.models import AfstemmingStep, Agreement, AgreementStatus, Criterion, StatusChange
from regions.models import CentrumgemeenteTerm, Membership, Municipality, Region

MAX_MUNICIPALITIES = 9999  # CBS codes are GM0001..GM9999 (Municipality's check constraint)
MUNICIPALITIES_PER_REGION = 8  # about the real division: 342 municipalities in some 45 regions


@dataclass(frozen=True)
class BenchData:
    regions: int
    municipalities: int
    statuses: int
    status_changes: int
    months: int
    history_start: datetime


def month_add(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def history_start(months: int) -> datetime:
    """The first day of the month `months` months before the current one (Europe/Amsterdam)."""
    this_month = timezone.localdate().replace(day=1)
    return datetime.combine(month_add(this_month, -months), time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def municipalities_per_region(regions: int) -> int:
    """Eight like the real regions, fewer when the CBS code space (9,999 codes) cannot hold that many."""
    return max(1, min(MUNICIPALITIES_PER_REGION, MAX_MUNICIPALITIES // regions))


# The level of one region × agreement after month m (0 = before any change): a fixed pace per row,
# from never starting (pace 0) to Gerealiseerd halfway through the history (pace 4).
_LEVEL = "least(4, (({m}) * mod(abs(hashtext(st.id::text)), 5) * 2) / %(months)s)"

_CRITERIA_PER_LEVEL = """
    crit AS (
        SELECT a.id AS agreement_id, lvl.level,
               coalesce(jsonb_agg(c."order" ORDER BY c."order") FILTER (WHERE c.id IS NOT NULL), '[]') AS orders
        FROM {agreement} a
        CROSS JOIN generate_series(0, 4) AS lvl(level)
        LEFT JOIN {criterion} c ON c.agreement_id = a.id AND c."order" <= CASE lvl.level
            WHEN 4 THEN (SELECT count(*) FROM {criterion} x WHERE x.agreement_id = a.id)
            WHEN 3 THEN (SELECT count(*) FROM {criterion} x WHERE x.agreement_id = a.id) / 2
            ELSE 0 END
        GROUP BY a.id, lvl.level
    )
"""


@contextmanager
def _indexes_rebuilt_after(cursor, table: str):
    """Drop the table's secondary indexes and unique constraints for a bulk insert, then build them again.

    Building an index once over millions of rows is many times faster than updating it row by row.
    """
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'u'",
        [table],
    )
    constraints = cursor.fetchall()
    for name, _ in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary",
        [table],
    )
    indexes = cursor.fetchall()
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {name}")
    yield
    for _, definition in indexes:
        cursor.execute(definition)
    for name, definition in constraints:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def _tables() -> dict[str, str]:
    return {
        "region": Region._meta.db_table,
        "municipality": Municipality._meta.db_table,
        "membership": Membership._meta.db_table,
        "centrum": CentrumgemeenteTerm._meta.db_table,
        "agreement": Agreement._meta.db_table,
        "criterion": Criterion._meta.db_table,
        "status": AgreementStatus._meta.db_table,
        "criteria_met": AgreementStatus.criteria_met.through._meta.db_table,
        "change": StatusChange._meta.db_table,
        "step": AfstemmingStep._meta.db_table,
    }


@transaction.atomic
def bench_data_create(*, regions: int, months: int) -> BenchData:
    """Generate `regions` regions with statuses and `months` monthly changes each; the agreements must exist."""
    if not Agreement.objects.exists():
        raise RuntimeError("Load the agreements first (agreements_load).")
    tables = _tables()
    per_region = municipalities_per_region(regions)
    start = history_start(months)
    params = {"regions": regions, "months": months, "per_region": per_region, "start": start}
    final_level = _LEVEL.format(m="%(months)s")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        # Sort the history and build its indexes in memory rather than in temporary files.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        # The rows are consistent by construction: skip the per-row foreign-key triggers (superuser only).
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            """
            INSERT INTO {region} (name, slug, code, source, source_firmness)
            SELECT 'Benchregio ' || lpad(i::text, 5, '0'), 'benchregio-' || lpad(i::text, 5, '0'),
                   'BR' || lpad(i::text, 5, '0'), 'Benchmark', 'beste kennis'
            FROM generate_series(1, %(regions)s) AS i
            """.format(**tables),
            params,
        )
        cursor.execute(
            """
            INSERT INTO {municipality} (name, cbs_code, region_id, is_centrumgemeente)
            SELECT r.name || ' gemeente ' || j, 'GM' || lpad(((row_number() OVER (ORDER BY r.id, j)))::text, 4, '0'),
                   r.id, j = 1
            FROM {region} r CROSS JOIN generate_series(1, %(per_region)s) AS j
            WHERE r.slug LIKE 'benchregio-%%'
            """.format(**tables),
            params,
        )
        # The dated division behind today's: every municipality a member since the history starts.
        cursor.execute(
            """
            INSERT INTO {membership} (municipality_id, region_id, valid_from)
            SELECT m.id, m.region_id, %(start)s::date FROM {municipality} m JOIN {region} r ON r.id = m.region_id
            WHERE r.slug LIKE 'benchregio-%%'
            """.format(**tables),
            params,
        )
        cursor.execute(
            """
            INSERT INTO {centrum} (region_id, municipality_id, valid_from)
            SELECT m.region_id, m.id, %(start)s::date FROM {municipality} m JOIN {region} r ON r.id = m.region_id
            WHERE r.slug LIKE 'benchregio-%%' AND m.is_centrumgemeente
            """.format(**tables),
            params,
        )
        # Each status carries its final level; its version counts the monthly changes below. The last change put
        # it to the region (ter afstemming), as every change does.
        cursor.execute(
            """
            INSERT INTO {status} (region_id, agreement_id, status, explanation, explanation_public, evidence_links, version,
                                  updated_at, afstemming, afstemming_at)
            SELECT r.id, a.id, 0, 'Stand na maand ' || %(months)s, false, '[]', %(months)s + 1,
                   %(start)s + (%(months)s - 1) * interval '1 month' + interval '14 days 10 hours',
                   'ter_afstemming', %(start)s + (%(months)s - 1) * interval '1 month' + interval '14 days 10 hours'
            FROM {region} r CROSS JOIN {agreement} a
            WHERE r.slug LIKE 'benchregio-%%'
            """.format(**tables),
            params,
        )
        cursor.execute(
            f"UPDATE {tables['status']} st SET status = {final_level} "
            f"FROM {tables['region']} r WHERE r.id = st.region_id AND r.slug LIKE 'benchregio-%%'",
            params,
        )
        cursor.execute(
            (
                "WITH"
                + _CRITERIA_PER_LEVEL
                + """
            INSERT INTO {criteria_met} (agreementstatus_id, criterion_id)
            SELECT st.id, c.id
            FROM {status} st
            JOIN {region} r ON r.id = st.region_id AND r.slug LIKE 'benchregio-%%'
            JOIN crit ON crit.agreement_id = st.agreement_id AND crit.level = st.status
            JOIN {criterion} c ON c.agreement_id = st.agreement_id AND crit.orders @> to_jsonb(c."order")
            """
            ).format(**tables),
            params,
        )
        with _indexes_rebuilt_after(cursor, tables["change"]):
            cursor.execute(
                (
                    "WITH"
                    + _CRITERIA_PER_LEVEL
                    + """,
                by_level AS (SELECT agreement_id, jsonb_agg(orders ORDER BY level) AS orders FROM crit GROUP BY agreement_id)
                INSERT INTO {change} (
                    agreement_status_id, version, changed_at, changed_by_id, old_status, new_status, old_criteria,
                    new_criteria, old_explanation, new_explanation, old_explanation_public, new_explanation_public,
                    old_evidence_links, new_evidence_links
                )
                SELECT st.id, m + 1,
                       %(start)s + (m - 1) * interval '1 month' + interval '14 days 10 hours',
                       NULL, lv.old, lv.new, by_level.orders -> lv.old, by_level.orders -> lv.new,
                       CASE WHEN m = 1 THEN '' ELSE 'Stand na maand ' || (m - 1) END, 'Stand na maand ' || m,
                       false, false, '[]', '[]'
                FROM {status} st
                JOIN {region} r ON r.id = st.region_id AND r.slug LIKE 'benchregio-%%'
                JOIN by_level ON by_level.agreement_id = st.agreement_id
                CROSS JOIN generate_series(1, %(months)s) AS m
                CROSS JOIN LATERAL (SELECT """
                    + _LEVEL.format(m="m - 1")
                    + " AS old, "
                    + _LEVEL.format(m="m")
                    + """ AS new) lv
                ORDER BY m, st.id  -- appended over time, like the real history
                """
                ).format(**tables),
                params,
            )
        # Every change asked the region once (one afstemming step per change), read by the rebuild of a past month.
        with _indexes_rebuilt_after(cursor, tables["step"]):
            cursor.execute(
                """
                INSERT INTO {step} (agreement_status_id, status_version, step, reason, at, by_id)
                SELECT ch.agreement_status_id, ch.version, 'ter_afstemming', '', ch.changed_at, NULL
                FROM {change} ch
                JOIN {status} st ON st.id = ch.agreement_status_id
                JOIN {region} r ON r.id = st.region_id AND r.slug LIKE 'benchregio-%%'
                ORDER BY ch.changed_at, ch.id
                """.format(**tables),
                params,
            )
        cursor.execute(f"ANALYZE {tables['change']}")
        cursor.execute(f"ANALYZE {tables['step']}")
    return BenchData(
        regions=regions,
        municipalities=regions * per_region,
        statuses=AgreementStatus.objects.filter(region__slug__startswith="benchregio-").count(),
        status_changes=StatusChange.objects.filter(agreement_status__region__slug__startswith="benchregio-").count(),
        months=months,
        history_start=start,
    )
