from datetime import UTC, date, datetime

import pytest
from django.db import IntegrityError, transaction

from agreements.models import Agreement, AgreementStatus, Status
from agreements.tests.factories import AgreementFactory, AgreementStatusFactory
from core.errors import ApplicationError
from dashboard.models import DashboardSnapshot, SnapshotCell, SnapshotRegion
from dashboard.services import (
    dashboard_rebuild,
    dashboard_rebuild_history,
    lowest_quartile_threshold,
)
from dashboard.tests.factories import status_change
from regions.models import Region
from regions.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


def test_rebuild_freezes_every_region_and_agreement_with_aggregates(reference_data, this_month):
    realised = AgreementStatus.objects.select_related("region", "agreement").order_by("region__name", "agreement__number")[0]
    realised.status = Status.GEREALISEERD
    realised.save()

    snapshot = dashboard_rebuild(month=this_month)

    regions, agreements = Region.objects.count(), Agreement.objects.count()
    assert SnapshotCell.objects.filter(snapshot=snapshot).count() == regions * agreements
    assert snapshot.region_count == regions and snapshot.max_score == 4 * agreements
    first = snapshot.agreement_summary[0]
    share = round(100 / regions, 1)
    assert first["number"] == 1 and first["counts"] == [regions - 1, 0, 0, 0, 1] and first["share_gerealiseerd"] == share
    assert snapshot.national_counts == [regions * agreements - 1, 0, 0, 0, 1]
    assert SnapshotRegion.objects.get(snapshot=snapshot, region=realised.region).score == 4


def test_rebuilding_a_month_twice_keeps_one_snapshot_with_the_same_rows(reference_data, this_month):
    first = dashboard_rebuild(month=this_month)
    cells = list(SnapshotCell.objects.filter(snapshot=first).values_list("region", "agreement", "status"))
    second = dashboard_rebuild(month=this_month.replace(day=1))

    assert DashboardSnapshot.objects.count() == 1
    assert list(SnapshotCell.objects.filter(snapshot=second).values_list("region", "agreement", "status")) == cells
    assert SnapshotCell.objects.count() == Region.objects.count() * Agreement.objects.count()


def test_a_failure_halfway_leaves_the_published_snapshot_untouched(reference_data, this_month, monkeypatch):
    published = dashboard_rebuild(month=this_month)
    AgreementStatus.objects.update(status=Status.IN_UITVOERING)

    def fail_after_cells_were_written(*args, **kwargs):
        assert SnapshotCell.objects.exclude(snapshot=published).exists()  # really halfway
        raise RuntimeError("database went away")

    monkeypatch.setattr(SnapshotRegion.objects, "bulk_create", fail_after_cells_were_written)
    with pytest.raises(RuntimeError):
        dashboard_rebuild(month=this_month)

    assert list(DashboardSnapshot.objects.values_list("pk", flat=True)) == [published.pk]
    assert set(SnapshotCell.objects.values_list("status", flat=True)) == {Status.ONBEKEND}
    assert SnapshotRegion.objects.filter(snapshot=published).count() == Region.objects.count()


def test_a_past_month_is_reconstructed_from_the_history():
    agreement = AgreementFactory(number=1)
    status = AgreementStatusFactory(agreement=agreement)
    status_change(status, status=Status.NIET_GESTART, on=date(2025, 1, 10))
    status_change(status, status=Status.IN_VOORBEREIDING, on=date(2025, 3, 31), criteria=[1])
    status_change(status, status=Status.IN_UITVOERING, on=date(2025, 4, 1), criteria=[1, 2])

    def frozen(month):
        snapshot = dashboard_rebuild(month=month)
        return snapshot.cells.values_list("status", "criteria_met").get()

    assert frozen(date(2025, 1, 1)) == (Status.ONBEKEND, 0)  # before the first change: Onbekend
    assert frozen(date(2025, 3, 1)) == (Status.NIET_GESTART, 0)
    assert frozen(date(2025, 4, 1)) == (Status.IN_VOORBEREIDING, 1)  # the state at the start of April
    assert frozen(date(2025, 5, 1)) == (Status.IN_UITVOERING, 2)
    assert DashboardSnapshot.objects.get(month=date(2025, 4, 1)).peildatum.isoformat() == "2025-03-31T22:00:00+00:00"


