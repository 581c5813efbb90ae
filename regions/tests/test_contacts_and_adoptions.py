"""contact_save, contact_remove and adoption_save: history, validation, permission and conflict detection."""

import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from accounts.roles import Role
from core.errors import ConflictError
from regions.models import (
    ContactChange,
    ContactPerson,
    RegiovisieAdoption,
    RegiovisieAdoptionChange,
)
from regions.services import adoption_save, contact_remove, contact_save
from regions.tests.factories import (
    ContactPersonFactory,
    MunicipalityFactory,
    RegionFactory,
)

AMBTELIJK, PRIMAIR = ContactPerson.Kind.AMBTELIJK, ContactPerson.Position.PRIMAIR


@pytest.fixture
def region(db):
    return RegionFactory()


@pytest.fixture
def adviseur(make_user, region):
    return make_user(Role.REGIO_ADVISEUR, [region])


def _save_contact(region, user, version, **fields):
    slot = {"region": region, "kind": AMBTELIJK, "position": PRIMAIR, "expected_version": version, "user": user}
    return contact_save(**slot, **({"name": ""} | fields)) if fields else contact_remove(**slot)


def test_filling_changing_and_clearing_a_slot_is_recorded(region, adviseur):
    created = _save_contact(region, adviseur, 0, name="Anouk Visser", email="anouk@example.org")
    assert (created.old, created.new["name"]) == (None, "Anouk Visser")
    contact = ContactPerson.objects.get()
    assert (contact.version, contact.updated_by) == (1, adviseur)
    changed = _save_contact(region, adviseur, 1, name="Anouk Visser", email="a.visser@example.org")
    assert (changed.old["email"], changed.new["email"]) == ("anouk@example.org", "a.visser@example.org")
    cleared = _save_contact(region, adviseur, 2)
    assert (cleared.old["name"], cleared.new) == ("Anouk Visser", None)
    assert not ContactPerson.objects.exists()
    assert ContactChange.objects.count() == 3
    assert _save_contact(region, adviseur, 0) is None


def test_a_refilled_slot_continues_its_version_so_old_forms_conflict(region, adviseur):
    _save_contact(region, adviseur, 0, name="Eerste")
    _save_contact(region, adviseur, 1)
    _save_contact(region, adviseur, 0, name="Tweede")
    with pytest.raises(ConflictError):
        _save_contact(region, adviseur, 1, name="Op een oude versie")
    assert ContactPerson.objects.get().name == "Tweede"


def test_contact_needs_a_name_and_a_valid_email(region, adviseur):
    with pytest.raises(ValidationError, match="Vul een naam in"):
        _save_contact(region, adviseur, 0, email="iemand@example.org")
    with pytest.raises(ValidationError) as refused:
        _save_contact(region, adviseur, 0, name="Iemand", email="geen-adres")
    assert "email" in refused.value.message_dict
    assert not ContactChange.objects.exists()


def test_stale_contact_version_is_refused(region, adviseur):
    ContactPersonFactory(region=region, name="Huidig", version=3)
    with pytest.raises(ConflictError) as refused:
        _save_contact(region, adviseur, 2, name="Oud")
    assert refused.value.current.name == "Huidig"
    assert not ContactChange.objects.exists()


@pytest.mark.parametrize("role", [Role.REGIO_ADVISEUR, Role.REGIO_GEBRUIKER, Role.VNG_MEDEWERKER])
def test_only_the_regions_own_adviseur_or_a_beheerder_saves_contacts(region, make_user, role):
    with pytest.raises(PermissionDenied):
        _save_contact(region, make_user(role, [RegionFactory()]), 0, name="Niet toegestaan")
    _save_contact(region, make_user(Role.BEHEERDER), 0, name="Wel toegestaan")
    assert ContactPerson.objects.get().name == "Wel toegestaan"


@pytest.mark.django_db(transaction=True)
def test_concurrent_contact_saves_on_one_version_let_exactly_one_win(make_user):
    """Eight threads with their own PostgreSQL connections fill the same empty slot: one wins, seven conflict."""
    region = RegionFactory()
    beheerder = make_user(Role.BEHEERDER)
    outcomes, barrier = [], threading.Barrier(8)

    def save(n):
        try:
            barrier.wait()
            _save_contact(region, beheerder, 0, name=f"Poging {n}")
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
    change = ContactChange.objects.get()
    assert change.new["name"] == ContactPerson.objects.get().name


def test_adoption_is_saved_changed_and_removed_with_history(region, adviseur):
    municipality = MunicipalityFactory(region=region)
    adoption_save(
        municipality=municipality,
        expected_version=0,
        user=adviseur,
        decision_date=date(2025, 3, 1),
        decision_url="https://example.org/besluit",
    )
    adoption_save(municipality=municipality, expected_version=1, user=adviseur, decision_date=date(2025, 3, 2))
    assert RegiovisieAdoption.objects.get().decision_date == date(2025, 3, 2)
    adoption_save(municipality=municipality, expected_version=2, user=adviseur, decision_date=None)
    assert not RegiovisieAdoption.objects.exists()
    versions = list(RegiovisieAdoptionChange.objects.order_by("version").values_list("version", "new"))
    assert [v for v, _ in versions] == [1, 2, 3]
    assert versions[2][1] is None
    with pytest.raises(ConflictError):
        adoption_save(municipality=municipality, expected_version=1, user=adviseur, decision_date=date(2025, 1, 1))


def test_adoption_date_may_not_lie_in_the_future_and_link_must_be_http(region, adviseur):
    municipality = MunicipalityFactory(region=region)
    with pytest.raises(ValidationError) as refused:
        adoption_save(
            municipality=municipality,
            expected_version=0,
            user=adviseur,
            decision_date=timezone.localdate() + timedelta(days=1),
            decision_url="javascript:alert(1)",
        )
    assert "niet in de toekomst" in refused.value.message_dict["decision_date"][0]
    assert "http:// of https://" in refused.value.message_dict["decision_url"][0]
    assert not RegiovisieAdoptionChange.objects.exists()


def test_adoption_of_another_region_is_refused(region, adviseur):
    with pytest.raises(PermissionDenied):
        adoption_save(municipality=MunicipalityFactory(), expected_version=0, user=adviseur, decision_date=date(2025, 1, 1))
    assert not RegiovisieAdoption.objects.exists()
