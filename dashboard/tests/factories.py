from datetime import datetime, time
from zoneinfo import ZoneInfo

from agreements.models import StatusChange


def status_change(agreement_status, *, status: int, on, criteria=()) -> StatusChange:
    """A history entry as `status_update` writes it, at noon (Amsterdam) on date `on`; also moves the live row."""
    agreement_status.version += 1
    change = StatusChange.objects.create(
        agreement_status=agreement_status,
        version=agreement_status.version,
        changed_at=datetime.combine(on, time(12), tzinfo=ZoneInfo("Europe/Amsterdam")),
        old_status=agreement_status.status,
        new_status=status,
        new_criteria=list(criteria),
    )
    agreement_status.status = status
    agreement_status.save()
    return change
