"""No lost updates on meeting records (issue 20): a stale edit is refused, page and API."""

import pytest
from django.test import Client
from django.urls import reverse

from meetings.tests.test_records_helpers import dept_meeting  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_second_save_of_a_meeting_record_on_the_same_version_is_refused(world, dept_meeting):  # noqa: F811
    url = reverse("meetings:meeting_update", args=[dept_meeting.pk])
    pages = []
    for user in (world.assistant, world.dept_manager):
        browser = Client()
        browser.force_login(user)
        pages.append((browser, browser.get(url).context["form"]["version"].value()))
    (first, base), (second, _same) = pages
    post = {
        "topic": dept_meeting.topic,
        "host": world.dept_manager.pk,
        "present_count": 12,
        "version": base,
    }

    saved = first.post(url, {**post, "notes": "气氛热烈"})
    assert saved.status_code == 302, saved.context["form"].errors
    refused = second.post(url, {**post, "notes": "准时开始"})

    assert refused.status_code == 200
    assert refused.context["form"].is_stale
    assert "气氛热烈" in refused.content.decode()
    dept_meeting.refresh_from_db()
    assert dept_meeting.notes == "气氛热烈"


def test_stale_meeting_patch_answers_409(api_client, world, dept_meeting):  # noqa: F811
    api_client.force_authenticate(world.assistant)
    url = f"/api/v1/meetings/records/{dept_meeting.pk}/"
    etag = api_client.get(url)["ETag"]
    ok = api_client.patch(url, {"notes": "气氛热烈"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200, ok.content
    assert ok["ETag"] == f'"{dept_meeting.version + 1}"' != etag
    stale = api_client.patch(url, {"notes": "准时开始"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 409
    assert stale.json()["current"]["notes"] == "气氛热烈"


@pytest.mark.parametrize("method", ["patch", "put"])
def test_meeting_edit_without_a_version_answers_428_and_saves_nothing(
    api_client,
    world,
    dept_meeting,  # noqa: F811
    method,
):
    api_client.force_authenticate(world.assistant)
    url = f"/api/v1/meetings/records/{dept_meeting.pk}/"
    response = getattr(api_client, method)(url, {"notes": "气氛热烈"}, format="json")
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    before = (dept_meeting.notes, dept_meeting.version)
    dept_meeting.refresh_from_db()
    assert (dept_meeting.notes, dept_meeting.version) == before
