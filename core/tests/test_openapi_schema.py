"""The OpenAPI schema (what API clients and the schemathesis run are built from) generates without a
warning and validates against the OpenAPI 3 specification."""

import io

from django.core.management import call_command


def test_schema_generates_without_warnings_and_validates(tmp_path):
    target = tmp_path / "schema.yaml"
    errors = io.StringIO()
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(target), stderr=errors
    )
    assert target.read_text().startswith("openapi: 3"), errors.getvalue()
    assert "Warning" not in errors.getvalue() and "Error" not in errors.getvalue()


def test_versioned_edits_document_if_match_and_the_409_and_428_answers():
    """Every edit of a VersionedAPIMixin viewset (core.apischema): the If-Match header, the ETag
    it answers with, 409 when stale and 428 without a version; other operations carry none."""
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    versioned = {
        ("/api/v1/agents/{id}/", "patch"),
        ("/api/v1/agents/{id}/", "put"),
        ("/api/v1/units/{id}/", "patch"),
        ("/api/v1/attendance/improvement-measures/{id}/", "patch"),
        ("/api/v1/attendance/improvement-measures/{id}/", "put"),
        ("/api/v1/versions/{id}/", "patch"),
        ("/api/v1/meetings/records/{id}/", "patch"),
        ("/api/v1/meetings/records/{id}/", "put"),
        # custom actions that call base_version (their viewset's versioned_actions)
        ("/api/v1/meetings/records/{id}/items/", "put"),
        ("/api/v1/meetings/calendars/{id}/entries/", "put"),
        ("/api/v1/attendance/leave-requests/{id}/resubmit/", "post"),
        ("/api/v1/activity/weekly-checks/{id}/submit/", "post"),
        ("/api/v1/meetings/inspections/issues/{id}/resolve/", "post"),
        # an APIView's method (its versioned_actions name the method)
        ("/api/v1/meetings/calendars/settings/{district}/", "put"),
        ("/api/v1/calendar/days/", "post"),
    }
    for path, method in versioned:
        operation = paths[path][method]
        headers = {p["name"] for p in operation["parameters"] if p["in"] == "header"}
        assert "If-Match" in headers, (path, method)
        assert {"409", "428"} <= set(operation["responses"]), (path, method)
        assert "ETag" in operation["responses"]["200"]["headers"], (path, method)
    assert "ETag" in paths["/api/v1/agents/{id}/"]["get"]["responses"]["200"]["headers"]
    checklist = paths["/api/v1/meetings/inspections/checklist/"]["put"]  # a version per item
    assert {"409", "428"} <= set(checklist["responses"])
    items = paths["/api/v1/meetings/records/{id}/items/"]["get"]  # the read of a read-write action
    assert not any(p["name"] == "If-Match" for p in items.get("parameters", []))
    assert "428" not in items["responses"]
    assert not any(
        p["name"] == "If-Match" for p in paths["/api/v1/agents/"]["post"].get("parameters", [])
    )
