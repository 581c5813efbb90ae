"""The public dashboard: only released months, never personal data, cached whole, robust against any query string."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.roles import Role
from agreements.models import AgreementStatus, Status
from agreements.services import status_update
from core.dates import months_earlier
from dashboard.models import DashboardSnapshot
from dashboard.selectors import released_snapshot_forget
from dashboard.services import dashboard_rebuild, snapshot_release
from public_dashboard.views import pages
from regions.models import ContactPerson, Region
from regions.tests.factories import ContactPersonFactory, RegionFactory
from support.models import SupportAction

PUBLIC_URLS = ["/openbaar/", "/openbaar/trend/", "/openbaar/regio/zeeland/", "/openbaar/afspraak/3/"]


def _fresh_process():
    """No page in the cache and nothing in this process's memory: as a process that just started."""
    cache.clear()
    released_snapshot_forget()
    pages.clear()


@pytest.fixture(autouse=True)
def _public_on(settings):
    settings.PUBLIC_DASHBOARD = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def released(reference_data, this_month, make_user, django_capture_on_commit_callbacks):
    """Last month released; this month built (Zeeland realised agreement 3 since) but private."""
    vng = make_user(Role.VNG_MEDEWERKER)
    last = dashboard_rebuild(month=months_earlier(this_month, 1))
    with django_capture_on_commit_callbacks(execute=True):
        snapshot_release(snapshot=last, user=vng)
    AgreementStatus.objects.filter(region__name="Zeeland", agreement__number=3).update(status=Status.GEREALISEERD)
    dashboard_rebuild(month=this_month)
    return vng


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_every_public_page_is_a_404_when_the_setting_is_off(client, settings, released, url):
    settings.PUBLIC_DASHBOARD = False
    assert client.get(url).status_code == 404


def test_without_a_released_month_the_public_page_says_so(client, reference_data, this_month):
    dashboard_rebuild(month=this_month)
    page = client.get("/openbaar/").content.decode()
    assert "Er is nog geen maand gepubliceerd" in page
    assert "Zeeland" not in page


def test_the_public_sees_the_released_month_and_not_the_next(client, released, this_month):
    last = months_earlier(this_month, 1)
    page = client.get("/openbaar/").content.decode()
    assert f"{last:%Y}" in page and "Gepubliceerde maand" in page
    assert "Peildatum" in page
    zeeland = client.get("/openbaar/regio/zeeland/").content.decode()
    assert "Gerealiseerd" not in zeeland.split("3. ")[1].split("</tr>")[0]  # this month's change stays private
    assert 'href="/inloggen/?next=/dashboard/"' in page


def test_a_release_shows_at_once_and_a_withdrawal_falls_back(client, released, this_month, django_capture_on_commit_callbacks):
    from dashboard.services import snapshot_withdraw

    assert client.get("/openbaar/").status_code == 200  # cached now
    current = DashboardSnapshot.objects.get(month=this_month)
    with django_capture_on_commit_callbacks(execute=True):
        snapshot_release(snapshot=current, user=released)
    zeeland = client.get("/openbaar/regio/zeeland/").content.decode()
    assert "Gerealiseerd" in zeeland.split("3. ")[1].split("</tr>")[0]
    with django_capture_on_commit_callbacks(execute=True):
        snapshot_withdraw(snapshot=current, user=released)
    zeeland = client.get("/openbaar/regio/zeeland/").content.decode()
    assert "Gerealiseerd" not in zeeland.split("3. ")[1].split("</tr>")[0]


def test_the_trend_shows_only_released_months(client, released, this_month):
    dashboard_rebuild(month=months_earlier(this_month, 2))  # built, never released
    page = client.get("/openbaar/trend/").content.decode()
    from dashboard.charts import month_name

    assert month_name(months_earlier(this_month, 1)) in page
    assert month_name(months_earlier(this_month, 2)) not in page
    assert month_name(this_month) not in page


