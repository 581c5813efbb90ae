"""Lockouts lock the pair (account, client address); behind TRUSTED_PROXY_COUNT proxies the client address comes
from X-Forwarded-For, for django-axes and the audit log alike."""

import pytest

from accounts.roles import Role
from accounts.tests.factories import FACTORY_PASSWORD
from core.models import AuditEvent

ATTACKER, OWNER, PROXY = "198.51.100.7", "192.0.2.10", "10.0.0.2"


def _sign_in(client, username, password=FACTORY_PASSWORD, **meta):
    return client.post("/inloggen/", {"login_view-current_step": "auth", "auth-username": username, "auth-password": password}, **meta)


def _fail_until_locked(client, username, settings, **meta):
    answers = [_sign_in(client, username, "fout-wachtwoord", **meta).status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert answers[-1] == 429


def test_someone_who_only_knows_a_username_cannot_lock_its_owner_out(client, make_user, settings):
    user = make_user(Role.REGIO_ADVISEUR)
    _fail_until_locked(client, user.username, settings, REMOTE_ADDR=ATTACKER)
    assert _sign_in(client, user.username, REMOTE_ADDR=ATTACKER).status_code == 429  # the attacker stays locked out
    assert _sign_in(client, user.username, REMOTE_ADDR=OWNER).status_code == 302  # the owner signs in from elsewhere


def test_one_colleagues_typos_do_not_lock_the_others_behind_the_same_office_address(client, make_user, settings):
    clumsy, colleague = make_user(Role.VNG_MEDEWERKER), make_user(Role.VNG_MEDEWERKER)
    _fail_until_locked(client, clumsy.username, settings, REMOTE_ADDR=OWNER)
    assert _sign_in(client, colleague.username, REMOTE_ADDR=OWNER).status_code == 302


def test_behind_a_trusted_proxy_lockout_and_audit_use_the_client_address(client, make_user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    user = make_user(Role.REGIO_GEBRUIKER)
    # The client made up the left entry; the proxy appended the address it saw.
    _fail_until_locked(client, user.username, settings, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"203.0.113.99, {ATTACKER}")
    assert _sign_in(client, user.username, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OWNER).status_code == 302
    failed = set(AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN_FAILED).values_list("ip", flat=True))
    assert failed == {ATTACKER}
    assert AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN).ip == OWNER


def test_without_trusted_proxies_x_forwarded_for_is_ignored(client, make_user, settings):
    assert settings.TRUSTED_PROXY_COUNT == 0
    user = make_user(Role.REGIO_GEBRUIKER)
    _fail_until_locked(client, user.username, settings, REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=OWNER)
    # A made-up header does not get the attacker a fresh count.
    assert _sign_in(client, user.username, REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429
    assert set(AuditEvent.objects.values_list("ip", flat=True)) == {ATTACKER}


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (1, f"{OWNER}", OWNER),
        (2, f"203.0.113.1, {OWNER}, 10.0.0.9", OWNER),
        (2, OWNER, PROXY),  # fewer entries than proxies: not through the proxies, the socket address
        (1, "geen-adres", PROXY),
        (1, "", PROXY),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address_is_the_entry_the_first_trusted_proxy_appended(rf, settings, count, forwarded, expected):
    from core.audit import client_ip

    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)) == expected
