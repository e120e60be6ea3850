"""No lost updates on plan and regulation drafts (issue 20): a stale edit is refused."""

from django.test import Client
from django.urls import reverse

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
