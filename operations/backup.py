"""Backup and restore of all data in one zip archive: a manifest plus one JSON file per model.

Included: every model of every installed app (reference data, statuses and their history, dashboard
snapshots, contacts and their history, the audit log, users WITH their password hashes and two-factor
devices, so a restore gives working accounts), except what `migrate` creates or what is short-lived:
content types, permissions, sessions and django-axes' login attempts. Foreign keys to users, groups,
permissions and content types are written as natural keys, so the archive restores into any freshly
migrated database. Every value is kept exactly (timestamps to the microsecond). The archive holds password hashes
and TOTP secrets: it is written readable by its owner only (0600); store it encrypted.
"""

import datetime
import json
import os
import zipfile
import zlib
from io import StringIO
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DataError, IntegrityError, connection, transaction
from django.utils import timezone

from core.errors import ApplicationError

FORMAT_VERSION = 1
EXCLUDED_APPS = {"contenttypes", "sessions", "axes"}
EXCLUDED_MODELS = {"auth.permission"}
# Rows that `migrate` itself creates; the archive's rows are matched to them by natural key.
CREATED_BY_MIGRATE = {"auth.group"}


def backup_models() -> list:
    """Every model in the archive, in an order that restores natural-key references before their users."""
    app_list = [
        (config, [model for model in config.get_models() if model._meta.label_lower not in EXCLUDED_MODELS])
        for config in apps.get_app_configs()
        if config.label not in EXCLUDED_APPS
    ]
    return serializers.sort_dependencies(app_list, allow_cycles=True)


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; the archive keeps every microsecond."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def model_rows_json(model) -> str:
    """All rows of `model` as JSON, ordered by primary key, every value exact."""
    natural_primary = model._meta.label_lower in CREATED_BY_MIGRATE
    return serializers.serialize(
        "json",
        model._default_manager.order_by("pk"),
        use_natural_foreign_keys=True,
        use_natural_primary_keys=natural_primary,
        cls=ExactJSONEncoder,
    )


def backup_write(*, path: Path) -> dict[str, int]:
    """Write every row to the zip archive at `path`, readable by its owner only; returns the row count per model.

    The archive is written under a temporary name and renamed at the end, so a failed backup leaves no half
    archive and an existing file at `path` (whatever its mode) is replaced by one with mode 0600.
    """
    counts = {}
    partial = path.with_name(f".{path.name}.partial")
    own_transaction = not connection.in_atomic_block
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # also when a stale partial file was there with another mode
    try:
        with os.fdopen(descriptor, "wb") as file, transaction.atomic():
            if own_transaction and connection.vendor == "postgresql":
                # Every table read from one snapshot, so a status and its history never disagree in the archive;
                # a big table may take longer than the statement timeout meant for web requests.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                    cursor.execute("SET LOCAL statement_timeout = 0")
            with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for model in backup_models():
                    label = model._meta.label_lower
                    data = model_rows_json(model)
                    counts[label] = len(json.loads(data))
                    archive.writestr(f"{label}.json", data)
                manifest = {"format": FORMAT_VERSION, "created_at": timezone.now().isoformat(), "models": counts}
                archive.writestr("manifest.json", json.dumps(manifest, indent=2))
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return counts


def _archive_read(path: Path) -> tuple[dict, dict[str, list]]:
    """The manifest and every member's rows, all checked before anything is written; a Dutch error otherwise."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise ApplicationError(f"{path} is geen leesbaar back-uparchief: {error}") from error
    with archive:
        try:
            damaged = archive.testzip()  # reads every member and checks its CRC
        except (OSError, zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise ApplicationError(f"{path} is beschadigd: {error}. Er is niets teruggezet.") from error
        if damaged is not None:
            raise ApplicationError(f"{path} is beschadigd: {damaged} klopt niet met zijn controlesom. Er is niets teruggezet.")
        members = set(archive.namelist())
        if "manifest.json" not in members:
            raise ApplicationError(f"{path} mist manifest.json: dit is geen archief van backup_data. Er is niets teruggezet.")
        try:
            manifest = json.loads(archive.read("manifest.json"))
            expected = dict(manifest["models"])
        except (ValueError, KeyError, TypeError) as error:
            raise ApplicationError(f"{path}: manifest.json is beschadigd ({error}). Er is niets teruggezet.") from error
        if manifest.get("format") != FORMAT_VERSION:
            raise ApplicationError(f"Onbekend archiefformaat {manifest.get('format')!r}; verwacht {FORMAT_VERSION}.")
        missing = sorted(f"{label}.json" for label in expected if f"{label}.json" not in members)
        if missing:
            raise ApplicationError(f"{path} is onvolledig: {', '.join(missing)} ontbreekt. Er is niets teruggezet.")
        rows = {}
        for label, count in expected.items():
            try:
                rows[label] = json.loads(archive.read(f"{label}.json").decode())
            except (ValueError, UnicodeDecodeError) as error:
                raise ApplicationError(
                    f"{path}: {label}.json is beschadigd (geen geldige JSON: {error}). Er is niets teruggezet."
                ) from error
            if not isinstance(rows[label], list) or len(rows[label]) != count:
                raise ApplicationError(f"{path}: {label}.json bevat niet de {count} rijen die manifest.json noemt. Er is niets teruggezet.")
    return manifest, rows


@transaction.atomic
def backup_restore(*, path: Path) -> dict[str, int]:
    """Restore the archive at `path` into an empty, migrated database; all or nothing.

    A damaged archive (bad checksum, a missing member, cut-off JSON, rows that do not fit the models) is
    refused with a Dutch message before or during the one transaction, so the database stays as it was.
    """
    manifest, rows = _archive_read(path)
    models = {model._meta.label_lower: model for model in backup_models()}
    unknown = sorted(set(manifest["models"]) - set(models))
    if unknown:
        raise ApplicationError(f"Het archief bevat onbekende modellen: {', '.join(unknown)}.")
    filled = [label for label, model in models.items() if label not in CREATED_BY_MIGRATE and model._default_manager.exists()]
    if filled:
        raise ApplicationError(
            "Terugzetten kan alleen in een lege (net gemigreerde) database; deze tabellen bevatten al gegevens: " + ", ".join(filled)
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")  # a big archive is no web request
    counts, deferred = {}, []
    for label in models:  # dependency order
        if label not in manifest["models"]:
            continue
        counts[label] = 0
        try:
            for item in serializers.deserialize("json", StringIO(json.dumps(rows[label])), handle_forward_references=True):
                item.save()
                counts[label] += 1
                if item.deferred_fields:
                    deferred.append(item)
        except (DeserializationError, IntegrityError, DataError) as error:
            raise ApplicationError(f"{path}: {label}.json past niet bij de database ({error}). Er is niets teruggezet.") from error
    for item in deferred:
        item.save_deferred_fields()
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models.values())):
            cursor.execute(sql)
    if counts != manifest["models"]:
        raise ApplicationError(f"Niet alle rijen zijn teruggezet: {counts} ≠ {manifest['models']}.")
    return counts
