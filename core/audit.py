"""The one audit call: every write records who, when, what (and old → new) inside its own transaction."""

from contextvars import ContextVar

from django.db import transaction

from core.models import AuditEvent

_NUL = "\x00"
# The request being answered, set by operations' AuditMiddleware, so that a service that knows no request
# still records the address a change came from.
current_request: ContextVar = ContextVar("current_request", default=None)


def client_ip(request) -> str | None:
    """The address the request came from (REMOTE_ADDR; the proxy setup is axes' concern for lockouts)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


@transaction.atomic
def audit_record(
    *,
    kind: AuditEvent.Kind,
    user=None,
    username: str = "",
    description: str = "",
    details: dict | None = None,
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
