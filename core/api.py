"""Shared API pieces: Django validation errors become JSON field messages; a database fault
becomes 503 in the same {"detail": ...} shape (core/dbfaults.py); the router whose `{id}` is a
bounded database id (core.params.IdConverter)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, routers, serializers, status
from rest_framework.views import exception_handler

from core import (
    dbfaults,
    params,  # noqa: F401 - registers the `id` path converter
)
from core.exceptions import ConflictError


class _IdLookup:
    """DRF's router with path converters: a viewset's `{id}` is `<id:pk>`, so a non-numeric or
    too large id answers 404 before the view runs. An action's `url_path` writes its own
    converters (`materials/<id:material_pk>/remove`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("use_regex_path", False)
        super().__init__(*args, **kwargs)
        self._default_value_pattern = "id"


class Router(_IdLookup, routers.DefaultRouter):
    """DefaultRouter (with the API root) whose ids are bounded (see _IdLookup). No `.json`
    format-suffix routes: the API answers JSON (the browsable API by content negotiation)."""

    include_format_suffixes = False


class SimpleRouter(_IdLookup, routers.SimpleRouter):
    """SimpleRouter whose ids are bounded (see _IdLookup)."""


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class PreconditionRequired(exceptions.APIException):
    """An edit that does not say which version it was based on (core.versioning)."""

    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "precondition_required"


class DatabaseFault(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "database_unavailable"


def api_exception_handler(exc, context):
    fault = dbfaults.database_fault(exc)
    if fault is not None:
        dbfaults.logger.error("Database %s in the API: %s", fault, exc)
        response = exception_handler(DatabaseFault(dbfaults.fault_message(fault)), context)
        response["Retry-After"] = dbfaults.RETRY_AFTER[fault]
        response["Cache-Control"] = "no-store"
        return response
    if isinstance(exc, ConflictError):
        conflict = exc
        response = exception_handler(Conflict(conflict.message), context)
        if response is not None:
            response.data.update(conflict.data)
        return response
    if isinstance(exc, DjangoPermissionDenied) and exc.args:
        # DRF would replace the service's reason with a generic text.
        exc = exceptions.PermissionDenied(str(exc.args[0]))
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                ("non_field_errors" if field == "__all__" else field): messages
                for field, messages in exc.message_dict.items()
            }
        else:
            detail = {"non_field_errors": exc.messages}
        exc = serializers.ValidationError(detail)
    return exception_handler(exc, context)
