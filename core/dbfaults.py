"""Database faults answer 503, never a 500 trace.

Only faults that go away by themselves are turned into 503; everything else stays a 500 (a bug):

- *unavailable*: the connection is gone or cannot be made (PostgreSQL stopped, restarted, the
  backend killed, too many connections; SQLite file cannot be opened). Django reconnects by
  itself on the next request (`CONN_HEALTH_CHECKS` in settings).
- *busy*: the database is up but the statement lost a race (SQLite "database is locked" after
  its 20 s timeout; PostgreSQL deadlock, serialization failure, lock or statement timeout). The
  user may simply try again, so this is a 503 "busy" with a short Retry-After, not a 500.

An `OperationalError` that is neither (SQLite "no such table", a PostgreSQL error of another
class) is left alone: it is a bug or a broken deployment and must show up as a 500.

Where the fault is caught: views by `DatabaseFaultMiddleware.process_exception`, DRF views by
`core.api.api_exception_handler`, and a fault raised inside a middleware (loading the session or
the user, saving the session) by `server_error`, the project's handler500.
"""

import logging
import sqlite3
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger(__name__)

UNAVAILABLE = "unavailable"
BUSY = "busy"

# PostgreSQL SQLSTATEs (appendix A of its manual). Class 08: connection exception.
_PG_UNAVAILABLE = {
    "57P01",  # admin_shutdown (server stopped, backend terminated)
    "57P02",  # crash_shutdown
    "57P03",  # cannot_connect_now (starting up, shutting down)
    "53300",  # too_many_connections
}
_PG_BUSY = {
    "40001",  # serialization_failure
    "40P01",  # deadlock_detected
    "55P03",  # lock_not_available
    "57014",  # query_canceled (statement_timeout)
}
_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")
_SQLITE_UNAVAILABLE = ("unable to open database file", "disk i/o error")

RETRY_AFTER = {UNAVAILABLE: "30", BUSY: "5"}


def database_fault(exc: BaseException | None) -> str | None:
    """UNAVAILABLE, BUSY or None (not a fault that passes by itself)."""
    if isinstance(exc, InterfaceError):
        # psycopg: "connection already closed"; Django: using a closed connection.
        return UNAVAILABLE
    if not isinstance(exc, OperationalError):
        return None
    cause = exc.__cause__
    if isinstance(cause, sqlite3.Error) or cause is None:
        message = str(cause or exc).lower()
        if message.startswith(_SQLITE_BUSY):
            return BUSY
        if message.startswith(_SQLITE_UNAVAILABLE):
            return UNAVAILABLE
        return None
    # psycopg: errors raised by the server carry a SQLSTATE; a connection that fails or drops on
    # the client side (refused, "server closed the connection unexpectedly") carries none.
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate is None or sqlstate.startswith("08") or sqlstate in _PG_UNAVAILABLE:
        return UNAVAILABLE
    if sqlstate in _PG_BUSY:
        return BUSY
    return None


def fault_message(fault: str) -> str:
    if fault == BUSY:
        return _("The system is busy at the moment. Please try again in a few seconds.")
    return _(
        "The database is temporarily unavailable. Your last action may not have been saved. "
        "Please try again in a minute."
    )


def wants_json(request) -> bool:
    return request.path.startswith("/api/")


def fault_response(request, fault: str, exc: BaseException | None = None):
    """The 503 answer: the API's JSON error ({"detail": ...}) or a page that needs no database
    (no context processors, no user, no session)."""
    logger.error("Database %s on %s %s: %s", fault, request.method, request.path, exc)
    message = fault_message(fault)
    if wants_json(request):
        response = JsonResponse({"detail": message}, status=503)
    else:
        title = _("System busy") if fault == BUSY else _("Service temporarily unavailable")
        html = render_to_string("503.html", {"title": title, "message": message})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = RETRY_AFTER[fault]
    response["Cache-Control"] = "no-store"
    return response


class DatabaseFaultMiddleware:
    """A view that fails on a database fault answers 503 (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        fault = database_fault(exception)
        if fault is None:
            return None
        return fault_response(request, fault, exception)


def server_error(request, template_name="500.html"):
    """handler500: a fault raised outside a view (in a middleware) still answers 503.

    Django calls the handler inside its `except` block, so the exception is sys.exc_info()."""
    exc = sys.exc_info()[1]
    fault = database_fault(exc)
    if fault is not None:
        return fault_response(request, fault, exc)
    return defaults.server_error(request, template_name)
