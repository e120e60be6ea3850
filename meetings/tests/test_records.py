"""Meeting records (早会档案, spec §2.3): recording a meeting held, prefilled from the calendar,
the template and the roll call; materials; who may write and read."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from attendance.models import AttendanceRecord, AttendanceSource, AttendanceStatus
from conftest import make_user
from core.exceptions import ConflictError
from meetings.models import Meeting, MeetingItemHeld, MeetingLevel, MeetingMaterial
from meetings.selectors.records import roll_call_count
from meetings.services import records as services
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


def roll_call(day, marks):
    for agent, status in marks:
        AttendanceRecord.objects.create(
            agent=agent, date=day, status=status, source=AttendanceSource.ROLL_CALL
        )


def test_head_count_comes_from_the_roll_call_of_active_agents_of_the_unit(world):
    day = days_ago(1)
    roll_call(
        day,
        [
            (world.agent, AttendanceStatus.PRESENT),
            (world.colleague, AttendanceStatus.LATE),
            (world.other_group_agent, AttendanceStatus.ABSENT),
            (world.other_dept_agent, AttendanceStatus.PRESENT),  # another department
        ],
    )
    assert roll_call_count(world.dept_a1, day) == 2
    assert roll_call_count(world.group_a1_2, day) == 0
    assert roll_call_count(world.district_a, day) == 3
    assert roll_call_count(world.dept_a1, days_ago(2)) is None  # no roll call that day


def test_department_records_a_meeting_prefilled_from_calendar_template_and_roll_call(client, world):
    day = days_ago(1)
    default_flow_template(district=world.district_a, acting_user=world.trainer)
    entry = make_entry(
        world.dept_a1,
        MeetingLevel.DEPARTMENT,
        day,
        topic="增员政策宣导",
        host=world.dept_manager,
        created_by=world.assistant,
    )
    roll_call(day, [(world.agent, "present"), (world.colleague, "late")])
    client.force_login(world.assistant)
    url = reverse("meetings:meeting_create") + (
        f"?unit={world.dept_a1.pk}&level=department&date={day:%Y-%m-%d}"
    )
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "增员政策宣导" in html
    items = page.context["form"].items
    assert len(items) > 10  # 附件1
    post = {
        "topic": "增员政策宣导",
        "host": world.dept_manager.pk,
        "use_roll_call": "on",
        "started_at": "08:30",
        "duration_minutes": "55",
        f"item-{items[0].pk}-held": "on",
        f"item-{items[0].pk}-minutes": "5",
    }
    response = client.post(url, post)
    assert response.status_code == 302
    meeting = Meeting.objects.get(unit=world.dept_a1, level="department", date=day)
    assert meeting.calendar_entry == entry
    assert meeting.template_version.template.unit == world.district_a
    assert (meeting.present_count, meeting.present_from_roll_call) == (2, True)
    assert meeting.items_held.count() == len(items)
    first = meeting.items_held.get(item=items[0])
    assert (first.held, first.actual_minutes) == (True, 5)
    assert meeting.items_held.filter(held=True).count() == 1
    detail = client.get(response["Location"])
    assert "来自点名" in detail.content.decode()


def test_a_head_count_typed_in_overrides_the_roll_call(world):
    day = days_ago(1)
    roll_call(day, [(world.agent, "present")])
    meeting = services.meeting_create(
        acting_user=world.assistant,
        unit=world.dept_a1,
        level=MeetingLevel.DEPARTMENT,
        day=day,
        topic="t",
        host_name="guest",
        present_count=30,
        use_roll_call=False,
    )
    assert (meeting.present_count, meeting.present_from_roll_call) == (30, False)
    services.meeting_update(
        acting_user=world.assistant, meeting=meeting, data={"use_roll_call": True}
    )
    meeting.refresh_from_db()
    assert (meeting.present_count, meeting.present_from_roll_call) == (1, True)


def test_one_meeting_per_unit_level_and_day_with_a_clear_message(client, world, dept_meeting):
    with pytest.raises(ConflictError, match="已登记；请打开该记录进行修改"):
        services.meeting_create(
            acting_user=world.assistant,
            unit=world.dept_a1,
            level=MeetingLevel.DEPARTMENT,
            day=dept_meeting.date,
            topic="again",
            host_name="x",
        )
    # the evening meeting of the same day is another meeting
    services.meeting_create(
        acting_user=world.assistant,
        unit=world.dept_a1,
        level=MeetingLevel.EVENING,
        day=dept_meeting.date,
        topic="夕会",
        host_name="x",
        present_count=5,
        use_roll_call=False,
    )
    client.force_login(world.assistant)
    url = reverse("meetings:meeting_create") + (
        f"?unit={world.dept_a1.pk}&level=department&date={dept_meeting.date:%Y-%m-%d}"
    )
    response = client.get(url)
    assert response["Location"] == reverse("meetings:meeting_update", args=[dept_meeting.pk])


def test_level_must_fit_the_unit_and_no_future_meetings(world):
    with pytest.raises(ValidationError, match="不召开此层级的会议"):
        services.meeting_create(
            acting_user=world.assistant,
            unit=world.dept_a1,
            level=MeetingLevel.GROUP,
            day=days_ago(1),
            topic="t",
            host_name="x",
        )
    with pytest.raises(ValidationError, match="会议召开前不能登记"):
        services.meeting_create(
            acting_user=world.assistant,
            unit=world.dept_a1,
            level=MeetingLevel.DEPARTMENT,
            day=days_ago(-1),
            topic="t",
            host_name="x",
        )


@pytest.mark.parametrize(
    ("who", "unit", "level"),
    [
        ("dept_manager", "dept_a2", "department"),  # other department
        ("district_manager", "dept_a1", "department"),  # the district reads, it does not write
        ("outsider", "district_a", "district"),
        ("supervisor", "group_a1_2", "group"),  # another group's 二早
        ("agent_user", "group_a1_1", "group"),
    ],
)
def test_refused_writers(world, who, unit, level):
    with pytest.raises(PermissionDenied):
        services.meeting_create(
            acting_user=getattr(world, who),
            unit=getattr(world, unit),
            level=level,
            day=days_ago(1),
            topic="t",
            host_name="x",
        )


@pytest.mark.parametrize(
    ("who", "unit", "level"),
    [
        ("district_manager", "district_a", "district"),
        ("trainer", "district_a", "district"),
        ("dept_manager", "group_a1_2", "group"),  # a department writes its groups' 二早
        ("supervisor", "group_a1_1", "group"),
    ],
)
def test_allowed_writers(world, who, unit, level):
    meeting = services.meeting_create(
        acting_user=getattr(world, who),
        unit=getattr(world, unit),
        level=level,
        day=days_ago(1),
        topic="t",
        host_name="x",
        present_count=3,
        use_roll_call=False,
    )
    assert meeting.pk


def test_readers_and_refused_readers_of_a_meeting(client, world):
    group_meeting = make_meeting(
        world.group_a1_1, MeetingLevel.GROUP, days_ago(1), recorded_by=world.supervisor
    )
    url = reverse("meetings:meeting_detail", args=[group_meeting.pk])
    for user, status in [
        (world.agent_user, 200),
        (world.supervisor, 200),
        (world.district_manager, 200),
        (world.outsider, 404),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client.force_login(world.district_manager)
    edit = reverse("meetings:meeting_update", args=[group_meeting.pk])
    assert client.get(edit).status_code == 403
    client.force_login(world.agent_user)
    assert client.get(edit).status_code == 403


def test_agent_of_another_group_cannot_read_a_group_second_morning_meeting(client, world, agents):
    group_meeting = make_meeting(
        world.group_a1_1, MeetingLevel.GROUP, days_ago(1), recorded_by=world.supervisor
    )
    client.force_login(agents["other_group_agent"])
    url = reverse("meetings:meeting_detail", args=[group_meeting.pk])
    assert client.get(url).status_code == 404


def test_materials_refused_by_type_and_size_and_removal_keeps_the_file(
    world, dept_meeting, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError, match="不接受“exe”类型的文件"):
        services.material_add(
            acting_user=world.assistant,
            meeting=dept_meeting,
            upload=SimpleUploadedFile("run.exe", b"MZ"),
        )
    monkeypatch.setattr(MeetingMaterial, "MAX_SIZE", 10)
    with pytest.raises(ValidationError, match="最大允许"):
        services.material_add(
            acting_user=world.assistant,
            meeting=dept_meeting,
            upload=SimpleUploadedFile("slides.pdf", b"%PDF-" + b"x" * 20),
        )
    monkeypatch.undo()
    material = services.material_add(
        acting_user=world.assistant,
        meeting=dept_meeting,
        upload=SimpleUploadedFile("Slides.PDF", b"%PDF-1.4"),
    )
    assert (material.original_name, material.size) == ("Slides.PDF", 8)
    with pytest.raises(PermissionDenied):
        services.material_remove(acting_user=world.district_manager, material=material)
    services.material_remove(acting_user=world.assistant, material=material)
    material.refresh_from_db()
    assert material.removed_at is not None
    assert MeetingMaterial.objects.filter(pk=material.pk).exists()
    assert (tmp_path / material.file.name).exists()


def test_material_upload_page_shows_the_refusal(client, world, dept_meeting, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.assistant)
    url = reverse("meetings:meeting_material_add", args=[dept_meeting.pk])
    response = client.post(url, {"file": SimpleUploadedFile("virus.exe", b"MZ")}, follow=True)
    assert "不接受“exe”类型的文件" in response.content.decode()
    assert not dept_meeting.materials.exists()
    client.post(url, {"file": SimpleUploadedFile("notes.txt", b"hello")})
    material = dept_meeting.materials.get()
    download = reverse("meetings:meeting_material_download", args=[dept_meeting.pk, material.pk])
    client.force_login(world.agent_user)
    assert b"".join(client.get(download).streaming_content) == b"hello"
    client.force_login(world.outsider)
    assert client.get(download).status_code == 404


def test_items_held_update_and_detail_query_count(client, world, django_assert_max_num_queries):
    template = default_flow_template(district=world.district_a, acting_user=world.trainer)
    meeting = services.meeting_create(
        acting_user=world.assistant,
        unit=world.dept_a1,
        level=MeetingLevel.DEPARTMENT,
        day=days_ago(1),
        topic="t",
        host_name="x",
        present_count=9,
        use_roll_call=False,
    )
    version = template.versions.get()
    assert meeting.template_version == version
    item = MeetingItemHeld.objects.filter(meeting=meeting).first().item
    services.meeting_items_save(
        acting_user=world.assistant,
        meeting=meeting,
        items={item.pk: {"held": True, "actual_minutes": 7}},
    )
    assert meeting.items_held.get(item=item).actual_minutes == 7
    client.force_login(world.assistant)
    url = reverse("meetings:meeting_detail", args=[meeting.pk])
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    for index in range(5):
        user = make_user(f"attendee{index}")
        give_feedback(meeting, user, traits=["fluent"], suggestions="更多案例")
        MeetingMaterial.objects.create(
            meeting=meeting,
            file=f"x{index}.pdf",
            original_name=f"x{index}.pdf",
            size=1,
            uploaded_by=world.assistant,
        )
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200


def test_record_start_page_only_for_writers(client, world):
    client.force_login(world.assistant)
    response = client.get(reverse("meetings:meeting_create"))
    assert response.status_code == 200
    units = set(response.context["start"].fields["unit"].queryset)
    assert units == {world.dept_a1, world.group_a1_1, world.group_a1_2}
    client.force_login(world.agent_user)
    assert client.get(reverse("meetings:meeting_create")).status_code == 403


def test_host_must_belong_to_the_district(world):
    with pytest.raises(ValidationError, match="主持人须为本营业区的员工或业务员"):
        services.meeting_create(
            acting_user=world.assistant,
            unit=world.dept_a1,
            level=MeetingLevel.DEPARTMENT,
            day=days_ago(1),
            topic="t",
            host=world.outsider,
        )
    meeting = services.meeting_create(
        acting_user=world.assistant,
        unit=world.dept_a1,
        level=MeetingLevel.DEPARTMENT,
        day=days_ago(1),
        topic="t",
        host=world.agent_user,  # an agent of the district
        present_count=1,
        use_roll_call=False,
    )
    assert meeting.speaker == str(world.agent_user)
