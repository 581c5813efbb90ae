"""The schematic map of the regions: every region has its own place, each tile says its value in text."""

import csv

from django.template.loader import render_to_string

from regions.division import DIVISION_FILE
from regions.models import Region
from regions.selectors import TILE_MAP_CSV, region_tiles, tile_positions


def test_every_region_of_the_division_has_its_own_place_on_the_map():
    with open(DIVISION_FILE, encoding="utf-8") as file:
        codes = {row["regiocode"] for row in csv.DictReader(line for line in file if not line.startswith("#"))}
    positions = tile_positions()
    assert set(positions) == codes
    assert len(set(positions.values())) == len(codes)
    assert all(0 <= column <= 7 and 0 <= row <= 9 for column, row in positions.values()), TILE_MAP_CSV


def test_tiles_come_with_value_and_class_in_one_query(reference_data, django_assert_num_queries):
    zeeland = Region.objects.get(name="Zeeland")
    with django_assert_num_queries(1):
        tiles = region_tiles(values={zeeland.id: ("Gerealiseerd", "nvo-status-4")})
    assert len(tiles) == Region.objects.count()
    tile = next(t for t in tiles if t.region == zeeland)
    assert (tile.column, tile.row, tile.label, tile.css_class) == (0, 7, "Gerealiseerd", "nvo-status-4")
    assert {t.label for t in tiles if t.region != zeeland} == {""}


def test_tile_map_include_writes_each_value_out_and_links_when_there_is_a_page(reference_data):
    zeeland = Region.objects.get(name="Zeeland")
    tiles = region_tiles(values={zeeland.id: ("In uitvoering", "nvo-status-3")})
    html = render_to_string("regions/_tile_map.html", {"tiles": tiles, "caption": "Afspraak 1"})
    assert html.count("<li") == len(tiles) == Region.objects.count()
    assert 'class="nvo-tile-map__tile nvo-tile-map__tile--c0 nvo-tile-map__tile--r7 nvo-status-3"' in html
    assert '<span class="nvo-tile-map__label">In uitvoering</span>' in html
    if tiles[0].url:  # the region page (issue 3) is installed
        assert html.count('<a class="nvo-tile-map__link"') == len(tiles)
    else:
        assert "<a " not in html


def test_legend_names_every_class():
    legend = [("nvo-status-0", "Onbekend"), ("nvo-status-4", "Gerealiseerd")]
    html = render_to_string("regions/_tile_map_legend.html", {"legend": legend})
    assert 'nvo-legend__swatch nvo-status-4"></span>Gerealiseerd' in html
