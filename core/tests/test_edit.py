"""The one edit pattern: every edit form keeps what was typed over an expired session, and every conflict is a
409 page with both versions side by side and the input kept; `lock_and_compare` is the one version check."""

import re
import threading
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import FACTORY_PASSWORD
from agreements.tests.factories import AgreementStatusFactory
from core.errors import ConflictError
from core.versioning import lock_and_compare
from regions.models import ContactPerson, RegiovisieAdoption, RegiovisieAdoptionChange
from regions.services import adoption_save
from regions.tests.factories import ContactPersonFactory, MunicipalityFactory, RegionFactory
from support.models import MeetingAttendance, NetworkMeeting, SupportAction
from support.tests.factories import NetworkMeetingFactory, SupportActionFactory

TYPED = "Zorgvuldig getypt"


def _action_post(user, **changes):
    return {
        "kind": "werkbezoek",
        "date": "2026-11-20",
        "agreement": "",
        "vng_staff": user.pk,
        "summary": TYPED,
        "next_step": "",
        "next_step_due": "",
        "status": "open",
    } | changes


def _meeting_post(**changes):
    starts = timezone.localtime() + timedelta(days=30)
    return {
        "network": "ambtelijk",
        "starts_at": f"{starts:%Y-%m-%dT10:00}",
        "ends_at": f"{starts:%Y-%m-%dT12:00}",
        "format": "fysiek",
        "location": TYPED,
        "agenda": "",
    } | changes


def _state():
    return (
        list(SupportAction.objects.values_list("version", "summary")),
        list(NetworkMeeting.objects.values_list("version", "location")),
        MeetingAttendance.objects.count(),
        ContactPerson.objects.count(),
        RegiovisieAdoption.objects.count(),
    )


# Each edit form: who edits, its URL and a POST whose typed text must come back after signing in again.
EDIT_FORMS = {
    "status": (
        Role.REGIO_ADVISEUR,
        lambda o: reverse("agreements:status_edit", args=[o["region"].slug, o["status"].agreement.number]),
        lambda o: {"status": 2, "explanation": TYPED, "evidence_links": "", "version": 1},
    ),
    "contacts": (
        Role.REGIO_ADVISEUR,
        lambda o: reverse("regions:contacts_edit", args=[o["region"].slug]),
        lambda o: {f"{k}-{p}-version": 0 for k in ContactPerson.Kind for p in ContactPerson.Position} | {"ambtelijk-primair-name": TYPED},
    ),
    "adoptions": (
        Role.REGIO_ADVISEUR,
        lambda o: reverse("regions:adoptions_edit", args=[o["region"].slug]),
        lambda o: {
            f"gemeente-{o['municipality'].pk}-version": 0,
            f"gemeente-{o['municipality'].pk}-decision_date": "2025-01-15",
            f"gemeente-{o['municipality'].pk}-decision_url": f"https://example.org/{TYPED.replace(' ', '-')}",
        },
    ),
    "support action (new)": (
        Role.VNG_MEDEWERKER,
        lambda o: reverse("support:support_action_create", args=[o["region"].slug]),
        lambda o: _action_post(o["user"]),
    ),
    "support action": (
        Role.VNG_MEDEWERKER,
        lambda o: reverse("support:support_action_edit", args=[o["action"].pk]),
        lambda o: _action_post(o["user"], version=1),
    ),
    "meeting (new)": (Role.VNG_MEDEWERKER, lambda o: reverse("support:meeting_create"), lambda o: _meeting_post()),
    "meeting": (
        Role.VNG_MEDEWERKER,
        lambda o: reverse("support:meeting_edit", args=[o["meeting"].pk]),
        lambda o: _meeting_post(version=1),
    ),
    "attendance": (
        Role.VNG_MEDEWERKER,
        lambda o: reverse("support:meeting_attendance", args=[o["meeting"].pk]),
        lambda o: {f"regio-{o['region'].pk}": "vervanger"},
    ),
}


@pytest.mark.parametrize("name", EDIT_FORMS)
def test_every_edit_form_gives_back_what_was_typed_after_the_session_expired(client, make_user, name):
    role, url_for, post_for = EDIT_FORMS[name]
    region = RegionFactory()
    objects = {
        "region": region,
        "municipality": MunicipalityFactory(region=region),
        "status": AgreementStatusFactory(region=region),
        "action": SupportActionFactory(region=region),
        "meeting": NetworkMeetingFactory(),
    }
    user = make_user(role, [region])
    objects["user"] = user
    url, post = url_for(objects), post_for(objects)
    before = _state()

    response = client.post(url, post)  # the session has ended: not signed in
    assert response.status_code == 302 and response.url == f"/inloggen/?next={url}"
    login = {"login_view-current_step": "auth", "auth-username": user.username, "auth-password": FACTORY_PASSWORD}
    assert client.post(f"/inloggen/?next={url}", login).url == url

    page = client.get(url).content.decode()
    assert "Uw sessie was verlopen; controleer uw wijzigingen en sla opnieuw op." in page
    if name == "attendance":
        radios = re.findall(rf'<input[^>]*name="regio-{region.pk}"[^>]*>', page)
        assert [tag for tag in radios if "checked" in tag and 'value="vervanger"' in tag]
    else:
        assert TYPED in page or TYPED.replace(" ", "-") in page
    assert _state() == before  # never saved automatically
    assert TYPED not in client.get(url).content.decode()  # handed back once


