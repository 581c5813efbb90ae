"""Selectors of the composed pages: the follow-up overview of lagging regions, at fixed query counts."""

from datetime import date, timedelta

import pytest

from pages.selectors import follow_up_lagging_regions, follow_up_overview
from regions.tests.factories import RegionFactory
from support.tests.factories import SupportActionFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 15)


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
    lagging = {never.id: "Score 2", stale.id: "Score 3", recent.id: "Achteruitgang"}

    rows = follow_up_overview(lagging=lagging, today=TODAY)

    assert [row.region for row in rows] == [never, stale, recent]
    assert [row.no_recent_contact for row in rows] == [True, True, False]
    assert [row.last_contact for row in rows] == [None, TODAY - timedelta(days=120), TODAY - timedelta(days=10)]
    assert [row.reason for row in rows] == ["Score 2", "Score 3", "Achteruitgang"]
    assert rows[1].open_actions == []  # the finished action counts as contact but is not open


def test_follow_up_flags_overdue_next_steps():
    region = RegionFactory()
    late = SupportActionFactory(region=region, next_step_due=TODAY - timedelta(days=1))
    due_today = SupportActionFactory(region=region, next_step_due=TODAY)
    no_due = SupportActionFactory(region=region, next_step_due=None)

    (row,) = follow_up_overview(lagging={region.id: "Score 1"}, today=TODAY)

    assert {action: action.overdue for action in row.open_actions} == {late: True, due_today: False, no_due: False}
    assert row.overdue_count == 1


def test_follow_up_query_count_is_fixed(django_assert_max_num_queries):
    regions = RegionFactory.create_batch(12)
    for region in regions:
        SupportActionFactory.create_batch(2, region=region)
    with django_assert_max_num_queries(2):
        rows = follow_up_overview(lagging={region.id: "Score 1" for region in regions}, today=TODAY)
        assert sum(len(row.open_actions) for row in rows) == 24
        assert all(action.region.name and action.vng_staff.username for row in rows for action in row.open_actions)