def test_an_explanation_is_public_only_where_ticked_and_as_frozen(client, reference_data, this_month, make_user):
    adviser = make_user(Role.BEHEERDER)
    zeeland = AgreementStatus.objects.get(region__name="Zeeland", agreement__number=1)
    utrecht = AgreementStatus.objects.get(region__name="Achterhoek", agreement__number=1)
    for agreement_status, text, public in ((zeeland, "Openbare uitleg Zeeland", True), (utrecht, "Interne uitleg Achterhoek", False)):
        status_update(
            agreement_status=agreement_status,
            expected_version=agreement_status.version,
            user=adviser,
            status=Status.IN_UITVOERING,
            criteria_met=[],
            explanation=text,
            explanation_public=public,
            evidence_links=[],
        )
    snapshot_release(snapshot=dashboard_rebuild(month=this_month), user=adviser)
    zeeland.refresh_from_db()
    status_update(  # after the snapshot: the public keeps seeing what was frozen
        agreement_status=zeeland,
        expected_version=zeeland.version,
        user=adviser,
        status=Status.IN_UITVOERING,
        criteria_met=[],
        explanation="Later gewijzigd",
        explanation_public=True,
        evidence_links=[],
    )
    assert "Openbare uitleg Zeeland" in client.get("/openbaar/regio/zeeland/").content.decode()
    assert "Later gewijzigd" not in client.get("/openbaar/regio/zeeland/").content.decode()
    assert "Interne uitleg Achterhoek" not in client.get("/openbaar/regio/achterhoek/").content.decode()


def test_a_past_month_freezes_the_explanation_public_at_its_start(client, reference_data, this_month, make_user):
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    adviser = make_user(Role.BEHEERDER)
    zeeland = AgreementStatus.objects.get(region__name="Zeeland", agreement__number=2)
    before = datetime.combine(months_earlier(this_month, 2), time(12), tzinfo=ZoneInfo("Europe/Amsterdam"))
    status_update(
        agreement_status=zeeland,
        expected_version=zeeland.version,
        user=adviser,
        status=Status.NIET_GESTART,
        criteria_met=[],
        explanation="Uitleg van toen",
        explanation_public=True,
        evidence_links=[],
        changed_at=before,
    )
    snapshot_release(snapshot=dashboard_rebuild(month=months_earlier(this_month, 1)), user=adviser)
    assert "Uitleg van toen" in client.get("/openbaar/regio/zeeland/").content.decode()


@pytest.fixture
def demo(reference_data):
    call_command("load_demo_data", stdout=__import__("io").StringIO())


def test_no_public_page_of_any_region_shows_personal_data_or_support(client, settings, demo):
    secrets = set()
    for name, email, phone in ContactPerson.objects.values_list("name", "email", "phone"):
        secrets |= {name, email, phone}
    for summary, next_step in SupportAction.objects.values_list("summary", "next_step"):
        secrets |= {summary, next_step}
    secrets |= set(AgreementStatus.objects.filter(explanation_public=False).exclude(explanation="").values_list("explanation", flat=True))
    secrets.discard("")
    assert len(secrets) > 100  # the demo has contacts, support actions and internal explanations
    urls = ["/openbaar/", "/openbaar/trend/", *(f"/openbaar/afspraak/{n}/" for n in range(1, 9))]
    urls += [f"/openbaar/?kaart={n}" for n in range(1, 9)]
    urls += [f"/openbaar/regio/{slug}/" for slug in Region.objects.values_list("slug", flat=True)]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        leaked = [secret for secret in secrets if secret in html]
        assert not leaked, f"{url} shows {leaked[:3]}"
        assert "@" not in html, url  # no e-mail address of anyone
    # The released month has the demo's public explanations.
    assert any("Volledig gerealiseerd" in client.get(url).content.decode() for url in urls if "/regio/" in url)


