"""Reads for the dashboard pages: everything comes from a stored snapshot, nothing is recomputed per request."""

import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet

from agreements.models import AFSTEMMING_ICONS, Afstemming, Agreement, Status
from agreements.spreadsheets import StatusTableRow
from core.dates import months_earlier
from dashboard.models import DashboardSnapshot, SnapshotCell, SnapshotRegion
from regions.models import Region
from regions.selectors import RegionTile, region_tiles


def snapshot_list() -> QuerySet[DashboardSnapshot]:
    """Every snapshot, newest first, with its regions and cells (three queries for any number of snapshots)."""
    return DashboardSnapshot.objects.order_by("-month").prefetch_related(
        Prefetch("regions", queryset=SnapshotRegion.objects.select_related("region").order_by("region__name")),
        Prefetch(
            "cells",
            queryset=SnapshotCell.objects.select_related("region", "agreement").order_by("region__name", "agreement__number"),
        ),
    )


# What a dashboard page reads of every snapshot (the month selector) and of the one it shows; the rest of that one
# (agreement_summary, national_counts, …) loads only when a fragment has to be rendered (Django's deferred fields).
# In the model's field order, as Model.from_db wants them.
SNAPSHOT_PAGE_FIELDS = ("id", "month", "peildatum", "built_at", "region_count", "released_at")


def snapshot_with_months(month: date | None) -> tuple[DashboardSnapshot | None, list[date]]:
    """The snapshot of `month` (None: the newest) and every month that has one, newest first, in one query."""
    rows = list(DashboardSnapshot.objects.order_by("-month").values_list(*SNAPSHOT_PAGE_FIELDS))
    chosen = next((row for row in rows if month is None or row[1] == month), None)
    snapshot = DashboardSnapshot.from_db("default", SNAPSHOT_PAGE_FIELDS, chosen) if chosen else None
    return snapshot, [row[1] for row in rows]


def snapshot_for_month(month: date | None) -> DashboardSnapshot | None:
    """The snapshot of `month`, or the newest one when `month` is None; None when there is none."""
    snapshots = DashboardSnapshot.objects.order_by("-month")
    return (snapshots.filter(month=month) if month else snapshots).first()


# What the public dashboard shows is the newest released month. Every process keeps its answer for
# RELEASED_RECHECK_SECONDS, so a public page costs neither a query nor a cache round trip: a release or withdrawal
# is visible in every process within that bound, and at once in the process that made it (its commit forgets the
# answer). The database is asked, not the shared cache, so the bound holds with Redis down or in-memory caches too.
RELEASED_RECHECK_SECONDS = 5
NONE_RELEASED = "geen"


@dataclass(frozen=True)
class Release:
    """The newest released month as the public pages key it: `version` is "<snapshot id>:<release time>" (or
    NONE_RELEASED), so a new release or a withdrawal names other pages."""

    version: str
    region_count: int = 0


class _ReleaseHeld:
    """This process's last answer and until when (time.monotonic) it holds. `forgotten` counts the forgets, so a
    thread that read the database before a release committed does not store its older answer after the forget."""

    release: Release | None = None
    until: float = 0.0
    forgotten: int = 0


def released_snapshot() -> DashboardSnapshot | None:
    """The newest month a VNG-medewerker or Beheerder released: what the public dashboard shows."""
    return DashboardSnapshot.objects.filter(released_at__isnull=False).order_by("-month").first()


def released_current() -> Release:
    """The newest release as this process last read it, at most RELEASED_RECHECK_SECONDS old (then one query)."""
    now = time.monotonic()
    release = _ReleaseHeld.release
    if release is None or now >= _ReleaseHeld.until:
        forgotten = _ReleaseHeld.forgotten
        snapshot = released_snapshot()
        release = (
            Release(version=f"{snapshot.pk}:{snapshot.released_at.timestamp()}", region_count=snapshot.region_count)
            if snapshot
            else Release(version=NONE_RELEASED)
        )
        if forgotten == _ReleaseHeld.forgotten:
            _ReleaseHeld.release, _ReleaseHeld.until = release, now + RELEASED_RECHECK_SECONDS
    return release


def released_snapshot_forget() -> None:
    """After a release or withdrawal (on commit): this process reads the newest release again on its next page."""
    _ReleaseHeld.forgotten += 1
    _ReleaseHeld.release = None


@dataclass(frozen=True)
class StatusBadge:
    """How a status reads in the matrix without colour: an abbreviation (and a CSS icon per `status-N` class)."""

    status: int
    label: str
    abbreviation: str


STATUS_BADGES = [
    StatusBadge(status, status.label, abbreviation) for status, abbreviation in zip(Status, ["OB", "NG", "VB", "UV", "GR"], strict=True)
]