def test_a_meeting_saved_by_someone_else_is_a_409_with_both_versions_and_the_input_kept(client, make_user):
    meeting = NetworkMeetingFactory()
    bram = make_user(Role.VNG_MEDEWERKER, first_name="Bram", last_name="Bakker")
    client.force_login(bram)
    url = reverse("support:meeting_edit", args=[meeting.pk])
    assert client.post(url, _meeting_post(location="Versie van Bram", version=1)).status_code == 302

    client.force_login(make_user(Role.VNG_MEDEWERKER))
    response = client.post(url, _meeting_post(location="Mijn locatie", version=1))
    page = response.content.decode()
    assert response.status_code == 409
    assert "Iemand anders heeft deze netwerkbijeenkomst net opgeslagen" in page and "Bram Bakker" in page
    assert "Versie van Bram" in page and "Mijn locatie" in page
    assert 'name="version" value="2"' in page  # rebased: a deliberate second save wins
    assert NetworkMeeting.objects.get().location == "Versie van Bram"
    assert client.post(url, _meeting_post(location="Mijn locatie", version=2)).status_code == 302
    assert NetworkMeeting.objects.get().location == "Mijn locatie"


def test_a_conflict_with_a_record_nobody_signed_is_shown_not_a_server_error(client, make_user):
    """A contact loaded by an import has no `updated_by`: the page names "een collega" (this was a 500)."""
    contact = ContactPersonFactory(name="Uit de import")
    client.force_login(make_user(Role.BEHEERDER))
    data = {f"{k}-{p}-version": 0 for k in ContactPerson.Kind for p in ContactPerson.Position}
    data |= {f"{contact.kind}-{contact.position}-name": "Mijn naam"}
    response = client.post(reverse("regions:contacts_edit", args=[contact.region.slug]), data)
    page = response.content.decode()
    assert response.status_code == 409
    assert "een collega" in page and "Uit de import" in page and "Mijn naam" in page
    assert ContactPerson.objects.get().name == "Uit de import"


def test_lock_and_compare_returns_the_locked_row_or_refuses_an_older_version(db):
    action = SupportActionFactory(version=3)
    with transaction.atomic():
        assert lock_and_compare(SupportAction, pk=action.pk, expected_version=3, message="x") == action
    with pytest.raises(ConflictError) as refused:
        lock_and_compare(SupportAction, pk=action.pk, expected_version=2, message="Iemand anders")
    assert (refused.value.message, refused.value.current.version) == ("Iemand anders", 3)


def test_lock_and_compare_treats_an_empty_slot_as_version_0(db):
    region = RegionFactory()
    assert lock_and_compare(ContactPerson, lock=region, region=region, expected_version=0, message="x") is None
    with pytest.raises(ConflictError):
        lock_and_compare(ContactPerson, lock=region, region=region, expected_version=1, message="x")


@pytest.mark.django_db(transaction=True)
def test_lock_and_compare_lets_exactly_one_of_eight_racing_saves_win(make_user):
    action = SupportActionFactory()
    vng = make_user(Role.VNG_MEDEWERKER)
    outcomes, barrier = [], threading.Barrier(8)

    def save(n):
        from support.services import support_action_update

        try:
            barrier.wait()
            fields = {name: getattr(action, name) for name in ("agreement", "kind", "date", "vng_staff", "next_step", "next_step_due")}
            support_action_update(action=action, expected_version=1, user=vng, summary=f"Poging {n}", status="open", **fields)
            outcomes.append("won")
        except ConflictError:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict"] * 7 + ["won"]
    assert SupportAction.objects.get().version == 2


def test_an_adoption_has_a_real_version_that_continues_after_removal(make_user):
    municipality = MunicipalityFactory()
    adviseur = make_user(Role.REGIO_ADVISEUR, [municipality.region])
    adoption_save(municipality=municipality, expected_version=0, user=adviseur, decision_date=date(2025, 1, 1))
    assert RegiovisieAdoption.objects.get().version == 1
    adoption_save(municipality=municipality, expected_version=1, user=adviseur, decision_date=date(2025, 1, 2))
    assert RegiovisieAdoption.objects.get().version == 2
    adoption_save(municipality=municipality, expected_version=2, user=adviseur, decision_date=None)
    assert not RegiovisieAdoption.objects.exists()
    adoption_save(municipality=municipality, expected_version=0, user=adviseur, decision_date=date(2025, 1, 3))
    assert RegiovisieAdoption.objects.get().version == 4  # after the removal's change 3: a form of version 2 conflicts
    with pytest.raises(ConflictError):
        adoption_save(municipality=municipality, expected_version=2, user=adviseur, decision_date=date(2025, 1, 4))
    assert list(RegiovisieAdoptionChange.objects.order_by("version").values_list("version", flat=True)) == [1, 2, 3, 4]
