import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils.html import escape

from accounts.roles import Role
from agreements.models import Agreement, AgreementStatus, Status
from agreements.services import statuses_ensure_all
from core.dates import months_earlier
from dashboard.models import SnapshotRegion
from dashboard.services import dashboard_rebuild
from regions.models import ContactPerson, Region
from regions.tests.factories import ContactPersonFactory, RegionFactory

pytestmark = pytest.mark.django_db

PAGES = ["dashboard:index", "dashboard:trend", "dashboard:lagging"]


def _more_regions(count: int):
    """`count` more regions, further along on every agreement, and an aanspreekpunt for every region."""
    new = RegionFactory.create_batch(count)
    statuses_ensure_all()
    AgreementStatus.objects.filter(region__in=new).update(status=Status.IN_UITVOERING)
    for region in Region.objects.filter(contacts=None):
        ContactPersonFactory(region=region)


def test_every_role_sees_the_dashboard_pages_and_vng_the_achterblijvers(built, make_user, client):
    for role in Role:
        client.force_login(make_user(role))
        for name in PAGES:
            vng_only = name == "dashboard:lagging" and role not in (Role.BEHEERDER, Role.VNG_MEDEWERKER)
            assert client.get(reverse(name)).status_code == (403 if vng_only else 200), (role, name)


def test_anonymous_visitors_are_sent_to_the_login_page(built, client):
    for url in ["/dashboard/", "/dashboard/trend/", "/dashboard/achterblijvers/", "/afspraken/1/verder/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/inloggen/")


def test_the_matrix_shows_status_as_text_score_share_and_what_changed(built, make_user, client):
    client.force_login(make_user(Role.REGIO_GEBRUIKER))
    page = client.get("/dashboard/").content.decode()
    assert '<th scope="row"><a href="/regios/zeeland/">Zeeland</a></th>' in page
    assert (
        '<td class="status status-4"><a href="/regios/zeeland/#afspraak-3" title="Gerealiseerd, nog niet gevraagd">'
        '<span aria-hidden="true">GR</span><span class="matrix-afstemming matrix-afstemming--niet_gevraagd" aria-hidden="true">–</span>'
        '<span class="nvo-visually-hidden">Zeeland, afspraak 3: Gerealiseerd, nog niet gevraagd</span></a></td>'
    ) in page
    assert page.count('class="status status-') == Region.objects.count() * Agreement.objects.count() + 5  # cells, legend
    one_region = f"{100 / Region.objects.count():.1f}".replace(".", ",")
    assert f'<td class="share">{one_region}%</td>' in page
    assert '<a href="/regios/zeeland/">Zeeland</a>: score 0 → 4 (+4)' in page
    assert "Peildatum" in page and "Laatst ververst" in page


def test_the_changes_name_the_ten_regions_that_rose_most_and_count_them_all(reference_data, this_month, make_user, client):
    dashboard_rebuild(month=months_earlier(this_month, 1))
    risers = list(Region.objects.order_by("name")[:12])
    AgreementStatus.objects.filter(region__in=risers, agreement__number=1).update(status=Status.IN_UITVOERING)
    AgreementStatus.objects.filter(region=risers[-1], agreement__number=2).update(status=Status.IN_UITVOERING)
    dashboard_rebuild(month=this_month)
    client.force_login(make_user(Role.VNG_MEDEWERKER))
    changes = client.get("/dashboard/").content.decode().split("Gestegen (12)")[1].split("Gedaald")[0]
    assert "De 10 grootste stijgers:" in changes and changes.count("<li>") == 10
    most = f'<a href="/regios/{risers[-1].slug}/">{escape(risers[-1].name)}</a>: score 0 → 6 (+6)</li>'
    assert changes.split("<li>")[1].startswith(most)  # the most first
    assert escape(risers[-2].name) not in changes  # of the 11 risers of +3, the last two by name are left out


def test_a_past_month_is_shown_from_its_own_snapshot(built, make_user, client, this_month):
    client.force_login(make_user(Role.VNG_MEDEWERKER))
    previous = months_earlier(this_month, 1)
    page = client.get(f"/dashboard/?maand={previous:%Y-%m}").content.decode()
    assert 'class="status status-4"' not in page.split("<tbody>")[1]  # no matrix cell realised
    assert f'<option value="{previous:%Y-%m}" selected>' in page


