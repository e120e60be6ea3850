"""Database faults answer 503 in Chinese (a page, or the API's JSON error), never a 500 trace;
/healthz tells a load balancer whether the database answers. (The reconnect on a real
PostgreSQL is in test_db_reconnect.py.)"""

import sqlite3

import psycopg
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError, ProgrammingError
from django.db.backends.utils import CursorWrapper
from django.test import Client

from core.dbfaults import BUSY, UNAVAILABLE, database_fault
from org import access


def wrapped(django_error, cause):
    """A Django database error as Django raises it: the driver's error as its cause."""
    error = django_error(str(cause))
    error.__cause__ = cause
    return error


def connection_lost():
    return wrapped(
        OperationalError,
        psycopg.OperationalError("consuming input failed: server closed the connection"),
    )


@pytest.mark.parametrize(
    ("error", "fault"),
    [
        (connection_lost(), UNAVAILABLE),
        (wrapped(OperationalError, psycopg.errors.AdminShutdown("terminating")), UNAVAILABLE),
        (wrapped(OperationalError, psycopg.errors.CannotConnectNow("starting up")), UNAVAILABLE),
        (wrapped(OperationalError, psycopg.errors.TooManyConnections("too many")), UNAVAILABLE),
        (wrapped(InterfaceError, psycopg.InterfaceError("connection is closed")), UNAVAILABLE),
        (wrapped(OperationalError, psycopg.errors.DeadlockDetected("deadlock")), BUSY),
        (wrapped(OperationalError, psycopg.errors.QueryCanceled("statement timeout")), BUSY),
        (wrapped(OperationalError, sqlite3.OperationalError("database is locked")), BUSY),
        (
            wrapped(OperationalError, sqlite3.OperationalError("unable to open database file")),
            UNAVAILABLE,
        ),
        # Bugs and broken deployments stay 500.
        (wrapped(OperationalError, sqlite3.OperationalError("no such table: org_agent")), None),
        (wrapped(OperationalError, psycopg.errors.DiskFull("disk full")), None),
        (wrapped(ProgrammingError, psycopg.errors.UndefinedTable("no table")), None),
        (ValueError("not a database error"), None),
    ],
)
def test_only_faults_that_pass_by_themselves_are_503(error, fault):
    assert database_fault(error) == fault


def fail_with(error):
    def fail(*args, **kwargs):
        raise error

    return fail


@pytest.fixture
def signed_in(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.district_manager)
    return client


def test_a_view_losing_the_database_shows_a_503_page_in_chinese(signed_in, monkeypatch):
    monkeypatch.setattr(access, "primary_role", fail_with(connection_lost()))
    response = signed_in.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "服务暂时不可用" in page
    assert "数据库暂时无法访问" in page
    assert "Traceback" not in page and "OperationalError" not in page
    assert '<html lang="zh-hans">' in page


def test_a_locked_sqlite_database_asks_to_try_again(signed_in, monkeypatch):
    locked = wrapped(OperationalError, sqlite3.OperationalError("database is locked"))
    monkeypatch.setattr(access, "primary_role", fail_with(locked))
    response = signed_in.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "系统繁忙" in response.content.decode()


def test_other_database_errors_stay_500(signed_in, monkeypatch):
    bug = wrapped(OperationalError, sqlite3.OperationalError("no such table: org_agent"))
    monkeypatch.setattr(access, "primary_role", fail_with(bug))
    assert signed_in.get("/").status_code == 500


def test_a_fault_while_loading_the_session_shows_the_503_page(signed_in, monkeypatch):
    # The session is read by a middleware, before any view: handler500 answers.
    monkeypatch.setattr(SessionStore, "load", fail_with(connection_lost()))
    response = signed_in.get("/")
    assert response.status_code == 503
    assert "服务暂时不可用" in response.content.decode()


def test_the_api_answers_503_in_its_error_format(world, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(world.district_manager)
    monkeypatch.setattr("home.api.tasks_for", fail_with(connection_lost()))
    response = client.get("/api/v1/tasks/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {"detail": response.json()["detail"]}
    assert "数据库暂时无法访问" in response.json()["detail"]


def test_the_api_answers_503_json_when_the_session_cannot_be_read(world, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(world.district_manager)
    monkeypatch.setattr(SessionStore, "load", fail_with(connection_lost()))
    response = client.get("/api/v1/tasks/")
    assert response.status_code == 503
    assert "数据库暂时无法访问" in response.json()["detail"]


def test_healthz_reports_a_working_database_with_one_query(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert "sessionid" not in response.cookies


def test_healthz_answers_503_when_the_database_does_not(db, monkeypatch):
    with monkeypatch.context() as patched:  # undone before the test database is torn down
        patched.setattr(CursorWrapper, "execute", fail_with(connection_lost()))
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


def test_healthz_needs_no_login_and_takes_head(db):
    assert Client().head("/healthz").status_code == 200
    assert Client().post("/healthz").status_code == 405
