import io

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from accounts.roles import Role
from core.models import AuditEvent
from regions.models import ContactChange, ContactPerson
from regions.services import ERASED_NAME, contact_person_erase
from regions.tests.factories import ContactPersonFactory

NAME, EMAIL, PHONE = "Jantje Zeldzaamnaam", "j.zeldzaamnaam@voorbeeld.nl", "06-98765432"


@pytest.fixture
def contact_with_history(db, make_user):
    adviseur = make_user(Role.BEHEERDER)
    contact = ContactPersonFactory(name=NAME, email=EMAIL, phone=PHONE, function="Wethouder")
    person = {"name": NAME, "email": EMAIL, "phone": PHONE, "function": "Wethouder"}
    ContactChange.objects.create(
        region=contact.region, kind=contact.kind, position=contact.position, changed_by=adviseur, old=None, new=person
    )
    ContactChange.objects.create(
        region=contact.region,
        kind=contact.kind,
        position=contact.position,
        changed_by=adviseur,
        old=person,
        new={**person, "function": "Burgemeester"},
    )
    LogEntry.objects.create(
        user=adviseur,
        content_type=ContentType.objects.get_for_model(ContactPerson),
        object_id=str(contact.pk),
        object_repr=str(contact),
        action_flag=CHANGE,
        change_message=f'[{{"changed": {{"object": "{NAME}"}}}}]',
    )
    AuditEvent.objects.create(kind=AuditEvent.Kind.DATA_CHANGE, username="x", object_description=f"Over {NAME}")
    return contact


def _whole_database() -> str:
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


def test_erasure_leaves_no_trace_of_the_person_but_keeps_that_changes_happened(contact_with_history, make_user):
    beheerder = make_user(Role.BEHEERDER)
    assert NAME in _whole_database()

    erasure = contact_person_erase(contact=contact_with_history, by=beheerder)

    database = _whole_database()
    for trace in (NAME, EMAIL, PHONE):
        assert trace not in database
    assert not ContactPerson.objects.filter(pk=contact_with_history.pk).exists()
    history = list(ContactChange.objects.filter(region=contact_with_history.region).order_by("id"))
    assert len(history) == 3
    assert history[0].new["name"] == ERASED_NAME and history[0].new["email"] == ""
    assert history[1].old["name"] == history[1].new["name"] == ERASED_NAME
    assert history[1].new["function"] == "Burgemeester"  # the fact and nature of the change survive
    assert history[2] == erasure and erasure.changed_by == beheerder
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.DATA_CHANGE,
        object_description__startswith="Persoonsgegevens verwijderd (AVG)",
        actor=beheerder,
    ).exists()


@pytest.mark.parametrize("role", [Role.VNG_MEDEWERKER, Role.REGIO_ADVISEUR, Role.REGIO_GEBRUIKER])
def test_only_a_beheerder_may_erase(contact_with_history, make_user, role):
    user = make_user(role, [contact_with_history.region])
    with pytest.raises(PermissionDenied):
        contact_person_erase(contact=contact_with_history, by=user)
    assert ContactPerson.objects.get(pk=contact_with_history.pk).name == NAME


def test_beheerder_erases_through_the_admin_action(client, contact_with_history, make_user):
    client.force_login(make_user(Role.BEHEERDER))
    response = client.post(
        "/beheer/regions/contactperson/",
        {"action": "contact_person_erase_action", "_selected_action": [contact_with_history.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Persoonsgegevens van 1 aanspreekpunt(en) verwijderd." in response.content.decode()
    assert NAME not in _whole_database()
