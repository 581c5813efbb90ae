"""The admin shows no secrets (TOTP secrets, backup codes, API token keys) and speaks Dutch."""

import re

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from accounts.roles import Role

ENGLISH = [
    "Access attempts",
    "Access failures",
    "Access logs",
    "Static devices",
    "TOTP devices",
    "Can add",
    "Can change",
    "Auth Token",
    "OTP_",
]


def _secrets(user):
    device = TOTPDevice.objects.create(user=user, name="telefoon", confirmed=True)
    backup = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    code = StaticToken.objects.create(device=backup, token="reserve1")  # noqa: S106 - test value
    token = Token.objects.create(user=user)
    return device, backup, [device.key, device.bin_key.hex(), code.token, token.key]


def test_admin_pages_never_show_a_totp_secret_backup_code_or_token_key(client, make_user):
    beheerder, other = make_user(Role.BEHEERDER), make_user(Role.VNG_MEDEWERKER)
    device, backup, secrets = _secrets(other)
    client.force_login(beheerder)
    pages = [
        "/beheer/",
        "/beheer/accounts/authenticatorapp/",
        f"/beheer/accounts/authenticatorapp/{device.pk}/change/",
        "/beheer/accounts/backupcodes/",
        f"/beheer/accounts/backupcodes/{backup.pk}/change/",
        "/beheer/accounts/apitoken/",
        f"/beheer/accounts/user/{other.pk}/change/",
        f"/beheer/accounts/authenticatorapp/{device.pk}/delete/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not [secret for secret in secrets if secret in html], url
    for url in ["/beheer/otp_totp/totpdevice/", "/beheer/otp_static/staticdevice/", "/beheer/authtoken/tokenproxy/"]:
        assert client.get(url).status_code == 404, url
    assert client.get("/beheer/accounts/authenticatorapp/add/").status_code == 403
    assert client.get("/beheer/accounts/apitoken/add/").status_code == 403


def test_beheerder_resets_two_factor_in_the_admin(client, make_user):
    beheerder, other = make_user(Role.BEHEERDER), make_user(Role.VNG_MEDEWERKER)
    device, _backup, _secrets_ = _secrets(other)
    client.force_login(beheerder)
    assert client.post(f"/beheer/accounts/authenticatorapp/{device.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=other).exists()


def test_admin_labels_are_dutch(client, make_user):
    beheerder = make_user(Role.BEHEERDER)
    client.force_login(beheerder)
    for url in [
        "/beheer/",
        "/beheer/axes/accessattempt/",
        "/beheer/axes/accesslog/",
        "/beheer/axes/accessfailurelog/",
        f"/beheer/accounts/user/{beheerder.pk}/change/",
        "/beheer/auth/group/1/change/",
    ]:
        html = re.sub(r"<script.*?</script>", "", client.get(url).content.decode(), flags=re.S)
        assert not [word for word in ENGLISH if word in html], url
    assert "Mislukte inlogpogingen (blokkades)" in client.get("/beheer/").content.decode()
