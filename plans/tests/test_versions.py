"""No lost updates on plan and regulation drafts (issue 20): a stale edit is refused."""

from django.test import Client
from django.urls import reverse

from plans import services
from plans.models import DocumentVersion, VersionState
from plans.tests.conftest import department_plan


def test_second_save_of_a_draft_on_the_same_version_is_refused(pw):
    _document, version = department_plan(pw)
    url = reverse("plans:version_edit", args=[version.pk])
    pages = []
    for _ in range(2):
        browser = Client()
        browser.force_login(pw.assistant)
        pages.append((browser, browser.get(url).context["form"]["version"].value()))
    (first, base), (second, _same) = pages

    assert (
        first.post(url, {"title": "三月计划", "body": "<p>一</p>", "version": base}).status_code
        == 302
    )
    refused = second.post(url, {"title": "四月计划", "body": "<p>二</p>", "version": base})

    assert refused.status_code == 200
    assert refused.context["form"].is_stale
    assert refused.context["form"]["title"].value() == "四月计划"
    assert "三月计划" in refused.content.decode()
    version.refresh_from_db()
    assert version.title == "三月计划"


def test_stale_draft_patch_answers_409_with_the_current_title(api_client, pw):
    _document, version = department_plan(pw)
    url = f"/api/v1/versions/{version.pk}/"
    api_client.force_authenticate(pw.assistant)
    etag = api_client.get(url)["ETag"]
    ok = api_client.patch(url, {"title": "三月计划"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200
    assert ok["ETag"] == f'"{version.version + 1}"' != etag
    stale = api_client.patch(url, {"title": "四月计划"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 409
    assert stale.json()["current"]["title"] == "三月计划"


def _submit_and_return(pw, version):
    """Submit the draft and have the first approver return it: editable again, two versions on."""
    services.version_submit(acting_user=pw.assistant, version=version)
    services.version_return(
        acting_user=pw.dept_manager, version=version, comment="补充目标", expected_step=1
    )


def test_submitting_and_returning_move_the_version(pw):
    _document, version = department_plan(pw)
    start = version.version
    services.version_submit(acting_user=pw.assistant, version=version)
    assert DocumentVersion.objects.get(pk=version.pk).version == start + 1
    services.version_return(
        acting_user=pw.dept_manager, version=version, comment="补充目标", expected_step=1
    )
    returned = DocumentVersion.objects.get(pk=version.pk)
    assert (returned.state, returned.version) == (VersionState.RETURNED, start + 2)
    services.version_submit(acting_user=pw.assistant, version=returned)
    services.version_approve(acting_user=pw.dept_manager, version=returned, expected_step=1)
    services.version_approve(acting_user=pw.district_manager, version=returned, expected_step=2)
    approved = DocumentVersion.objects.get(pk=version.pk)
    assert approved.state == VersionState.APPROVED and approved.version > start + 2


def test_a_draft_edit_based_on_the_version_before_submitting_is_refused(pw):
    _document, version = department_plan(pw)
    url = reverse("plans:version_edit", args=[version.pk])
    browser = Client()
    browser.force_login(pw.assistant)
    base = browser.get(url).context["form"]["version"].value()
    _submit_and_return(pw, version)

    refused = browser.post(url, {"title": "四月计划", "body": "<p>二</p>", "version": base})

    assert refused.status_code == 200
    assert refused.context["form"].is_stale
    version.refresh_from_db()
    assert version.title != "四月计划" and version.version == base + 2


def test_a_draft_patch_based_on_the_version_before_submitting_answers_409(api_client, pw):
    _document, version = department_plan(pw)
    url = f"/api/v1/versions/{version.pk}/"
    api_client.force_authenticate(pw.assistant)
    etag = api_client.get(url)["ETag"]
    _submit_and_return(pw, version)
    stale = api_client.patch(url, {"title": "四月计划"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 409
    assert stale.json()["current"]["state"] == VersionState.RETURNED
    current = api_client.get(url)["ETag"]
    ok = api_client.patch(url, {"title": "四月计划"}, format="json", HTTP_IF_MATCH=current)
    assert ok.status_code == 200 and ok.json()["title"] == "四月计划"


def test_draft_patch_without_a_version_answers_428_and_saves_nothing(api_client, pw):
    _document, version = department_plan(pw)
    title = version.title
    api_client.force_authenticate(pw.assistant)
    response = api_client.patch(f"/api/v1/versions/{version.pk}/", {"title": "三月计划"})
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    before = version.version
    version.refresh_from_db()
    assert (version.title, version.version) == (title, before)
