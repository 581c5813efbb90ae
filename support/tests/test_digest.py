"""The monthly digest to VNG staff: who gets it and what it says."""

from datetime import date, timedelta

import pytest
from django.core import mail

from accounts.roles import Role
from regions.tests.factories import RegionFactory
from support.services import monthly_digest_send
from support.tests.factories import SupportActionFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 1)


def test_digest_goes_to_active_vng_staff_with_the_months_changes(make_user):
    vng = make_user(Role.VNG_MEDEWERKER, email="vng@example.org")
    make_user(Role.VNG_MEDEWERKER, email="")
    make_user(Role.VNG_MEDEWERKER, email="weg@example.org", is_active=False)
    make_user(Role.REGIO_ADVISEUR, email="adviseur@example.org")
    make_user(Role.BEHEERDER, email="beheer@example.org")
    up, down, new = RegionFactory(name="Regio Opwaarts"), RegionFactory(name="Regio Neerwaarts"), RegionFactory(name="Regio Nieuw")
    SupportActionFactory(region=down, next_step="Planning aanleveren", next_step_due=TODAY - timedelta(days=5), vng_staff=vng)
    SupportActionFactory(region=up, next_step="Nog niet laat", next_step_due=TODAY + timedelta(days=5), vng_staff=vng)
    SupportActionFactory(region=up, next_step="Al afgerond", next_step_due=TODAY - timedelta(days=5), status="afgerond", vng_staff=vng)

    sent = monthly_digest_send(
        moved_up=[up],
        moved_down=[down],
        new_lagging={new: "Twee afspraken niet gestart"},
        today=TODAY,
        dashboard_url="https://nvo.example.nl/dashboard/?maand=2026-11",
    )

    assert sent == 1
    (message,) = mail.outbox
    assert message.to == ["vng@example.org"]
    assert message.subject == "NvO-dashboard november 2026: 1 vooruit, 1 achteruit, 1 nieuwe achterblijver"
    text = message.body
    assert "Vooruitgegaan (1):\n- Regio Opwaarts" in text
    assert "Achteruitgegaan (1):\n- Regio Neerwaarts" in text
    assert "Nieuwe achterblijvers (1):\n- Regio Nieuw: Twee afspraken niet gestart" in text
    assert "Vervolgstappen over de datum (1):\n- Regio Neerwaarts: Planning aanleveren (uiterlijk 27 oktober 2026" in text
    assert "Nog niet laat" not in text and "Al afgerond" not in text
    assert "https://nvo.example.nl/dashboard/?maand=2026-11" in text
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<a href="https://nvo.example.nl/dashboard/?maand=2026-11">' in html
    assert "<li>Regio Nieuw: Twee afspraken niet gestart</li>" in html


def test_digest_without_changes_says_so(make_user):
    make_user(Role.VNG_MEDEWERKER, email="vng@example.org")
    monthly_digest_send(moved_up=[], moved_down=[], new_lagging={}, today=TODAY, dashboard_url="https://x.nl/dashboard/")
    (message,) = mail.outbox
    assert message.subject == "NvO-dashboard november 2026: 0 vooruit, 0 achteruit, 0 nieuwe achterblijvers"
    assert message.body.count("- geen") == 4


def test_digest_without_recipients_sends_nothing(make_user):
    assert monthly_digest_send(moved_up=[], moved_down=[], new_lagging={}, today=TODAY, dashboard_url="/") == 0
    assert mail.outbox == []
