from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.utils import timezone

from agreements.models import Afstemming, AfstemmingStep, StatusChange
from dashboard.models import DashboardSnapshot, SnapshotRegion


def status_change(agreement_status, *, status: int, on, criteria=()) -> StatusChange:
    """A history entry as `status_update` writes it, at noon (Amsterdam) on date `on`; also moves the live row and
    puts it to the region (ter afstemming), as every change does."""
    agreement_status.version += 1
    changed_at = datetime.combine(on, time(12), tzinfo=ZoneInfo("Europe/Amsterdam"))
    change = StatusChange.objects.create(
        agreement_status=agreement_status,
        version=agreement_status.version,
        changed_at=changed_at,
        old_status=agreement_status.status,
        new_status=status,
        new_criteria=list(criteria),
    )
    agreement_status.status = status
    agreement_status.afstemming, agreement_status.afstemming_at = Afstemming.TER_AFSTEMMING, changed_at
    agreement_status.save()
    AfstemmingStep.objects.create(
        agreement_status=agreement_status,
        status_version=agreement_status.version,
        step=Afstemming.TER_AFSTEMMING,
        at=changed_at,
    )
    return change


def lagging_snapshot(reasons: dict, *, month=None) -> DashboardSnapshot:
    """A snapshot of `month` (default this month) whose achterblijvers are the regions of `reasons` ({region: reason}),
    for pages that read the achterblijvers without building a whole dashboard."""
    now = timezone.now()
    snapshot = DashboardSnapshot.objects.create(
        month=month or timezone.localdate().replace(day=1),
        peildatum=now,
        built_at=now,
        region_count=len(reasons),
        max_score=32,
        national_score=0,
        lagging_threshold=8,
    )
    SnapshotRegion.objects.bulk_create(
        SnapshotRegion(snapshot=snapshot, region=region, score=index % 9, previous_score=0, lagging_reason=reason, region_name=region.name)
        for index, (region, reason) in enumerate(reasons.items())
    )
    return snapshot
