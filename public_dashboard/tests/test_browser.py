"""In the browser: VNG releases last month on the dashboard, an anonymous visitor then sees it at /openbaar/,
and this month stays private until it is released too."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.utils.formats import date_format

from accounts.roles import Role
from agreements.models import AgreementStatus, Status
from agreements.services import status_update
from core.dates import months_earlier
from dashboard.services import dashboard_rebuild


@pytest.fixture
def two_months(reference_data, this_month, make_user, settings):
    """Zeeland: agreement 1 In voorbereiding since two months ago, In uitvoering since this month."""
    settings.PUBLIC_DASHBOARD = True
    adviser = make_user(Role.BEHEERDER)
    zeeland = AgreementStatus.objects.get(region__name="Zeeland", agreement__number=1)
    earlier = datetime.combine(months_earlier(this_month, 2), time(12), tzinfo=ZoneInfo("Europe/Amsterdam"))
    for version, (status, moment) in enumerate([(Status.IN_VOORBEREIDING, earlier), (Status.IN_UITVOERING, None)], start=1):
        status_update(
            agreement_status=AgreementStatus.objects.get(pk=zeeland.pk),
            expected_version=version,
            user=adviser,
            status=status,
            criteria_met=[],
            explanation=f"Stap {version} voor iedereen",
            explanation_public=True,
            evidence_links=[],
            changed_at=moment,
        )
    dashboard_rebuild(month=months_earlier(this_month, 1))
    dashboard_rebuild(month=this_month)


def _zeeland_agreement_1(tab) -> str:
    return tab.get_by_role("row", name="1. Regiovisie").inner_text()


def test_a_released_month_is_public_and_the_next_stays_private(
    page, browser, live_server, browser_login, make_user, two_months, this_month
):
    last = months_earlier(this_month, 1)
    visitors = []

    def new_visitor():
        """A browser of its own: the one before may keep a public page for PUBLIC_MAX_AGE seconds, as intended."""
        visitors.append(browser.new_context(base_url=live_server.url, locale="nl-NL"))
        return visitors[-1].new_page()

    visitor = new_visitor()
    try:
        visitor.goto("/openbaar/")
        assert "Er is nog geen maand gepubliceerd" in visitor.locator("main").inner_text()

        browser_login(make_user(Role.VNG_MEDEWERKER))
        page.goto(f"/dashboard/?maand={last:%Y-%m}")
        assert "Niet openbaar" in page.locator(".release").inner_text()
        page.get_by_role("button", name="Publiceren").click()
        assert "is gepubliceerd" in page.locator(".messages").inner_text()
        assert "Gepubliceerd" in page.locator(".release").inner_text()
        page.goto("/dashboard/")  # this month: still private
        assert "Niet openbaar" in page.locator(".release").inner_text()

        visitor = new_visitor()
        visitor.goto("/openbaar/")
        dates = visitor.locator(".snapshot-dates").inner_text()
        assert date_format(last, "F Y") in dates and "Peildatum" in dates
        visitor.get_by_role("link", name="Zeeland", exact=True).first.click()
        row = _zeeland_agreement_1(visitor)
        assert "In voorbereiding" in row and "Stap 1 voor iedereen" in row
        assert "In uitvoering" not in row and "Stap 2" not in row  # this month's change is not public yet

        page.goto("/dashboard/")
        page.get_by_role("button", name="Publiceren").click()
        assert "is gepubliceerd" in page.locator(".messages").inner_text()
        visitor = new_visitor()
        visitor.goto("/openbaar/regio/zeeland/")
        assert date_format(this_month, "F Y") in visitor.locator(".snapshot-dates").inner_text()
        assert "In uitvoering" in _zeeland_agreement_1(visitor)
    finally:
        for context in visitors:
            context.close()
