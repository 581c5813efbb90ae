from datetime import datetime, time
from zoneinfo import ZoneInfo

from agreements.models import Afstemming, AfstemmingStep, StatusChange


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