@dataclass(frozen=True)
class AfstemmingBadge:
    """How an afstemming reads in the matrix: an icon with its label as text (visually hidden in the cell)."""

    value: str
    label: str
    icon: str


AFSTEMMING_BADGES = {value: AfstemmingBadge(value, value.label, AFSTEMMING_ICONS[value]) for value in Afstemming}


@dataclass(frozen=True)
class MatrixRow:
    region: Region
    score: SnapshotRegion
    statuses: list[StatusBadge]  # one per agreement, in agreement order
    afstemming: list[AfstemmingBadge]  # the same order
    numbers: tuple[int, ...] = ()  # the agreements' numbers, in the same order

    @property
    def cells(self) -> list[tuple[int, StatusBadge, AfstemmingBadge]]:
        """(agreement number, status, afstemming) per column: what a matrix cell shows and links to."""
        return list(zip(self.numbers, self.statuses, self.afstemming, strict=True))


def dashboard_matrix(snapshot: DashboardSnapshot) -> tuple[list[Agreement], list[MatrixRow]]:
    """The agreements (columns) and per region its frozen statuses and score (rows), in three queries."""
    agreements = list(Agreement.objects.order_by("number"))
    column = {agreement.pk: index for index, agreement in enumerate(agreements)}
    statuses: dict[int, list[StatusBadge]] = defaultdict(lambda: [STATUS_BADGES[Status.ONBEKEND]] * len(agreements))
    afstemming: dict[int, list[AfstemmingBadge]] = defaultdict(lambda: [AFSTEMMING_BADGES[Afstemming.NIET_GEVRAAGD]] * len(agreements))
    for region_id, agreement_id, status, value in SnapshotCell.objects.filter(snapshot=snapshot).values_list(
        "region_id", "agreement_id", "status", "afstemming"
    ):
        if agreement_id in column:
            statuses[region_id][column[agreement_id]] = STATUS_BADGES[status]
            afstemming[region_id][column[agreement_id]] = AFSTEMMING_BADGES[value]
    scores = SnapshotRegion.objects.filter(snapshot=snapshot).select_related("region").order_by("region_name")
    numbers = tuple(agreement.number for agreement in agreements)
    return agreements, [
        MatrixRow(
            region=score.region,
            score=score,
            statuses=statuses[score.region_id],
            afstemming=afstemming[score.region_id],
            numbers=numbers,
        )
        for score in scores
    ]


# ?sorteer= on the matrix: "regio" (by name), "score" (lowest first), "afspraak-N" (lowest status on agreement N
# first); ties by region name. Anything else falls back to "regio".
MATRIX_SORT_DEFAULT = "regio"


def sort_matrix_rows(rows: list[MatrixRow], agreements: list[Agreement], sort: str) -> list[MatrixRow]:
    """The matrix rows (by region name) in the order of `sort`, "regio", "score" or "afspraak-N"."""
    if sort == "score":
        return sorted(rows, key=lambda row: row.score.score)  # stable: ties stay by region name
    column = {f"afspraak-{agreement.number}": index for index, agreement in enumerate(agreements)}
    if sort in column:
        return sorted(rows, key=lambda row: row.statuses[column[sort]].status)
    return rows


def snapshot_status_rows(snapshot: DashboardSnapshot) -> list[StatusTableRow]:
    """The snapshot as the status table of the spreadsheet export, one row per region by name (three queries), with
    network attendance and the lagging reason after the score."""
    statuses: dict[int, dict[int, int]] = defaultdict(dict)
    afstemming: dict[int, dict[int, str]] = defaultdict(dict)
    for region_id, number, status, value in SnapshotCell.objects.filter(snapshot=snapshot).values_list(
        "region_id", "agreement__number", "status", "afstemming"
    ):
        statuses[region_id][number] = status
        afstemming[region_id][number] = value
    scores = SnapshotRegion.objects.filter(snapshot=snapshot).select_related("region").order_by("region_name")
    return [
        StatusTableRow(
            code=score.region.code,
            region=score.region_name,
            centrumgemeente=score.centrumgemeente,
            statuses=statuses[score.region_id],
            score=score.score,
            extra=(
                f"{score.meetings_attended} van {score.meetings_held}" if score.meetings_held else "geen bijeenkomsten",
                score.lagging_reason,
            ),
            afstemming=afstemming[score.region_id],
        )
        for score in scores
    ]


# The dashboard export's columns after the score, in the order of StatusTableRow.extra above.
SNAPSHOT_EXTRA_COLUMNS = ("Netwerk (bijeenkomsten bijgewoond, 12 maanden)", "Achterblijver (reden)")


