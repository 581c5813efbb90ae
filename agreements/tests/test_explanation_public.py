"""The "openbaar" tick on an explanation: set in the status form and the API, kept by the import, in the history."""

import pytest
from rest_framework.test import APIClient

from accounts.roles import Role
from agreements.models import AgreementStatus, Status, StatusChange
from agreements.services import status_update
from agreements.tests.factories import AgreementFactory, AgreementStatusFactory


@pytest.fixture
def agreement_status(db):
    return AgreementStatusFactory(agreement=AgreementFactory(number=3))


def test_the_status_form_sets_and_clears_the_tick_and_the_history_records_it(client, make_user, agreement_status):
    client.force_login(make_user(Role.REGIO_ADVISEUR, [agreement_status.region]))
    url = f"/regios/{agreement_status.region.slug}/afspraken/3/bewerken/"
    assert "Openbaar: ook op het openbare dashboard tonen" in client.get(url).content.decode()
    data = {"status": Status.IN_UITVOERING, "explanation": "Voor iedereen", "evidence_links": "", "version": 1}
    assert client.post(url, data | {"explanation_public": "on"}).status_code == 302
    agreement_status.refresh_from_db()
    assert agreement_status.explanation_public
    assert 'id="id_explanation_public" checked' in client.get(url).content.decode()
    assert client.post(url, data | {"version": 2}).status_code == 302  # unticked: only the tick changed
    agreement_status.refresh_from_db()
    assert not agreement_status.explanation_public and agreement_status.version == 3
    changes = StatusChange.objects.filter(agreement_status=agreement_status).order_by("version")
    assert [(c.old_explanation_public, c.new_explanation_public) for c in changes] == [(False, True), (True, False)]


def test_the_api_sets_the_tick_and_a_patch_without_it_keeps_it(make_user, agreement_status):
    client = APIClient()
    client.force_login(make_user(Role.BEHEERDER))
    url = f"/api/statuses/{agreement_status.pk}/"
    response = client.patch(url, {"version": 1, "explanation": "Openbaar", "explanation_public": True}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["explanation_public"] is True
    response = client.patch(url, {"version": 2, "explanation": "Nog steeds openbaar"}, format="json")
    assert response.json()["explanation_public"] is True
    response = client.patch(url, {"version": 3, "explanation_public": "misschien"}, format="json")
    assert response.status_code == 400 and "explanation_public" in response.json()


def test_a_save_without_the_argument_keeps_the_tick(make_user, agreement_status):
    user = make_user(Role.BEHEERDER)
    status_update(
        agreement_status=agreement_status,
        expected_version=1,
        user=user,
        status=Status.NIET_GESTART,
        criteria_met=[],
        explanation="Openbaar",
        explanation_public=True,
        evidence_links=[],
    )
    status_update(  # as the import does: status only
        agreement_status=AgreementStatus.objects.get(pk=agreement_status.pk),
        expected_version=2,
        user=user,
        status=Status.IN_VOORBEREIDING,
        criteria_met=[],
        explanation="Openbaar",
        evidence_links=[],
    )
    assert AgreementStatus.objects.get(pk=agreement_status.pk).explanation_public
