"""Schemathesis over every operation of the OpenAPI schema (issue 20 "No 500 on any input").

Each operation is called, through the WSGI application in the test's transaction, by the system
administrator (a superuser) and by an agent of the scope world (core/tests/scope_world.py), with
the examples, coverage (boundary and invalid values: non-numeric ids, huge integers, far dates)
and fuzzing phases. A path id is, for half of the generated values, replaced by the id of a real
object of that route (read from its list as the administrator), so operations reach real rows.
Check: not_a_server_error. Time-boxed (few examples) and deterministic (fixed seed, derandomized).
"""

import json
import zlib
from functools import cache

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.meta import TestPhase

from accounts.services import api_token_create

pytestmark = pytest.mark.fuzz

ROLES = ["system_admin", "agent"]
BODY_SAMPLE = 16
CONFIG = {
    "seed": 20260420,
    "generation": {"max-examples": 4, "deterministic": True, "database": "none"},
    "phases": {
        "examples": {"enabled": True},
        "coverage": {"enabled": True},
        "fuzzing": {"enabled": True},
        "stateful": {"enabled": False},
    },
}


def _openapi() -> dict:
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


schema = schemathesis.openapi.from_dict(_openapi(), config=schemathesis.Config.from_dict(CONFIG))
APP = get_wsgi_application()


@cache
def _route_prefix(path: str) -> str:
    return path.split("{", 1)[0]


@pytest.fixture(scope="module")
def real_ids(sw, django_db_blocker):
    """Route prefix (e.g. "/api/v1/agents/") → ids of real objects, read from its list."""
    from django.test import Client

    client = Client()
    client.force_login(sw.users["system_admin"])
    found = {}
    with django_db_blocker.unblock():
        for path in schema.raw_schema["paths"]:
            prefix = _route_prefix(path)
            if prefix == path or prefix in found:
                continue
            response = client.get(prefix, {"page_size": 20})
            ids = []
            if response.status_code == 200 and "json" in response["Content-Type"]:
                body = response.json()
                rows = body.get("results", body) if isinstance(body, dict) else body
                ids = [row["id"] for row in rows if isinstance(row, dict) and "id" in row]
            found[prefix] = ids[:10]
    return found


@pytest.fixture(autouse=True)
def keep_test_connection():
    """The WSGI application closes old connections at the start and end of each request. On
    PostgreSQL that would close the test's connection (and its transaction) — Django's test
    client switches that off for the same reason, and so does this module, which calls the
    application directly."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def auth_headers(sw, db):
    def make(role):
        _token, key = api_token_create(user=sw.users[role])
        return {"Authorization": f"Token {key}"}

    return make


def _with_real_ids(case, real_ids):
    """Half of the generated integer path ids become ids of real rows of the route."""
    ids = real_ids.get(_route_prefix(case.path)) or []
    if not ids or not case.path_parameters:
        return
    for name, value in list(case.path_parameters.items()):
        if isinstance(value, int) and not isinstance(value, bool) and value % 2 == 0:
            case.path_parameters[name] = ids[value // 2 % len(ids)]


def _worth_calling(case) -> bool:
    """Every coverage case of a path or query parameter; one in BODY_SAMPLE of the body's (a
    write's body yields hundreds of them, the fuzzing phase covers bodies too). Stable."""
    if case.meta is None or case.meta.phase.name != TestPhase.COVERAGE:
        return True
    data = case.meta.phase.data
    if data.parameter_location in (ParameterLocation.PATH, ParameterLocation.QUERY):
        return True
    key = f"{case.method} {case.path} {data.description} {data.parameter}"
    return zlib.crc32(key.encode()) % BODY_SAMPLE == 0


@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@settings(
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error(case, role, auth_headers, real_ids):
    if not _worth_calling(case):
        return
    _with_real_ids(case, real_ids)
    response = case.call(app=APP, headers=auth_headers(role))
    case.validate_response(response, checks=[not_a_server_error])
