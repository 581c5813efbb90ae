import io
import re
import stat
import zipfile
from pathlib import Path

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group
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
from operations.backup import backup_models
from regions.models import ContactChange, Region


def _tables() -> list:
    """Every model in the archive and the many-to-many tables between them."""
    models = backup_models()
    through = [
        field.remote_field.through
        for model in models
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created
    ]
    return models + through


def _columns(model) -> list[str]:
    """Every column as the database holds it, except ids that a restore may renumber: a role group's (migrate
    creates the groups again) and a many-to-many row's; references to a group compare by its name."""
    columns = []
    for field in model._meta.concrete_fields:
        if field.primary_key and (model is Group or model._meta.auto_created):
            continue
        columns.append(f"{field.name}__name" if field.is_relation and field.related_model is Group else field.attname)
    return columns


def _every_row() -> dict[str, list]:
    """Every row of every table as Python values read from PostgreSQL: timestamps to the microsecond."""
    return {model._meta.db_table: sorted(model._base_manager.values_list(*_columns(model)), key=repr) for model in _tables()}


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
    for table in (
        "regions_region",
        "regions_municipality",
        "regions_contactperson",
        "regions_contactchange",
        "regions_regiovisieadoption",
        "agreements_agreement",
        "agreements_criterion",
        "agreements_agreementstatus",
        "agreements_statuschange",
        "agreements_agreementstatus_criteria_met",
        "accounts_user",
        "accounts_user_groups",
        "accounts_user_regions",
        "auth_group",
        "operations_auditevent",
        "django_admin_log",
        "otp_totp_totpdevice",
        "demo_demodataset",
    ):
        assert before[table], f"test data has no {table}"
    moments = [event.created_at for event in AuditEvent.objects.all()] + [User.objects.get(username="vng").date_joined]
    assert any(moment.microsecond % 1000 for moment in moments), "test data has no timestamp below the millisecond"
    archive = tmp_path / "backup.zip"
    call_command("backup_data", str(archive), stdout=io.StringIO())

    _empty_database()
    assert not Region.objects.exists() and not User.objects.exists()
    call_command("restore_data", str(archive), stdout=io.StringIO())

    after = _every_row()
    assert after.keys() == before.keys()
    for table in before:
        assert after[table] == before[table], table
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


def test_the_archive_is_readable_by_its_owner_only(full_database, tmp_path):
    archive = tmp_path / "backup.zip"
    archive.write_text("een oud bestand dat iedereen mocht lezen")
    archive.chmod(0o644)
    call_command("backup_data", str(archive), stdout=io.StringIO())
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert zipfile.is_zipfile(archive)
    assert [path.name for path in tmp_path.iterdir()] == ["backup.zip"]  # no partial file left behind


def _rewrite(source: Path, target: Path, change) -> None:
    """Copy the archive `source` to `target`, each member through `change(name, data)` (None drops it)."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for name in original.namelist():
            data = change(name, original.read(name))
            if data is not None:
                copy.writestr(name, data)


def _flip_a_byte_inside(source: Path, target: Path, member: str) -> None:
    raw = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as archive:
        info = archive.getinfo(member)
    header = 30 + len(info.filename.encode()) + int.from_bytes(raw[info.header_offset + 28 : info.header_offset + 30], "little")
    raw[info.header_offset + header + info.compress_size // 2] ^= 0xFF
    target.write_bytes(bytes(raw))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("bad_crc", "beschadigd"),
        ("missing_member", "onvolledig: regions.municipality.json ontbreekt"),
        ("truncated_json", "regions.municipality.json is beschadigd (geen geldige JSON"),
        ("missing_manifest", "mist manifest.json"),
        ("truncated_file", "geen leesbaar back-uparchief"),
    ],
)
def test_a_damaged_archive_gets_a_dutch_message_and_changes_nothing(full_database, tmp_path, damage, message):
    good, bad = tmp_path / "goed.zip", tmp_path / "kapot.zip"
    call_command("backup_data", str(good), stdout=io.StringIO())
    member = "regions.municipality.json"
    if damage == "bad_crc":
        _flip_a_byte_inside(good, bad, member)
    elif damage == "missing_member":
        _rewrite(good, bad, lambda name, data: None if name == member else data)
    elif damage == "truncated_json":
        _rewrite(good, bad, lambda name, data: data[: len(data) // 2] if name == member else data)
    elif damage == "missing_manifest":
        _rewrite(good, bad, lambda name, data: None if name == "manifest.json" else data)
    else:
        bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])

    _empty_database()
    before = _every_row()
    with pytest.raises(CommandError, match=re.escape(message)) as refused:
        call_command("restore_data", str(bad))
    assert "Traceback" not in str(refused.value)
    assert _every_row() == before  # nothing restored, nothing half-restored
