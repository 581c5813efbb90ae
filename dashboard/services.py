"""Writes for the dashboard: freezing the national state of a month into a snapshot."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, F, Func, IntegerField, OuterRef, Subquery, TextField, Value, When
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.roles import is_vng_or_beheerder
from agreements.models import Afstemming, AfstemmingStep, Agreement, AgreementStatus, Status, StatusChange, region_score
from core.audit import audit_record
from core.dates import months_earlier
from core.errors import ApplicationError
from core.models import AuditEvent
from dashboard.models import DashboardSnapshot, MonthlyDigest, SnapshotCell, SnapshotRegion
from dashboard.selectors import released_snapshot_forget, snapshot_months_missed
from regions.selectors import division_on
from support.selectors import attendance_last_12_months

# Regions whose score has not risen over this many monthly snapshots (this one included) lag behind.
STAGNATION_SNAPSHOTS = 3
BULK_BATCH = 2000

# (region_id, agreement_id) -> (status, criteria met, explanation if its author made it public else "")
State = dict[tuple[int, int], tuple[int, int, str]]
UNKNOWN = (Status.ONBEKEND, 0, "")  # a region × agreement without any recorded state


def month_start(month: date) -> date:
    return month.replace(day=1)


def _start_moment(month: date) -> datetime:
    return datetime.combine(month, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _current_state() -> State:
    public = Case(When(explanation_public=True, then=F("explanation")), default=Value(""), output_field=TextField())
    rows = (
        AgreementStatus.objects.order_by()
        .annotate(met=Count("criteria_met"), public=public)
        .values_list("region_id", "agreement_id", "status", "met", "public")
    )
    return {(region_id, agreement_id): (status, met, public) for region_id, agreement_id, status, met, public in rows}


class JSONArrayLength(Func):
    """The number of elements of a JSON array (PostgreSQL's jsonb_array_length, SQLite's json_array_length)."""

    function = "JSON_ARRAY_LENGTH"
    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSONB_ARRAY_LENGTH", **extra_context)


def _state_at(moment: datetime) -> State:
    """Each region × agreement as it was just before `moment`: its last change before then, else Onbekend.

    One probe of the index statuschange_latest_first per status reads its last change's status and number of
    criteria at once; no ordering, so no join with regions and agreements.
    """
    last_change = StatusChange.objects.filter(agreement_status=OuterRef("pk"), changed_at__lt=moment).order_by("-changed_at", "-version")
    past = JSONObject(
        status="new_status",
        criteria=JSONArrayLength("new_criteria"),
        public=Case(When(new_explanation_public=True, then=F("new_explanation")), default=Value(""), output_field=TextField()),
    )
    rows = (
        AgreementStatus.objects.order_by()
        .annotate(past=Subquery(last_change.values(state=past)[:1]))
        .values_list("region_id", "agreement_id", "past")
    )
    return {
        (region_id, agreement_id): (past["status"], past["criteria"], past["public"])
        for region_id, agreement_id, past in rows
        if past is not None  # no change before `moment`
    }


AfstemmingState = dict[tuple[int, int], str]  # (region_id, agreement_id) -> Afstemming value


def _current_afstemming() -> AfstemmingState:
    rows = AgreementStatus.objects.order_by().values_list("region_id", "agreement_id", "afstemming")
    return {(region_id, agreement_id): afstemming for region_id, agreement_id, afstemming in rows}


def _afstemming_at(moment: datetime) -> AfstemmingState:
    """Each status's afstemming just before `moment`: its last step then (index afstemming_latest_first), so a past
    month shows what the region had agreed with at the time; no step yet is "nog niet gevraagd"."""
    last_step = AfstemmingStep.objects.filter(agreement_status=OuterRef("pk"), at__lt=moment).order_by("-at", "-id")
    rows = (
        AgreementStatus.objects.order_by()
        .annotate(past=Subquery(last_step.values("step")[:1]))
        .filter(past__isnull=False)
        .values_list("region_id", "agreement_id", "past")
    )
    return {(region_id, agreement_id): step for region_id, agreement_id, step in rows}


def _scores(state: State, region_ids: list[int], agreement_ids: list[int]) -> dict[int, int]:
    return {
        region_id: region_score(state.get((region_id, agreement_id), UNKNOWN)[0] for agreement_id in agreement_ids)
        for region_id in region_ids
    }


def _month_scores(month: date, regions: list[int], agreement_ids: list[int]) -> tuple[dict[int, int], date]:
    """Each region's score in `month` and the day it applies to: as that month's snapshot shows it (what the
    dashboard said then, on its peildatum), or, when there is no snapshot of the month or it lacks a region,
    reconstructed from the history at the month's start.

    Reading the snapshot spares the monthly job two history lookups of every status, the part of the rebuild
    that grows fastest with the history.
    """
    snapshot = DashboardSnapshot.objects.filter(month=month).first()
    stored = dict(snapshot.regions.values_list("region_id", "score")) if snapshot else {}
    if stored and all(region_id in stored for region_id in regions):
        return stored, timezone.localdate(snapshot.peildatum)
    return _scores(_state_at(_start_moment(month)), regions, agreement_ids), month


def lowest_quartile_threshold(scores: list[int]) -> int:
    """The score at the first quartile: a region at or below it is in the lowest quarter of the country."""
    if not scores:
        return 0
    ordered = sorted(scores)
    return ordered[max(0, (len(ordered) + 3) // 4 - 1)]


def lagging_reason(*, score: int, threshold: int, max_score: int, score_before: int, before: date) -> str:
    """The documented rule for achterblijvers (see README); an empty string when the region is on track."""
    if score >= max_score:
        return ""
    reasons = []
    if score <= threshold:
        reasons.append(f"Score {score} van {max_score} valt in het laagste kwartiel van het land (grens {threshold}).")
    if score <= score_before:
        reasons.append(
            f"Geen vooruitgang in de laatste {STAGNATION_SNAPSHOTS} maanden "
            f"(score {score_before} op {date_format(before, 'j F Y')}, nu {score})."
        )
    return " ".join(reasons)


@transaction.atomic
def dashboard_rebuild(*, month: date, replace: bool = True) -> DashboardSnapshot:
    """Freeze every region × agreement of `month` into its snapshot, replacing an earlier one for that month.

    Runs in one transaction: a failure leaves the month's previous snapshot as it was. A fixed number
    of queries, whatever the number of regions. With `replace=False` an existing snapshot of the month is
    kept and the insert fails with IntegrityError (the month is unique), see dashboard_month_ensure.
    """
    month = month_start(month)
    now = timezone.now()
    current_month = timezone.localdate(now).replace(day=1)
    if month > current_month:
        raise ApplicationError("Een dashboard voor een maand in de toekomst kan niet gebouwd worden.")
    # What the public sees is what VNG released: a released month changes only after it is withdrawn.
    if DashboardSnapshot.objects.filter(month=month, released_at__isnull=False).exists():
        raise ApplicationError(
            f"Het dashboard van {date_format(month, 'F Y')} is gepubliceerd en wordt niet opnieuw gebouwd. "
            "Trek de publicatie eerst in als het opnieuw moet."
        )

    agreements = list(Agreement.objects.order_by("number").values_list("id", "number", "title"))
    agreement_ids = [agreement_id for agreement_id, _, _ in agreements]

    if month == current_month:
        peildatum, state, afstemming = now, _current_state(), _current_afstemming()
    else:
        peildatum = _start_moment(month)
        state, afstemming = _state_at(peildatum), _afstemming_at(peildatum)
    # The regions of the division valid on the peildatum, as they were then.
    division = division_on(timezone.localdate(peildatum))
    regions = sorted(division, key=lambda region_id: division[region_id].name)
    previous_month = months_earlier(month, 1)
    stagnation_month = months_earlier(month, STAGNATION_SNAPSHOTS - 1)
    scores = _scores(state, regions, agreement_ids)
    previous_scores, _ = _month_scores(previous_month, regions, agreement_ids)
    stagnation_scores, stagnation_day = _month_scores(stagnation_month, regions, agreement_ids)

    attendance = attendance_last_12_months(today=timezone.localdate(peildatum))
    max_score = int(Status.GEREALISEERD) * len(agreements)
    threshold = lowest_quartile_threshold(list(scores.values()))
    summary, national_counts = [], [0] * len(Status)
    for agreement_id, number, title in agreements:
        counts = [0] * len(Status)
        for region_id in regions:
            counts[state.get((region_id, agreement_id), UNKNOWN)[0]] += 1
        national_counts = [total + count for total, count in zip(national_counts, counts, strict=True)]
        summary.append(
            {
                "number": number,
                "title": title,
                "counts": counts,
                "share_gerealiseerd": _share(counts[Status.GEREALISEERD], len(regions)),
            }
        )

    agreed = {region_id: 0 for region_id in regions}
    for (region_id, agreement_id), value in afstemming.items():
        if value == Afstemming.AFGESTEMD and region_id in agreed and agreement_id in agreement_ids:
            agreed[region_id] += 1
    disagreed = sum(
        1
        for (region_id, agreement_id), value in afstemming.items()
        if value == Afstemming.NIET_AKKOORD and region_id in agreed and agreement_id in agreement_ids
    )

    if replace:
        DashboardSnapshot.objects.filter(month=month).delete()
    snapshot = DashboardSnapshot(
        month=month,
        peildatum=peildatum,
        built_at=now,
        region_count=len(regions),
        max_score=max_score,
        national_score=_share(sum(scores.values()), max_score * len(regions)),
        lagging_threshold=threshold,
        agreement_summary=summary,
        national_counts=national_counts,
        afgestemd_count=sum(agreed.values()),
        niet_akkoord_count=disagreed,
    )
    snapshot.full_clean(validate_unique=replace)  # without replace the database's unique month decides
    snapshot.save()
    cells = []
    for region_id in regions:
        for agreement_id in agreement_ids:
            status, met, public = state.get((region_id, agreement_id), UNKNOWN)
            cells.append(
                SnapshotCell(
                    snapshot=snapshot,
                    region_id=region_id,
                    agreement_id=agreement_id,
                    status=status,
                    criteria_met=met,
                    afstemming=afstemming.get((region_id, agreement_id), Afstemming.NIET_GEVRAAGD),
                    public_explanation=public,
                )
            )
    SnapshotCell.objects.bulk_create(cells, batch_size=BULK_BATCH)
    SnapshotRegion.objects.bulk_create(
        (
            SnapshotRegion(
                snapshot=snapshot,
                region_id=region_id,
                score=scores[region_id],
                previous_score=previous_scores[region_id],
                lagging_reason=lagging_reason(
                    score=scores[region_id],
                    threshold=threshold,
                    max_score=max_score,
                    score_before=stagnation_scores[region_id],
                    before=stagnation_day,
                ),
                meetings_attended=attendance.get(region_id, (0, 0))[0],
                meetings_held=attendance.get(region_id, (0, 0))[1],
                region_name=division[region_id].name,
                centrumgemeente=division[region_id].centrumgemeente,
                municipalities=division[region_id].municipalities,
                councils_adopted=division[region_id].adopted,
                afgestemd=agreed[region_id],
            )
            for region_id in regions
        ),
        batch_size=BULK_BATCH,
    )
    return snapshot


def _share(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _release_audit(*, snapshot: DashboardSnapshot, user, action: str, old: dict, new: dict) -> None:
    audit_record(
        kind=AuditEvent.Kind.DATA_CHANGE,
        user=user,
        description=f"Dashboard {snapshot.month:%Y-%m} {action}",
        target=snapshot,
        action=action,
        old=old,
        new=new,
        details={"month": f"{snapshot.month:%Y-%m}"},
    )


@transaction.atomic
def snapshot_release(*, snapshot: DashboardSnapshot, user) -> DashboardSnapshot:
    """Publish a month: from now on the public dashboard shows it (if it is the newest released month).

    Only a VNG-medewerker or Beheerder may; releasing a released month again is refused with a Dutch message.
    """
    if not is_vng_or_beheerder(user):
        raise PermissionDenied("Alleen een VNG-medewerker of beheerder mag een maand publiceren.")
    current = DashboardSnapshot.objects.select_for_update().get(pk=snapshot.pk)
    if current.is_released:
        raise ApplicationError(f"{date_format(current.month, 'F Y')} is al gepubliceerd.")
    current.released_at, current.released_by = timezone.now(), user
    current.full_clean()
    current.save(update_fields=["released_at", "released_by"])
    _release_audit(snapshot=current, user=user, action="gepubliceerd", old={"released_at": None}, new={"released_at": current.released_at})
    transaction.on_commit(released_snapshot_forget)
    return current


@transaction.atomic
def snapshot_withdraw(*, snapshot: DashboardSnapshot, user) -> DashboardSnapshot:
    """Take a month off the public dashboard again (a mistake found after release); the public then sees the
    released month before it. The month can then be rebuilt and released anew."""
    if not is_vng_or_beheerder(user):
        raise PermissionDenied("Alleen een VNG-medewerker of beheerder mag een publicatie intrekken.")
    current = DashboardSnapshot.objects.select_for_update().get(pk=snapshot.pk)
    if not current.is_released:
        raise ApplicationError(f"{date_format(current.month, 'F Y')} is niet gepubliceerd.")
    released_at = current.released_at
    current.released_at, current.released_by = None, None
    current.full_clean()
    current.save(update_fields=["released_at", "released_by"])
    _release_audit(
        snapshot=current, user=user, action="publicatie ingetrokken", old={"released_at": released_at}, new={"released_at": None}
    )
    transaction.on_commit(released_snapshot_forget)
    return current


def dashboard_rebuild_history(*, month: date, history: int = 0) -> list[DashboardSnapshot]:
    """Rebuild `month` and the `history` months before it, oldest first (each month in its own transaction)."""
    return [dashboard_rebuild(month=months_earlier(month_start(month), back)) for back in range(history, -1, -1)]


def dashboard_month_ensure(*, month: date) -> tuple[DashboardSnapshot, bool]:
    """The snapshot of `month`, built now only if it has none; returns it and whether it was built.

    Never rebuilds, so a month's peildatum stays the moment of its first build. Two runs at the same time
    both build, but only the first insert of the month commits (the month is unique); the other one's
    transaction is rolled back and it returns the snapshot that won.
    """
    month = month_start(month)
    existing = DashboardSnapshot.objects.filter(month=month).first()
    if existing is not None:
        return existing, False
    try:
        return dashboard_rebuild(month=month, replace=False), True
    except IntegrityError:
        winner = DashboardSnapshot.objects.filter(month=month).first()
        if winner is None:
            raise
        return winner, False


def dashboard_monthly_run() -> tuple[list[DashboardSnapshot], bool]:
    """The scheduled job (day-1 run and hourly catch-up alike): build every missed month, mail the digest once.

    Months are built oldest first, each once; then the current month's digest goes out unless a run already
    sent it. Missed past months get no digest of their own (their news is in the current one). Returns the
    snapshots built and whether the digest was sent now.
    """
    built = []
    for month in snapshot_months_missed(current=month_start(timezone.localdate())):
        snapshot, is_new = dashboard_month_ensure(month=month)
        if is_new:
            built.append(snapshot)
    current, _ = dashboard_month_ensure(month=timezone.localdate())
    return built, dashboard_digest_send_once(snapshot=current)


@transaction.atomic
def dashboard_digest_send_once(*, snapshot: DashboardSnapshot) -> bool:
    """Mail the digest of `snapshot`'s month unless it was sent already; returns whether it was sent now.

    The MonthlyDigest row is inserted before the mails go out and committed after: a second run at the same
    moment waits on that insert and then finds the month taken. When sending fails the row is rolled back,
    so the next run tries again. Only a crash between the mail server accepting the mails and the commit
    can make a digest go out twice.
    """
    try:
        with transaction.atomic():
            record = MonthlyDigest.objects.create(month=snapshot.month, sent_at=timezone.now())
    except IntegrityError:
        return False
    record.recipients = dashboard_digest_send(snapshot=snapshot)
    record.save(update_fields=["recipients"])
    return True


def dashboard_digest_send(*, snapshot: DashboardSnapshot) -> int:
    """E-mail VNG staff the news of `snapshot` (see support.services.monthly_digest_send); returns the count."""
    from dashboard.selectors import snapshot_changes
    from support.services import monthly_digest_send

    changes = snapshot_changes(snapshot)
    return monthly_digest_send(
        moved_up=changes.moved_up,
        moved_down=changes.moved_down,
        new_lagging=changes.new_lagging,
        today=timezone.localdate(),
        dashboard_url=settings.SITE_URL.rstrip("/") + reverse("dashboard:index") + f"?maand={snapshot.month:%Y-%m}",
        open_disagreements=snapshot.niet_akkoord_count,
    )
