"""Releasing a month for the public dashboard: who may, what is audited, and that a released month stays as released."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts.roles import Role
from core.errors import ApplicationError
from core.models import AuditEvent
from dashboard.models import DashboardSnapshot
from dashboard.services import dashboard_rebuild, snapshot_release, snapshot_withdraw


@pytest.mark.parametrize("role", [Role.VNG_MEDEWERKER, Role.BEHEERDER])
def test_vng_and_beheerder_release_a_month_and_it_is_audited(built, make_user, role):
    user = make_user(role)
    snapshot = snapshot_release(snapshot=built, user=user)
    snapshot.refresh_from_db()
    assert snapshot.released_at is not None and snapshot.released_by == user
    event = AuditEvent.objects.get(details__model="dashboard.DashboardSnapshot")
    assert event.actor == user and event.details["action"] == "gepubliceerd"
    assert f"{built.month:%Y-%m}" in event.object_description


@pytest.mark.parametrize("role", [Role.REGIO_ADVISEUR, Role.REGIO_GEBRUIKER, None])
def test_other_roles_may_not_release_or_withdraw(built, make_user, role):
    with pytest.raises(PermissionDenied):
        snapshot_release(snapshot=built, user=make_user(role))
    snapshot_release(snapshot=built, user=make_user(Role.VNG_MEDEWERKER))
    with pytest.raises(PermissionDenied):
        snapshot_withdraw(snapshot=built, user=make_user(role))
    assert DashboardSnapshot.objects.get(pk=built.pk).released_at is not None


def test_releasing_twice_or_withdrawing_a_private_month_is_a_clear_error(built, make_user):
    vng = make_user(Role.VNG_MEDEWERKER)
    with pytest.raises(ApplicationError, match="niet gepubliceerd"):
        snapshot_withdraw(snapshot=built, user=vng)
    snapshot_release(snapshot=built, user=vng)
    with pytest.raises(ApplicationError, match="al gepubliceerd"):
        snapshot_release(snapshot=built, user=vng)
    assert AuditEvent.objects.filter(details__model="dashboard.DashboardSnapshot").count() == 1


def test_a_released_month_is_not_rebuilt_until_it_is_withdrawn(built, make_user, this_month):
    vng = make_user(Role.VNG_MEDEWERKER)
    snapshot_release(snapshot=built, user=vng)
    with pytest.raises(ApplicationError, match="gepubliceerd"):
        dashboard_rebuild(month=this_month)
    assert DashboardSnapshot.objects.get(pk=built.pk).released_at is not None
    snapshot_withdraw(snapshot=built, user=vng)
    rebuilt = dashboard_rebuild(month=this_month)
    assert rebuilt.released_at is None
    events = AuditEvent.objects.filter(details__model="dashboard.DashboardSnapshot").order_by("id")
    assert [event.details["action"] for event in events] == ["gepubliceerd", "publicatie ingetrokken"]


def test_the_database_refuses_a_releaser_without_a_release(built, make_user):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        DashboardSnapshot.objects.filter(pk=built.pk).update(released_by=make_user(Role.VNG_MEDEWERKER))


def test_the_dashboard_offers_publishing_to_vng_only(built, make_user, client):
    client.force_login(make_user(Role.REGIO_ADVISEUR))
    page = client.get("/dashboard/").content.decode()
    assert "Niet openbaar" in page and "Publiceren" not in page
    client.force_login(make_user(Role.VNG_MEDEWERKER))
    page = client.get("/dashboard/").content.decode()
    assert f'action="/dashboard/{built.month:%Y-%m}/publiceren/"' in page


def test_the_button_releases_and_withdraws_the_shown_month(built, make_user, client):
    client.force_login(make_user(Role.VNG_MEDEWERKER))
    response = client.post(f"/dashboard/{built.month:%Y-%m}/publiceren/", follow=True)
    assert "is gepubliceerd" in response.content.decode()
    assert "Publicatie intrekken" in response.content.decode()
    assert DashboardSnapshot.objects.get(pk=built.pk).released_at is not None
    again = client.post(f"/dashboard/{built.month:%Y-%m}/publiceren/", follow=True)
    assert "al gepubliceerd" in again.content.decode()
    client.post(f"/dashboard/{built.month:%Y-%m}/intrekken/")
    assert DashboardSnapshot.objects.get(pk=built.pk).released_at is None


@pytest.mark.parametrize("month", ["1999-01", "2026-13", "0000-00"])
def test_releasing_a_month_without_a_snapshot_is_a_404(built, make_user, client, month):
    client.force_login(make_user(Role.VNG_MEDEWERKER))
    assert client.post(f"/dashboard/{month}/publiceren/").status_code == 404
    assert not DashboardSnapshot.objects.filter(released_at__isnull=False).exists()
