"""The signed-in user comes from the cache, and every change to the user counts on the very next request."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from regions.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


def _tables_read(client, path: str) -> str:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return " ".join(query["sql"] for query in queries.captured_queries)


def test_a_repeat_request_reads_neither_the_user_nor_its_roles_from_the_database(client, make_user):
    client.force_login(make_user(Role.REGIO_ADVISEUR, [RegionFactory()]))
    first = _tables_read(client, "/mijn-regios/")
    assert '"accounts_user"' in first and '"auth_group"' in first
    repeat = _tables_read(client, "/mijn-regios/")
    assert '"accounts_user"' not in repeat and '"auth_group"' not in repeat and "accounts_user_regions" not in repeat


def test_a_new_role_counts_on_the_next_request(client, make_user):
    user = make_user(Role.REGIO_GEBRUIKER)
    client.force_login(user)
    assert client.get("/importeren/").status_code == 403
    user.groups.set([Group.objects.get(name=Role.REGIO_ADVISEUR)])
    assert client.get("/importeren/").status_code == 200
    Group.objects.get(name=Role.REGIO_ADVISEUR).user_set.remove(user)  # from the group's side
    assert client.get("/importeren/").status_code == 403


def test_new_regions_count_on_the_next_request(client, make_user):
    first, second = RegionFactory(name="Eerste regio"), RegionFactory(name="Tweede regio")
    user = make_user(Role.REGIO_ADVISEUR, [first])
    client.force_login(user)
    assert "Tweede regio" not in client.get("/mijn-regios/").content.decode()
    second.users.add(user)  # from the region's side
    assert "Tweede regio" in client.get("/mijn-regios/").content.decode()
    user.regions.clear()
    assert "Eerste regio" not in client.get("/mijn-regios/").content.decode()


def test_a_deactivated_user_is_signed_out_on_the_next_request(client, make_user):
    user = make_user(Role.VNG_MEDEWERKER)
    client.force_login(user)
    assert client.get("/regios/").status_code == 200
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = client.get("/regios/")
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/")


def test_a_new_password_ends_the_other_sessions_on_their_next_request(client, make_user):
    user = make_user(Role.VNG_MEDEWERKER)
    client.force_login(user)
    assert client.get("/regios/").status_code == 200
    user.set_password("een-heel-nieuw-wachtwoord-2026")
    user.save()
    response = client.get("/regios/")
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/")


def test_a_deleted_user_is_anonymous_on_the_next_request(client, make_user):
    user = make_user(Role.VNG_MEDEWERKER)
    client.force_login(user)
    assert client.get("/regios/").status_code == 200
    user.delete()
    assert client.get("/regios/").status_code == 302
