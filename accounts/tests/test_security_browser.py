"""Two-factor setup and the lockout page in a real browser (headless Chromium)."""

import base64

from django_otp.oath import totp

from accounts.roles import Role


def test_beheerder_sets_up_two_factor_and_then_uses_the_app(page, browser_login, make_user, screenshot, settings):
    settings.TWO_FACTOR_REQUIRED = True
    browser_login(make_user(Role.BEHEERDER))
    assert page.url.endswith("/tweestapsverificatie/instellen/")
    page.get_by_role("button", name="Volgende").click()
    secret = page.locator("a[href^='otpauth://']").inner_text().strip()
    qr_code = page.locator("img[src='/tweestapsverificatie/qrcode/']")
    qr_code.evaluate("img => img.decode()")
    assert qr_code.evaluate("img => img.naturalWidth") > 0
    screenshot("qr-code")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.locator("input[name='generator-token']").fill(f"{totp(key, step=30, t0=0, digits=6):06d}")
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_load_state()
    assert "/tweestapsverificatie/instellen/klaar/" in page.url
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text() == "Landelijk dashboard"


def test_repeated_wrong_passwords_show_the_dutch_lockout_page(page, browser_login, make_user, settings, screenshot):
    user = make_user(Role.REGIO_ADVISEUR)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        browser_login(user, password="fout-wachtwoord")
    assert page.get_by_role("heading", level=1).inner_text() == "Inloggen tijdelijk geblokkeerd"
    assert "Probeer het over 15 minuten opnieuw" in page.get_by_role("alert").inner_text()
    screenshot("geblokkeerd")
