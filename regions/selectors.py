"""Reads for regions, each tuned for the page that uses it (fixed number of queries)."""

import csv
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from django.db.models import Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.roles import user_region_ids
from agreements.models import AgreementStatus, Status, StatusChange
from nvo_tracker.links import reverse_if_exists
from regions.models import (
    ContactChange,
    ContactPerson,
    Municipality,
    Region,
    RegiovisieAdoptionChange,
)


def region_list() -> QuerySet[Region]:
    """Every region by name, with its municipalities and the number of agreements it has realised."""
    # Meta.ordering does not apply to aggregating queries, so the order is explicit.
    return (
        Region.objects.prefetch_related("municipalities")
        .annotate(realised_count=Count("statuses", filter=Q(statuses__status=Status.GEREALISEERD)))
        .order_by("name")
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


# --- Municipality search (issue 8) ---

# Names people use that are not the CBS name, normalised (see `normalise_name`) → the CBS name in our data.
MUNICIPALITY_ALIASES = {
    "den bosch": "'s-Hertogenbosch",
    "den haag": "'s-Gravenhage",
    "the hague": "'s-Gravenhage",
    "bergen noord holland": "Bergen (NH.)",
    "bergen limburg": "Bergen (L.)",
    "laren noord holland": "Laren (NH.)",
    "hengelo overijssel": "Hengelo (O.)",
    "rijswijk zuid holland": "Rijswijk (ZH.)",
    "beek limburg": "Beek (L.)",
    "stein limburg": "Stein (L.)",
    "middelburg zeeland": "Middelburg (Z.)",
    "nuenen": "Nuenen, Gerwen en Nederwetten",
}


def normalise_name(name: str) -> str:
    """A municipality name as people may type it: no case, accents, dots or apostrophes, no 's- prefix."""
    name = unicodedata.normalize("NFKD", name.casefold())
    name = "".join(char for char in name if not unicodedata.combining(char))
    name = re.sub(r"[.'’‘`]", "", name)
    name = " ".join(re.sub(r"[^\w]+", " ", name).split())
    return name.removeprefix("s ")


@dataclass(frozen=True)
class MunicipalityMatch:
    name: str
    region: Region
    centrumgemeente: str | None
    exact: bool

    @property
    def region_name(self) -> str:
        """The region's name after "regio" in a sentence: 'Zeeland', 'Den Haag' (not 'Regio Den Haag')."""
        return self.region.name.removeprefix("Regio ")

    @property
    def region_url(self) -> str | None:
        return reverse_if_exists("region_detail", slug=self.region.slug)


def municipality_search(*, query: str, limit: int = 10) -> list[MunicipalityMatch]:
    """Municipalities whose name matches `query`, best first: exact (or a known alternative name), then names
    (or alternative names) starting with it, then names with a word starting with it, then names containing it.
    One query."""
    wanted = normalise_name(query)
    if not wanted:
        return []
    alias = MUNICIPALITY_ALIASES.get(wanted)
    alias_started = {name for typed, name in MUNICIPALITY_ALIASES.items() if typed.startswith(wanted)}
    municipalities = Municipality.objects.select_related("region").annotate(
        centrumgemeente_name=Subquery(
            Municipality.objects.filter(region=OuterRef("region"), is_centrumgemeente=True).values("name")[:1]
        )
    )
    ranked = []
    for municipality in municipalities:
        name = normalise_name(municipality.name)
        if name == wanted or municipality.name == alias:
            rank = 0
        elif name.startswith(wanted) or municipality.name in alias_started:
            rank = 1
        elif any(word.startswith(wanted) for word in name.split()):
            rank = 2
        elif wanted in name:
            rank = 3
        else:
            continue
        ranked.append((rank, municipality.name, municipality))
    ranked.sort(key=lambda item: item[:2])
    return [
        MunicipalityMatch(name=m.name, region=m.region, centrumgemeente=m.centrumgemeente_name, exact=rank == 0)
        for rank, _, m in ranked[:limit]
    ]


# --- Tile map of the 44 regions (issue 8) ---

TILE_MAP_CSV = Path(__file__).resolve().parent / "data" / "tile_map.csv"


@dataclass(frozen=True)
class RegionTile:
    """One region on the schematic map: its place (column, row), link, value text and colour class."""

    region: Region
    column: int
    row: int
    url: str | None = None
    label: str = ""
    css_class: str = ""


@cache
def tile_positions() -> dict[str, tuple[int, int]]:
    """Region code → (column, row) on the schematic map, read once from regions/data/tile_map.csv."""
    with TILE_MAP_CSV.open(encoding="utf-8") as file:
        rows = csv.DictReader(line for line in file if not line.startswith("#"))
        return {row["regiocode"]: (int(row["kolom"]), int(row["rij"])) for row in rows}


def region_tiles(*, values: dict[int, tuple[str, str]] | None = None) -> list[RegionTile]:
    """Every region that has a place on the map, by name; `values` maps region id → (label, css class),
    e.g. {region.id: ("In uitvoering", "nvo-status-3")}. One query."""
    values = values or {}
    positions = tile_positions()
    return [
        RegionTile(
            region=region,
            column=positions[region.code][0],
            row=positions[region.code][1],
            url=reverse_if_exists("region_detail", slug=region.slug),
            label=values.get(region.id, ("", ""))[0],
            css_class=values.get(region.id, ("", ""))[1],
        )
        for region in Region.objects.all()
        if region.code in positions
    ]


def contact_list() -> QuerySet[ContactPerson]:
    """Contacts with their region. Personal data: only for users `accounts.roles.can_see_contacts` allows."""
    return ContactPerson.objects.select_related("region")
