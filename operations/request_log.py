"""Request ids and log records without personal data (LOGGING in settings).

Every request gets an id: the proxy's `X-Request-ID` when it sends a sane one, else a new one; it goes back in the
response header, so a user or the proxy's access log can name the request a logged error belongs to. Log lines
carry the id and the request's path (never its query string, form data, cookies or user). The optional ADMINS
mail is Django's, but without the request's data and the traceback's local variables, which may hold names,
e-mail addresses and phone numbers of contacts.
"""

import contextvars
import logging
import re
import uuid

from django.views.debug import ExceptionReporter

REQUEST_ID_HEADER = "X-Request-ID"
# A request id from the proxy is used only when it is this plain and at most this long.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,64}")

_current = contextvars.ContextVar("request_log_current", default=("-", "-"))


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get(REQUEST_ID_HEADER, "")
        request.request_id = offered if REQUEST_ID_PATTERN.fullmatch(offered) else uuid.uuid4().hex
        token = _current.set((request.request_id, request.path))
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[REQUEST_ID_HEADER] = request.request_id
        return response


class RequestContextFilter(logging.Filter):
    """Adds `request_id` and `request_path` to every record ("-" outside a request)."""

    def filter(self, record):
        request_id, path = _current.get()
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", request_id)
        record.request_path = getattr(request, "path", path)
        return True


class PrivateExceptionReporter(ExceptionReporter):
    """The ADMINS mail of a server error: the traceback and where, not what was sent or who sent it."""

    def __init__(self, request, exc_type, exc_value, tb, is_email=False):
        super().__init__(None, exc_type, exc_value, tb, is_email)
        self.request_id = getattr(request, "request_id", "-")
        self.request_path = getattr(request, "path", "-")

    def get_traceback_frames(self):
        return [{**frame, "vars": []} for frame in super().get_traceback_frames()]

    def get_traceback_text(self):
        return f"Request id: {self.request_id}\nPath: {self.request_path}\n\n{super().get_traceback_text()}"
