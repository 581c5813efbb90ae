"""The admin shows contacts and adoptions but never edits them around the history."""

from django.urls import reverse

from accounts.roles import Role
from regions.models import ContactChange, ContactPerson
from regions.tests.factories import ContactPersonFactory


def test_beheerder_sees_contacts_in_the_admin_but_cannot_edit_them_there(client, make_user):
    contact = ContactPersonFactory(name="Anna de Vries")
    client.force_login(make_user(Role.BEHEERDER, is_staff=True))

    assert client.get(reverse("admin:regions_contactperson_changelist")).status_code == 200
    assert client.get(reverse("admin:regions_contactperson_add")).status_code == 403
    change_url = reverse("admin:regions_contactperson_change", args=[contact.pk])
    response = client.post(change_url, {"name": "Overschreven", "region": contact.region_id})
    assert response.status_code == 403
    contact.refresh_from_db()
    assert contact.name == "Anna de Vries"
    assert not ContactChange.objects.exists()


def test_beheerder_can_still_erase_a_person_from_the_admin(client, make_user):
    contact = ContactPersonFactory(name="Anna de Vries")
    client.force_login(make_user(Role.BEHEERDER, is_staff=True))
    response = client.post(
        reverse("admin:regions_contactperson_changelist"),
        {"action": "contact_person_erase_action", "_selected_action": [contact.pk]},
    )
    assert response.status_code == 302
    assert not ContactPerson.objects.filter(pk=contact.pk).exists()
    assert ContactChange.objects.get().old["name"] == "verwijderd persoon"
