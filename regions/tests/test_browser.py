"""Finding a gemeente's region in a real browser, with the autocomplete."""

import pytest

from accounts.roles import Role
from accounts.tests.factories import FACTORY_PASSWORD
from regions.models import Region


def test_user_types_part_of_a_name_picks_a_suggestion_and_sees_the_region_on_the_map(
    page, browser_login, make_user, reference_data, screenshot
):
    browser_login(make_user(Role.REGIO_GEBRUIKER))
    field = page.get_by_role("search", name="Gemeente zoeken").get_by_label("Gemeente")
    field.press_sequentially("schouw")
    suggestion = page.locator("#kop-suggesties option")
    suggestion.first.wait_for(state="attached")
    assert suggestion.first.get_attribute("value") == "Schouwen-Duiveland"
    assert suggestion.first.get_attribute("label") == "Zeeland"

    field.fill("Schouwen-Duiveland")
    field.press("Enter")
    answer = page.locator(".municipality-answer")
    sentence = "Schouwen-Duiveland valt in regio Zeeland (centrumgemeente Vlissingen)"
    assert " ".join(answer.inner_text().split()) == sentence
    tile = page.locator(".nvo-tile--highlight")
    assert tile.count() == 1
    assert "Zeeland" in tile.inner_text() and "Schouwen-Duiveland ligt hier" in tile.inner_text()
    assert page.locator(".nvo-tile-map__tile").count() == Region.objects.count()
    screenshot("kaart")


@pytest.mark.browser
def test_den_bosch_finds_s_hertogenbosch_without_javascript(browser, live_server, transactional_db, make_user, reference_data):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="nl-NL")
    tab = context.new_page()
    user = make_user(Role.VNG_MEDEWERKER)
    tab.goto("/inloggen/")
    tab.get_by_label("Gebruikersnaam").fill(user.username)
    tab.get_by_label("Wachtwoord").fill(FACTORY_PASSWORD)
    tab.get_by_role("button", name="Inloggen").click()
    tab.get_by_role("search", name="Gemeente zoeken").get_by_label("Gemeente").fill("den bosch")
    tab.get_by_role("button", name="Zoeken").click()
    assert "'s-Hertogenbosch valt in regio Meierij-Bommelerwaard (centrumgemeente 's-Hertogenbosch)" in " ".join(
        tab.locator(".municipality-answer").inner_text().split()
    )
    context.close()
