"""Reads for regions, each tuned for the page that uses it (fixed number of queries)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce

from accounts.roles import user_region_ids
from agreements.models import AgreementStatus, Status, StatusChange
from regions.models import (
    ContactChange,
    ContactPerson,
    Municipality,
    Region,
    RegiovisieAdoptionChange,
)


def region_list() -> QuerySet[Region]:
    """Every region with its municipalities and the number of agreements it has realised."""
    return Region.objects.prefetch_related("municipalities").annotate(
        realised_count=Count("statuses", filter=Q(statuses__status=Status.GEREALISEERD))
    )


def my_regions(user) -> QuerySet[Region]:
    return region_list().filter(pk__in=user_region_ids(user))


def region_detail(*, slug: str) -> Region:
    """One region with everything its page shows; raises Region.DoesNotExist for an unknown slug."""
    return Region.objects.prefetch_related(
        Prefetch("municipalities", queryset=Municipality.objects.select_related("regiovisie_adoption")),
        Prefetch(
            "statuses",
            queryset=AgreementStatus.objects.select_related("agreement", "updated_by")
            .prefetch_related("agreement__criteria", "criteria_met")
            .order_by("agreement__number"),
        ),
        Prefetch("contacts", queryset=ContactPerson.objects.select_related("updated_by")),
    ).get(slug=slug)


def region_adoption_municipalities(*, region: Region) -> list[Municipality]:
    """The region's municipalities with their adoption and its version (the number of recorded changes)."""
    return list(
        region.municipalities.select_related("regiovisie_adoption").annotate(
            adoption_version=Coalesce(Max("adoption_changes__version"), 0)
        )
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
    day = datetime.fromisoformat(state["decision_date"]).strftime("%d-%m-%Y")
    return f"vastgesteld op {day}" + (f" ({state['decision_url']})" if state.get("decision_url") else "")


def _status_text(status: int, criteria: list[int], explanation: str, links: list[str]) -> str:
    parts = [Status(status).label, "criteria voldaan: " + (", ".join(map(str, criteria)) or "geen")]
    if explanation:
        parts.append(f"toelichting: {explanation}")
    if links:
        parts.append("onderbouwing: " + ", ".join(links))
    return "; ".join(parts)


def region_history(*, region: Region) -> list[HistoryEntry]:
    """Every status, contact and regiovisie-adoption change of the region, newest first (three queries)."""
    entries = [
        HistoryEntry(
            change.changed_at, change.changed_by, f"Afspraak {change.agreement_status.agreement.number}",
            _status_text(change.old_status, change.old_criteria, change.old_explanation, change.old_evidence_links),
            _status_text(change.new_status, change.new_criteria, change.new_explanation, change.new_evidence_links),
        )
        for change in StatusChange.objects.filter(agreement_status__region=region).select_related(
            "changed_by", "agreement_status__agreement"
        )
    ]
    entries += [
        HistoryEntry(
            change.changed_at, change.changed_by,
            f"Aanspreekpunt {change.get_kind_display().lower()} ({change.get_position_display().lower()})",
            _contact_text(change.old), _contact_text(change.new),
        )
        for change in ContactChange.objects.filter(region=region).select_related("changed_by")
    ]
    entries += [
        HistoryEntry(
            change.changed_at, change.changed_by, f"Regiovisie {change.municipality.name}",
            _adoption_text(change.old), _adoption_text(change.new),
        )
        for change in RegiovisieAdoptionChange.objects.filter(municipality__region=region).select_related(
            "changed_by", "municipality"
        )
    ]
    return sorted(entries, key=lambda entry: entry.changed_at, reverse=True)
