"""Audit receivers: every sign-in, failed sign-in and history record becomes an AuditEvent.

Data changes are audited from the history models (StatusChange, ContactChange) and the admin's LogEntry,
not from each service: whatever channel writes history (page, API, admin, import) is audited in the same
transaction. Writes without a history model (the division import) call `audit_record` themselves.
"""

from django.contrib.admin.models import LogEntry
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from agreements.models import StatusChange
from core.audit import audit_record
from core.models import AuditEvent
from regions.models import ContactChange


@receiver(user_logged_in)
def _audit_login(sender, request, user, **kwargs):
    audit_record(kind=AuditEvent.Kind.LOGIN, user=user, request=request)


@receiver(user_login_failed)
def _audit_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))
    audit_record(kind=AuditEvent.Kind.LOGIN_FAILED, username=username, request=request)


@receiver(post_save, sender=StatusChange)
def _audit_status_change(sender, instance, created, raw=False, **kwargs):
    if created and not raw:  # raw: loaded from a backup or fixture, audited when it happened
        audit_record(
            kind=AuditEvent.Kind.DATA_CHANGE,
            user=instance.changed_by,
            description=f"Status: {instance}",
            details={"model": "agreements.StatusChange", "id": instance.pk, "version": instance.version},
        )


@receiver(post_save, sender=ContactChange)
def _audit_contact_change(sender, instance, created, raw=False, **kwargs):
    # Never copy the old/new contact data here: the audit trail must not hold personal data.
    if created and not raw:
        erased = (instance.old or {}).get("erased")
        what = "Persoonsgegevens verwijderd (AVG)" if erased else "Aanspreekpunt gewijzigd"
        audit_record(
            kind=AuditEvent.Kind.DATA_CHANGE,
            user=instance.changed_by,
            description=f"{what}: {instance.region} ({instance.kind}, {instance.position})",
            details={"model": "regions.ContactChange", "id": instance.pk},
        )


@receiver(post_save, sender=LogEntry)
def _audit_admin_change(sender, instance, created, raw=False, **kwargs):
    # The admin's own object_repr may name a person; the audit keeps only model and id.
    if created and not raw:
        action = {1: "toegevoegd", 2: "gewijzigd", 3: "verwijderd"}.get(instance.action_flag, "gewijzigd")
        model = instance.content_type.model if instance.content_type_id else "?"
        audit_record(
            kind=AuditEvent.Kind.DATA_CHANGE,
            user=instance.user,
            description=f"Beheer: {model} #{instance.object_id} {action}",
            details={"model": "admin.LogEntry", "id": instance.pk},
        )
