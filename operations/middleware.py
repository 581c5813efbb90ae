from django.db import DatabaseError, connection

from core.audit import audit_record, current_request
from core.models import AuditEvent
from operations.database import query_deadline


class AuditMiddleware:
    """Record every 403 answer (PermissionDenied, a failed CSRF check, a role check) in the audit trail,
    and make the request known to audit events written during it (for their IP address)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        if response.status_code == 403:
            user = getattr(request, "user", None)
            try:
                audit_record(
                    kind=AuditEvent.Kind.ACCESS_DENIED,
                    user=user,
                    description=f"{request.method} {request.path}",
                    request=request,
                )
            except DatabaseError:
                pass  # the 403 still goes out; a database fault is reported by /healthz
        return response


class DatabaseHangGuardMiddleware:
    """Give every query of a request a deadline (operations.database), so a hung PostgreSQL gets a quick 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with connection.execute_wrapper(query_deadline):
            return self.get_response(request)
