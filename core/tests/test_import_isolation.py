"""A bad import leaves other writers unaffected (issue 20): an import reads and validates its file
outside any transaction, so while it does, another user's ordinary write goes through; only the
short write at the end holds one.

The probe replaces the import's reading (core.imports.base.read_rows), openpyxl's parsing and the
importer's validation with wrappers that (1) assert that no transaction is open on the import's
connection and (2) run another user's agent edit through the API in a thread of its own (its own
database connection) and wait for it. Were the reading moved back inside the write transaction,
(1) fails on every database; on SQLite (2) fails too: the import's `BEGIN IMMEDIATE` holds the
database's write lock, and the other write is refused.
"""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from rest_framework.test import APIClient

from attendance.imports import AttendanceImport
from attendance.models import AttendanceRecord
from core.imports import base, reading
from core.tests.test_import_corpus import IMPORTS, cell_bomb, data_row, huge_cell, xlsx
from core.versioning import etag
from org.models import Agent

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _edit_agent_elsewhere(world, name: str) -> dict:
    """The district administrator renames the agent through the API, from another thread (its
    own connection); what it answered, or the exception it met."""
    outcome = {}

    def edit():
        try:
            client = APIClient()
            client.force_authenticate(world.district_admin)
            url = f"/api/v1/agents/{world.agent.pk}/"
            version = Agent.objects.get(pk=world.agent.pk).version
            response = client.patch(url, {"name": name}, format="json", HTTP_IF_MATCH=etag(version))
            outcome["status"] = response.status_code
        except Exception as exc:  # noqa: BLE001 - reported to the test's thread
            outcome["error"] = repr(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=edit)
    thread.start()
    thread.join(timeout=120)  # a guard against a hang, not a speed limit
    assert not thread.is_alive(), "the other write never finished"
    return outcome


@pytest.fixture
def probe(world, monkeypatch):
    """Wrap the import's reading, parsing and validation; each call checks the two points."""
    seen = []

    def wrap(owner, name):
        original = getattr(owner, name)

        def probed(*args, **kwargs):
            assert not connection.in_atomic_block, f"{name} runs inside a transaction"
            new_name = f"张{len(seen) + 1}"
            outcome = _edit_agent_elsewhere(world, new_name)
            assert outcome == {"status": 200}, (name, outcome)
            assert Agent.objects.get(pk=world.agent.pk).name == new_name
            seen.append(name)
            return original(*args, **kwargs)

        monkeypatch.setattr(owner, name, probed)

    wrap(base, "read_rows")
    wrap(reading, "load_workbook")
    wrap(AttendanceImport, "validate")
    return seen


def _files(world) -> dict:
    header = IMPORTS["attendance"]["header"]
    good = xlsx([header, data_row("attendance", world)])
    return {
        "cell bomb": (cell_bomb(good), ["read_rows"]),
        "one huge cell": (huge_cell(good), ["read_rows"]),
        "duplicate rows": (
            xlsx([header, data_row("attendance", world), data_row("attendance", world)]),
            ["read_rows", "load_workbook", "validate"],
        ),
    }


@pytest.mark.parametrize("name", ["cell bomb", "one huge cell", "duplicate rows"])
def test_other_writers_go_on_while_a_bad_import_is_read_and_validated(world, probe, name):
    content, steps = _files(world)[name]
    client = APIClient()
    client.force_authenticate(world.assistant)
    response = client.post(
        IMPORTS["attendance"]["url"],
        {"file": SimpleUploadedFile("data.xlsx", content)},
        format="multipart",
    )
    assert response.status_code == 400, response.content[:300]
    assert probe == steps  # the probe ran (and every other write it made went through)
    assert not AttendanceRecord.objects.exists()
    assert Agent.objects.get(pk=world.agent.pk).name == f"张{len(steps)}"
