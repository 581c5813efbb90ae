"""The region list's filter, the follow-up overview's wording and links, and the history's wording."""

import pytest
from django.utils import timezone

from accounts.roles import Role
from agreements.models import AgreementStatus, Criterion, Status
from agreements.services import status_update
from dashboard.services import dashboard_rebuild
from pages.forms import REGION_FILTER_MAX_LENGTH
from regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def vng(client, make_user, reference_data):
    client.force_login(make_user(Role.VNG_MEDEWERKER))
    return client


def test_region_list_filters_by_region_and_centrumgemeente_name(vng):
    page = vng.get("/regios/", {"zoek": "zeel"}).content.decode()
    assert "1 regio met “zeel” in de naam" in page and 'href="/regios/zeeland/"' in page
    page = vng.get("/regios/", {"zoek": "Vlissingen"}).content.decode()  # the centrumgemeente of Zeeland
    assert "1 regio met" in page and 'href="/regios/zeeland/"' in page
    assert f"{Region.objects.count()} regio&#x27;s." in vng.get("/regios/").content.decode()
    assert "0 regio&#x27;s met “Atlantis”" in vng.get("/regios/", {"zoek": "Atlantis"}).content.decode()


def test_region_list_refuses_a_filter_just_over_its_length_with_a_dutch_message(vng):
    assert vng.get("/regios/", {"zoek": "a" * REGION_FILTER_MAX_LENGTH}).status_code == 200
    response = vng.get("/regios/", {"zoek": "a" * (REGION_FILTER_MAX_LENGTH + 1)})
    page = response.content.decode()
    assert response.status_code == 400 and "Vul hoogstens 100 tekens in (u vulde er 101 in)." in page
    assert f"{Region.objects.count()} regio&#x27;s." in page  # nothing lost: the whole list


def test_follow_up_links_regions_and_says_when_there_was_never_contact(vng):
    dashboard_rebuild(month=timezone.localdate().replace(day=1))
    page = vng.get("/opvolging/").content.decode()
    assert 'href="/regios/zeeland/"' in page
    assert "nog nooit contact" in page and "nooit geen contact" not in page and "nooit</td>" not in page


def test_history_shows_criteria_by_text_without_double_punctuation(vng, make_user):
    zeeland = Region.objects.get(slug="zeeland")
    agreement_status = AgreementStatus.objects.get(region=zeeland, agreement__number=1)
    first = Criterion.objects.filter(agreement__number=1).order_by("order").first()
    status_update(
        user=make_user(Role.BEHEERDER),
        agreement_status=agreement_status,
        status=Status.IN_VOORBEREIDING,
        criteria_met=[first],
        explanation="Werkgroep gestart.",
        evidence_links=[],
        expected_version=agreement_status.version,
    )
    page = vng.get("/regios/zeeland/geschiedenis/").content.decode()
    assert f"criteria voldaan: “{first.text.rstrip('.')}”" in page
    assert "toelichting: Werkgroep gestart" in page and ".;" not in page
