"""Reads for regions, each tuned for the page that uses it (fixed number of queries)."""

import csv
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from django.db.models import Exists, Max, Min, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.urls import reverse

from regions.models import CentrumgemeenteTerm, ContactPerson, Membership, Municipality, Region


def current_regions() -> QuerySet[Region]:
    """The regions of today's division: those with at least one member municipality now."""
    return Region.objects.filter(Exists(Municipality.objects.filter(region=OuterRef("pk"))))


def region_list() -> QuerySet[Region]:
    """Every current region by name, with its municipalities."""
    return current_regions().prefetch_related("municipalities").order_by("name")


def former_regions() -> QuerySet[Region]:
    """Regions that no longer exist, by name, with the period they existed (`existed_from`, `existed_until`)."""
    return (
        Region.objects.exclude(Exists(Municipality.objects.filter(region=OuterRef("pk"))))
        .annotate(existed_from=Min("memberships__valid_from"), existed_until=Max("memberships__valid_until"))
        .order_by("name")
    )


@dataclass(frozen=True)
class RegionOnDay:
    """A region as the division of one day had it: what a snapshot freezes."""

    region_id: int
    name: str
    centrumgemeente: str
    municipalities: list[str]
    adopted: int  # councils that had adopted the regiovisie by that day, while members of this region


def division_on(day: date) -> dict[int, RegionOnDay]:
    """Every region that existed on `day` with its members, centrumgemeente and regiovisie adoptions then
    (region id → RegionOnDay, by region name). Two queries."""
    centrum = dict(CentrumgemeenteTerm.objects.valid_on(day).values_list("region_id", "municipality__name"))
    members: dict[int, list[Membership]] = {}
    for membership in (
        Membership.objects.valid_on(day)
        .select_related("region", "municipality__regiovisie_adoption")
        .order_by("region__name", "municipality__name")
    ):
        members.setdefault(membership.region_id, []).append(membership)
    return {
        region_id: RegionOnDay(
            region_id=region_id,
            name=memberships[0].region.name,
            centrumgemeente=centrum.get(region_id, ""),
            municipalities=[membership.municipality.name for membership in memberships],
            adopted=sum(_adopted_while_member(membership, day) for membership in memberships),
        )
        for region_id, memberships in members.items()
    }


def _adopted_while_member(membership: Membership, day: date) -> bool:
    adoption = getattr(membership.municipality, "regiovisie_adoption", None)
    return adoption is not None and membership.valid_from <= adoption.decision_date <= day


@dataclass(frozen=True)
class RegionDivision:
    """A region's place in the division over time, for its page."""

    existed_from: date | None
    existed_until: date | None  # None: the region still exists
    joined: list[Membership]  # members that joined after the region began, newest first
    left: list[Membership]  # former members, newest first
    centrumgemeente_terms: list[CentrumgemeenteTerm]

    @property
    def exists(self) -> bool:
        return self.existed_from is not None and self.existed_until is None


def region_division(*, region: Region) -> RegionDivision:
    """The region's memberships and centrumgemeente terms over time (two queries)."""
    memberships = list(Membership.objects.filter(region=region).select_related("municipality").order_by("-valid_from"))
    terms = list(CentrumgemeenteTerm.objects.filter(region=region).select_related("municipality"))
    begun = min((membership.valid_from for membership in memberships), default=None)
    ends = [membership.valid_until for membership in memberships]
    return RegionDivision(
        existed_from=begun,
        existed_until=None if not ends or None in ends else max(ends),
        joined=[m for m in memberships if m.valid_from > begun and m.valid_until is None],
        left=[m for m in memberships if m.valid_until is not None],
        centrumgemeente_terms=terms,
    )


def region_for_url(*, slug: str) -> Region:
    """The region a page's URL names; an unknown slug is a 404."""
    try:
        return Region.objects.get(slug=slug)
    except Region.DoesNotExist:
        raise Http404("Deze regio bestaat niet.") from None


def region_adoption_municipalities(*, region: Region) -> list[Municipality]:
    """The region's municipalities with their adoption (its `version` goes into the form; none is version 0)."""
    return list(region.municipalities.select_related("regiovisie_adoption__updated_by"))


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
    def region_url(self) -> str:
        return reverse("pages:region_detail", kwargs={"slug": self.region.slug})


def municipality_search(*, query: str, limit: int = 10) -> list[MunicipalityMatch]:
    """Municipalities whose name matches `query`, best first: exact (or a known alternative name), then names
    (or alternative names) starting with it, then names with a word starting with it, then names containing it.
    One query."""
    wanted = normalise_name(query)
    if not wanted:
        return []
    alias = MUNICIPALITY_ALIASES.get(wanted)
    alias_started = {name for typed, name in MUNICIPALITY_ALIASES.items() if typed.startswith(wanted)}
    municipalities = (
        Municipality.objects.filter(region__isnull=False)
        .select_related("region")
        .annotate(
            centrumgemeente_name=Subquery(
                Municipality.objects.filter(region=OuterRef("region"), is_centrumgemeente=True).values("name")[:1]
            )
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


# --- Tile map of the regions (issue 8) ---

TILE_MAP_CSV = Path(__file__).resolve().parent / "data" / "tile_map.csv"


@dataclass(frozen=True)
class RegionTile:
    """One region on the schematic map: its place (column, row), link, value text and colour class."""

    region: Region
    column: int
    row: int
    url: str = ""
    label: str = ""
    css_class: str = ""


@cache
def tile_positions() -> dict[str, tuple[int, int]]:
    """Region code → (column, row) on the schematic map, read once from regions/data/tile_map.csv."""
    with TILE_MAP_CSV.open(encoding="utf-8") as file:
        rows = csv.DictReader(line for line in file if not line.startswith("#"))
        return {row["regiocode"]: (int(row["kolom"]), int(row["rij"])) for row in rows}


def region_tiles(
    *, values: dict[int, tuple[str, str]] | None = None, regions: list[Region] | None = None, link: str = "pages:region_detail"
) -> list[RegionTile]:
    """The regions (default: today's) that have a place on the map, by name; `values` maps region id → (label,
    css class), e.g. {region.id: ("In uitvoering", "nvo-status-3")}; each tile links to the page `link` (a URL name
    taking the region's slug). One query without `regions`."""
    values = values or {}
    positions = tile_positions()
    return [
        RegionTile(
            region=region,
            column=positions[region.code][0],
            row=positions[region.code][1],
            url=reverse(link, kwargs={"slug": region.slug}),
            label=values.get(region.id, ("", ""))[0],
            css_class=values.get(region.id, ("", ""))[1],
        )
        for region in (current_regions().order_by("name") if regions is None else regions)
        if region.code in positions
    ]


def contact_list() -> QuerySet[ContactPerson]:
    """Contacts with their region. Personal data: only for users `accounts.roles.can_see_contacts` allows."""
    return ContactPerson.objects.select_related("region")
