from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse, QueryDict, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.template import loader

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


class RequestInputGuardMiddleware:
    """Refuse hostile input before any view sees it, in one place for every page and the API.

    - a body larger than REQUEST_MAX_BYTES (by its Content-Length) gets 413 before a byte of it is read, so no
      upload can make a worker read and spool an arbitrary amount;
    - a NUL character in the path, a query parameter or a form field (name or value) gets 400: PostgreSQL
      cannot store or compare text with NUL, and no Dutch text needs one.

    Pages get the Dutch error page, `/api/` a JSON `{"detail": …}` like the API's other errors.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self._refusal(request)
        if refusal is not None:
            status, message = refusal
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": message}, status=status)
            body = loader.get_template("400.html").render({"message": message})
            return HttpResponse(body, status=status)
        return self.get_response(request)

    @staticmethod
    def _refusal(request) -> tuple[int, str] | None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return 400, "Het verzoek heeft een ongeldige lengte (Content-Length)."
        if length > settings.REQUEST_MAX_BYTES:
            return 413, (
                f"Het verzoek is te groot: het mag hoogstens {settings.REQUEST_MAX_BYTES // (1024 * 1024)} MB zijn. "
                f"Een Excel-bestand voor de import mag hoogstens {settings.STATUS_IMPORT_MAX_BYTES // (1024 * 1024)} MB zijn."
            )
        if _NUL in request.path:
            return 400, "Het adres bevat een ongeldig teken (NUL). Controleer de link en probeer het opnieuw."
        if _has_nul(request.GET):
            return 400, "Een zoekparameter in het adres bevat een ongeldig teken (NUL). Verwijder het en probeer het opnieuw."
        if request.method == "POST" and request.content_type in _FORM_TYPES:
            try:
                fields = request.POST
            except RequestDataTooBig:
                return 413, "Het formulier is te groot. Maak de tekst korter en probeer het opnieuw."
            except (MultiPartParserError, UnreadablePostError, SuspiciousOperation):
                return 400, "Het formulier kon niet worden gelezen. Probeer het opnieuw."
            if _has_nul(fields):
                return 400, "Een formulierveld bevat een ongeldig teken (NUL). Verwijder het en probeer het opnieuw."
        return None


_NUL = "\x00"
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(query: QueryDict) -> bool:
    return any(_NUL in key or any(_NUL in value for value in values) for key, values in query.lists())
