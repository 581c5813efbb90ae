"""status_update: the one way a status changes, with history, validation and conflict detection."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from accounts.roles import Role
from agreements.models import AgreementStatus, Status, StatusChange
from agreements.services import status_update
from agreements.tests.factories import AgreementStatusFactory
from core.errors import ConflictError
from regions.tests.factories import RegionFactory


def _update(agreement_status, user, *, version=None, **changes):
    fields = {
        "status": Status.IN_VOORBEREIDING,
        "criteria_met": [],
        "explanation": "Werkgroep gestart.",
        "evidence_links": [],
    } | changes
    return status_update(
        agreement_status=agreement_status,
        expected_version=agreement_status.version if version is None else version,
        user=user,
        **fields,
    )


@pytest.fixture
def agreement_status(db):
    return AgreementStatusFactory()


@pytest.fixture
def adviseur(make_user, agreement_status):
    return make_user(Role.REGIO_ADVISEUR, regions=[agreement_status.region])


def test_update_saves_bumps_version_and_records_old_and_new(agreement_status, adviseur):
    first, second = agreement_status.agreement.criteria.all()[:2]
    change = _update(
        agreement_status,
        adviseur,
        criteria_met=[second, first],
        evidence_links=["https://example.org/besluit", "  "],
    )
    agreement_status.refresh_from_db()
    assert agreement_status.status == Status.IN_VOORBEREIDING
    assert agreement_status.version == 2
    assert agreement_status.updated_by == adviseur
    assert set(agreement_status.criteria_met.all()) == {first, second}
    assert agreement_status.evidence_links == ["https://example.org/besluit"]
    assert (change.old_status, change.new_status) == (Status.ONBEKEND, Status.IN_VOORBEREIDING)
    assert (change.old_criteria, change.new_criteria) == ([], [first.order, second.order])
    assert (change.changed_by, change.version) == (adviseur, 2)


def test_saving_the_same_state_records_nothing(agreement_status, adviseur):
    _update(agreement_status, adviseur)
    agreement_status.refresh_from_db()
    assert _update(agreement_status, adviseur) is None
    assert StatusChange.objects.count() == 1


def test_stale_version_is_refused_with_the_current_state(agreement_status, adviseur):
    _update(agreement_status, adviseur, explanation="Eerste versie")
    with pytest.raises(ConflictError) as refused:
        _update(agreement_status, adviseur, version=1, explanation="Tweede, op oude versie")
    assert refused.value.current.explanation == "Eerste versie"
    agreement_status.refresh_from_db()
    assert (agreement_status.version, agreement_status.explanation) == (2, "Eerste versie")
    assert StatusChange.objects.count() == 1


def test_gerealiseerd_needs_every_minimum_criterion(agreement_status, adviseur):
    criteria = list(agreement_status.agreement.criteria.all())
    with pytest.raises(ValidationError) as refused:
        _update(agreement_status, adviseur, status=Status.GEREALISEERD, criteria_met=criteria[:-1])
    assert "pas gerealiseerd als aan alle minimumcriteria" in refused.value.message_dict["status"][0]
    _update(agreement_status, adviseur, status=Status.GEREALISEERD, criteria_met=criteria)
    agreement_status.refresh_from_db()
    assert agreement_status.status == Status.GEREALISEERD


@pytest.mark.parametrize("link", ["ftp://example.org/x", "javascript:alert(1)", "www.example.org", "geen link"])
def test_evidence_links_must_be_http_urls(agreement_status, adviseur, link):
    with pytest.raises(ValidationError) as refused:
        _update(agreement_status, adviseur, evidence_links=[link])
    assert "begint met http:// of https://" in refused.value.message_dict["evidence_links"][0]
    assert not StatusChange.objects.exists()


def test_criteria_of_another_agreement_are_refused(agreement_status, adviseur):
    other = AgreementStatusFactory(region=agreement_status.region)
    with pytest.raises(ValidationError, match="alleen minimumcriteria van deze afspraak"):
        _update(agreement_status, adviseur, criteria_met=list(other.agreement.criteria.all()[:1]))


@pytest.mark.parametrize("role", [Role.REGIO_ADVISEUR, Role.REGIO_GEBRUIKER, Role.VNG_MEDEWERKER, None])
def test_only_beheerder_and_the_regions_own_adviseur_may_update(agreement_status, make_user, role):
    outsider = make_user(role, regions=[RegionFactory()])
    with pytest.raises(PermissionDenied):
        _update(agreement_status, outsider)
    assert not StatusChange.objects.exists()
    _update(agreement_status, make_user(Role.BEHEERDER))
    assert StatusChange.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_on_one_version_let_exactly_one_win(make_user):
    """Eight threads with their own PostgreSQL connections race on version 1: one wins, seven conflict."""
    agreement_status = AgreementStatusFactory()
    beheerder = make_user(Role.BEHEERDER)
    outcomes, barrier = [], threading.Barrier(8)

    def save(n):
        try:
            barrier.wait()
            _update(AgreementStatus.objects.get(pk=agreement_status.pk), beheerder, version=1, explanation=f"poging {n}")
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
    agreement_status.refresh_from_db()
    change = StatusChange.objects.get()
    assert agreement_status.version == 2
    assert change.new_explanation == agreement_status.explanation
