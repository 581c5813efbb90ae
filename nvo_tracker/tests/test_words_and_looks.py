"""Words and looks (issue 16): the help page and its contact address, the two-factor pages in formal Dutch, NL Design
System controls, one link colour, a favicon and a logo slot, and a header that lines up with the content."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role
from dashboard.services import dashboard_rebuild

INFORMAL = re.compile(r"\b(je|jij|jouw|jou|jezelf)\b", re.IGNORECASE)


def _text(html: str) -> str:
    """The words a reader sees: no tags, scripts or attributes."""
    return re.sub(r"<[^>]+>", " ", html.split("<main", 1)[1].split("</main>")[0])


@pytest.fixture
def vng(client, make_user, db):
    user = make_user(Role.VNG_MEDEWERKER)
    client.force_login(user)
    return user


def test_help_page_explains_the_dashboard_and_gives_the_contact_address(client, vng, settings):
    settings.CONTACT_EMAIL = "nvo-vragen@vng.example.nl"
    page = client.get(reverse("dashboard:about")).content.decode()
    for heading in ("Wat is de peildatum?", "Wanneer en hoe wordt het dashboard ververst?", "Hoe werkt de score?"):
        assert heading in page
    assert "Wanneer is een regio een achterblijver?" in page and "Wie houdt de gegevens bij?" in page
    assert '<a href="mailto:nvo-vragen@vng.example.nl">nvo-vragen@vng.example.nl</a>' in page
    settings.CONTACT_EMAIL = ""
    assert "mailto:" not in _text(client.get(reverse("dashboard:about")).content.decode())


def test_help_page_is_linked_from_the_footer_and_the_dashboard(client, vng, reference_data):
    dashboard_rebuild(month=timezone.localdate().replace(day=1))
    for url in (reverse("pages:region_list"), reverse("dashboard:index")):
        assert client.get(url).content.decode().count(f'href="{reverse("dashboard:about")}"') == (2 if "dashboard" in url else 1)
    client.logout()
    assert reverse("dashboard:about") not in client.get(reverse("login")).content.decode()  # not linked where it cannot open


def test_contact_email_and_logo_are_read_through_the_env_helper_with_a_help_text():
    from nvo_tracker import settings as project_settings

    assert "CONTACT_EMAIL" in project_settings.env.help and "LOGO_STATIC_PATH" in project_settings.env.help


@pytest.mark.parametrize("with_device", [False, True])
def test_two_factor_pages_say_tweestapsverificatie_and_u(client, vng, with_device):
    urls = [reverse("two_factor:profile")]
    if with_device:  # signed in with the second step, as the reserve-code and switch-off pages demand
        device = TOTPDevice.objects.create(user=vng, name="default", confirmed=True)
        StaticDevice.objects.create(user=vng, name="backup")
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        urls += [reverse("two_factor:backup_tokens"), reverse("two_factor:disable"), reverse("two_factor:setup_complete")]
    else:
        urls += [reverse("two_factor:setup")]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code} {response.get('Location')}"
        html = response.content.decode()
        words = _text(html)
        assert "authenticatie" not in words.lower(), url
        assert not INFORMAL.search(words), f"{url}: {INFORMAL.search(words)}"
        assert "Tweestapsverificatie" in words or "reservecodes" in words.lower(), url
        assert 'class="btn' not in html, url  # NL Design System buttons, not Bootstrap's
    if not with_device:  # the wizard's next step: scan the QR code and type the code
        step = client.post(reverse("two_factor:setup"), {"setup_view-current_step": "welcome"}).content.decode()
        assert "utrecht-button utrecht-button--primary-action" in step and "Volgende" in step
        assert not INFORMAL.search(_text(step)) and "authenticatie" not in _text(step).lower()


def test_every_control_is_an_nl_design_system_control(client, make_user, reference_data):
    dashboard_rebuild(month=timezone.localdate().replace(day=1))
    client.force_login(make_user(Role.BEHEERDER))
    dashboard = client.get(reverse("dashboard:index")).content.decode()
    peers = client.get(reverse("agreements:peers", kwargs={"number": 2})).content.decode()
    upload = client.get(reverse("agreements:status_import")).content.decode()
    for html in (dashboard, peers, upload):
        assert not re.search(r"<select(?![^>]*utrecht-select)", html)
        assert not re.search(r"<button(?![^>]*utrecht-button)", html)
    assert 'class="nvo-file-input"' in upload and "utrecht-form-label" in upload


def test_favicon_and_a_logo_slot(client, vng, settings):
    page = client.get(reverse("pages:region_list")).content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page
    assert "site-title__logo" not in page
    settings.LOGO_STATIC_PATH = "img/favicon.svg"
    assert (
        '<img class="site-title__logo" src="/static/img/favicon.svg" alt="">' in client.get(reverse("pages:region_list")).content.decode()
    )


# Links that carry their own colour on purpose: status cells and map tiles (text on a status colour), buttons.
OWN_COLOUR = ".matrix td.status a, .nvo-tile-map__link, .utrecht-button-link, .skip-link, .site-header a, .site-nav a"


@pytest.mark.parametrize("width", [1280, 360])
def test_one_link_colour_and_a_header_aligned_with_the_content(page, browser_login, make_user, reference_data, width):
    dashboard_rebuild(month=timezone.localdate().replace(day=1))
    page.set_viewport_size({"width": width, "height": 900})
    browser_login(make_user(Role.VNG_MEDEWERKER))
    for url in (reverse("dashboard:index"), reverse("pages:region_detail", kwargs={"slug": "zeeland"}), reverse("dashboard:about")):
        page.goto(url)
        colours = page.evaluate(
            f"""() => [...new Set([...document.querySelectorAll('main a[href], footer a[href]')]
                .filter(a => !a.matches('{OWN_COLOUR}') && a.getClientRects().length)
                .map(a => getComputedStyle(a).color))]"""
        )
        assert colours == ["rgb(11, 79, 108)"], f"{url}: {colours}"  # --nvo-color-primary, #0b4f6c
        title = page.locator(".site-title").bounding_box()["x"]
        heading = page.locator("h1").bounding_box()["x"]
        assert abs(title - heading) <= 1, f"{url}: header at {title}px, content at {heading}px"
