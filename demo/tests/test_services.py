import pytest
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from agreements.models import AgreementStatus, StatusChange
from core.errors import ApplicationError
from demo.services import DEMO_PASSWORD, demo_data_load
from regions.models import ContactPerson, RegiovisieAdoption
from support.models import SupportAction
from support.selectors import meetings_upcoming_and_past

pytestmark = pytest.mark.django_db


def test_demo_data_gives_every_role_an_account_contacts_and_two_years_of_history(reference_data, client):
    demo_data_load()
    roles = {user.username: user.groups.get().name for user in User.objects.all()}
    assert roles == {"beheerder": "Beheerder", "vng": "VNG-medewerker", "adviseur": "Regio-adviseur", "regio": "Regio-gebruiker"}
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
