import io
import json

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.roles import Role
from accounts.services import roles_ensure
from core.models import AuditEvent
from demo.services import DEMO_PASSWORD
from operations.backup import backup_models, model_rows_json
from regions.models import ContactChange, Region


def _every_row() -> dict[str, list]:
    return {model._meta.label_lower: json.loads(model_rows_json(model)) for model in backup_models()}


def _empty_database():
    """Like a freshly migrated database: no rows, except the role groups that migrate creates."""
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in backup_models())
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # fire the deferred FK checks before TRUNCATE
        cursor.execute(f"TRUNCATE {tables} CASCADE")  # noqa: S608 - table names from the model registry
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # as in the fresh transaction a real restore runs in
    roles_ensure()


@pytest.fixture
def full_database(reference_data, make_user):
    from agreements.models import AgreementStatus
    from agreements.services import status_update
    from demo.models import DemoDataset
    from regions.tests.factories import ContactPersonFactory, RegiovisieAdoptionFactory

    beheerder = make_user(Role.BEHEERDER, username="beheerder")
    make_user(Role.VNG_MEDEWERKER, username="vng", password=DEMO_PASSWORD)
    make_user(Role.REGIO_ADVISEUR, list(Region.objects.all()[:3]))
    for agreement_status in AgreementStatus.objects.select_related("agreement")[:20]:
        status_update(
            agreement_status=agreement_status,
            expected_version=1,
            user=beheerder,
            status=3,
            criteria_met=list(agreement_status.agreement.criteria.all()[:1]),
            explanation="Bezig.",
            evidence_links=["https://example.org/besluit"],
        )
    ContactPersonFactory(region=Region.objects.last())
    RegiovisieAdoptionFactory(municipality=Region.objects.first().municipalities.first())
    DemoDataset.objects.create()
    TOTPDevice.objects.create(user=beheerder, name="telefoon", confirmed=True)
    region = Region.objects.first()
    ContactChange.objects.create(
        region=region,
        kind="ambtelijk",
        position="primair",
        changed_by=beheerder,
        old=None,
        new={"name": "Ria Ruiter", "email": "ria@example.org"},
    )
    LogEntry.objects.create(
        user=beheerder,
        content_type=ContentType.objects.get_for_model(Region),
        object_id=str(region.pk),
        object_repr=str(region),
        action_flag=ADDITION,
    )
    AuditEvent.objects.create(kind=AuditEvent.Kind.LOGIN, actor=beheerder, username="beheerder", ip="192.0.2.1")


def test_backup_and_restore_round_trip_loses_nothing(full_database, tmp_path, client):
    before = _every_row()
    for label in (
        "regions.region",
        "regions.municipality",
        "regions.contactperson",
        "regions.contactchange",
        "regions.regiovisieadoption",
        "agreements.agreement",
        "agreements.criterion",
        "agreements.agreementstatus",
        "agreements.statuschange",
        "accounts.user",
        "auth.group",
        "core.auditevent",
        "admin.logentry",
        "otp_totp.totpdevice",
        "demo.demodataset",
    ):
        assert before[label], f"test data has no {label}"
    archive = tmp_path / "backup.zip"
    call_command("backup_data", str(archive), stdout=io.StringIO())

    _empty_database()
    assert not Region.objects.exists() and not User.objects.exists()
    call_command("restore_data", str(archive), stdout=io.StringIO())

    after = _every_row()
    assert after.keys() == before.keys()
    for label in before:
        assert after[label] == before[label], label
    # Sequences follow the restored ids, and restored accounts sign in with their old password.
    Region.objects.create(name="Nieuwe regio", slug="nieuwe-regio", code="NIEUW")
    assert client.login(username="vng", password=DEMO_PASSWORD)


def test_restore_refuses_a_database_that_has_data(full_database, tmp_path):
    archive = tmp_path / "backup.zip"
    call_command("backup_data", str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError, match="lege"):
        call_command("restore_data", str(archive))


def test_restore_refuses_a_file_that_is_no_archive(db, tmp_path):
    bogus = tmp_path / "niet-een-archief.zip"
    bogus.write_text("hallo")
    with pytest.raises(CommandError, match="geen leesbaar back-uparchief"):
        call_command("restore_data", str(bogus))
