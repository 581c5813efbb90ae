"""Reads for the pages that combine several domains, each tuned for its page (fixed number of queries)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils.formats import date_format

from accounts.roles import user_region_ids
from agreements.models import Afstemming, AgreementStatus, Criterion, Status, StatusChange
from core.dates import months_earlier
from dashboard import selectors as dashboard_selectors
from regions.models import ContactChange, ContactPerson, Membership, Municipality, Region, RegiovisieAdoptionChange
from regions.selectors import current_regions
from support.models import SupportAction
from support.selectors import NO_CONTACT_MONTHS, open_support_actions


def region_list_with_progress(*, search: str = "") -> QuerySet[Region]:
    """Every current region by name (or those whose name or centrumgemeente's name contains `search`), with its
    municipalities, the number of agreements it has realised and how many of its statuses it agreed with
    (afgestemd), waits to agree with (ter afstemming) or disagreed with."""
    regions = current_regions()
    if search:
        centrum = Municipality.objects.filter(is_centrumgemeente=True, name__icontains=search).values("region_id")
        regions = regions.filter(Q(name__icontains=search) | Q(pk__in=centrum))
    # Meta.ordering does not apply to aggregating queries, so the order is explicit.
    return (
        regions.prefetch_related("municipalities")
        .annotate(
            realised_count=Count("statuses", filter=Q(statuses__status=Status.GEREALISEERD)),
            status_count=Count("statuses"),
            afgestemd_count=Count("statuses", filter=Q(statuses__afstemming=Afstemming.AFGESTEMD)),
            waiting_count=Count("statuses", filter=Q(statuses__afstemming=Afstemming.TER_AFSTEMMING)),
            niet_akkoord_count=Count("statuses", filter=Q(statuses__afstemming=Afstemming.NIET_AKKOORD)),
        )
        .order_by("name")
    )


def my_regions(user) -> QuerySet[Region]:
    return region_list_with_progress().filter(pk__in=user_region_ids(user))


def region_detail(*, slug: str) -> Region:
    """One region with everything its page shows; an unknown slug is a 404. Each municipality carries
    `member_since`, the start of its current membership."""
    member_since = Membership.objects.filter(municipality=OuterRef("pk"), valid_until__isnull=True).values("valid_from")
    return get_object_or_404(
        Region.objects.prefetch_related(
            Prefetch(
                "municipalities",
                queryset=Municipality.objects.select_related("regiovisie_adoption").annotate(member_since=Subquery(member_since[:1])),
            ),
            Prefetch(
                "statuses",
                queryset=AgreementStatus.objects.select_related("agreement", "updated_by", "afstemming_by")
                .prefetch_related("agreement__criteria", "criteria_met")
                .order_by("agreement__number"),
            ),
            Prefetch("contacts", queryset=ContactPerson.objects.select_related("updated_by")),
        ),
        slug=slug,
    )


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a region's history, whatever was changed."""

    changed_at: datetime
    changed_by: object
    subject: str
    old: str
    new: str


def _contact_text(state: dict | None) -> str:
    if not state:
        return "(geen)"
    return ", ".join(value for value in (state.get(key, "") for key in ("name", "function", "organisation", "email", "phone")) if value)


def _adoption_text(state: dict | None) -> str:
    if not state:
        return "(niet vastgesteld)"
    day = date_format(datetime.fromisoformat(state["decision_date"]), "j F Y")
    return f"vastgesteld op {day}" + (f" ({state['decision_url']})" if state.get("decision_url") else "")


def _sentence_part(text: str) -> str:
    """A text as one part of a "; "-separated line: without the full stop it may end with (no ".;")."""
    return text.strip().rstrip(".;").rstrip()


def _status_text(status: int, criteria: list[str], explanation: str, links: list[str]) -> str:
    parts = [Status(status).label, "criteria voldaan: " + (", ".join(f"“{_sentence_part(text)}”" for text in criteria) or "geen")]
    if explanation:
        parts.append(f"toelichting: {_sentence_part(explanation)}")
    if links:
        parts.append("onderbouwing: " + ", ".join(links))
    return "; ".join(parts)


def region_history(*, region: Region) -> list[HistoryEntry]:
    """Every status, contact and regiovisie-adoption change of the region, newest first (four queries); criteria
    by their text (a change stores their order numbers)."""
    criteria = {(agreement_id, order): text for agreement_id, order, text in Criterion.objects.values_list("agreement_id", "order", "text")}

    def texts(change: StatusChange, orders: list[int]) -> list[str]:
        agreement_id = change.agreement_status.agreement_id
        return [criteria.get((agreement_id, order), f"criterium {order}") for order in orders]

    entries = [
        HistoryEntry(
            change.changed_at,
            change.changed_by,
            f"Afspraak {change.agreement_status.agreement.number}",
            _status_text(change.old_status, texts(change, change.old_criteria), change.old_explanation, change.old_evidence_links),
            _status_text(change.new_status, texts(change, change.new_criteria), change.new_explanation, change.new_evidence_links),
        )
        for change in StatusChange.objects.filter(agreement_status__region=region).select_related(
            "changed_by", "agreement_status__agreement"
        )
    ]
    entries += [
        HistoryEntry(
            change.changed_at,
            change.changed_by,
            f"Aanspreekpunt {change.get_kind_display().lower()} ({change.get_position_display().lower()})",
            _contact_text(change.old),
            _contact_text(change.new),
        )
        for change in ContactChange.objects.filter(region=region).select_related("changed_by")
    ]
    entries += [
        HistoryEntry(
            change.changed_at,
            change.changed_by,
            f"Regiovisie {change.municipality.name}",
            _adoption_text(change.old),
            _adoption_text(change.new),
        )
        for change in RegiovisieAdoptionChange.objects.filter(
            municipality__in=Membership.objects.filter(region=region).values("municipality")
        ).select_related("changed_by", "municipality")
    ]
    return sorted(entries, key=lambda entry: entry.changed_at, reverse=True)


# --- Follow-up of lagging regions ---


def follow_up_lagging_regions() -> dict[int, str] | None:
    """Region id → reason for every region the newest dashboard snapshot marks as lagging.

    None means no dashboard has been built yet. The dashboard app owns the rule.
    """
    snapshot = dashboard_selectors.snapshot_for_month(None)
    if snapshot is None:
        return None
    return {row.region_id: row.lagging_reason for row in dashboard_selectors.snapshot_lagging_regions(snapshot)}


@dataclass(frozen=True)
class FollowUpRow:
    region: Region
    reason: str
    open_actions: list[SupportAction]
    last_contact: date | None
    no_recent_contact: bool

    @property
    def overdue_count(self) -> int:
        return sum(action.overdue for action in self.open_actions)


def follow_up_overview(*, lagging: dict[int, str], today: date) -> list[FollowUpRow]:
    """The lagging regions with their open actions and last contact; those without contact for 3 months first."""
    since = months_earlier(today, NO_CONTACT_MONTHS)
    regions = (
        Region.objects.filter(id__in=lagging)
        .annotate(last_contact=Max("support_actions__date"))
        .prefetch_related(Prefetch("support_actions", queryset=open_support_actions(today=today), to_attr="open_actions"))
    )
    rows = [
        FollowUpRow(
            region=region,
            reason=lagging[region.id],
            open_actions=region.open_actions,
            last_contact=region.last_contact,
            no_recent_contact=region.last_contact is None or region.last_contact < since,
        )
        for region in regions
    ]
    return sorted(rows, key=lambda row: (not row.no_recent_contact, row.last_contact or date.min, row.region.name))
