"""Reads for regions, each tuned for the page that uses it (fixed number of queries)."""

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.urls import reverse

from regions.models import ContactPerson, Municipality, Region


def region_list() -> QuerySet[Region]:
    """Every region by name, with its municipalities."""
    return Region.objects.prefetch_related("municipalities").order_by("name")


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
    municipalities = Municipality.objects.select_related("region").annotate(
        centrumgemeente_name=Subquery(Municipality.objects.filter(region=OuterRef("region"), is_centrumgemeente=True).values("name")[:1])
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
    url: str = ""
    label: str = ""
    css_class: str = ""


@cache
def tile_positions() -> dict[str, tuple[int, int]]:
    """Region code → (column, row) on the schematic map, read once from regions/data/tile_map.csv."""
    with TILE_MAP_CSV.open(encoding="utf-8") as file:
        rows = csv.DictReader(line for line in file if not line.startswith("#"))
        return {row["regiocode"]: (int(row["kolom"]), int(row["rij"])) for row in rows}


def region_tiles(*, values: dict[int, tuple[str, str]] | None = None, link: str = "pages:region_detail") -> list[RegionTile]:
    """Every region that has a place on the map, by name; `values` maps region id → (label, css class),
    e.g. {region.id: ("In uitvoering", "nvo-status-3")}; each tile links to the page `link` (a URL name taking the
    region's slug). One query."""
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
        for region in Region.objects.all()
        if region.code in positions
    ]


def contact_list() -> QuerySet[ContactPerson]:
    """Contacts with their region. Personal data: only for users `accounts.roles.can_see_contacts` allows."""
    return ContactPerson.objects.select_related("region")
