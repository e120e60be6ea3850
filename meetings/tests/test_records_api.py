"""The records API: meetings, items held, materials, share held, feedback and aggregates."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.tests.files import upload
from meetings.models import Feedback, Meeting, MeetingLevel
from meetings.services.templates import default_flow_template
from meetings.tests.test_records_helpers import (
    agents,
    days_ago,
    dept_meeting,
    give_feedback,
    make_entry,
    make_meeting,
)

pytestmark = pytest.mark.django_db
__all__ = ["agents", "dept_meeting"]
BASE = "/api/v1/meetings"


def test_create_update_and_items_through_the_api(api_client, world):
    default_flow_template(district=world.district_a, acting_user=world.trainer)
    day = days_ago(1)
    make_entry(world.dept_a1, "department", day, topic="计划主题", created_by=world.assistant)
    api_client.force_authenticate(world.assistant)
    response = api_client.post(
        f"{BASE}/records/",
        {
            "unit": world.dept_a1.pk,
            "level": "department",
            "date": day.isoformat(),
            "host_name": "王讲师",
            "use_roll_call": False,
            "present_count": 12,
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    body = response.data
    assert body["topic"] == "计划主题" and body["calendar_entry"]
    assert body["present_count"] == 12 and not body["present_from_roll_call"]
    item = body["items_held"][0]["item"]
    again = api_client.post(
        f"{BASE}/records/",
        {
            "unit": world.dept_a1.pk,
            "level": "department",
            "date": day.isoformat(),
            "host_name": "x",
        },
        format="json",
    )
    assert again.status_code == 409 and "已登记；请打开该记录进行修改" in str(again.data)
    url = f"{BASE}/records/{body['id']}/"
    patched = api_client.patch(
        url,
        {"notes": "气氛热烈", "duration_minutes": 50},
        format="json",
        HTTP_IF_MATCH=api_client.get(url)["ETag"],
    )
    assert patched.status_code == 200 and patched.data["notes"] == "气氛热烈"
    items = api_client.put(
        f"{url}items/", [{"item": item, "held": True, "actual_minutes": 4}], format="json"
    )
    assert items.status_code == 200
    assert [r for r in items.data if r["item"] == item][0]["actual_minutes"] == 4
    api_client.force_authenticate(world.district_manager)
    assert api_client.patch(url, {"notes": "x"}, format="json").status_code == 403
    assert api_client.get(url).status_code == 200
    api_client.force_authenticate(world.outsider)
    assert api_client.get(url).status_code == 404


def test_list_search_and_share_held(api_client, world):
    entry = make_entry(world.dept_a1, "department", days_ago(3), created_by=world.assistant)
    make_entry(world.dept_a1, "department", days_ago(2), created_by=world.assistant)
    make_meeting(
        world.dept_a1,
        "department",
        days_ago(3),
        recorded_by=world.assistant,
        entry=entry,
        topic="增员政策",
        host_name="王讲师",
    )
    make_meeting(
        world.dept_b1, "department", days_ago(3), recorded_by=world.outsider, topic="增员西区"
    )
    api_client.force_authenticate(world.district_manager)
    listed = api_client.get(f"{BASE}/records/", {"topic": "增员"})
    assert [row["topic"] for row in listed.data["results"]] == ["增员政策"]
    assert api_client.get(f"{BASE}/records/", {"unit": world.dept_b1.pk}).status_code == 404
    shares = api_client.get(f"{BASE}/archive/share-held/", {"level": "department"})
    assert shares.data == [
        {
            "unit_id": world.dept_a1.pk,
            "unit_name": world.dept_a1.name,
            "level": "department",
            "planned": 2,
            "held": 1,
            "share": 50.0,
        }
    ]


def test_material_upload_refused_and_accepted(api_client, world, dept_meeting, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    api_client.force_authenticate(world.assistant)
    url = f"{BASE}/records/{dept_meeting.pk}/materials/"
    refused = api_client.post(url, {"file": SimpleUploadedFile("a.bat", b"x")}, format="multipart")
    assert refused.status_code == 400 and "不接受“bat”类型的文件" in str(refused.data)
    ok = api_client.post(url, {"file": upload("a.pptx")}, format="multipart")
    assert ok.status_code == 201
    removed = api_client.post(f"{url}{ok.data['id']}/remove/")
    assert removed.status_code == 200 and removed.data["removed_at"]
    api_client.force_authenticate(world.agent_user)
    assert api_client.get(url).data == []
    assert (
        api_client.post(
            url, {"file": SimpleUploadedFile("b.pdf", b"x")}, format="multipart"
        ).status_code
        == 403
    )


def test_feedback_through_the_api(api_client, world, agents, dept_meeting):
    api_client.force_authenticate(world.agent_user)
    created = api_client.post(
        f"{BASE}/feedback/",
        {"meeting": dept_meeting.pk, "well_prepared": True, "suggestions": "多举例"},
        format="json",
    )
    assert created.status_code == 201 and created.data["editable"]
    second = api_client.post(f"{BASE}/feedback/", {"meeting": dept_meeting.pk}, format="json")
    assert second.status_code == 409
    changed = api_client.put(
        f"{BASE}/feedback/{created.data['id']}/", {"fluent": True}, format="json"
    )
    assert (
        changed.status_code == 200 and changed.data["fluent"] and not changed.data["well_prepared"]
    )
    patched = api_client.patch(
        f"{BASE}/feedback/{created.data['id']}/", {"motivating": True}, format="json"
    )
    assert patched.data["fluent"] and patched.data["motivating"]  # PATCH keeps the rest
    api_client.force_authenticate(agents["colleague"])
    api_client.post(
        f"{BASE}/feedback/", {"meeting": dept_meeting.pk, "fluent": True}, format="json"
    )
    mine = api_client.get(f"{BASE}/feedback/", {"meeting": dept_meeting.pk})
    assert mine.data["count"] == 1  # an agent sees their own form only
    summary = api_client.get(f"{BASE}/feedback/summary/", {"meeting": dept_meeting.pk})
    assert summary.data["forms"] == 2 and summary.data["shares"]["fluent"] == 100.0
    api_client.force_authenticate(world.dept_manager)  # the host
    host = api_client.post(f"{BASE}/feedback/", {"meeting": dept_meeting.pk}, format="json")
    assert host.status_code == 403 and "不能评价自己的会议" in str(host.data)
    assert api_client.get(f"{BASE}/feedback/", {"meeting": dept_meeting.pk}).data["count"] == 2
    api_client.force_authenticate(world.outsider)
    assert api_client.get(f"{BASE}/feedback/", {"meeting": dept_meeting.pk}).status_code == 404
    assert Feedback.objects.count() == 2


def test_aggregates_per_speaker_and_month(api_client, world, dept_meeting):
    other = make_meeting(
        world.dept_a1,
        MeetingLevel.EVENING,
        days_ago(1),
        recorded_by=world.assistant,
        host_name="夕会主持",
    )
    give_feedback(dept_meeting, world.agent_user, traits=["motivating"])
    give_feedback(other, world.agent_user, traits=[])
    api_client.force_authenticate(world.district_manager)
    by_speaker = api_client.get(f"{BASE}/feedback/aggregates/", {"by": "speaker"})
    assert by_speaker.status_code == 200
    rows = {row["speaker"]: row for row in by_speaker.data["rows"]}
    assert rows[str(world.dept_manager)]["shares"]["motivating"] == 100.0
    assert rows["夕会主持"]["shares"]["motivating"] == 0.0
    assert by_speaker.data["total"]["shares"]["motivating"] == 50.0
    by_month = api_client.get(f"{BASE}/feedback/aggregates/", {"by": "month"})
    assert by_month.data["rows"][0]["forms"] == 2
    api_client.force_authenticate(world.agent_user)
    assert api_client.get(f"{BASE}/feedback/aggregates/", {"by": "month"}).status_code == 403
    assert Meeting.objects.count() == 2
