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
