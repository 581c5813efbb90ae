"""Reads for the pages that combine several domains, each tuned for its page (fixed number of queries)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.paginator import Page
from django.db.models import Case, Count, F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.shortcuts import get_object_or_404
from django.utils.formats import date_format

from accounts.roles import user_region_ids
from agreements.models import Afstemming, AgreementStatus, Criterion, Status, StatusChange
from core.dates import months_earlier
from core.links import slug_link
from core.paging import page_of
from dashboard import selectors as dashboard_selectors
from dashboard.models import SnapshotRegion
from regions.models import ContactChange, ContactPerson, Membership, Municipality, Region, RegiovisieAdoptionChange
from regions.selectors import current_regions
from support.models import SupportAction
from support.selectors import NO_CONTACT_MONTHS, open_support_actions


def region_list_page(*, search: str = "", page_number="1") -> Page:
    """One page of the current regions by name (or of those whose name or centrumgemeente's name contains `search`)
    as RegionListRows: four queries whatever the number of regions (the count, the page, and `region_rows`)."""
    regions = current_regions()
    if search:
        centrum = Municipality.objects.filter(is_centrumgemeente=True, name__icontains=search).values("region_id")
        regions = regions.filter(Q(name__icontains=search) | Q(pk__in=centrum))
    page = page_of(regions.order_by("name").values("pk", "name", "slug"), page_number)
    page.object_list = region_rows(list(page.object_list))
    return page


def my_regions(user) -> list["RegionListRow"]:
    return region_rows(list(current_regions().filter(pk__in=user_region_ids(user)).order_by("name").values("pk", "name", "slug")))


@dataclass(frozen=True)
class RegionListRow:
    """A line of the region lists: the region, its municipalities and how far it is."""

    name: str
    slug: str
    url: str  # the region's page
    centrumgemeente: str | None
    municipality_count: int
    realised_count: int  # agreements realised
    status_count: int
    afgestemd_count: int  # statuses the region agreed with, waits to agree with (ter afstemming) or disagreed with
    waiting_count: int
    niet_akkoord_count: int


def region_rows(regions: list[dict]) -> list[RegionListRow]:
    """RegionListRows of `regions` (dicts of pk, name and slug, in their order): two queries that read only these
    regions' municipalities and statuses, and no model instances."""
    ids = [region["pk"] for region in regions]
    members = {
        row["region_id"]: row
        for row in Municipality.objects.filter(region_id__in=ids)
        .order_by()
        .values("region_id")
        .annotate(count=Count("pk"), centrumgemeente=Max("name", filter=Q(is_centrumgemeente=True)))
    }
    progress = {
        row["region_id"]: row
        for row in AgreementStatus.objects.filter(region_id__in=ids)
        .order_by()
        .values("region_id")
        .annotate(
            realised=Count("pk", filter=Q(status=Status.GEREALISEERD)),
            total=Count("pk"),
            afgestemd=Count("pk", filter=Q(afstemming=Afstemming.AFGESTEMD)),
            waiting=Count("pk", filter=Q(afstemming=Afstemming.TER_AFSTEMMING)),
            niet_akkoord=Count("pk", filter=Q(afstemming=Afstemming.NIET_AKKOORD)),
        )
    }
    link = slug_link("pages:region_detail")
    rows = []
    for region in regions:
        municipalities = members.get(region["pk"], {})
        statuses = progress.get(region["pk"], {})
        rows.append(
            RegionListRow(
                name=region["name"],
                slug=region["slug"],
                url=link(region["slug"]),
                centrumgemeente=municipalities.get("centrumgemeente"),
                municipality_count=municipalities.get("count", 0),
                realised_count=statuses.get("realised", 0),
                status_count=statuses.get("total", 0),
                afgestemd_count=statuses.get("afgestemd", 0),
                waiting_count=statuses.get("waiting", 0),
                niet_akkoord_count=statuses.get("niet_akkoord", 0),
            )
        )
    return rows


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


def follow_up_lagging_regions() -> QuerySet[SnapshotRegion] | None:
    """The achterblijvers of the newest dashboard snapshot, each with its reason (a query not yet run).

    None means no dashboard has been built yet. The dashboard app owns the rule.
    """
    snapshot = dashboard_selectors.snapshot_for_month(None)
    if snapshot is None:
        return None
    return dashboard_selectors.snapshot_lagging_regions(snapshot)


@dataclass(frozen=True)
class FollowUpRow:
    region: Region
    reason: str
    open_actions: list[SupportAction]
    last_contact: date | None
    no_recent_contact: bool
    url: str  # the region's page
    new_action_url: str  # a new support action for the region

    @property
    def overdue_count(self) -> int:
        return sum(action.overdue for action in self.open_actions)


def follow_up_page(*, lagging: QuerySet[SnapshotRegion], today: date, page_number="1") -> Page:
    """One page of the lagging regions (`follow_up_lagging_regions`) as FollowUpRows with their open actions and
    last contact: those without contact for 3 months first, the longest without first, then by name. Three queries
    (the count, the page, its open actions); only the page's regions and actions become instances."""
    since = months_earlier(today, NO_CONTACT_MONTHS)
    last_contact = SupportAction.objects.filter(region=OuterRef("region_id")).order_by("-date").values("date")[:1]
    ordered = (
        lagging.only("region_id", "lagging_reason", "region__name", "region__slug")
        .annotate(last_contact=Subquery(last_contact))
        .annotate(recent_contact=Case(When(last_contact__gte=since, then=Value(True)), default=Value(False)))
        .order_by("recent_contact", F("last_contact").asc(nulls_first=True), "region__name", "region_id")
    )
    page = page_of(ordered, page_number)
    lagging_page = list(page.object_list)
    actions: dict[int, list[SupportAction]] = {row.region_id: [] for row in lagging_page}
    for action in open_support_actions(today=today).filter(region_id__in=actions):
        actions[action.region_id].append(action)
    region_link, new_action_link = slug_link("pages:region_detail"), slug_link("support:support_action_create")
    page.object_list = [
        FollowUpRow(
            region=row.region,
            reason=row.lagging_reason,
            open_actions=actions[row.region_id],
            last_contact=row.last_contact,
            no_recent_contact=not row.recent_contact,
            url=region_link(row.region.slug),
            new_action_url=new_action_link(row.region.slug),
        )
        for row in lagging_page
    ]
    return page