@pytest.mark.parametrize(
    "maand, status, message",
    [
        ("2019-01", 404, "Voor jan 2019 is geen dashboard gebouwd"),
        ("2026-13", 400, "is geen geldige maand"),
        ("'; drop table", 400, "is geen geldige maand"),
    ],
)
def test_a_month_without_snapshot_or_invalid_gets_a_dutch_message(built, make_user, client, maand, status, message):
    client.force_login(make_user(Role.VNG_MEDEWERKER))
    response = client.get("/dashboard/", {"maand": maand})
    assert response.status_code == status
    assert message in response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_before_the_first_rebuild_the_pages_say_so(reference_data, make_user, client, name):
    client.force_login(make_user(Role.VNG_MEDEWERKER))
    assert "Er is nog geen dashboard gebouwd" in client.get(reverse(name)).content.decode()


def test_lagging_page_states_the_rule_and_the_reason_per_region(built, make_user, client):
    client.force_login(make_user(Role.VNG_MEDEWERKER))
    page = client.get("/dashboard/achterblijvers/").content.decode()
    assert "laagste kwartiel" in page and "laatste 3" in page
    assert "Score 0 van 32 valt in het laagste kwartiel van het land (grens 0)." in page
    assert '<th scope="row">Zeeland</th>' not in page


def test_trend_page_has_an_svg_chart_and_a_table_per_agreement_and_nationally(built, make_user, client):
    client.force_login(make_user(Role.REGIO_GEBRUIKER))
    page = client.get("/dashboard/trend/").content.decode()
    assert page.count("<svg") == 9 and page.count("<table") == 9
    assert 'aria-labelledby="landelijk-svg-titel landelijk-svg-uitleg"' in page
    one_region = f"{100 / Region.objects.count():.1f}".replace(".", ",")
    assert f"<td>1 ({one_region}%)</td>" in page  # Zeeland realised agreement 3


def test_peers_page_lists_regions_further_along_with_their_ambtelijk_aanspreekpunt(built, make_user, client):
    zeeland = Region.objects.get(name="Zeeland")
    ContactPersonFactory(region=zeeland, name="Ada Ambtelijk", email="ada@example.org")
    ContactPersonFactory(region=zeeland, kind=ContactPerson.Kind.BESTUURLIJK, name="Bert Bestuurlijk")
    client.force_login(make_user(Role.REGIO_GEBRUIKER))

    page = client.get("/afspraken/3/verder/", {"regio": "regio-utrecht-u16"}).content.decode()
    assert '<a href="/regios/zeeland/#afspraak-3">Zeeland</a>' in page and "Ada Ambtelijk" in page and "ada@example.org" in page
    assert "Bert Bestuurlijk" not in page
    assert page.count('<li class="nvo-peer">') == 1
    assert "Geen regio's die op deze afspraak verder zijn." in client.get("/afspraken/3/verder/", {"regio": zeeland.slug}).content.decode()
    assert client.get("/afspraken/3/verder/", {"regio": "bestaat-niet"}).status_code == 404
    assert client.get("/afspraken/9/verder/").status_code == 404
    client.force_login(make_user())  # signed in, but without a role: no page, no personal data
    response = client.get("/afspraken/3/verder/")
    assert response.status_code == 403 and "Ada Ambtelijk" not in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/",
        "/dashboard/trend/",
        "/dashboard/achterblijvers/",
        "/afspraken/3/verder/",
        "/afspraken/3/verder/?regio=zeeland",
    ],
)
def test_each_page_runs_a_fixed_number_of_queries_whatever_the_number_of_regions(
    reference_data, make_user, client, django_assert_max_num_queries, this_month, url
):
    client.force_login(make_user(Role.VNG_MEDEWERKER))

    def count_queries(extra_regions):
        _more_regions(extra_regions)
        for back in range(3):
            dashboard_rebuild(month=months_earlier(this_month, back))
        cache.clear()  # both counts with cold caches (demo banner, rendered fragments)
        with django_assert_max_num_queries(16) as counted:  # incl. the session save; cold: matrix + map fragments
            assert client.get(url).status_code == 200
        return len(counted.captured_queries)

    assert count_queries(5) == count_queries(30)


