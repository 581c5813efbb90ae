"""Errors answer in Dutch: the API in JSON (also for unknown URLs), pages with the Dutch error pages."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.roles import Role
from agreements.tests.factories import AgreementStatusFactory
from core.errors import API_NOT_FOUND_MESSAGE

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(make_user):
    client = APIClient()
    client.force_login(make_user(Role.REGIO_ADVISEUR))
    return client


@pytest.mark.parametrize("url", ["/api/statuses/999999/", "/api/regions/bestaat-niet/", "/api/bestaat-niet/", "/api/"])
def test_api_not_found_is_dutch_json(api, url):
    if url == "/api/":
        assert api.get(url).status_code == 200  # the API root itself exists
        return
    response = api.get(url)
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": API_NOT_FOUND_MESSAGE}


def test_api_errors_are_dutch(api, make_user):
    status = AgreementStatusFactory()
    assert api.delete(f"/api/statuses/{status.pk}/").json()["detail"] == 'Methode "DELETE" niet toegestaan.'
    anonymous = APIClient().get("/api/statuses/")
    assert anonymous.status_code == 401 and anonymous.json()["detail"] == "Authenticatiegegevens zijn niet opgegeven."
    editor = APIClient()
    editor.force_login(make_user(Role.REGIO_ADVISEUR, [status.region]))
    bad_json = editor.generic("PATCH", f"/api/statuses/{status.pk}/", "{kapot", content_type="application/json")
    assert bad_json.status_code == 400
    assert bad_json.json()["detail"] == "De inhoud van het verzoek is geen geldige JSON; controleer de opmaak."


def test_a_page_that_does_not_exist_is_the_dutch_404_page(client, make_user):
    client.force_login(make_user(Role.VNG_MEDEWERKER))
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404 and "Pagina niet gevonden" in response.content.decode()


def test_a_form_posted_without_its_security_code_gets_a_dutch_page_and_changes_nothing(make_user):
    status = AgreementStatusFactory()
    user = make_user(Role.REGIO_ADVISEUR, [status.region])
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(f"/regios/{status.region.slug}/afspraken/{status.agreement.number}/bewerken/", {"status": 3})
    page = response.content.decode()
    assert response.status_code == 403 and "Dit formulier is verlopen" in page and "Er is niets gewijzigd" in page
    status.refresh_from_db()
    assert status.version == 1
