"""Reads for agreements, each tuned for the page that uses it."""

from agreements.models import AgreementStatus
from regions.models import Region


def agreement_status_for_edit(*, region: Region, number: int) -> AgreementStatus:
    """The status of agreement `number` in `region` with its criteria; raises AgreementStatus.DoesNotExist."""
    return (
        AgreementStatus.objects.select_related("region", "agreement", "updated_by")
        .prefetch_related("agreement__criteria", "criteria_met")
        .get(region=region, agreement__number=number)
    )
