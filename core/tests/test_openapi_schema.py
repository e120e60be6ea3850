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
