from itertools import pairwise

from django.db.models import Count, Max, Min

from agreements.models import Agreement, AgreementStatus, Status, StatusChange
from agreements.services import agreement_definitions_from_file, agreements_load
from bench.data import bench_data_create, municipalities_per_region
from regions.models import Municipality, Region


def test_bench_data_has_the_shape_of_the_app(db):
    agreements_load(definitions=agreement_definitions_from_file())

    data = bench_data_create(regions=3, months=12)

    assert (data.regions, data.municipalities, data.statuses, data.status_changes) == (3, 24, 24, 24 * 12)
    assert Region.objects.count() == 3
    assert Municipality.objects.filter(is_centrumgemeente=True).values("region").distinct().count() == 3
    assert Municipality.objects.count() == 24
    history = StatusChange.objects.aggregate(first=Min("version"), last=Max("version"), start=Min("changed_at"))
    assert (history["first"], history["last"]) == (2, 13)
    assert history["start"] == data.history_start.replace(day=15, hour=10)
    for status in AgreementStatus.objects.annotate(met=Count("criteria_met")).select_related("agreement"):
        changes = list(status.changes.order_by("version"))
        assert [c.version for c in changes] == list(range(2, 14))
        assert changes[0].old_status == Status.ONBEKEND
        assert all(a.new_status == b.old_status and a.new_criteria == b.old_criteria for a, b in pairwise(changes))
        assert (status.version, status.status, status.met) == (13, changes[-1].new_status, len(changes[-1].new_criteria))
        if status.status == Status.GEREALISEERD:
            assert status.met == status.agreement.criteria.count()
    assert set(AgreementStatus.objects.values_list("status", flat=True)) > {Status.ONBEKEND, Status.GEREALISEERD}
    assert Agreement.objects.count() == 8


def test_large_sizes_get_fewer_municipalities_per_region_within_the_cbs_code_space():
    assert [municipalities_per_region(n) for n in (44, 440, 4400)] == [8, 8, 2]