def test_a_signed_in_visitor_gets_the_same_page_as_everyone(client, released, make_user):
    user = make_user(Role.VNG_MEDEWERKER, first_name="Geheime", last_name="Naam")
    client.force_login(user)
    signed_in = client.get("/openbaar/")  # rendered (and cached) on this request
    assert "Geheime Naam" not in signed_in.content.decode()
    assert "csrfmiddlewaretoken" not in signed_in.content.decode()
    assert "private" in signed_in["Cache-Control"]
    client.logout()
    anonymous = client.get("/openbaar/")
    assert anonymous.content == signed_in.content


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_pages_may_be_kept_by_shared_caches_and_set_no_cookie(client, released, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert not response.cookies


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_a_cached_public_page_needs_no_query(client, released, url, django_assert_num_queries):
    first = client.get(url)
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == first.content


def _more_regions(count):
    """`count` more regions, further along on every agreement (so they are peers of every region)."""
    from agreements.services import statuses_ensure_all

    new = RegionFactory.create_batch(count, centrum=None)
    statuses_ensure_all()
    AgreementStatus.objects.filter(region__in=new).update(status=Status.IN_UITVOERING)


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_each_public_page_runs_a_fixed_number_of_queries_whatever_the_number_of_regions(
    client, reference_data, this_month, make_user, django_assert_max_num_queries, url
):
    vng = make_user(Role.VNG_MEDEWERKER)

    def count_queries(extra_regions):
        _more_regions(extra_regions)
        DashboardSnapshot.objects.all().delete()
        for back in (2, 1):
            snapshot_release(snapshot=dashboard_rebuild(month=months_earlier(this_month, back)), user=vng)
        _fresh_process()
        with django_assert_max_num_queries(10) as counted:
            assert client.get(url).status_code == 200
        return len(counted.captured_queries)

    assert count_queries(5) == count_queries(30)


def test_contacts_of_a_region_never_reach_its_public_page(client, released):
    contact = ContactPersonFactory(region=Region.objects.get(slug="zeeland"), email="geheim@example.org", phone="06-11112222")
    html = client.get("/openbaar/regio/zeeland/").content.decode()
    assert contact.name not in html and contact.email not in html and contact.phone not in html


@pytest.mark.parametrize("url", ["/openbaar/regio/bestaat-niet/", "/openbaar/afspraak/9/", "/openbaar/afspraak/0/"])
def test_unknown_region_or_agreement_is_a_404(client, released, url):
    assert client.get(url).status_code == 404


JUNK = [
    "kaart=9",
    "kaart=%00",
    "kaart=" + "x" * 5000,
    "pagina=-1",
    "pagina=0",
    "pagina=99999999999999999999",
    "pagina=abc",
    "pagina=1e3",
    "pagina=%00",
    "maand=2099-13",
    "regio=%00&kaart[]=1",
    "%ff=%fe",
    "a=1&a=2&a=3",
    "pagina=2&kaart=totaal",
]


@pytest.mark.parametrize("query", JUNK)
@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_junk_query_strings_never_break_a_public_page(client, released, url, query):
    # A NUL byte anywhere in the query string is refused before any view (Dutch 400); anything else gets the page.
    assert client.get(f"{url}?{query}").status_code == (400 if "%00" in query else 200)


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    key=st.sampled_from(["kaart", "pagina", "maand", "regio", "x"]), value=st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
)
def test_any_query_value_gets_a_page_not_an_error(client, released, key, value):
    response = client.get("/openbaar/", {key: value})
    assert response.status_code == (400 if "\x00" in value else 200)


def test_the_sign_in_page_links_the_public_dashboard_only_when_it_is_on(client, settings, db):
    assert 'href="/openbaar/"' in client.get("/inloggen/").content.decode()
    settings.PUBLIC_DASHBOARD = False
    assert 'href="/openbaar/"' not in client.get("/inloggen/").content.decode()


def test_the_public_region_page_says_per_agreement_whether_the_region_agreed(client, reference_data, this_month, make_user):
    from agreements.services import status_agree

    zeeland = Region.objects.get(slug="zeeland")
    adviser, region_user = make_user(Role.REGIO_ADVISEUR, [zeeland]), make_user(Role.REGIO_GEBRUIKER, [zeeland])
    for number in (1, 2):
        agreement_status = AgreementStatus.objects.get(region=zeeland, agreement__number=number)
        status_update(
            agreement_status=agreement_status,
            expected_version=agreement_status.version,
            user=adviser,
            status=Status.IN_UITVOERING,
            criteria_met=[],
            explanation="",
            evidence_links=[],
        )
    agreed = AgreementStatus.objects.get(region=zeeland, agreement__number=1)
    status_agree(agreement_status=agreed, expected_version=agreed.version, user=region_user)
    snapshot_release(snapshot=dashboard_rebuild(month=this_month), user=make_user(Role.VNG_MEDEWERKER))
    rows = client.get("/openbaar/regio/zeeland/").content.decode().split("<tbody>")[1].split("</tr>")
    assert "Afgestemd" in rows[0] and "Ter afstemming" in rows[1] and "Nog niet gevraagd" in rows[2]


