"""Backup and restore of all data in one zip archive: a manifest plus one JSON file per model.

Included: every model of every installed app (reference data, statuses and their history, dashboard
snapshots, contacts and their history, the audit log, users WITH their password hashes and two-factor
devices, so a restore gives working accounts), except what `migrate` creates or what is short-lived:
content types, permissions, sessions and django-axes' login attempts. Foreign keys to users, groups,
permissions and content types are written as natural keys, so the archive restores into any freshly
migrated database. The archive holds password hashes and TOTP secrets: store it encrypted.
"""

import json
import zipfile
from io import StringIO
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.db import connection, transaction
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


def model_rows_json(model) -> str:
    """All rows of `model` as JSON, ordered by primary key (also what the round-trip test compares)."""
    natural_primary = model._meta.label_lower in CREATED_BY_MIGRATE
    return serializers.serialize(
        "json",
        model._default_manager.order_by("pk"),
        use_natural_foreign_keys=True,
        use_natural_primary_keys=natural_primary,
    )


def backup_write(*, path: Path) -> dict[str, int]:
    """Write every row to the zip archive at `path`; returns the row count per model."""
    counts = {}
    own_transaction = not connection.in_atomic_block
    with transaction.atomic(), zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        if own_transaction and connection.vendor == "postgresql":
            # Every table read from one snapshot, so a status and its history never disagree in the archive.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        for model in backup_models():
            label = model._meta.label_lower
            data = model_rows_json(model)
            counts[label] = len(json.loads(data))
            archive.writestr(f"{label}.json", data)
        manifest = {"format": FORMAT_VERSION, "created_at": timezone.now().isoformat(), "models": counts}
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
    return counts


@transaction.atomic
def backup_restore(*, path: Path) -> dict[str, int]:
    """Restore the archive at `path` into an empty, migrated database; all or nothing."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise ApplicationError(f"{path} is geen leesbaar back-uparchief: {error}") from error
    with archive:
        manifest = json.loads(archive.read("manifest.json"))
        if manifest.get("format") != FORMAT_VERSION:
            raise ApplicationError(f"Onbekend archiefformaat {manifest.get('format')!r}; verwacht {FORMAT_VERSION}.")
        models = {model._meta.label_lower: model for model in backup_models()}
        unknown = sorted(set(manifest["models"]) - set(models))
        if unknown:
            raise ApplicationError(f"Het archief bevat onbekende modellen: {', '.join(unknown)}.")
        filled = [label for label, model in models.items() if label not in CREATED_BY_MIGRATE and model._default_manager.exists()]
        if filled:
            raise ApplicationError(
                "Terugzetten kan alleen in een lege (net gemigreerde) database; deze tabellen bevatten al gegevens: " + ", ".join(filled)
            )
        counts, deferred = {}, []
        for label in models:  # dependency order
            if label not in manifest["models"]:
                continue
            counts[label] = 0
            for item in serializers.deserialize("json", StringIO(archive.read(f"{label}.json").decode()), handle_forward_references=True):
                item.save()
                counts[label] += 1
                if item.deferred_fields:
                    deferred.append(item)
        for item in deferred:
            item.save_deferred_fields()
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models.values())):
            cursor.execute(sql)
    if counts != manifest["models"]:
        raise ApplicationError(f"Niet alle rijen zijn teruggezet: {counts} ≠ {manifest['models']}.")
    return counts
