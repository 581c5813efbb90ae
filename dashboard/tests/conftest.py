import pytest

from agreements.models import AgreementStatus, Status
from core.dates import months_earlier
from dashboard.services import dashboard_rebuild


@pytest.fixture
def built(reference_data, this_month):
    """Two months of snapshots; Zeeland realised agreement 3 this month."""
    dashboard_rebuild(month=months_earlier(this_month, 1))
    AgreementStatus.objects.filter(region__name="Zeeland", agreement__number=3).update(status=Status.GEREALISEERD)
    return dashboard_rebuild(month=this_month)