def test_history_rebuilds_the_given_month_and_the_months_before(reference_data):
    snapshots = dashboard_rebuild_history(month=date(2025, 2, 14), history=3)
    assert [s.month for s in snapshots] == [date(2024, 11, 1), date(2024, 12, 1), date(2025, 1, 1), date(2025, 2, 1)]


def test_a_future_month_is_refused(this_month):
    with pytest.raises(ApplicationError, match="toekomst"):
        dashboard_rebuild(month=date(this_month.year + 1, 1, 1))


def test_the_database_refuses_a_second_snapshot_for_a_month_or_a_mid_month_date(this_month):
    snapshot = dashboard_rebuild(month=this_month)
    fields = {f.name: getattr(snapshot, f.name) for f in DashboardSnapshot._meta.concrete_fields if f.name != "id"}
    for month in [this_month, date(2025, 1, 15)]:
        with pytest.raises(IntegrityError), transaction.atomic():
            DashboardSnapshot.objects.create(**{**fields, "month": month})


def test_the_lowest_quartile_threshold():
    assert lowest_quartile_threshold([]) == 0
    assert lowest_quartile_threshold([5, 1, 9, 3]) == 1
    assert lowest_quartile_threshold(list(range(44))) == 10  # 11 of 44 regions at or below it


def test_lagging_regions_are_the_lowest_quartile_or_those_without_progress_over_three_months():
    agreement = AgreementFactory(number=1)
    statuses = {
        name: AgreementStatusFactory(agreement=agreement, region=RegionFactory(name=name))
        for name in ["Achter", "Stilstand", "Stijger", "Klaar"]
    }
    # Stilstand: status 2 since a year, never moved since; Stijger: moved up last month.
    for name, level in [("Stilstand", 2), ("Stijger", 2), ("Klaar", 4)]:
        status_change(statuses[name], status=level, on=date(2024, 1, 5))
    status_change(statuses["Stijger"], status=3, on=date(2024, 12, 5))

    snapshot = dashboard_rebuild(month=date(2025, 1, 1))
    reasons = dict(snapshot.regions.values_list("region__name", "lagging_reason"))

    assert snapshot.lagging_threshold == 0
    assert "laagste kwartiel" in reasons["Achter"]
    assert reasons["Stilstand"] == ("Geen vooruitgang in de laatste 3 maanden (score 2 op 1 november 2024, nu 2).")
    assert reasons["Stijger"] == "" and reasons["Klaar"] == ""
    moved = dict(snapshot.regions.values_list("region__name", "previous_score"))
    assert moved == {"Achter": 0, "Stilstand": 2, "Stijger": 2, "Klaar": 4}


def test_last_months_score_comes_from_last_months_snapshot_when_it_has_every_region():
    agreement = AgreementFactory(number=1)
    stijger, nieuw = (AgreementStatusFactory(agreement=agreement, region=RegionFactory(name=name)) for name in ["Stijger", "Nieuw"])
    status_change(stijger, status=2, on=date(2024, 11, 5))
    status_change(stijger, status=3, on=date(2024, 12, 5))
    december = dashboard_rebuild(month=date(2024, 12, 1))
    december.regions.filter(region=stijger.region).update(score=1)  # what the December dashboard showed

    january = dashboard_rebuild(month=date(2025, 1, 1))
    assert dict(january.regions.values_list("region__name", "previous_score")) == {"Stijger": 1, "Nieuw": 0}

    december.regions.filter(region=nieuw.region).delete()  # a region the December snapshot lacks: the history
    january = dashboard_rebuild(month=date(2025, 1, 1))
    assert dict(january.regions.values_list("region__name", "previous_score")) == {"Stijger": 2, "Nieuw": 0}


def test_a_score_from_a_snapshot_is_dated_by_its_peildatum_in_the_lagging_reason():
    stilstand = AgreementStatusFactory(agreement=AgreementFactory(number=1), region=RegionFactory(name="Stilstand"))
    status_change(stilstand, status=2, on=date(2024, 6, 5))
    november = dashboard_rebuild(month=date(2024, 11, 1))
    DashboardSnapshot.objects.filter(pk=november.pk).update(peildatum=datetime(2024, 11, 14, 9, tzinfo=UTC))  # by hand

    january = dashboard_rebuild(month=date(2025, 1, 1))
    assert january.regions.get().lagging_reason.endswith("(score 2 op 14 november 2024, nu 2).")
