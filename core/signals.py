"""Audit receivers for what no service of this app writes: sign-ins, failed sign-ins and the admin's own log.

Every data change made through the app is audited inside its service (`core.audit.audit_record`); an edit in
the Django admin leaves a LogEntry, which is audited here in the same transaction.
"""

from django.contrib.admin.models import LogEntry
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from core.audit import audit_record
from core.models import AuditEvent


@receiver(user_logged_in)
def _audit_login(sender, request, user, **kwargs):
    audit_record(kind=AuditEvent.Kind.LOGIN, user=user, request=request)


@receiver(user_login_failed)
def _audit_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))
    audit_record(kind=AuditEvent.Kind.LOGIN_FAILED, username=username, request=request)


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
            details={"model": "admin.LogEntry", "id": instance.pk, "action": action},
        )
