"""Pages: exact status codes per role, forms that save through the services, fixed query counts, ICS and CSV."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role, can_see_support_actions
from dashboard.tests.factories import lagging_snapshot
from regions.tests.factories import ContactPersonFactory, RegionFactory
from support import selectors
from support.models import MeetingAttendance, NetworkMeeting, SupportAction
from support.tests.factories import MeetingAttendanceFactory, NetworkMeetingFactory, SupportActionFactory

pytestmark = pytest.mark.django_db
# The session, the user, their groups and regions, the demo banner; the snapshot, the data version, then for the table
# (cached afterwards): the count of its achterblijvers, the page and the page's open actions.
FOLLOW_UP_QUERIES = 10

VNG_ONLY = {Role.BEHEERDER: 200, Role.VNG_MEDEWERKER: 200, Role.REGIO_ADVISEUR: 403, Role.REGIO_GEBRUIKER: 403}
SIGNED_IN = {Role.BEHEERDER: 200, Role.VNG_MEDEWERKER: 200, Role.REGIO_ADVISEUR: 200, Role.REGIO_GEBRUIKER: 200}


@pytest.fixture
def data(db):
    region = RegionFactory(slug="regio-test")
    return {"region": region, "action": SupportActionFactory(region=region), "meeting": NetworkMeetingFactory()}


URLS = [
    (lambda d: reverse("pages:follow_up"), VNG_ONLY),
    (lambda d: reverse("support:support_action_create", args=[d["region"].slug]), VNG_ONLY),
    (lambda d: reverse("support:support_action_edit", args=[d["action"].pk]), VNG_ONLY),
    (lambda d: reverse("support:meeting_list"), SIGNED_IN),
    (lambda d: reverse("support:meeting_create"), VNG_ONLY),
    (lambda d: reverse("support:meeting_edit", args=[d["meeting"].pk]), VNG_ONLY),
    (lambda d: reverse("support:meeting_attendance", args=[d["meeting"].pk]), VNG_ONLY),
    (lambda d: reverse("support:meeting_ics", args=[d["meeting"].pk]), SIGNED_IN),
    (lambda d: reverse("support:network_contacts", args=["bestuurlijk"]), VNG_ONLY),
    (lambda d: reverse("support:network_contacts_csv", args=["ambtelijk"]), VNG_ONLY),
]


@pytest.mark.parametrize("url", [u for u, _ in URLS])
def test_anonymous_users_are_sent_to_the_login_page(client, data, url):
    response = client.get(url(data))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("url, codes", URLS)
def test_each_role_gets_exactly_its_pages(client, make_user, data, role, url, codes):
    # The regio-adviseur is assigned to the region itself: support is still VNG's tool.
    client.force_login(make_user(role, regions=[data["region"]]))
    assert client.get(url(data)).status_code == codes[role]


@pytest.mark.parametrize(
    "url",
    [
        "/netwerk/onbekend/contactpersonen/",
        "/netwerk/onbekend/contactpersonen.csv",
        "/regios/bestaat-niet/ondersteuning/nieuw/",
        "/ondersteuning/999999/bewerken/",
    ],
)
def test_unknown_objects_are_404(client, make_user, url):
    client.force_login(make_user(Role.VNG_MEDEWERKER))
    assert client.get(url).status_code == 404


@pytest.fixture
def vng_client(client, make_user):
    user = make_user(Role.VNG_MEDEWERKER)
    client.force_login(user)
    client.user = user
    return client


def test_follow_up_without_a_dashboard_says_so(vng_client):
    assert "Er is nog geen dashboard gebouwd" in vng_client.get(reverse("pages:follow_up")).content.decode()


def test_follow_up_highlights_overdue_steps_with_text(vng_client):
    region = RegionFactory(name="Regio Traag")
    SupportActionFactory(region=region, next_step="Planning sturen", next_step_due=timezone.localdate() - timedelta(days=2))
    lagging_snapshot({region: "Drie afspraken niet gestart"})
    html = vng_client.get(reverse("pages:follow_up")).content.decode()
    assert "Regio Traag" in html and "Drie afspraken niet gestart" in html
    assert 'class="support-action overdue"' in html and "te laat" in html


@pytest.mark.parametrize("regions", [15, 130])
def test_follow_up_query_count_is_fixed(vng_client, django_assert_num_queries, django_assert_max_num_queries, regions):
    lagging = RegionFactory.create_batch(regions)
    for region in lagging:
        SupportActionFactory.create_batch(2, region=region)
    lagging_snapshot({region: "Score laag" for region in lagging})
    cache.clear()  # a cold cache (the demo banner is cached after the first page)
    with django_assert_num_queries(FOLLOW_UP_QUERIES):
        response = vng_client.get(reverse("pages:follow_up"))
    assert response.content.decode().count("Actie vastleggen") == min(regions, 100)
    with django_assert_max_num_queries(2):  # the snapshot and the data version; the table from the cache
        again = vng_client.get(reverse("pages:follow_up")).content.decode()
    assert again.split("<main", 1)[1] == response.content.decode().split("<main", 1)[1]  # (the header's CSRF token differs)


def _action_post(vng_staff, **changes):
    return {
        "kind": "werkbezoek",
        "date": "2026-11-20",
        "agreement": "",
        "vng_staff": vng_staff.pk,
        "summary": "Werkbezoek bij de centrumgemeente.",
        "next_step": "Plan van aanpak",
        "next_step_due": "2026-12-15",
        "status": "open",
    } | changes


def test_vng_staff_record_a_support_action(vng_client, data):
    response = vng_client.post(reverse("support:support_action_create", args=[data["region"].slug]), _action_post(vng_client.user))
    assert response.status_code == 302 and response["Location"] == reverse("pages:follow_up")
    action = SupportAction.objects.get(kind="werkbezoek")
    assert (action.region, action.created_by, action.next_step_due) == (data["region"], vng_client.user, date(2026, 12, 15))


def test_due_date_without_next_step_shows_a_dutch_error_and_keeps_input(vng_client, data):
    response = vng_client.post(
        reverse("support:support_action_create", args=[data["region"].slug]), _action_post(vng_client.user, next_step="")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Een uiterste datum hoort bij een vervolgstap" in html
    assert "Werkbezoek bij de centrumgemeente." in html
    assert SupportAction.objects.count() == 1


def test_stale_support_action_edit_shows_the_conflict_page(vng_client, data):
    action = data["action"]
    url = reverse("support:support_action_edit", args=[action.pk])
    first = vng_client.post(url, _action_post(vng_client.user, summary="Eerste", version=1))
    assert first.status_code == 302
    second = vng_client.post(url, _action_post(vng_client.user, summary="Tweede versie", version=1))
    assert second.status_code == 409
    assert "Tweede versie" in second.content.decode()
    action.refresh_from_db()
    assert (action.summary, action.version) == ("Eerste", 2)


def test_vng_staff_plan_a_meeting_and_a_physical_one_needs_a_location(vng_client):
    post = {
        "network": "bestuurlijk",
        "starts_at": "2026-12-10T14:00",
        "ends_at": "2026-12-10T16:00",
        "format": "fysiek",
        "location": "",
        "agenda": "Voortgang",
    }
    response = vng_client.post(reverse("support:meeting_create"), post)
    assert response.status_code == 200 and "Vul de locatie in" in response.content.decode()
    response = vng_client.post(reverse("support:meeting_create"), post | {"location": "Utrecht"})
    assert response.status_code == 302
    meeting = NetworkMeeting.objects.get()
    assert meeting.starts_at == datetime(2026, 12, 10, 13, tzinfo=UTC)


def test_attendance_grid_saves_every_region_in_fixed_queries(vng_client, django_assert_max_num_queries):
    meeting = NetworkMeetingFactory()
    regions = RegionFactory.create_batch(20)
    MeetingAttendanceFactory(meeting=meeting, region=regions[0])
    url = reverse("support:meeting_attendance", args=[meeting.pk])
    with django_assert_max_num_queries(11):  # +3: session save in a savepoint
        html = vng_client.get(url).content.decode()
    assert html.count('type="radio"') == 60
    post = {f"regio-{region.id}": "primair" for region in regions[:15]} | {f"regio-{regions[15].id}": "vervanger"}
    with django_assert_max_num_queries(17):  # +3: session save in a savepoint; +2: the edit helper's savepoint
        assert vng_client.post(url, post).status_code == 302
    saved = dict(MeetingAttendance.objects.values_list("region_id", "represented_by"))
    assert len(saved) == 16 and saved[regions[15].id] == "vervanger" and regions[19].id not in saved


def test_meeting_list_query_count_is_fixed(client, make_user, django_assert_max_num_queries):
    for meeting in NetworkMeetingFactory.create_batch(6):
        MeetingAttendanceFactory.create_batch(2, meeting=meeting)
    NetworkMeetingFactory(starts_at=timezone.now() - timedelta(days=40))
    client.force_login(make_user(Role.REGIO_GEBRUIKER))
    with django_assert_max_num_queries(10):  # +3: session save in a savepoint
        html = client.get(reverse("support:meeting_list")).content.decode()
    assert html.count("Agenda (.ics)") == 7 and "Bewerken" not in html


def test_meeting_ics_is_an_rfc5545_event_in_utc(client, make_user):
    meeting = NetworkMeetingFactory(
        network="bestuurlijk",
        starts_at=datetime(2026, 12, 10, 13, 0, tzinfo=UTC),
        format="fysiek",
        location="Stadhuis, Plein 1; Utrecht",
        agenda="1. Opening\n2. Voortgang NvO, stand van zaken " + "x" * 80,
    )
    client.force_login(make_user(Role.REGIO_GEBRUIKER))
    response = client.get(reverse("support:meeting_ics", args=[meeting.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="netwerkbijeenkomst-2026-12-10.ics"' in response["Content-Disposition"]
    raw = response.content.decode()
    assert raw.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:") and raw.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in raw.split("\r\n"))
    unfolded = raw.replace("\r\n ", "")
    assert f"UID:netwerkbijeenkomst-{meeting.pk}@testserver\r\n" in unfolded
    assert "DTSTART:20261210T130000Z\r\nDTEND:20261210T150000Z\r\n" in unfolded
    assert "SUMMARY:BW-MO-netwerk bestuurlijk\r\n" in unfolded
    assert "LOCATION:Stadhuis\\, Plein 1\\; Utrecht\r\n" in unfolded
    assert "DESCRIPTION:1. Opening\\n2. Voortgang NvO\\, stand van zaken " + "x" * 80 in unfolded
    assert "DTSTAMP:" in unfolded and "SEQUENCE:0" in unfolded


def test_network_contacts_page_and_csv_flag_missing_contacts(vng_client, django_assert_max_num_queries):
    complete, lacking = RegionFactory(name="Regio Compleet"), RegionFactory(name="Regio Mist")
    ContactPersonFactory(
        region=complete, kind="ambtelijk", position="primair", name="Anouk Bakker", email="anouk@example.org", phone="+31 6 1234"
    )
    ContactPersonFactory(region=complete, kind="ambtelijk", position="vervanger", name="=HYPERLINK(1)")
    ContactPersonFactory(region=lacking, kind="bestuurlijk", position="primair", name="Andere Netwerk")
    RegionFactory.create_batch(5)
    with django_assert_max_num_queries(9):  # +3: session save in a savepoint
        html = vng_client.get(reverse("support:network_contacts", args=["ambtelijk"])).content.decode()
    assert "anouk@example.org" in html and "Andere Netwerk" not in html
    assert html.count(">ontbreekt<") == 12  # 6 regions without ambtelijk contacts × 2 positions

    response = vng_client.get(reverse("support:network_contacts_csv", args=["ambtelijk"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeffRegio;Positie;Naam;")
    rows = list(csv.reader(io.StringIO(content.removeprefix("\ufeff")), delimiter=";"))
    primary = ["Regio Compleet", "primair", "Anouk Bakker", "Beleidsadviseur", "Gemeente Voorbeeld", "anouk@example.org", "'+31 6 1234", ""]
    assert primary in rows
    assert rows[rows.index(primary) + 1][:3] == ["Regio Compleet", "vervanger", "'=HYPERLINK(1)"]
    assert ["Regio Mist", "primair", "", "", "", "", "", "ontbreekt"] in rows
    assert len(rows) == 1 + 7 * 2


@pytest.mark.parametrize(
    "role, assigned, sees",
    [
        (Role.BEHEERDER, False, True),
        (Role.VNG_MEDEWERKER, False, True),
        (Role.REGIO_ADVISEUR, True, True),
        (Role.REGIO_ADVISEUR, False, False),
        (Role.REGIO_GEBRUIKER, True, False),
    ],
)
def test_region_support_include_is_for_vng_and_the_regions_own_adviseur(make_user, role, assigned, sees):
    region = RegionFactory()
    SupportActionFactory(region=region, summary="Gesprek over regiovisie", next_step_due=date(2026, 1, 1))
    user = make_user(role, regions=[region] if assigned else [])
    html = render_to_string(
        "support/_region_support.html",
        {
            "region": region,
            "can_see_support": can_see_support_actions(user, region.pk),
            "can_manage_support": role in (Role.BEHEERDER, Role.VNG_MEDEWERKER),
            "support_actions": selectors.region_open_support_actions(region_id=region.pk, today=date(2026, 2, 1)),
        },
    )
    assert ("Gesprek over regiovisie" in html) is sees
    assert ("te laat" in html) is sees
    assert ("Actie vastleggen" in html) is (role in (Role.BEHEERDER, Role.VNG_MEDEWERKER))


@pytest.mark.parametrize("attendance, text", [((3, 5), "3 van 5 bijeenkomsten"), ((0, 0), "geen bijeenkomsten")])
def test_region_attendance_include(attendance, text):
    assert text in render_to_string("support/_region_attendance.html", {"attendance": attendance})
