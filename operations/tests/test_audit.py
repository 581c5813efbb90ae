from dataclasses import replace

import pytest
from django.db import transaction

from accounts.roles import Role
from agreements.models import Status
from agreements.services import status_update
from agreements.tests.factories import AgreementStatusFactory
from core.models import AuditEvent
from regions.services import DIVISION_FILE, division_apply, division_rows_from_csv


def test_a_status_change_is_audited_in_the_same_transaction(make_user):
    agreement_status = AgreementStatusFactory()
    adviseur = make_user(Role.REGIO_ADVISEUR, [agreement_status.region])
    change = status_update(
        agreement_status=agreement_status,
        expected_version=1,
        user=adviseur,
        status=Status.IN_UITVOERING,
        criteria_met=[],
        explanation="Gestart.",
        evidence_links=[],
    )
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.DATA_CHANGE)
    assert (event.actor, event.username) == (adviseur, adviseur.username)
    assert event.details == {"model": "agreements.StatusChange", "id": change.pk, "version": 2}

    # A change that is rolled back leaves no audit event behind.
    with pytest.raises(RuntimeError), transaction.atomic():
        status_update(
            agreement_status=agreement_status,
            expected_version=2,
            user=adviseur,
            status=Status.NIET_GESTART,
            criteria_met=[],
            explanation="",
            evidence_links=[],
        )
        raise RuntimeError("rollback")
    assert AuditEvent.objects.count() == 1


def test_a_division_import_that_changes_something_is_audited(reference_data, make_user):
    beheerder = make_user(Role.BEHEERDER)
    rows = division_rows_from_csv(DIVISION_FILE.read_text())
    AuditEvent.objects.all().delete()  # loading the reference data was itself audited
    division_apply(rows=rows, user=beheerder)
    assert not AuditEvent.objects.exists()  # idempotent: nothing changed, nothing to audit
    target = next(row for row in rows if row.municipality != row.centrumgemeente)
    division_apply(rows=[replace(row, municipality="Nieuwdorp aan Zee") if row == target else row for row in rows], user=beheerder)
    event = AuditEvent.objects.get()
    assert (event.kind, event.actor) == (AuditEvent.Kind.DATA_CHANGE, beheerder)
    assert event.object_description == "Gemeentelijke indeling bijgewerkt"
    assert event.details["municipalities_renamed"] == 1
