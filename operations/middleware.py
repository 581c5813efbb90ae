from django.db import DatabaseError

from operations.models import AuditEvent
from operations.services import audit_record


class AccessDeniedAuditMiddleware:
    """Record every 403 answer (PermissionDenied, a failed CSRF check, a role check) in the audit trail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
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
