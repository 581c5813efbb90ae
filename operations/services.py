"""Writes for operations: the audit trail."""

from contextvars import ContextVar

from django.db import transaction

from operations.models import AuditEvent

_NUL = "\x00"
# The request being answered, set by AuditMiddleware, so that changes audited from history signals
# (which know no request) still record the address they came from.
current_request: ContextVar = ContextVar("current_request", default=None)


def client_ip(request) -> str | None:
    """The address the request came from (REMOTE_ADDR; the proxy setup is axes' concern for lockouts)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


@transaction.atomic
def audit_record(
    *, kind: AuditEvent.Kind, user=None, username: str = "", description: str = "", details: dict | None = None,
    request=None,
) -> AuditEvent:
    """Append one audit event. Called inside the caller's transaction, so it stands or falls with the change."""
    actor = user if user is not None and user.is_authenticated else None
    username = (username or (actor.get_username() if actor else "")).replace(_NUL, "")
    return AuditEvent.objects.create(
        kind=kind,
        actor=actor,
        username=username[:150],
        object_description=description.replace(_NUL, "")[:300],
        details=details or {},
        ip=client_ip(request if request is not None else current_request.get()),
    )
