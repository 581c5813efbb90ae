"""Every free text has an explicit bound and refuses invisible direction overrides, in the form, the API, the
service and the database alike; a refused save keeps what was typed and changes nothing."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.roles import Role
from agreements.models import AgreementStatus, Status, StatusChange
from agreements.tests.factories import AgreementFactory, AgreementStatusFactory
from core.text import AGENDA_MAX_LENGTH, EVIDENCE_LINKS_MAX, EXPLANATION_MAX_LENGTH, NEXT_STEP_MAX_LENGTH, SUMMARY_MAX_LENGTH
from regions.models import ContactPerson
from support.models import NetworkMeeting, SupportAction
from support.tests.factories import SupportActionFactory

pytestmark = pytest.mark.django_db
OVERRIDES = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]


@pytest.fixture
def agreement_status(db):
    return AgreementStatusFactory(agreement=AgreementFactory(number=3))


@pytest.fixture
def adviseur_client(client, make_user, agreement_status):
    client.force_login(make_user(Role.REGIO_ADVISEUR, [agreement_status.region]))
    return client


def _status_post(client, agreement_status, **changes):
    url = reverse("agreements:status_edit", args=[agreement_status.region.slug, 3])
    data = {"status": Status.IN_UITVOERING, "explanation": "", "evidence_links": "", "version": agreement_status.version}
    return client.post(url, data | changes)


def test_an_explanation_of_exactly_the_bound_is_saved(adviseur_client, agreement_status):
    assert _status_post(adviseur_client, agreement_status, explanation="x" * EXPLANATION_MAX_LENGTH).status_code == 302
    agreement_status.refresh_from_db()
    assert len(agreement_status.explanation) == EXPLANATION_MAX_LENGTH


def test_one_character_over_the_bound_is_refused_in_dutch_and_the_text_is_kept(adviseur_client, agreement_status):
    text = "y" * (EXPLANATION_MAX_LENGTH + 1)
    response = _status_post(adviseur_client, agreement_status, explanation=text)
    page = response.content.decode()
    assert response.status_code == 200
    assert "niet meer dan 5000 tekens" in page and text in page
    assert 'maxlength="5000"' in page  # the browser's counter and limit use the same bound
    assert not StatusChange.objects.exists()


@pytest.mark.parametrize("character", OVERRIDES)
def test_direction_overrides_in_an_explanation_are_refused(adviseur_client, agreement_status, character):
    response = _status_post(adviseur_client, agreement_status, explanation=f"Goed{character}nieuws")
    assert response.status_code == 200 and "leesrichting" in response.content.decode()
    assert not StatusChange.objects.exists()


def test_the_api_refuses_an_overlong_explanation_and_too_many_links(make_user, agreement_status):
    api = APIClient()
    api.force_login(make_user(Role.REGIO_ADVISEUR, [agreement_status.region]))
    url = f"/api/statuses/{agreement_status.pk}/"
    response = api.patch(url, {"version": 1, "explanation": "z" * (EXPLANATION_MAX_LENGTH + 1)}, format="json")
    assert response.status_code == 400 and "5000" in str(response.json())
    links = [f"https://example.org/{n}" for n in range(EVIDENCE_LINKS_MAX + 1)]
    response = api.patch(url, {"version": 1, "evidence_links": links}, format="json")
    assert response.status_code == 400 and f"hoogstens {EVIDENCE_LINKS_MAX} links" in str(response.json())
    response = api.patch(url, {"version": 1, "explanation": "a\u202eb"}, format="json")
    assert response.status_code == 400 and "leesrichting" in str(response.json())
    agreement_status.refresh_from_db()
    assert agreement_status.version == 1


def test_the_database_refuses_an_overlong_explanation_whatever_path_writes_it(agreement_status):
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementStatus.objects.filter(pk=agreement_status.pk).update(explanation="q" * (EXPLANATION_MAX_LENGTH + 1))


def test_a_contact_name_with_a_direction_override_is_refused(client, make_user, agreement_status):
    region = agreement_status.region
    client.force_login(make_user(Role.REGIO_ADVISEUR, [region]))
    data = {f"{kind}-{position}-version": 0 for kind in ContactPerson.Kind for position in ContactPerson.Position}
    data |= {"bestuurlijk-primair-name": "Jan\u202enaJ", "bestuurlijk-primair-email": "jan@example.org"}
    response = client.post(reverse("regions:contacts_edit", args=[region.slug]), data)
    assert response.status_code == 200 and "leesrichting" in response.content.decode()
    assert not ContactPerson.objects.exists()


@pytest.fixture
def vng_client(client, make_user):
    client.force_login(make_user(Role.VNG_MEDEWERKER))
    return client


@pytest.mark.parametrize(("field", "bound"), [("summary", SUMMARY_MAX_LENGTH), ("next_step", NEXT_STEP_MAX_LENGTH)])
def test_support_action_texts_are_bounded(vng_client, agreement_status, field, bound):
    action = SupportActionFactory(region=agreement_status.region)
    post = {
        "kind": "gesprek",
        "date": "2026-11-20",
        "agreement": "",
        "vng_staff": action.vng_staff.pk,
        "summary": "Gesprek.",
        "next_step": "",
        "next_step_due": "",
        "status": "open",
        "version": action.version,
    } | {field: "w" * (bound + 1)}
    response = vng_client.post(reverse("support:support_action_edit", args=[action.pk]), post)
    assert response.status_code == 200 and f"niet meer dan {bound} tekens" in response.content.decode()
    action.refresh_from_db()
    assert action.version == 1 and len(getattr(action, field)) <= bound
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportAction.objects.filter(pk=action.pk).update(**{field: "w" * (bound + 1)})


def test_a_meeting_agenda_is_bounded_and_a_location_refuses_overrides(vng_client):
    post = {"network": "ambtelijk", "starts_at": "2026-12-10T14:00", "ends_at": "2026-12-10T16:00", "format": "online"}
    response = vng_client.post(reverse("support:meeting_create"), post | {"agenda": "a" * (AGENDA_MAX_LENGTH + 1)})
    assert response.status_code == 200 and f"niet meer dan {AGENDA_MAX_LENGTH} tekens" in response.content.decode()
    response = vng_client.post(reverse("support:meeting_create"), post | {"location": "Zaal\u2066 1"})
    assert response.status_code == 200 and "leesrichting" in response.content.decode()
    assert not NetworkMeeting.objects.exists()
