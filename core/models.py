from django.conf import settings
from django.db import models
from django.db.models import Q


class AuditEvent(models.Model):
    """Append-only audit trail: sign-ins, failed sign-ins, permission denials and data changes.

    `username` keeps who it was after the account is gone; `details` never holds contacts' personal data.
    """

    class Kind(models.TextChoices):
        LOGIN = "aanmelding", "Aanmelding"
        LOGIN_FAILED = "mislukte aanmelding", "Mislukte aanmelding"
        ACCESS_DENIED = "toegang geweigerd", "Toegang geweigerd"
        DATA_CHANGE = "gegevenswijziging", "Gegevenswijziging"

    created_at = models.DateTimeField("tijdstip", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="gebruiker",
    )
    username = models.CharField("gebruikersnaam", max_length=150, blank=True)
    kind = models.CharField("soort", max_length=20, choices=Kind.choices, db_index=True)
    object_description = models.CharField("object", max_length=300, blank=True)
    details = models.JSONField("details", default=dict, blank=True)
    ip = models.GenericIPAddressField("IP-adres", null=True, blank=True)

    class Meta:
        db_table = "operations_auditevent"  # the table predates the core app
        ordering = ["-created_at", "-id"]
        verbose_name = "auditgebeurtenis"
        verbose_name_plural = "auditlog"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["aanmelding", "mislukte aanmelding", "toegang geweigerd", "gegevenswijziging"]),
                name="audit_event_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.username}"


class VersionedRecord(models.Model):
    """A record edited in the app: `version` grows with every save, so a save based on an older version is refused.

    Services lock and compare it with `core.versioning.lock_and_compare`.
    """

    version = models.PositiveIntegerField("versie", default=1)
    updated_at = models.DateTimeField("laatst gewijzigd", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="gewijzigd door",
    )

    class Meta:
        abstract = True

    @property
    def updated_by_name(self) -> str:
        """Who saved it last, for the conflict page ("een collega" when unknown: an import or a removed account)."""
        user = self.updated_by
        return (user.get_full_name() or user.get_username()) if user else "een collega"


class ChangeRecord(models.Model):
    """Append-only history row: who, when, the state before (`old`) and after (`new`); None is "no record"."""

    changed_at = models.DateTimeField("tijdstip", auto_now_add=True, db_index=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="door")
    old = models.JSONField("oud", null=True, blank=True)
    new = models.JSONField("nieuw", null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-changed_at", "-id"]


class DataVersion(models.Model):
    """One row that counts the committed transactions that changed data, so cached HTML can name what it shows.

    Written only by the database (migration core 0002): a trigger on the audit table adds one for every data change
    (an AuditEvent of kind "gegevenswijziging") when its transaction commits. Every write
    service records one (docs/development.md), so a fragment keyed on `core.fragments.data_version()` is never
    served after the data under it changed. On PostgreSQL the trigger is deferred to the commit: the row lock is the
    last one a transaction takes and is held only while it commits, so writers cannot deadlock on it, and readers
    see the new number exactly when they see the new data. SQLite runs one writer at a time and bumps at once.
    """

    version = models.BigIntegerField("versie", default=0)

    class Meta:
        verbose_name = "gegevensversie"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="data_version_single_row")]
