"""No lost updates on evaluation feedback and on a meeting's items held (issue 20): two edits
from the same version, the second is refused (page: the conflict and what the other person
changed, nothing of it saved; API: 409 with the current version); a normal edit moves the
version."""

import pytest
from django.test import Client
from django.urls import reverse

from meetings.models import Feedback, MeetingItemHeld, MeetingLevel
from meetings.services import records as services
from meetings.services.templates import default_flow_template
from meetings.tests.test_records_helpers import days_ago, dept_meeting  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


# -- feedback (附件3) ----------------------------------------------------------------------------
@pytest.fixture
def own_form(world, dept_meeting):  # noqa: F811
    return services.feedback_submit(
        acting_user=world.agent_user, meeting=dept_meeting, data={"fluent": True}
    )


def test_feedback_saved_from_two_tabs_on_the_same_version_the_second_is_refused(
    world,
    dept_meeting,  # noqa: F811
    own_form,
):
    url = reverse("meetings:feedback_form", args=[dept_meeting.pk])
    tabs = []
    for _ in range(2):
        tab = Client()
        tab.force_login(world.agent_user)
        tabs.append((tab, tab.get(url).context["form"]["version"].value()))
    (first, base), (second, _same) = tabs

    saved = first.post(url, {"fluent": "on", "suggestions": "多举案例", "version": base})
    assert saved.status_code == 302
    refused = second.post(url, {"motivating": "on", "suggestions": "准时开始", "version": base})

    assert refused.status_code == 200
    assert refused.context["form"].is_stale
    assert "多举案例" in refused.content.decode()
    own_form.refresh_from_db()
    assert (own_form.suggestions, own_form.motivating) == ("多举案例", False)
    assert own_form.version == base + 1


def test_feedback_api_answers_409_when_stale(api_client, world, own_form):
    api_client.force_authenticate(world.agent_user)
    url = f"/api/v1/meetings/feedback/{own_form.pk}/"
    etag = api_client.get(url)["ETag"]
    ok = api_client.patch(url, {"suggestions": "一"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200 and ok.data["version"] == own_form.version + 1
    stale = api_client.patch(url, {"suggestions": "二"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 409
    assert stale.json()["version"] == own_form.version + 1
    assert stale.json()["current"]["suggestions"] == "一"
    assert Feedback.objects.get(pk=own_form.pk).suggestions == "一"


# -- items held ----------------------------------------------------------------------------------
@pytest.fixture
def meeting(world):
    default_flow_template(district=world.district_a, acting_user=world.trainer)
    return services.meeting_create(
        acting_user=world.assistant,
        unit=world.dept_a1,
        level=MeetingLevel.DEPARTMENT,
        day=days_ago(1),
        topic="开门红启动",
        host_name="王讲师",
        present_count=9,
        use_roll_call=False,
    )


def _page_post(meeting, version, **changes):
    post = {
        "topic": meeting.topic,
        "host_name": meeting.host_name,
        "present_count": meeting.present_count,
        "version": version,
    }
    for row in meeting.items_held.all():
        if row.held:
            post[f"item-{row.item_id}-held"] = "on"
    post.update(changes)
    return post


def test_items_held_changed_by_another_person_are_listed_on_the_refused_page(world, meeting):
    url = reverse("meetings:meeting_update", args=[meeting.pk])
    pages = []
    for user in (world.assistant, world.dept_manager):
        browser = Client()
        browser.force_login(user)
        pages.append((browser, browser.get(url).context["form"]["version"].value()))
    (first, base), (second, _same) = pages
    row = meeting.items_held.select_related("item__section").first()
    held = {f"item-{row.item_id}-held": "on", f"item-{row.item_id}-minutes": "7"}

    assert first.post(url, _page_post(meeting, base, **held)).status_code == 302
    refused = second.post(url, _page_post(meeting, base, notes="准时开始"))

    assert refused.status_code == 200
    form = refused.context["form"]
    assert form.is_stale
    changed = [change for change in form.stale_changes if change["field"] == str(row.item)]
    assert len(changed) == 1 and "7" in changed[0]["value"]
    assert changed[0]["who"] == world.assistant
    meeting.refresh_from_db()
    assert meeting.notes == "" and meeting.version == base + 1
    assert MeetingItemHeld.objects.get(pk=row.pk).actual_minutes == 7


def test_items_held_api_answers_409_when_stale(api_client, world, meeting):
    api_client.force_authenticate(world.assistant)
    url = f"/api/v1/meetings/records/{meeting.pk}/items/"
    listed = api_client.get(url)
    etag = listed["ETag"]
    assert etag == f'"{meeting.version}"'
    item = listed.data[0]["item"]
    ok = api_client.put(
        url, [{"item": item, "held": True, "actual_minutes": 4}], format="json", HTTP_IF_MATCH=etag
    )
    assert ok.status_code == 200 and ok["ETag"] == f'"{meeting.version + 1}"'
    stale = api_client.put(
        url, [{"item": item, "held": True, "actual_minutes": 9}], format="json", HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 409
    assert stale.json()["version"] == meeting.version + 1
    current = {row["item"]: row for row in stale.json()["current"]["items_held"]}
    assert current[item]["actual_minutes"] == 4
    # the record's own edit based on the version before the items were saved is stale too
    patch = api_client.patch(
        f"/api/v1/meetings/records/{meeting.pk}/", {"notes": "x"}, format="json", HTTP_IF_MATCH=etag
    )
    assert patch.status_code == 409
