"""The one place where the application's exceptions become API responses."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import API_NOT_FOUND_MESSAGE, ApplicationError, ConflictError


def exception_handler(exc, context):
    if isinstance(exc, ConflictError):
        from api.serializers import StatusSerializer  # the only object that carries a version today

        return Response({"detail": exc.message, "current": StatusSerializer(exc.current).data}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, ApplicationError):
        exc = exceptions.ValidationError({"detail": exc.message, **exc.extra})
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})
    elif isinstance(exc, exceptions.ParseError):
        exc = exceptions.ParseError("De inhoud van het verzoek is geen geldige JSON; controleer de opmaak.")
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(API_NOT_FOUND_MESSAGE)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)
