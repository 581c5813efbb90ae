"""Reads for agreements and statuses, each tuned for the page or endpoint that uses it (fixed query count)."""

from django.db.models import Count, QuerySet

from agreements.models import Agreement, AgreementStatus, StatusChange
from regions.models import Region


def agreement_list() -> QuerySet[Agreement]:
    return Agreement.objects.prefetch_related("criteria")


def status_list() -> QuerySet[AgreementStatus]:
    """Every region × agreement status; criteria_met is prefetched, so reading their orders costs nothing."""
    return AgreementStatus.objects.select_related("region", "agreement").prefetch_related("criteria_met")


def status_list_with_criteria_counts() -> QuerySet[AgreementStatus]:
    """Statuses with `criteria_total` and `criteria_met_count`, to tell whether Gerealiseerd is allowed."""
    return AgreementStatus.objects.select_related("region", "agreement").annotate(
        criteria_total=Count("agreement__criteria", distinct=True),
        criteria_met_count=Count("criteria_met", distinct=True),
    )


def region_status_history(*, region: Region) -> QuerySet[StatusChange]:
    """Every status change of `region`, newest first."""
    return (
        StatusChange.objects.filter(agreement_status__region=region)
        .select_related("agreement_status__agreement", "changed_by")
        .order_by("-changed_at", "-id")
    )


def agreement_status_for_edit(*, region: Region, number: int) -> AgreementStatus:
    """The status of agreement `number` in `region` with its criteria; raises AgreementStatus.DoesNotExist."""
    return (
        AgreementStatus.objects.select_related("region", "agreement", "updated_by")
        .prefetch_related("agreement__criteria", "criteria_met")
        .get(region=region, agreement__number=number)
    )
