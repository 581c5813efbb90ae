"""The one audit call: every write records who, when, what (and old → new) inside its own transaction."""

import ipaddress
import json
from contextvars import ContextVar

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from core.models import AuditEvent

_NUL = "\x00"
# The request being answered, set by operations' AuditMiddleware, so that a service that knows no request
# still records the address a change came from.
current_request: ContextVar = ContextVar("current_request", default=None)


def client_ip(request) -> str | None:
    """The address the request came from, for the audit log and django-axes' lockouts alike.

    Behind TRUSTED_PROXY_COUNT proxies that each append the address they were reached from to
    X-Forwarded-For, the client is the entry that many places from the right; entries further left are whatever
    the client sent and are never believed. Without the setting, or when the header is missing or not an
    address, the socket's address (REMOTE_ADDR).
    """
    if request is None:
        return None
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if count and len(forwarded) >= count:
        try:
            return str(ipaddress.ip_address(forwarded[-count]))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR") or None


def changed_fields(old: dict | None, new: dict | None) -> list[str]:
    """The names whose values differ between two states (a missing state counts as every field empty)."""
    if old is None or new is None:
        return sorted(name for name, value in (old or new or {}).items() if value not in (None, "", [], {}))
    return sorted(name for name in old.keys() | new.keys() if old.get(name) != new.get(name))


def _json(value):
    """`value` as plain JSON (dates and decimals as text), so the audit row never fails to save."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


# No savepoint of its own: inside a change's transaction the event stands or falls with that change anyway, and
# a savepoint would cost two round trips per event.
@transaction.atomic(savepoint=False)
def audit_record(
    *,
    kind: AuditEvent.Kind,
    user=None,
    username: str = "",
    description: str = "",
    target=None,
    action: str = "",
    old: dict | None = None,
    new: dict | None = None,
    personal: bool = False,
    details: dict | None = None,
    request=None,
) -> AuditEvent:
    """Append one audit event. Called inside the caller's transaction, so it stands or falls with the change.

    For a data change pass the changed object as `target` (its model and id are recorded), what happened as
    `action` ("aangemaakt", "gewijzigd", "verwijderd", …) and the state before and after as `old` / `new`:
    only the fields that differ are kept. With `personal=True` (contacts) only the names of the changed
    fields are kept, never their values: the audit log holds no personal data.
    """
    actor = user if user is not None and user.is_authenticated else None
    username = (username or (actor.get_username() if actor else "")).replace(_NUL, "")
    record = {}
    if target is not None:
        record["model"], record["id"] = target._meta.label, target.pk
    if action:
        record["action"] = action
    if old is not None or new is not None:
        fields = changed_fields(old, new)
        record["fields"] = fields
        if not personal:
            record["old"] = None if old is None else {name: old.get(name) for name in fields}
            record["new"] = None if new is None else {name: new.get(name) for name in fields}
    record.update(details or {})
    return AuditEvent.objects.create(
        kind=kind,
        actor=actor,
        username=username[:150],
        object_description=description.replace(_NUL, "")[:300],
        details=_json(record),
        ip=client_ip(request if request is not None else current_request.get()),
    )