def test_the_rebuild_runs_a_fixed_number_of_queries(reference_data, django_assert_max_num_queries, this_month):
    def count_queries(extra_regions):
        _more_regions(extra_regions)
        dashboard_rebuild(month=months_earlier(this_month, 1))  # so that each measured run replaces a snapshot
        # 34 with the division of the peildatum (two queries), one probe of the afstemming at the month's start, the check
        # that the month is not released and full_clean's check of the release constraint
        with django_assert_max_num_queries(34) as counted:
            dashboard_rebuild(month=months_earlier(this_month, 1))
        return len(counted.captured_queries)

    assert count_queries(5) == count_queries(30)


def test_the_map_colours_every_region_by_total_score_or_by_one_agreement(built, make_user, client):
    client.force_login(make_user(Role.VNG_MEDEWERKER))
    zeeland = Region.objects.get(name="Zeeland")
    page = client.get("/dashboard/").content.decode()
    assert page.count('class="nvo-tile-map__link"') == Region.objects.count()
    assert f'<a class="nvo-tile-map__link" href="/regios/{zeeland.slug}/">' in page
    assert "Totaalscore per regio (maximaal 32)" in page and "score 4/32" in page  # the value in text, not colour alone
    assert "score 0–7" in page and "score 32</li>" in page  # legend: 5 steps, the last only for all realised

    page = client.get("/dashboard/", {"kaart": "3"}).content.decode()
    assert "Status per regio op Afspraak 3:" in page
    assert page.count("nvo-tile-map__tile--") // 2 == Region.objects.count() and page.count("nvo-status-4") == 2  # tile + legend
    assert '<option value="3" selected>' in page
    assert '<input type="hidden" name="kaart" value="3">' in page  # a change of month keeps the map

    page = client.get("/dashboard/", {"kaart": "99"}).content.decode()
    assert '<option value="totaal" selected>' in page


def _region_order(page: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/regios/[^/]+/">([^<]+)</a></th>', page.split("<tbody>")[1].split("</tbody>")[0])


def test_the_matrix_sorts_by_region_score_or_agreement_and_falls_back_on_junk(built, make_user, client):
    client.force_login(make_user(Role.VNG_MEDEWERKER))
    by_name = _region_order(client.get("/dashboard/").content.decode())
    assert by_name == [escape(name) for name in Region.objects.order_by("name").values_list("name", flat=True)]
    by_score = _region_order(client.get("/dashboard/", {"sorteer": "score"}).content.decode())
    assert by_score[-1] == "Zeeland"  # the only region that scored: lowest first
    by_agreement = client.get("/dashboard/", {"sorteer": "afspraak-3"}).content.decode()
    assert _region_order(by_agreement)[-1] == "Zeeland" and 'aria-sort="ascending"><a href="?maand=' in by_agreement
    for junk in ("afspraak-9", "drop table", "x" * 5000):
        response = client.get("/dashboard/", {"sorteer": junk})
        assert response.status_code == 200 and _region_order(response.content.decode()) == by_name
    assert client.get("/dashboard/", {"sorteer": "score\x00"}).status_code == 400  # NUL: refused before any view


def test_the_matrix_names_the_eight_agreements_in_text(built, make_user, client):
    client.force_login(make_user(Role.REGIO_GEBRUIKER))
    page = client.get("/dashboard/").content.decode()
    key = page.split('<ol class="agreement-key"')[1].split("</ol>")[0]
    for agreement in Agreement.objects.all():
        assert f"<strong>A{agreement.number}</strong> {escape(agreement.title)}</li>" in key
    assert "/dashboard/achterblijvers/" not in page  # a regio role may not use that page, so it is not linked


def test_achterblijvers_link_each_region_and_offer_to_record_an_action(built, make_user, client):
    client.force_login(make_user(Role.VNG_MEDEWERKER))
    page = client.get("/dashboard/achterblijvers/").content.decode()
    lagging = SnapshotRegion.objects.filter(snapshot=built).exclude(lagging_reason="").select_related("region")
    assert lagging.exists()
    for row in lagging:
        assert f'<a href="/regios/{row.region.slug}/">{escape(row.region.name)}</a>' in page
        assert f'<a href="/regios/{row.region.slug}/ondersteuning/nieuw/">Actie vastleggen' in page
