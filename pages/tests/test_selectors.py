"""Selectors of the composed pages: the follow-up overview of lagging regions and the region list, paged, at fixed
query counts."""

from datetime import date, timedelta

import pytest

from dashboard.tests.factories import lagging_snapshot
from pages.selectors import follow_up_lagging_regions, follow_up_page, region_list_page
from regions.tests.factories import MunicipalityFactory, RegionFactory
from support.tests.factories import SupportActionFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 15)


def _rows(reasons: dict, page_number="1"):
    lagging_snapshot(reasons)
    return follow_up_page(lagging=follow_up_lagging_regions(), today=TODAY, page_number=page_number).object_list


def test_without_a_dashboard_there_are_no_lagging_regions_yet():
    assert follow_up_lagging_regions() is None


def test_follow_up_puts_regions_without_recent_contact_first():
    never = RegionFactory(name="Zuid")
    stale = RegionFactory(name="Oost")
    recent = RegionFactory(name="Noord")
    not_lagging = RegionFactory(name="West")
    SupportActionFactory(region=stale, date=TODAY - timedelta(days=120), status="afgerond")
    SupportActionFactory(region=recent, date=TODAY - timedelta(days=10))
    SupportActionFactory(region=not_lagging, date=TODAY - timedelta(days=300))

    rows = _rows({recent: "Achteruitgang", never: "Score 2", stale: "Score 3"})

    assert [row.region for row in rows] == [never, stale, recent]
    assert [row.no_recent_contact for row in rows] == [True, True, False]
    assert [row.last_contact for row in rows] == [None, TODAY - timedelta(days=120), TODAY - timedelta(days=10)]
    assert [row.reason for row in rows] == ["Score 2", "Score 3", "Achteruitgang"]
    assert rows[1].open_actions == []  # the finished action counts as contact but is not open


def test_follow_up_orders_the_longest_without_contact_first_then_by_name():
    regions = {name: RegionFactory(name=name) for name in ("Alfa", "Bravo", "Charlie", "Delta", "Echo")}
    SupportActionFactory(region=regions["Alfa"], date=TODAY - timedelta(days=200))
    SupportActionFactory(region=regions["Bravo"], date=TODAY - timedelta(days=400))
    SupportActionFactory(region=regions["Echo"], date=TODAY - timedelta(days=5))
    SupportActionFactory(region=regions["Delta"], date=TODAY - timedelta(days=20))

    rows = _rows({region: "Score laag" for region in regions.values()})

    assert [row.region.name for row in rows] == ["Charlie", "Bravo", "Alfa", "Delta", "Echo"]


def test_follow_up_flags_overdue_next_steps():
    region = RegionFactory()
    late = SupportActionFactory(region=region, next_step_due=TODAY - timedelta(days=1))
    due_today = SupportActionFactory(region=region, next_step_due=TODAY)
    no_due = SupportActionFactory(region=region, next_step_due=None)

    (row,) = _rows({region: "Score 1"})

    assert {action: action.overdue for action in row.open_actions} == {late: True, due_today: False, no_due: False}
    assert row.overdue_count == 1


def test_follow_up_pages_by_100_and_keeps_the_order_across_pages():
    regions = RegionFactory.create_batch(105)
    for region in regions[:3]:
        SupportActionFactory(region=region, date=TODAY - timedelta(days=1))
    lagging_snapshot({region: "Score laag" for region in regions})

    first, second = (follow_up_page(lagging=follow_up_lagging_regions(), today=TODAY, page_number=n) for n in ("1", "2"))

    assert first.paginator.count == 105 and len(first.object_list) == 100 and len(second.object_list) == 5
    assert [row.region for row in second.object_list][-3:] == sorted(regions[:3], key=lambda region: region.name)
    assert not {row.region for row in first.object_list} & {row.region for row in second.object_list}


@pytest.mark.parametrize("regions", [12, 130])
def test_follow_up_query_count_is_fixed(regions, django_assert_num_queries):
    lagging = RegionFactory.create_batch(regions)
    for region in lagging:
        SupportActionFactory.create_batch(2, region=region)
    lagging_snapshot({region: "Score 1" for region in lagging})
    # The snapshot, the count, the page, its open actions (with their region, agreement and VNG staff).
    with django_assert_num_queries(4):
        rows = follow_up_page(lagging=follow_up_lagging_regions(), today=TODAY).object_list
        assert sum(len(row.open_actions) for row in rows) == 2 * min(regions, 100)
        assert all(action.region.name and action.vng_staff.username and row.region.slug for row in rows for action in row.open_actions)


@pytest.mark.parametrize("regions", [5, 130])
def test_the_region_list_reads_only_its_page_in_a_fixed_number_of_queries(regions, django_assert_num_queries):
    for region in RegionFactory.create_batch(regions):  # each with its centrumgemeente
        MunicipalityFactory(region=region)
    with django_assert_num_queries(4):  # the count, the page, its municipalities and its statuses
        page = region_list_page(page_number="2")
    assert page.paginator.count == regions and len(page.object_list) == (30 if regions > 100 else regions)
    assert all(row.municipality_count == 2 and row.centrumgemeente for row in page.object_list)