def snapshot_lagging_regions(snapshot: DashboardSnapshot) -> QuerySet[SnapshotRegion]:
    """The snapshot's achterblijvers with their reason, lowest score first."""
    return (
        SnapshotRegion.objects.filter(snapshot=snapshot)
        .exclude(lagging_reason="")
        .select_related("region")
        .order_by("score", "region__name")
    )


def trend_snapshots(*, released_until: date | None = None) -> list[dict]:
    """Per month (oldest first) the status counts per agreement and nationally; with `released_until` only the
    released months up to that one (the public trend)."""
    snapshots = DashboardSnapshot.objects.order_by("month")
    if released_until is not None:
        snapshots = snapshots.filter(released_at__isnull=False, month__lte=released_until)
    return list(snapshots.values("month", "region_count", "agreement_summary", "national_counts"))


@dataclass(frozen=True)
class SnapshotChanges:
    """What a snapshot changed against the month before: the news of the monthly digest."""

    moved_up: list[Region]
    moved_down: list[Region]
    new_lagging: dict[Region, str]


def snapshot_changes(snapshot: DashboardSnapshot) -> SnapshotChanges:
    """Regions whose score rose or fell since last month, and the achterblijvers that were not last month."""
    rows = list(SnapshotRegion.objects.filter(snapshot=snapshot).select_related("region").order_by("region__name"))
    previous = DashboardSnapshot.objects.filter(month__lt=snapshot.month).order_by("-month").first()
    lagging_before = (
        set(SnapshotRegion.objects.filter(snapshot=previous).exclude(lagging_reason="").values_list("region_id", flat=True))
        if previous
        else set()
    )
    return SnapshotChanges(
        moved_up=[row.region for row in rows if row.change > 0],
        moved_down=[row.region for row in rows if row.change < 0],
        new_lagging={row.region: row.lagging_reason for row in rows if row.lagging_reason and row.region_id not in lagging_before},
    )


@dataclass(frozen=True)
class DashboardMap:
    """The tile map on the dashboard: every region coloured by its overall score or its status on one agreement."""

    choice: str  # "totaal" or an agreement number as text (the GET parameter `kaart`)
    choices: list[tuple[str, str]]
    caption: str
    tiles: list[RegionTile]
    legend: list[tuple[str, str]]


def score_level(score: int, max_score: int) -> int:
    """The score as one of five steps 0..4 (coloured like the statuses); 4 only when everything is realised."""
    return min(4, score * 4 // max_score) if max_score else 0


def dashboard_map(
    *, agreements: list[Agreement], rows: list[MatrixRow], max_score: int, choice: str, link: str = "pages:region_detail"
) -> DashboardMap:
    """The map of `choice` from the matrix rows already read (one query more: the regions' places on the map);
    each tile links to the region's page `link`."""
    choices = [("totaal", "Totaalscore")] + [(str(a.number), f"Afspraak {a.number}: {a.title}") for a in agreements]
    column = {str(agreement.number): index for index, agreement in enumerate(agreements)}
    if choice not in column:
        choice = "totaal"
    if choice == "totaal":
        values = {
            row.region.pk: (f"score {row.score.score}/{max_score}", f"nvo-status-{score_level(row.score.score, max_score)}") for row in rows
        }
        scores_per_level: dict[int, list[int]] = defaultdict(list)
        for score in range(max_score + 1):
            scores_per_level[score_level(score, max_score)].append(score)
        legend = [
            (f"nvo-status-{level}", f"score {scores[0]}–{scores[-1]}" if len(scores) > 1 else f"score {scores[0]}")
            for level, scores in sorted(scores_per_level.items())
        ]
        caption = f"Totaalscore per regio (maximaal {max_score})"
    else:
        values = {row.region.pk: (row.statuses[column[choice]].label, f"nvo-status-{row.statuses[column[choice]].status}") for row in rows}
        legend = [(f"nvo-status-{badge.status}", badge.label) for badge in STATUS_BADGES]
        caption = f"Status per regio op {dict(choices)[choice]}"
    tiles = region_tiles(values=values, regions=[row.region for row in rows], link=link)
    return DashboardMap(choice=choice, choices=choices, caption=caption, tiles=tiles, legend=legend)


def snapshot_months_missed(*, current: date) -> list[date]:
    """The months the monthly job has not built, oldest first: every month after the newest snapshot up to `current`.

    `current` is the first day of this month. Without any snapshot that is only `current` (a new installation does
    not build its past); months missing before the newest snapshot are no missed runs.
    """
    newest = DashboardSnapshot.objects.filter(month__lte=current).order_by("-month").values_list("month", flat=True).first()
    if newest is None:
        return [current]
    months, month = [], current
    while month > newest:
        months.append(month)
        month = months_earlier(month, 1)
    return months[::-1]
