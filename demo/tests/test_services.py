from datetime import date

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from agreements.models import AfstemmingStep, AgreementStatus, StatusChange, StatusComment
from core.errors import ApplicationError
from demo.services import DEMO_PASSWORD, demo_data_load, working_day_on_or_after
from regions.models import ContactPerson, RegiovisieAdoption
from regions.selectors import current_regions
from support.models import NetworkMeeting, SupportAction
from support.selectors import meetings_upcoming_and_past

pytestmark = pytest.mark.django_db


def test_demo_data_gives_every_role_an_account_contacts_and_two_years_of_history(reference_data, client):
    demo_data_load()
    roles = {user.username: user.groups.get().name for user in User.objects.exclude(username__startswith="regio-")}
    assert roles == {"beheerder": "Beheerder", "vng": "VNG-medewerker", "adviseur": "Regio-adviseur", "regio": "Regio-gebruiker"}
    # Every region has a regio-gebruiker to agree with what is recorded about it.
    region_users = User.objects.filter(username__startswith="regio-", groups__name="Regio-gebruiker")
    others = current_regions().count() - 1  # Utrecht's regio-gebruiker is the demo account `regio`
    assert region_users.count() == others and client.login(username=region_users.first().username, password=DEMO_PASSWORD)
    client.logout()
    assert User.objects.get(username="adviseur").regions.count() >= 2
    assert all(email.endswith("@example.org") for email in ContactPerson.objects.values_list("email", flat=True))
    oldest = StatusChange.objects.order_by("changed_at").first().changed_at
    assert 20 * 30 < (timezone.now() - oldest).days < 25 * 31
    assert AgreementStatus.objects.exclude(status=0).count() > 100
    assert RegiovisieAdoption.objects.exists()
    assert SupportAction.objects.count() == 6
    assert SupportAction.objects.filter(next_step_due__lt=timezone.localdate()).count() == 3
    upcoming, past = meetings_upcoming_and_past(now=timezone.now())
    assert (len(upcoming), len(past)) == (2, 6)
    assert all(meeting.attendance_count > 10 for meeting in past)
    # Regions in every afstemming state, each step written by the services.
    states = set(AgreementStatus.objects.values_list("afstemming", flat=True))
    assert states == {"niet_gevraagd", "ter_afstemming", "afgestemd", "niet_akkoord"}
    utrecht = User.objects.get(username="regio").regions.get()
    assert set(utrecht.statuses.values_list("afstemming", flat=True)) >= {"ter_afstemming", "afgestemd", "niet_akkoord"}
    adviser_states = AgreementStatus.objects.filter(region__in=User.objects.get(username="adviseur").regions.all())
    assert set(adviser_states.values_list("afstemming", flat=True)) >= {"ter_afstemming", "afgestemd", "niet_akkoord"}
    assert StatusComment.objects.exists() and AfstemmingStep.objects.filter(step="niet_akkoord").exclude(reason="").exists()
    # Versions agree with the history written by the one status service.
    for status in AgreementStatus.objects.all():
        assert status.version == 1 + status.changes.count()

    assert client.login(username="vng", password=DEMO_PASSWORD)
    assert "Demodata" in client.get("/", follow=True).content.decode()


def test_demo_data_is_never_loaded_twice_or_over_real_data(reference_data, make_user):
    make_user()
    with pytest.raises(ApplicationError, match="bevat al echte gegevens"):
        demo_data_load()


def test_no_banner_without_demo_data(reference_data, make_user, client):
    client.force_login(make_user(Role.VNG_MEDEWERKER))
    response = client.get("/regios/")
    assert response.status_code == 200
    assert "Demodata" not in response.content.decode()


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 12, 31), date(2027, 1, 4)),  # New Year's Eve, New Year's Day, then the weekend
        (date(2026, 12, 5), date(2026, 12, 7)),  # Saturday → Monday
        (date(2026, 4, 27), date(2026, 4, 28)),  # King's Day
        (date(2026, 12, 2), date(2026, 12, 2)),  # an ordinary Wednesday stays
    ],
)
def test_demo_meetings_move_to_the_next_working_day(day, expected):
    assert working_day_on_or_after(day) == expected


def test_every_demo_meeting_is_on_a_working_day(reference_data):
    demo_data_load()
    for meeting in NetworkMeeting.objects.all():
        local = timezone.localtime(meeting.starts_at).date()
        assert local.weekday() < 5 and (local.month, local.day) != (12, 31)
