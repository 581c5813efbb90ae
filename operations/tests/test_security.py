"""Production settings, headers, CSRF, guessed ids, login lockout, session expiry and two-factor sign-in."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role
from accounts.tests.factories import FACTORY_PASSWORD
from core.models import AuditEvent
from regions.models import Region
from regions.tests.factories import ContactPersonFactory, RegionFactory

BASE_DIR = Path(__file__).resolve().parents[2]


def _sign_in(client, username, password=FACTORY_PASSWORD):
    return client.post("/inloggen/", {"login_view-current_step": "auth", "auth-username": username, "auth-password": password})


def test_production_settings_pass_the_deploy_check():
    # Only what a production run has: not the test run's environment (pytest.ini defaults, browser flags).
    env = {
        "PATH": os.environ["PATH"],
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "REDIS_URL": os.environ["REDIS_URL"],
        "DEBUG": "false",
        "SECRET_KEY": "k3Y-" + "x9Qz#7Lm!pR2" * 5,
        "ALLOWED_HOSTS": "nvo.example.nl",
    }
    result = subprocess.run(  # noqa: S603 - fixed argument list
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_pages_send_security_headers_and_a_csp_without_inline_script(client, db):
    response = client.get("/inloggen/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "<script>" not in response.content.decode()


def test_post_without_csrf_token_is_refused_and_audited(db, make_user):
    user = make_user(Role.BEHEERDER)
    client = Client(enforce_csrf_checks=True)
    assert _sign_in(client, user.username).status_code == 403
    client.force_login(user)
    region = RegionFactory(name="Oude naam")
    # The same change with a token goes through, and its audit event records the address.
    page = client.get(f"/beheer/regions/municipality/{region.municipalities.get().pk}/change/")
    municipality = region.municipalities.get()
    client.post(
        f"/beheer/regions/municipality/{municipality.pk}/change/",
        {
            "csrfmiddlewaretoken": page.context["csrf_token"],
            "name": "Andere naam",
            "cbs_code": municipality.cbs_code,
            "region": region.pk,
            "is_centrumgemeente": "on",
        },
    )
    assert AuditEvent.objects.get(kind=AuditEvent.Kind.DATA_CHANGE).ip == "127.0.0.1"
    response = client.post(f"/beheer/regions/region/{region.pk}/change/", {"name": "Nieuwe naam"})
    assert response.status_code == 403
    region.refresh_from_db()
    assert region.name == "Oude naam"
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCESS_DENIED).count() == 2


@pytest.mark.parametrize("role", [Role.VNG_MEDEWERKER, Role.REGIO_ADVISEUR, Role.REGIO_GEBRUIKER, None])
def test_guessing_ids_reveals_nothing_to_non_beheerders(client, make_user, role):
    contact = ContactPersonFactory(name="Geheime Persoon")
    event = AuditEvent.objects.create(kind=AuditEvent.Kind.LOGIN, username="iemand", ip="10.1.2.3")
    if role is not None:
        client.force_login(make_user(role, [contact.region]))
    for url in (
        f"/beheer/regions/contactperson/{contact.pk}/change/",
        f"/beheer/regions/contactperson/{contact.pk + 1}/change/",
        f"/beheer/core/auditevent/{event.pk}/change/",
        f"/beheer/accounts/user/{contact.pk}/change/",
        "/beheer/regions/contactperson/?q=Geheime",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        body = response.content.decode()
        assert "Geheime Persoon" not in body and "10.1.2.3" not in body


def test_beheerder_reads_the_audit_log_but_cannot_change_it(client, make_user):
    beheerder = make_user(Role.BEHEERDER)
    event = AuditEvent.objects.create(kind=AuditEvent.Kind.LOGIN_FAILED, username="indringer", ip="10.9.8.7")
    client.force_login(beheerder)
    listing = client.get("/beheer/core/auditevent/?kind=mislukte+aanmelding")
    assert listing.status_code == 200 and "indringer" in listing.content.decode()
    assert client.post(f"/beheer/core/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_sign_in_and_failed_sign_in_are_audited(client, make_user):
    user = make_user(Role.REGIO_GEBRUIKER)
    _sign_in(client, user.username, "verkeerd-wachtwoord")
    assert _sign_in(client, user.username).status_code == 302
    kinds = list(AuditEvent.objects.order_by("id").values_list("kind", "username", "ip"))
    assert kinds == [
        (AuditEvent.Kind.LOGIN_FAILED, user.username, "127.0.0.1"),
        (AuditEvent.Kind.LOGIN, user.username, "127.0.0.1"),
    ]


def test_repeated_failures_lock_the_account_out_with_a_dutch_message_until_the_cool_off(client, make_user, settings):
    user = make_user(Role.REGIO_ADVISEUR)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, user.username, "fout-wachtwoord").status_code == 200
    locked = _sign_in(client, user.username, "fout-wachtwoord")
    assert locked.status_code == 429
    assert "Inloggen tijdelijk geblokkeerd" in locked.content.decode()
    assert "15 minuten" in locked.content.decode()
    # Even the right password is refused while locked out.
    assert _sign_in(client, user.username).status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
    assert _sign_in(client, user.username).status_code == 302


def test_session_expires_after_inactivity(client, make_user, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.AUTH_PASSWORD_VALIDATORS
    _sign_in(client, make_user(Role.REGIO_GEBRUIKER).username)
    # 30 minutes later: the row has expired, and so has the cached copy (cached_db, same timeout).
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    cache.clear()
    response = client.get("/regios/")
    assert response.status_code == 302 and response.url.startswith("/inloggen/")


def test_a_request_renews_the_session_at_most_once_a_minute(client, make_user, monkeypatch):
    now = 1_900_000_000.0
    monkeypatch.setattr("accounts.middleware.time.time", lambda: now)
    _sign_in(client, make_user(Role.REGIO_GEBRUIKER).username)
    client.get("/regios/")
    signed_in_until = Session.objects.get().expire_date

    now += 59
    response = client.get("/regios/")
    assert response.status_code == 200 and "sessionid" not in response.cookies
    assert Session.objects.get().expire_date == signed_in_until  # no write on every page view

    now += 1
    response = client.get("/regios/")
    assert response.cookies["sessionid"]["max-age"] == 30 * 60
    assert Session.objects.get().expire_date > signed_in_until


def test_login_page_says_when_two_factor_is_off(client, settings, db):
    settings.TWO_FACTOR_REQUIRED = False
    assert "Tweestapsverificatie staat uit in deze demo-omgeving" in client.get("/inloggen/").content.decode()
    settings.TWO_FACTOR_REQUIRED = True
    assert "Tweestapsverificatie staat uit" not in client.get("/inloggen/").content.decode()


@pytest.mark.parametrize("role", [Role.BEHEERDER, Role.VNG_MEDEWERKER])
def test_two_factor_required_sends_a_user_without_device_to_set_one_up(client, make_user, settings, role):
    settings.TWO_FACTOR_REQUIRED = True
    user = make_user(role)
    assert _sign_in(client, user.username).status_code == 302
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/tweestapsverificatie/instellen/"
    assert client.get("/beheer/").status_code == 302
    assert client.get("/tweestapsverificatie/instellen/").status_code == 200


def test_two_factor_required_refuses_the_api_with_a_dutch_json_error_instead_of_a_login_page(client, make_user, settings):
    settings.TWO_FACTOR_REQUIRED = True
    _sign_in(client, make_user(Role.VNG_MEDEWERKER).username)
    response = client.get("/api/regions/")
    assert response.status_code == 403 and response["Content-Type"] == "application/json"
    assert "Tweestapsverificatie is verplicht" in response.json()["detail"]


def test_two_factor_required_asks_the_token_of_a_user_with_a_device(client, make_user, settings):
    settings.TWO_FACTOR_REQUIRED = True
    user = make_user(Role.BEHEERDER)
    device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    step = _sign_in(client, user.username)
    assert step.status_code == 200 and "Verificatiecode" in step.content.decode()
    wrong = client.post("/inloggen/", {"login_view-current_step": "token", "token-otp_token": "000000"})
    assert "De code is onjuist" in wrong.content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    device.refresh_from_db()
    token = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    done = client.post("/inloggen/", {"login_view-current_step": "token", "token-otp_token": token})
    assert done.status_code == 302
    assert client.get("/regios/").status_code == 200
    assert client.get("/beheer/").status_code == 200


def test_two_factor_is_optional_for_regio_roles(client, make_user, settings, db):
    settings.TWO_FACTOR_REQUIRED = True
    RegionFactory()
    _sign_in(client, make_user(Role.REGIO_ADVISEUR, list(Region.objects.all())).username)
    assert client.get("/mijn-regios/").status_code == 200
