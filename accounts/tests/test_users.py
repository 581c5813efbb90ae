"""The Beheerder's user pages: list, invitation, role and regions, deactivation; every action audited."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from accounts import services
from accounts.models import Invitation, User
from accounts.roles import Role
from accounts.tests.conftest import Mailbox
from accounts.tests.factories import FACTORY_PASSWORD
from core.models import AuditEvent
from regions.tests.factories import RegionFactory

PASSWORD = "Zonnige-Dijk-2026!"  # noqa: S105 - test value


@pytest.fixture
def beheerder(make_user):
    return make_user(Role.BEHEERDER, first_name="Bea", last_name="Heer")


@pytest.fixture
def admin_client(client, beheerder):
    client.force_login(beheerder)
    return client


def _invite(client, **fields):
    data = {"first_name": "Fleur", "last_name": "de Vries", "email": "fleur@example.org", "role": Role.REGIO_ADVISEUR} | fields
    return client.post("/gebruikers/uitnodigen/", data)


def _token(message) -> str:
    return Mailbox.link(message).rstrip("/").rsplit("/", 1)[1]


def test_invitation_creates_an_inactive_account_and_mails_a_one_time_link(admin_client, beheerder, settings):
    region = RegionFactory()
    response = _invite(admin_client, regions=[region.pk])
    assert response.status_code == 302
    user = User.objects.get(email="fleur@example.org")
    assert (user.username, user.is_active, user.has_usable_password(), user.status) == (
        "fleur@example.org",
        False,
        False,
        User.Status.INVITED,
    )
    assert list(user.regions.all()) == [region] and user.groups.get().name == Role.REGIO_ADVISEUR
    invitation = user.invitation
    assert invitation.expires_at - invitation.sent_at == timedelta(days=settings.INVITATION_VALID_DAYS)
    assert invitation.invited_by == beheerder
    [message] = mail.outbox
    assert message.to == ["fleur@example.org"] and "Kies via deze link een wachtwoord" in message.body
    token = Mailbox.link(message).rstrip("/").rsplit("/", 1)[1]
    assert invitation.token_hash != token and token not in str(list(Invitation.objects.values()))
    event = AuditEvent.objects.get(object_description="Gebruiker uitgenodigd: fleur@example.org")
    assert event.actor == beheerder and event.details["new"] == {"role": Role.REGIO_ADVISEUR, "regions": [region.code]}


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"email": "geen-adres"}, "email", "Vul een geldig e-mailadres in"),
        ({"email": "a" * 139 + "@example.org"}, "email", "hoogstens 150 tekens"),
        ({"email": "BEHEERDER@example.org"}, "email", "Er is al een account met dit e-mailadres."),
        ({"regions": []}, "regions", "Kies ten minste één regio"),
        ({"role": Role.VNG_MEDEWERKER, "regions": "REGION"}, "regions", "Regio's horen alleen bij"),
        ({"role": "Koning"}, "role", "Selecteer een geldige keuze"),
        ({"first_name": "x" * 151}, "first_name", "niet meer dan 150 tekens"),
    ],
)
def test_bad_invitations_are_refused_with_a_message_per_field(admin_client, beheerder, fields, field, message):
    beheerder.email = "beheerder@example.org"
    beheerder.save()
    region = RegionFactory()
    fields = {key: ([region.pk] if value == "REGION" else value) for key, value in fields.items()}
    response = _invite(admin_client, **({"regions": [region.pk]} | fields))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert User.objects.count() == 1 and not mail.outbox and not Invitation.objects.exists()


def test_email_of_exactly_150_characters_is_accepted(admin_client):
    address = "a" * 138 + "@example.org"
    assert len(address) == 150
    assert _invite(admin_client, email=address, regions=[RegionFactory().pk]).status_code == 302


def test_a_failing_mail_server_writes_nothing(admin_client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens there
    with pytest.raises(OSError):
        _invite(admin_client, regions=[RegionFactory().pk])
    assert not User.objects.filter(email="fleur@example.org").exists()
    assert not AuditEvent.objects.filter(object_description__startswith="Gebruiker uitgenodigd").exists()


def test_accepting_sets_the_password_activates_and_signs_in_once(admin_client, client, settings):
    _invite(admin_client, regions=[RegionFactory().pk])
    token = _token(mail.outbox[0])
    invitee = Client()
    assert invitee.get(f"/uitnodiging/{token}/").status_code == 200
    response = invitee.post(f"/uitnodiging/{token}/", {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.url == "/"
    user = User.objects.get(email="fleur@example.org")
    assert user.is_active and user.check_password(PASSWORD) and user.status == User.Status.ACTIVE
    assert invitee.get("/mijn-regios/").status_code == 200
    again = Client().post(f"/uitnodiging/{token}/", {"new_password1": "Ander-Wachtwoord-99", "new_password2": "Ander-Wachtwoord-99"})
    assert "Deze link werkt niet meer" in again.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_two_factor_setup_follows_acceptance_for_vng_roles(admin_client, settings):
    _invite(admin_client, role=Role.VNG_MEDEWERKER, email="vng@example.org")
    token = _token(mail.outbox[0])
    settings.TWO_FACTOR_REQUIRED = True
    response = Client().post(f"/uitnodiging/{token}/", {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.url == "/tweestapsverificatie/instellen/"


@pytest.mark.parametrize("case", ["expired", "tampered", "withdrawn", "resent"])
def test_expired_tampered_withdrawn_or_replaced_links_offer_a_new_link_and_change_nothing(admin_client, case):
    _invite(admin_client, regions=[RegionFactory().pk])
    token = _token(mail.outbox[0])
    user = User.objects.get(email="fleur@example.org")
    if case == "expired":
        Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1), sent_at=timezone.now() - timedelta(days=8))
    elif case == "tampered":
        token = token[:-1] + ("A" if token[-1] != "A" else "B")
    elif case == "withdrawn":
        admin_client.post(f"/gebruikers/{user.pk}/uitnodiging/intrekken/")
    else:
        admin_client.post(f"/gebruikers/{user.pk}/uitnodiging/opnieuw/")
    for response in (
        Client().get(f"/uitnodiging/{token}/"),
        Client().post(f"/uitnodiging/{token}/", {"new_password1": PASSWORD, "new_password2": PASSWORD}),
    ):
        assert response.status_code == 200
        html = response.content.decode()
        assert "Deze link werkt niet meer" in html and "/uitnodiging/nieuwe-link/" in html
    assert not User.objects.filter(email="fleur@example.org", is_active=True).exists()


def test_resend_replaces_the_link_and_withdraw_removes_the_unused_account(admin_client, beheerder):
    _invite(admin_client, regions=[RegionFactory().pk])
    user = User.objects.get(email="fleur@example.org")
    admin_client.post(f"/gebruikers/{user.pk}/uitnodiging/opnieuw/")
    assert len(mail.outbox) == 2 and _token(mail.outbox[0]) != _token(mail.outbox[1])
    admin_client.post(f"/gebruikers/{user.pk}/uitnodiging/intrekken/")
    assert not User.objects.filter(pk=user.pk).exists()
    assert _invite(admin_client, regions=[RegionFactory().pk]).status_code == 302  # the address is free again
    kinds = list(AuditEvent.objects.filter(actor=beheerder).values_list("object_description", flat=True))
    assert "Uitnodiging opnieuw verstuurd: fleur@example.org" in kinds and "Uitnodiging ingetrokken: fleur@example.org" in kinds


def test_invitee_asks_a_new_link_after_expiry_same_answer_for_any_address(admin_client, settings):
    _invite(admin_client, regions=[RegionFactory().pk])
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1), sent_at=timezone.now() - timedelta(days=8))
    answers = [
        Client().post("/uitnodiging/nieuwe-link/", {"email": address}, follow=True).content.decode()
        for address in ("fleur@example.org", "onbekend@example.org")
    ]
    assert all("Als er een openstaande uitnodiging voor dit e-mailadres is" in answer for answer in answers)
    assert [message.to for message in mail.outbox] == [["fleur@example.org"], ["fleur@example.org"]]
    response = Client().post(f"/uitnodiging/{_token(mail.outbox[1])}/", {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302


def test_role_and_regions_change_and_are_audited(admin_client, beheerder, make_user):
    old, new = RegionFactory(code="A1"), RegionFactory(code="B2")
    user = make_user(Role.REGIO_GEBRUIKER, [old])
    response = admin_client.post(f"/gebruikers/{user.pk}/", {"role": Role.REGIO_ADVISEUR, "regions": [new.pk]})
    assert response.status_code == 302
    assert user.groups.get().name == Role.REGIO_ADVISEUR and list(user.regions.all()) == [new]
    event = AuditEvent.objects.get(object_description=f"Rol en regio's gewijzigd: {user.username}")
    assert event.details["old"] == {"role": Role.REGIO_GEBRUIKER, "regions": ["A1"]}
    assert event.details["new"] == {"role": Role.REGIO_ADVISEUR, "regions": ["B2"]}
    refused = admin_client.post(f"/gebruikers/{user.pk}/", {"role": Role.REGIO_ADVISEUR, "regions": []})
    assert "Kies ten minste één regio" in refused.content.decode()
    assert list(user.regions.all()) == [new]


def test_a_beheerder_cannot_take_away_their_own_role_or_deactivate_themselves(admin_client, beheerder):
    response = admin_client.post(f"/gebruikers/{beheerder.pk}/", {"role": Role.VNG_MEDEWERKER})
    assert "U kunt uw eigen rol niet wijzigen" in response.content.decode()
    admin_client.post(f"/gebruikers/{beheerder.pk}/deactiveren/")
    beheerder.refresh_from_db()
    assert beheerder.is_active and beheerder.groups.get().name == Role.BEHEERDER


def test_deactivation_stops_sessions_and_api_tokens_at_once_and_keeps_the_name(admin_client, beheerder, make_user):
    user = make_user(Role.REGIO_ADVISEUR, first_name="Dirk", last_name="Weg")
    signed_in = Client()
    signed_in.force_login(user)
    assert signed_in.get("/mijn-regios/").status_code == 200
    key = Token.objects.create(user=user).key
    assert Client().get("/api/regions/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    admin_client.post(f"/gebruikers/{user.pk}/deactiveren/")
    user.refresh_from_db()
    assert not user.is_active and user.status == User.Status.DEACTIVATED and user.get_full_name() == "Dirk Weg"
    assert signed_in.get("/mijn-regios/").url.startswith("/inloggen/")
    assert Client().get("/api/regions/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk)]
    login = Client().post(
        "/inloggen/", {"login_view-current_step": "auth", "auth-username": user.username, "auth-password": FACTORY_PASSWORD}
    )
    assert login.status_code == 200
    admin_client.post(f"/gebruikers/{user.pk}/heractiveren/")
    user.refresh_from_db()
    assert user.is_active and not Token.objects.filter(user=user).exists()
    descriptions = set(AuditEvent.objects.filter(actor=beheerder).values_list("object_description", flat=True))
    assert {f"Gebruiker gedeactiveerd: {user.username}", f"Gebruiker geheractiveerd: {user.username}"} <= descriptions


def test_beheerder_resets_two_factor_and_creates_a_token_shown_once(admin_client, beheerder, make_user):
    user = make_user(Role.VNG_MEDEWERKER)
    device = TOTPDevice.objects.create(user=user, name="telefoon")
    detail = admin_client.get(f"/gebruikers/{user.pk}/").content.decode()
    assert device.key not in detail
    admin_client.post(f"/gebruikers/{user.pk}/tweestapsverificatie/resetten/")
    assert not TOTPDevice.objects.filter(user=user).exists()
    created = admin_client.post(f"/gebruikers/{user.pk}/api-token/")
    key = Token.objects.get(user=user).key
    assert key in created.content.decode() and created["Cache-Control"] == "no-store"
    assert key not in admin_client.get(f"/gebruikers/{user.pk}/").content.decode()
    assert key not in str(list(AuditEvent.objects.values()))
    admin_client.post(f"/gebruikers/{user.pk}/api-token/intrekken/")
    assert not Token.objects.filter(user=user).exists()


def test_services_refuse_anyone_but_a_beheerder(make_user):
    from django.core.exceptions import PermissionDenied

    adviseur, other = make_user(Role.REGIO_ADVISEUR), make_user(Role.REGIO_GEBRUIKER)
    for call in (
        lambda: services.user_deactivate(actor=adviseur, user=other),
        lambda: services.user_invite(actor=adviseur, email="x@example.org", first_name="X", last_name="Y", role=Role.BEHEERDER),
        lambda: services.user_token_create(actor=adviseur, user=adviseur),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert other.is_active and User.objects.count() == 2 and not Token.objects.exists()


def test_list_shows_status_and_filters_on_search_role_and_region(admin_client, make_user):
    zeeland, utrecht = RegionFactory(name="Zeeland", slug="zeeland"), RegionFactory(name="Utrecht", slug="utrecht")
    make_user(Role.REGIO_ADVISEUR, [zeeland], first_name="Anna", last_name="Zee")
    make_user(Role.REGIO_GEBRUIKER, [utrecht], first_name="Bram", last_name="Dom", is_active=False)

    def names(query=""):
        response = admin_client.get(f"/gebruikers/{query}")
        return [row["user"].last_name for row in response.context["rows"]]

    assert names() == ["Dom", "Heer", "Zee"]
    assert names("?q=anna") == ["Zee"]
    assert names("?rol=Regio-gebruiker") == ["Dom"]
    assert names("?rol=Beheerder") == ["Heer"]
    assert names("?regio=zeeland") == ["Zee"]
    html = admin_client.get("/gebruikers/").content.decode()
    assert "Gedeactiveerd" in html and "Actief" in html and "nooit" in html
    assert admin_client.get("/gebruikers/?q=" + "x" * 101).status_code == 200  # over the bound: ignored, no 500


@pytest.mark.parametrize("extra", [5, 40])
def test_list_needs_the_same_number_of_queries_whatever_the_number_of_users(admin_client, make_user, extra, django_assert_num_queries):
    regions = [RegionFactory() for _ in range(3)]
    for number in range(extra):
        make_user(Role.REGIO_ADVISEUR, regions[: number % 3 + 1])
    admin_client.get("/gebruikers/")  # warm the session and user cache
    # count, users (+ invitation), their groups, their regions, regions for the filter (the signed-in user and the
    # session come from the cache)
    with django_assert_num_queries(5):
        assert admin_client.get("/gebruikers/").status_code == 200


def test_list_shows_fifty_users_a_page(admin_client, make_user):
    from accounts.selectors import USERS_PER_PAGE

    for _ in range(USERS_PER_PAGE):  # with the Beheerder: one over a page
        make_user(Role.REGIO_GEBRUIKER, last_name="Zzz")
    first = admin_client.get("/gebruikers/")
    assert len(first.context["rows"]) == USERS_PER_PAGE and "Pagina 1 van 2" in first.content.decode()
    assert len(admin_client.get("/gebruikers/?pagina=2").context["rows"]) == 1
    assert admin_client.get("/gebruikers/?pagina=999").status_code == 200  # past the end: the last page
