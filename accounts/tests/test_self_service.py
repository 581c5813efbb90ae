"""Self-service for every signed-in user: forgotten password, own password, own details, signing out; and the
settings of sign-in with the organisation's account."""

import pytest
from django.core import mail
from django.test import Client

from accounts.oidc import BACKEND_PATH
from accounts.roles import Role
from accounts.tests.conftest import Mailbox
from core.models import AuditEvent

PASSWORD = "Zonnige-Dijk-2026!"  # noqa: S105 - test value


def _reset(client, email):
    return client.post("/wachtwoord-vergeten/", {"email": email})


def test_reset_gives_the_same_answer_for_known_and_unknown_addresses(client, make_user):
    make_user(Role.REGIO_GEBRUIKER, email="bekend@example.org")
    known, unknown = _reset(client, "bekend@example.org"), _reset(client, "onbekend@example.org")
    assert known.status_code == unknown.status_code == 302 and known.url == unknown.url == "/wachtwoord-vergeten/verstuurd/"
    [message] = mail.outbox
    assert message.to == ["bekend@example.org"] and message.subject == "Nieuw wachtwoord voor NvO Tracker"
    assert "Kies via deze link een nieuw wachtwoord" in message.body and "24 uur" in message.body


def test_reset_link_sets_a_new_password_once_and_is_audited(client, make_user):
    user = make_user(Role.REGIO_GEBRUIKER)
    _reset(client, user.email)
    link = Mailbox.link(mail.outbox[0])
    form = client.get(link, follow=True)
    assert "Nieuw wachtwoord kiezen" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.url == "/wachtwoord-herstellen/klaar/"
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert AuditEvent.objects.filter(object_description=f"Wachtwoord hersteld via e-mail: {user.username}").exists()
    again = Client().get(link, follow=True).content.decode()
    assert "Deze link werkt niet meer" in again and "/wachtwoord-vergeten/" in again


def test_tampered_reset_link_gets_a_dutch_page_offering_a_new_link(client, make_user):
    user = make_user(Role.REGIO_GEBRUIKER)
    before = user.password
    html = client.get("/wachtwoord-herstellen/MQ/abc-0123456789abcdef/", follow=True).content.decode()
    assert "Deze link werkt niet meer" in html and "Vraag een nieuwe link aan" in html
    user.refresh_from_db()
    assert user.password == before


def test_reset_requests_are_limited_per_address_whether_or_not_it_has_an_account(client, make_user, settings):
    make_user(Role.REGIO_GEBRUIKER, email="bekend@example.org")
    limit = settings.ACCOUNT_LINK_REQUESTS_PER_HOUR
    for address in ("bekend@example.org", "onbekend@example.org"):
        for _ in range(limit):
            assert _reset(client, address).status_code == 302
        refused = _reset(client, address.upper())  # one over the limit, in other case
        assert refused.status_code == 200
        assert "al te veel links aangevraagd" in refused.content.decode()
    assert len(mail.outbox) == limit
    assert _reset(client, "ander@example.org").status_code == 302  # other addresses are not affected


def test_invited_and_deactivated_accounts_get_no_reset_mail(client, make_user):
    make_user(Role.REGIO_GEBRUIKER, email="weg@example.org", is_active=False)
    assert _reset(client, "weg@example.org").status_code == 302
    assert not mail.outbox


def test_every_signed_in_user_changes_their_password_and_own_details(client, make_user):
    user = make_user(None)  # even without a role
    client.force_login(user)
    assert client.get("/mijn-gegevens/").status_code == 200
    response = client.post(
        "/mijn-gegevens/wachtwoord/", {"old_password": "test-wachtwoord-123", "new_password1": PASSWORD, "new_password2": PASSWORD}
    )
    assert response.url == "/mijn-gegevens/wachtwoord/gewijzigd/"
    assert client.get("/mijn-gegevens/").status_code == 200  # still signed in
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    response = client.post("/mijn-gegevens/", {"first_name": "Nieuwe", "last_name": "Naam", "email": "nieuw@example.org"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.first_name, user.email) == ("Nieuwe", "nieuw@example.org")


def test_own_details_refuse_an_address_of_someone_else_or_too_long(client, make_user):
    make_user(Role.VNG_MEDEWERKER, email="bezet@example.org")
    user = make_user(Role.VNG_MEDEWERKER)
    client.force_login(user)
    for address, message in (
        ("Bezet@example.org", "Er is al een account met dit e-mailadres."),
        ("a" * 139 + "@example.org", "hoogstens 150 tekens"),
    ):
        response = client.post("/mijn-gegevens/", {"first_name": "", "last_name": "", "email": address})
        assert message in " ".join(response.context["form"].errors["email"])
    user.refresh_from_db()
    assert user.email.endswith("@example.org") and user.email != "bezet@example.org"


def test_signing_out_shows_u_bent_uitgelogd(client, make_user):
    client.force_login(make_user(Role.REGIO_GEBRUIKER))
    response = client.post("/uitloggen/", follow=True)
    assert response.redirect_chain[-1][0] == "/uitgelogd/"
    assert "U bent uitgelogd" in response.content.decode()
    assert client.get("/mijn-regios/").url.startswith("/inloggen/")


@pytest.mark.parametrize("url", ["/mijn-gegevens/", "/mijn-gegevens/wachtwoord/"])
def test_self_service_pages_need_a_sign_in(client, db, url):
    assert client.get(url).url == f"/inloggen/?next={url}"


def test_organisation_sign_in_is_off_by_default(client, db, settings):
    assert settings.OIDC_ENABLED is False
    assert "organisatieaccount" not in client.get("/inloggen/").content.decode()
    assert client.get("/inloggen/organisatie/").status_code == 404
    assert client.get("/inloggen/organisatie/terug/?code=x&state=y").status_code == 404


@pytest.mark.parametrize(("satisfies", "expected"), [(True, 200), (False, 302)])
def test_setting_decides_whether_the_providers_mfa_counts_as_two_factor(client, make_user, settings, satisfies, expected):
    settings.TWO_FACTOR_REQUIRED = True
    settings.OIDC_MFA_SATISFIES_TWO_FACTOR = satisfies
    client.force_login(make_user(Role.VNG_MEDEWERKER), backend=BACKEND_PATH)
    assert client.get("/dashboard/trend/").status_code == expected
    client.force_login(make_user(Role.VNG_MEDEWERKER))  # a password sign-in always needs the app's own step
    assert client.get("/dashboard/trend/").status_code == 302
