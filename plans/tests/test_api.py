"""The API: the same rules as the pages, with 403/404/409/400 and messages."""

from datetime import date

import pytest

from approvals.services import request_for
from core.versioning import etag
from plans import services
from plans.models import DocumentVersion, VersionState
from plans.tests.conftest import (
    department_plan,
    district_plan,
    district_regulation,
    published_district_plan,
    refresh,
)

pytestmark = pytest.mark.django_db


def test_create_and_list_documents(api_client, pw):
    api_client.force_authenticate(pw.assistant)
    response = api_client.post(
        "/api/v1/documents/",
        {
            "kind": pw.kinds.department_activity_plan.pk,
            "unit": pw.dept_a1.pk,
            "period_start": "2026-03-15",
            "body": "<p>计划</p><script>x</script>",
            "due_date": "2026-03-05",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["period_start"], body["period_label"]) == ("2026-03-01", "2026-03")
    assert [v["state"] for v in body["versions"]] == ["draft"]
    version = DocumentVersion.objects.get()
    assert version.body == "<p>计划</p>"

    listing = api_client.get("/api/v1/documents/", {"period": "2026-03"}).json()
    assert listing["count"] == 1
    assert listing["results"][0]["latest_state"] == "draft"
    assert api_client.get("/api/v1/documents/", {"period": "2026-04"}).json()["count"] == 0
    kind = pw.kinds.attendance_regulation.pk
    assert api_client.get("/api/v1/documents/", {"kind": kind}).json()["count"] == 0


def test_create_is_refused_outside_authoring(api_client, pw):
    api_client.force_authenticate(pw.supervisor)
    data = {
        "kind": pw.kinds.department_activity_plan.pk,
        "unit": pw.dept_a1.pk,
        "period_start": "2026-03-15",
    }
    response = api_client.post("/api/v1/documents/", data, format="json")
    assert response.status_code == 400  # department A1 is not a unit the supervisor sees
    api_client.force_authenticate(pw.district_manager)
    response = api_client.post("/api/v1/documents/", data, format="json")
    assert response.status_code == 403
    assert "东一部" in response.json()["detail"]


def test_the_whole_flow_through_the_api(api_client, pw):
    _document, version = department_plan(pw)
    url = f"/api/v1/versions/{version.pk}"
    api_client.force_authenticate(pw.assistant)
    response = api_client.patch(
        f"{url}/", {"title": "三月计划"}, format="json", HTTP_IF_MATCH=etag(version.version)
    )
    assert (response.status_code, response.json()["title"]) == (200, "三月计划")
    response = api_client.post(f"{url}/submit/", {}, format="json")
    assert response.status_code == 200
    approval = response.json()["approval"]
    assert (approval["state"], approval["step"], approval["total_steps"]) == ("submitted", 1, 2)

    api_client.force_authenticate(pw.dept_manager)
    assert api_client.post(f"{url}/approve/", {"step": 1}, format="json").status_code == 200
    # the same step again: someone (here: the same person) already approved it
    response = api_client.post(f"{url}/approve/", {"step": 1}, format="json")
    assert response.status_code == 409
    assert "dept_manager" in response.json()["detail"]

    api_client.force_authenticate(pw.district_manager)
    response = api_client.post(f"{url}/approve/", {"step": 2, "comment": "好"}, format="json")
    assert response.json()["state"] == "approved"

    api_client.force_authenticate(pw.assistant)
    published = api_client.post(f"{url}/publish/", {}, format="json").json()
    assert published["state"] == "published"
    response = api_client.patch(
        f"{url}/", {"title": "改", "version": published["version"]}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["detail"]

    api_client.force_authenticate(pw.supervisor)
    board = api_client.post(f"{url}/acknowledge/", {}, format="json").json()
    assert (board["acknowledged"], board["total"]) == (1, 2)
    assert api_client.post(f"{url}/acknowledge/", {}, format="json").status_code == 409
    board = api_client.get(f"{url}/acknowledgements/").json()
    done = {row["unit_name"]: row["acknowledged_by"] for row in board["units"]}
    assert done == {"东一部一组": "supervisor", "东一部二组": None}

    trail = api_client.get(f"{url}/trail/").json()
    assert [(t["action"], t["actor"]) for t in trail] == [
        ("submit", "assistant"),
        ("approve", "dept_manager"),
        ("approve", "district_manager"),
        ("publish", "assistant"),
        ("acknowledge", "supervisor"),
    ]

    api_client.force_authenticate(pw.dept_manager)
    response = api_client.post(f"{url}/new-version/", {}, format="json")
    assert (response.status_code, response.json()["number"]) == (201, 2)
    assert api_client.post(f"{url}/new-version/", {}, format="json").status_code == 409


def test_status_codes(api_client, pw):
    _document, version = department_plan(pw)
    url = f"/api/v1/versions/{version.pk}"
    api_client.force_authenticate(pw.outsider)
    assert api_client.get(f"{url}/").status_code == 404
    assert api_client.post(f"{url}/submit/", {}, format="json").status_code == 404

    api_client.force_authenticate(pw.dept_manager)  # may read and write, but it is a draft
    response = api_client.post(f"{url}/approve/", {"step": 1}, format="json")
    assert response.status_code == 409
    assert response.json()["detail"]
    assert api_client.post(f"{url}/publish/", {}, format="json").status_code == 409

    api_client.force_authenticate(pw.trainer)  # district staff read department plans
    assert api_client.get(f"{url}/").status_code == 200
    response = api_client.patch(f"{url}/", {"title": "x", "version": 1}, format="json")
    assert response.status_code == 403

    api_client.force_authenticate(pw.assistant)
    api_client.post(f"{url}/submit/", {}, format="json")
    response = api_client.post(f"{url}/approve/", {"step": 1}, format="json")
    assert response.status_code == 403
    detail = response.json()["detail"]  # the service's message, not DRF's generic one
    assert detail and "perform this action" not in detail and "执行" not in detail
    api_client.force_authenticate(pw.dept_manager)
    response = api_client.post(f"{url}/return/", {"comment": "", "step": 1}, format="json")
    assert response.status_code == 400
    assert "comment" in response.json()
    response = api_client.post(f"{url}/acknowledge/", {}, format="json")
    assert response.status_code == 403


def test_document_retrieve_lists_only_readable_versions(api_client, pw):
    document, _v1 = published_district_plan(pw)
    services.version_new(acting_user=pw.district_manager, document=document)
    api_client.force_authenticate(pw.dept_manager)
    body = api_client.get(f"/api/v1/documents/{document.pk}/").json()
    assert [v["number"] for v in body["versions"]] == [1]
    api_client.force_authenticate(pw.district_manager)
    body = api_client.get(f"/api/v1/documents/{document.pk}/").json()
    assert [v["number"] for v in body["versions"]] == [2, 1]
    api_client.force_authenticate(pw.outsider)
    assert api_client.get(f"/api/v1/documents/{document.pk}/").status_code == 404


def test_bulk_approves_each_item_on_its_own(api_client, pw):
    requests = []
    for month in (3, 4):
        _document, version = department_plan(pw, day=date(2026, month, 1))
        requests.append(services.version_submit(acting_user=pw.assistant, version=version))
    # a regulation waits for marketing, not for the department manager
    _document, regulation = district_regulation(pw)
    requests.append(services.version_submit(acting_user=pw.district_admin, version=regulation))
    api_client.force_authenticate(pw.dept_manager)
    response = api_client.post(
        "/api/v1/approvals/bulk/",
        {
            "ids": [r.pk for r in requests],
            "steps": [1, 1, 1],
            "action": "approve",
            "comment": "批量同意",
        },
        format="json",
    )
    assert response.status_code == 200
    results = response.json()
    assert [(r["ok"], r["state"]) for r in results] == [
        (True, "submitted"),  # on to step 2: the district manager
        (True, "submitted"),
        (False, None),
    ]
    assert results[2]["message"]
    for request in requests[:2]:
        request.refresh_from_db()
        assert request.step == 2
        assert request.actions.last().comment == "批量同意"

    api_client.force_authenticate(pw.district_manager)
    response = api_client.post(
        "/api/v1/approvals/bulk/",
        {
            "ids": [r.pk for r in requests[:2]],
            "steps": [2, 2],
            "action": "return",
            "comment": "重做",
        },
        format="json",
    )
    assert [r["state"] for r in response.json()] == ["returned", "returned"]
    for request in requests[:2]:
        assert refresh(request.subject).state == VersionState.RETURNED


def test_bulk_return_needs_a_reason_for_each(api_client, pw):
    _document, version = district_regulation(pw)
    request = services.version_submit(acting_user=pw.district_admin, version=version)
    api_client.force_authenticate(pw.marketing)
    response = api_client.post(
        "/api/v1/approvals/bulk/",
        {"ids": [request.pk, 999999], "steps": [1, 1], "action": "return"},
        format="json",
    )
    assert [r["ok"] for r in response.json()] == [False, False]
    assert request_for(version).state == "submitted"
    assert api_client.post("/api/v1/approvals/bulk/", {"ids": []}, format="json").status_code == 400


def test_attachment_upload_through_the_api(api_client, pw, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.tests.files import upload

    _document, version = district_plan(pw)
    api_client.force_authenticate(pw.district_manager)
    url = f"/api/v1/versions/{version.pk}/attachments/"
    response = api_client.post(url, {"file": upload("a.docx")})
    assert response.status_code == 201
    response = api_client.post(url, {"file": SimpleUploadedFile("a.bat", b"x")})
    assert response.status_code == 400
    assert "file" in response.json()
