"""The account pages end to end in headless Chromium: mail over real SMTP, sign-in through a real OIDC provider."""

import pytest

from accounts.models import User
from accounts.roles import Role
from accounts.tests.conftest import Mailbox
from regions.tests.factories import RegionFactory

NEW_PASSWORD = "Zonnige-Dijk-2026!"  # noqa: S105 - test value


def _choose_password(page, password=NEW_PASSWORD):
    page.get_by_label("Nieuw wachtwoord", exact=True).fill(password)
    page.get_by_label("Nieuw wachtwoord bevestigen").fill(password)


def test_beheerder_invites_a_regio_adviseur_who_sets_a_password_and_sees_exactly_their_regions(
    page, browser, live_server, browser_login, make_user, smtp_server, settings, screenshot
):
    settings.SITE_URL = live_server.url
    zeeland, breda, _other = RegionFactory(name="Zeeland"), RegionFactory(name="West-Brabant"), RegionFactory()
    browser_login(make_user(Role.BEHEERDER))
    page.get_by_role("link", name="Gebruikers").click()
    page.get_by_role("link", name="Gebruiker uitnodigen").click()
    page.get_by_label("Voornaam").fill("Fleur")
    page.get_by_label("Achternaam").fill("de Vries")
    page.get_by_label("E-mailadres").fill("fleur.devries@example.org")
    page.get_by_label("Regio-adviseur").check()
    page.get_by_label("Zeeland").check()
    page.get_by_label("West-Brabant").check()
    screenshot("uitnodigen")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    assert "De uitnodiging is verstuurd naar fleur.devries@example.org" in page.get_by_role("status").first.inner_text()
    assert "Uitgenodigd" in page.get_by_role("row", name="Fleur de Vries").inner_text()

    mail = smtp_server.wait_for(1)
    assert mail["To"] == "fleur.devries@example.org"
    assert mail["Subject"] == "Uitnodiging voor NvO Tracker"
    link = Mailbox.link(mail)

    invitee = browser.new_context(base_url=live_server.url, locale="nl-NL").new_page()
    invitee.goto(link)
    assert invitee.get_by_role("heading", level=1).inner_text() == "Welkom bij NvO Tracker"
    _choose_password(invitee, "kort")
    invitee.get_by_role("button", name="Wachtwoord instellen").click()
    assert "te kort" in invitee.locator(".utrecht-form-field-error-message").first.inner_text()
    _choose_password(invitee)
    invitee.get_by_role("button", name="Wachtwoord instellen").click()
    assert invitee.get_by_role("heading", level=1).inner_text() == "Mijn regio's"
    names = invitee.locator("main table tbody tr td:first-child").all_inner_texts()
    assert sorted(names) == ["West-Brabant", "Zeeland"]

    invitee.get_by_role("button", name="Uitloggen").click()
    assert invitee.get_by_role("heading", level=1).inner_text() == "U bent uitgelogd"
    invitee.goto("/inloggen/")
    invitee.get_by_label("Gebruikersnaam").fill("fleur.devries@example.org")
    invitee.get_by_label("Wachtwoord").fill(NEW_PASSWORD)
    invitee.get_by_role("button", name="Inloggen").click()
    assert invitee.get_by_role("heading", level=1).inner_text() == "Mijn regio's"

    invitee.goto(link)  # used once: a Dutch page that offers a new link, nothing changes
    assert invitee.get_by_role("heading", level=1).inner_text() == "Deze link werkt niet meer"
    assert invitee.get_by_role("link", name="Vraag een nieuwe link aan").is_visible()
    user = User.objects.get(email="fleur.devries@example.org")
    assert user.is_active and set(user.regions.all()) == {zeeland, breda}
    invitee.context.close()


def test_user_resets_a_forgotten_password_through_the_mail(page, live_server, make_user, smtp_server, settings, screenshot):
    settings.SITE_URL = live_server.url
    user = make_user(Role.REGIO_GEBRUIKER, email="vergeetachtig@example.org")
    page.goto("/inloggen/")
    page.get_by_role("link", name="Wachtwoord vergeten?").click()
    page.get_by_label("E-mailadres").fill("Vergeetachtig@example.org")
    page.get_by_role("button", name="Link versturen").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Controleer uw e-mail"

    mail = smtp_server.wait_for(1)
    assert mail["To"] == "vergeetachtig@example.org"
    page.goto(Mailbox.link(mail))
    assert page.get_by_role("heading", level=1).inner_text() == "Nieuw wachtwoord kiezen"
    _choose_password(page)
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Uw nieuwe wachtwoord is opgeslagen"
    screenshot("wachtwoord-hersteld")

    page.get_by_role("link", name="Inloggen").last.click()
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Mijn regio's"


def test_signed_in_user_changes_password_and_own_details(page, browser_login, make_user):
    user = make_user(Role.VNG_MEDEWERKER)
    browser_login(user)
    page.get_by_role("link", name="mijn gegevens").click()
    page.get_by_label("Achternaam").fill("Jansen-de Boer")
    page.get_by_role("button", name="Opslaan").click()
    assert "Uw gegevens zijn opgeslagen." in page.get_by_role("status").first.inner_text()
    page.get_by_role("link", name="Wachtwoord wijzigen").click()
    page.get_by_label("Oud wachtwoord").fill("test-wachtwoord-123")
    _choose_password(page)
    page.get_by_role("button", name="Wachtwoord wijzigen").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Uw wachtwoord is gewijzigd"
    user.refresh_from_db()
    assert user.last_name == "Jansen-de Boer" and user.check_password(NEW_PASSWORD)


def _sign_in_at_provider(page, login: str):
    page.get_by_role("link", name="Inloggen met uw organisatieaccount").click()
    page.locator("input[name='login']").fill(login)
    page.locator("input[name='password']").fill("wat-dan-ook")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("typed", ["adviseur@gemeente.example", "Adviseur@Gemeente.example"])
def test_sign_in_with_the_organisation_account_against_a_real_provider(page, oidc_enabled, make_user, regions_two, typed):
    user = make_user(Role.REGIO_ADVISEUR, [regions_two[0]], email="adviseur@gemeente.example")
    page.goto("/inloggen/")
    _sign_in_at_provider(page, typed)
    assert page.get_by_role("heading", level=1).inner_text() == "Mijn regio's"
    assert page.locator("main table tbody tr td:first-child").all_inner_texts() == [regions_two[0].name]
    user.refresh_from_db()
    assert user.last_login is not None and user.groups.get().name == Role.REGIO_ADVISEUR


@pytest.mark.parametrize("login", ["onbekend@gemeente.example", "weg@gemeente.example"])
def test_unknown_or_deactivated_address_at_the_provider_is_refused_in_dutch(page, oidc_enabled, make_user, login, screenshot):
    make_user(Role.REGIO_GEBRUIKER, email="weg@gemeente.example", is_active=False)
    page.goto("/inloggen/")
    _sign_in_at_provider(page, login)
    assert page.get_by_role("heading", level=1).inner_text() == "Inloggen"
    assert "Er is geen actief account met het e-mailadres van uw organisatieaccount" in page.locator(".messages").inner_text()
    screenshot("geweigerd")
    page.goto("/mijn-regios/")
    assert page.url.endswith("/inloggen/?next=/mijn-regios/")
    assert User.objects.count() == 1  # no self-registration


@pytest.fixture
def regions_two(db):
    return [RegionFactory(name="Zuid-Limburg"), RegionFactory(name="Twente")]
