"""Hostile input refused in one place (RequestInputGuardMiddleware): NUL anywhere in the request and oversized
bodies get a Dutch 400/413 on every page and the API, before any view or query sees them."""

import pytest
from django.conf import settings

from accounts.roles import Role
from agreements.models import AgreementStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def vng_client(client, make_user, reference_data):
    client.force_login(make_user(Role.BEHEERDER))
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/afspraken/1/verder/?regio=a%00",  # a 500 before: PostgreSQL refuses NUL in text
        "/afspraken/1/verder/?regio%00=utrecht",
        "/dashboard/?maand=2026-01%00",
        "/gemeenten/zoeken/?q=Utrecht%00",
        "/regios/?pagina=1&x=%00",
        "/netwerk/bijeenkomsten/?a=1&a=2%00",
        "/regios/utrecht%00/",
    ],
)
def test_nul_in_the_path_or_any_query_parameter_is_a_dutch_400_page(vng_client, url):
    response = vng_client.get(url)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ongeldig verzoek" in html and "ongeldig teken (NUL)" in html


@pytest.mark.parametrize("url", ["/api/statuses/?region=utrecht%00", "/api/regions/?code=%00", "/api/contacts/?kind%00=x"])
def test_nul_in_an_api_query_parameter_is_a_dutch_json_400(vng_client, url):
    response = vng_client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "ongeldig teken (NUL)" in response.json()["detail"]


def test_nul_in_a_form_field_is_refused_and_changes_nothing(vng_client):
    agreement_status = AgreementStatus.objects.select_related("region", "agreement").order_by("pk").first()
    before = (agreement_status.version, agreement_status.explanation)
    url = f"/regios/{agreement_status.region.slug}/afspraken/{agreement_status.agreement.number}/bewerken/"
    response = vng_client.post(url, {"status": 2, "explanation": "met NUL \x00", "evidence_links": "", "version": agreement_status.version})
    assert response.status_code == 400
    assert "Een formulierveld bevat een ongeldig teken (NUL)" in response.content.decode()
    agreement_status.refresh_from_db()
    assert (agreement_status.version, agreement_status.explanation) == before


def test_a_body_just_over_the_limit_is_refused_with_413_before_it_is_read(vng_client):
    response = vng_client.generic("POST", "/importeren/", b"x" * (settings.REQUEST_MAX_BYTES + 1), content_type="application/octet-stream")
    assert response.status_code == 413
    assert "Het verzoek is te groot: het mag hoogstens 3 MB zijn." in response.content.decode()


def test_a_body_at_the_limit_reaches_the_view(vng_client):
    response = vng_client.generic("POST", "/importeren/", b"x" * settings.REQUEST_MAX_BYTES, content_type="application/octet-stream")
    assert response.status_code == 200  # the import form says the file is missing


def test_an_api_body_over_the_limit_is_a_json_413(vng_client):
    response = vng_client.generic(
        "PATCH", "/api/statuses/1/", b"{" + b" " * settings.REQUEST_MAX_BYTES + b"}", content_type="application/json"
    )
    assert response.status_code == 413 and "te groot" in response.json()["detail"]


def test_an_unreadable_content_length_is_a_400(vng_client):
    response = vng_client.generic("POST", "/importeren/", b"", content_type="text/plain", CONTENT_LENGTH="veel")
    assert response.status_code == 400


def test_ordinary_requests_pass(vng_client):
    assert vng_client.get("/afspraken/1/verder/?regio=regio-utrecht-u16").status_code == 200
    assert vng_client.get("/api/statuses/?region=regio-utrecht-u16").status_code == 200


def test_a_form_over_djangos_field_memory_limit_is_a_dutch_413(client):
    response = client.post("/inloggen/", {"auth-username": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    assert response.status_code == 413
    assert "Het formulier is te groot" in response.content.decode()
