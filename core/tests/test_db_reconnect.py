"""PostgreSQL: the app's connection is killed under it, and the app recovers by itself.

Requests go through Django's WSGI handler as a server calls it, so the request_started /
request_finished signals run `close_old_connections` as in production (the test client skips
them). Skipped on SQLite (no server connection to lose)."""

from types import SimpleNamespace

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, connections
from django.test import Client, RequestFactory

from accounts.models import Role
from conftest import make_user
from org import access
from org.models import Unit, UnitKind

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def serve(path, cookie=""):
    """One request as a WSGI server makes it; the response is closed like a server does."""
    environ = RequestFactory().get(path, HTTP_COOKIE=cookie).environ
    started = SimpleNamespace()

    def start_response(status, headers, exc_info=None):
        started.status = int(status.split()[0])

    result = WSGIHandler()(environ, start_response)
    try:
        started.body = b"".join(result).decode()
    finally:
        result.close()  # request_finished
    return started


def backend_pid():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def terminate(pid):
    """Kill the backend from a second connection, and wait until it is gone."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s, 10000)", [pid])
            assert cursor.fetchone()[0] is True
    finally:
        other.close()


@pytest.fixture
def persistent(monkeypatch):
    """The production connection settings: kept between requests, checked when reused."""
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    connection.close()
    yield
    connection.close()


def test_a_killed_idle_connection_is_replaced_by_the_next_request(persistent):
    assert serve("/healthz").status == 200
    first = backend_pid()
    assert serve("/healthz").status == 200
    assert backend_pid() == first  # the connection is kept between requests
    terminate(first)
    # The health check at the start of the request finds the connection dead and reconnects:
    # the user sees nothing.
    response = serve("/healthz")
    assert (response.status, response.body) == (200, '{"status": "ok", "database": "ok"}')
    assert backend_pid() != first


def test_a_connection_killed_mid_request_answers_503_then_the_app_recovers(persistent, monkeypatch):
    district = Unit.objects.create(kind=UnitKind.DISTRICT, name="东区", code="DA")
    user = make_user("district_manager", Role.DISTRICT_MANAGER, district)
    client = Client()
    client.force_login(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    assert serve("/", cookie).status == 200

    primary_role = access.primary_role

    def killed_then_primary_role(user):
        # The request has read the session and the user; now the server drops the connection.
        terminate(backend_pid())
        return primary_role(user)

    with monkeypatch.context() as patched:
        patched.setattr(access, "primary_role", killed_then_primary_role)
        failed = serve("/", cookie)
    assert failed.status == 503
    assert "服务暂时不可用" in failed.body and "Traceback" not in failed.body
    # Nothing restarted: the next requests reconnect.
    assert serve("/", cookie).status == 200
    assert serve("/healthz").status == 200