# --- What a process keeps in memory (issue 17): the released month for a bounded time, the pages within a limit. ---


@pytest.fixture
def later(monkeypatch):
    """Moves this process's clock past the bound after which it asks the database for the released month again."""
    from dashboard import selectors

    def move():
        now = selectors.time.monotonic() + selectors.RELEASED_RECHECK_SECONDS + 0.1
        monkeypatch.setattr(selectors.time, "monotonic", lambda: now)

    return move


def _zeeland_realised_3(client) -> bool:
    return "Gerealiseerd" in client.get("/openbaar/regio/zeeland/").content.decode().split("3. ")[1].split("</tr>")[0]


def test_a_release_in_another_process_shows_within_the_bound(client, released, this_month, later):
    assert not _zeeland_realised_3(client)  # this process now holds last month's release and its page
    # Released by another process: its commit forgets the release there, not here (no on-commit callback runs).
    snapshot_release(snapshot=DashboardSnapshot.objects.get(month=this_month), user=released)
    assert not _zeeland_realised_3(client)  # within the bound this process may still show the month before
    later()
    assert _zeeland_realised_3(client)


def test_a_withdrawal_in_another_process_shows_within_the_bound(client, released, this_month, later, django_capture_on_commit_callbacks):
    from dashboard.services import snapshot_withdraw

    current = DashboardSnapshot.objects.get(month=this_month)
    with django_capture_on_commit_callbacks(execute=True):
        snapshot_release(snapshot=current, user=released)
    assert _zeeland_realised_3(client)
    snapshot_withdraw(snapshot=current, user=released)  # in another process
    assert _zeeland_realised_3(client)
    later()
    assert not _zeeland_realised_3(client)


def test_a_withdrawn_month_is_never_built_into_a_page_even_within_the_bound(
    client, released, this_month, django_capture_on_commit_callbacks
):
    from dashboard.services import snapshot_withdraw

    current = DashboardSnapshot.objects.get(month=this_month)
    with django_capture_on_commit_callbacks(execute=True):
        snapshot_release(snapshot=current, user=released)
    assert client.get("/openbaar/").status_code == 200  # holds this month's release
    snapshot_withdraw(snapshot=current, user=released)  # in another process
    assert not _zeeland_realised_3(client)  # not yet built here: built from what is released now


def test_the_released_month_held_in_memory_saves_the_query(client, released, later, django_assert_num_queries):
    client.get("/openbaar/")
    with django_assert_num_queries(0):
        client.get("/openbaar/")
    later()
    with django_assert_num_queries(1):  # the released month, asked again; the page itself is still in memory
        client.get("/openbaar/")


def test_a_page_in_memory_needs_no_cache_round_trip(client, released, monkeypatch):
    first = client.get("/openbaar/regio/zeeland/")
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: pytest.fail("asked the cache"))
    again = client.get("/openbaar/regio/zeeland/")
    assert again.content == first.content


def test_the_pages_in_memory_stay_within_their_limit(client, demo, monkeypatch):
    monkeypatch.setattr(pages, "max_bytes", 60_000)
    sizes = []
    for slug in Region.objects.values_list("slug", flat=True):
        assert client.get(f"/openbaar/regio/{slug}/").status_code == 200
        sizes.append(pages.size)
    assert max(sizes) <= 60_000 and 1 < len(pages) < Region.objects.count()


def test_junk_query_strings_and_unknown_slugs_add_nothing_to_memory_or_cache(client, released, monkeypatch):
    for url in PUBLIC_URLS:
        assert client.get(url).status_code == 200
    stored = []
    monkeypatch.setattr(cache, "set", lambda key, *args, **kwargs: stored.append(key))
    queries = [query for query in JUNK if "%00" not in query] + [f"pagina={n}" for n in (2, 3, 999, 1000, 1001)]
    for url in PUBLIC_URLS:
        for query in queries:
            assert client.get(f"{url}?{query}").status_code == 200
    for url in ("/openbaar/regio/bestaat-niet/", "/openbaar/regio/ook-niet/", "/openbaar/afspraak/9/"):
        assert client.get(url).status_code == 404
    assert len(pages) == len(PUBLIC_URLS)
    assert stored == []
