"""Calendars (行事例): deadline and submission board around the deadline (frozen clock), copy
from last month, the month editor, distribution and acknowledgement, reminders, tasks, scoping
of reads and writes, pages and API."""

from datetime import date, datetime, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from conftest import make_user
from core.exceptions import ConflictError
from meetings.models import (
    Calendar,
    CalendarAcknowledgement,
    CalendarEntry,
    CalendarSettings,
    CalendarState,
    MeetingLevel,
)
from meetings.reminders import calendar_reminders
from meetings.selectors import calendars as selectors
from meetings.services import calendars as services
from meetings.services.calendars import EntryInput
from meetings.todo import meeting_tasks
from notifications.models import Notification
from notifications.services import notify_many
from org.models import Unit, UnitKind
from workcalendar.models import CalendarDay

JUNE = date(2026, 6, 1)  # a Monday; its calendars are due on 25 May 2026 by default
MAY = date(2026, 5, 1)


def moment(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def freeze(monkeypatch, day: date, hour: int = 10) -> None:
    when = moment(day, hour)
    monkeypatch.setattr(timezone, "now", lambda: when)


def make_calendar(user, unit, level, month=JUNE, days=(date(2026, 6, 2),)):
    calendar = services.calendar_create(acting_user=user, unit=unit, level=level, month=month)
    services.calendar_entries_save(
        acting_user=user,
        calendar=calendar,
        entries=[EntryInput(date=day, topic=f"主题 {day:%m-%d}") for day in days],
    )
    return calendar


# -- deadline and states -------------------------------------------------------------------------
def test_deadline_default_settings_and_clamping(world):
    assert selectors.deadline_for(world.district_a, JUNE) == date(2026, 5, 25)
    CalendarSettings.objects.create(district=world.district_b, deadline_day=31)
    district_b = Unit.objects.get(pk=world.district_b.pk)
    assert selectors.deadline_for(district_b, date(2026, 3, 1)) == date(2026, 2, 28)
    assert selectors.deadline_for(district_b, JUNE) == date(2026, 5, 31)
    assert selectors.deadline_for(district_b, date(2026, 1, 1)) == date(2025, 12, 31)


def test_submission_state():
    deadline = date(2026, 5, 25)
    assert selectors.submission_state(None, deadline, date(2026, 5, 25)) == "pending"
    assert selectors.submission_state(None, deadline, date(2026, 5, 26)) == "missing"
    on_time = Calendar(submitted_at=moment(date(2026, 5, 25), 23))
    late = Calendar(submitted_at=moment(date(2026, 5, 26), 0))
    draft = Calendar()
    assert selectors.submission_state(on_time, deadline, date(2026, 6, 3)) == "submitted"
    assert selectors.submission_state(late, deadline, date(2026, 6, 3)) == "late"
    assert selectors.submission_state(draft, deadline, date(2026, 5, 20)) == "pending"


def _cells(board):
    return {
        (row.unit.code, cell.level): cell.state
        for row in board.rows
        for cell in row.cells
        if cell.expected
    }


def test_submission_board_around_the_deadline(world, monkeypatch):
    freeze(monkeypatch, date(2026, 5, 20))
    a1 = make_calendar(world.dept_manager, world.dept_a1, MeetingLevel.DEPARTMENT)
    services.calendar_submit(acting_user=world.assistant, calendar=a1)
    make_calendar(world.dept_manager, world.dept_a1, MeetingLevel.EVENING)  # draft only
    board = selectors.submission_board(world.district_a, JUNE, date(2026, 5, 20))
    cells = _cells(board)
    assert cells[("DA-1", "department")] == "submitted"
    assert cells[("DA-1", "evening")] == "pending"
    assert cells[("DA-1-1", "group")] == "pending"
    assert ("DA-1", "group") not in cells and ("DA-1-1", "department") not in cells
    assert {unit.code for unit in (row.unit for row in board.rows)} == {
        "DA-1",
        "DA-2",
        "DA-1-1",
        "DA-1-2",
        "DA-2-1",
    }
    assert board.counts == {"submitted": 1, "late": 0, "missing": 0, "pending": 6}

    # On the deadline day itself a submission is on time; the day after, it is late.
    freeze(monkeypatch, date(2026, 5, 25), hour=22)
    group = make_calendar(world.supervisor, world.group_a1_1, MeetingLevel.GROUP)
    services.calendar_submit(acting_user=world.supervisor, calendar=group)
    freeze(monkeypatch, date(2026, 5, 27))
    dept_manager_a2 = make_user("dm_a2", Role.DEPT_MANAGER, world.dept_a2)
    a2 = make_calendar(dept_manager_a2, world.dept_a2, MeetingLevel.DEPARTMENT)
    services.calendar_submit(acting_user=dept_manager_a2, calendar=a2)
    board = selectors.submission_board(world.district_a, JUNE, date(2026, 5, 27))
    cells = _cells(board)
    assert cells[("DA-1", "department")] == "submitted"
    assert cells[("DA-1-1", "group")] == "submitted"
    assert cells[("DA-2", "department")] == "late"
    assert cells[("DA-1", "evening")] == "missing"  # a draft is not a submission
    assert cells[("DA-2-1", "group")] == "missing"
    assert board.counts == {"submitted": 2, "late": 1, "missing": 4, "pending": 0}


def test_correcting_after_submission_keeps_the_submission_and_shows_in_history(world, monkeypatch):
    freeze(monkeypatch, date(2026, 5, 20))
    calendar = make_calendar(world.dept_manager, world.dept_a1, MeetingLevel.DEPARTMENT)
    services.calendar_submit(acting_user=world.dept_manager, calendar=calendar)
    with pytest.raises(ConflictError):
        services.calendar_submit(acting_user=world.dept_manager, calendar=calendar)
    freeze(monkeypatch, date(2026, 5, 28))
    services.calendar_entries_save(
        acting_user=world.assistant,
        calendar=calendar,
        entries=[EntryInput(date=date(2026, 6, 2), topic="改过的主题")],
    )
    calendar.refresh_from_db()
    assert calendar.submitted_at == moment(date(2026, 5, 20))
    assert (
        selectors.submission_state(
            calendar, selectors.deadline_for(world.district_a, JUNE), date(2026, 5, 28)
        )
        == "submitted"
    )
    changes = selectors.changes_after_submission(calendar)
    assert [(c.topic, c.history_user_id) for c in changes] == [("改过的主题", world.assistant.pk)]


def test_board_query_count_does_not_grow_with_units(world, django_assert_max_num_queries):
    def count_queries():
        district = Unit.objects.get(pk=world.district_a.pk)
        with django_assert_max_num_queries(3) as captured:
            selectors.submission_board(district, JUNE, date(2026, 5, 27))
        return len(captured)

    before = count_queries()
    for n in range(4):
        department = Unit.objects.create(
            kind=UnitKind.DEPARTMENT, name=f"新部{n}", code=f"DA-N{n}", parent=world.district_a
        )
        for g in range(3):
            Unit.objects.create(
                kind=UnitKind.GROUP, name=f"新部{n}组{g}", code=f"DA-N{n}-{g}", parent=department
            )
    assert count_queries() == before


def test_board_page_and_api(world, client, api_client, django_assert_max_num_queries):
    client.force_login(world.trainer)
    url = reverse("meetings:calendar_submission_board")
    with django_assert_max_num_queries(14):  # +2: nav figures (cold)
        response = client.get(url, {"district": world.district_a.pk, "month": "2026-06"})
    assert response.status_code == 200
    assert 'id="submission-board"' in response.content.decode()
    client.force_login(world.outsider)
    assert client.get(url, {"district": world.district_a.pk}).status_code == 404
    client.force_login(world.dept_manager)  # does not see the district
    assert client.get(url, {"district": world.district_a.pk}).status_code == 404
    client.force_login(make_user("coach", Role.COACH, world.district_a))  # sees, not in charge
    assert client.get(url, {"district": world.district_a.pk}).status_code == 403

    api_client.force_authenticate(world.district_manager)
    response = api_client.get(
        "/api/v1/meetings/calendars/board/", {"district": world.district_a.pk, "month": "2026-06"}
    )
    assert response.status_code == 200
    assert response.json()["deadline"] == "2026-05-25"
    assert len(response.json()["rows"]) == 5
    api_client.force_authenticate(world.agent_user)
    response = api_client.get(
        "/api/v1/meetings/calendars/board/", {"district": world.district_a.pk}
    )
    assert response.status_code == 404


# -- copy last month -----------------------------------------------------------------------------
def test_copy_last_month_keeps_weekday_order_and_skips_non_workdays(world):
    CalendarDay.objects.create(
        district=world.district_a, date=date(2026, 6, 9), is_workday=False, note="假日"
    )
    may = make_calendar(
        world.trainer,
        world.district_a,
        MeetingLevel.DISTRICT,
        month=MAY,
        days=[date(2026, 5, 5), date(2026, 5, 11), date(2026, 5, 12), date(2026, 5, 29)],
    )
    calendar, copied, skipped = services.calendar_copy_from_previous(
        acting_user=world.trainer, unit=world.district_a, level=MeetingLevel.DISTRICT, month=JUNE
    )
    entries = list(calendar.entries.order_by("date").values_list("date", "topic"))
    # 1st Tuesday → 2 June, 2nd Monday → 8 June; 2nd Tuesday (9 June) is a holiday and there is
    # no 5th Friday in June: both skipped.
    assert entries == [(date(2026, 6, 2), "主题 05-05"), (date(2026, 6, 8), "主题 05-11")]
    assert (copied, skipped) == (2, 2)
    assert calendar.copied_from == may and calendar.state == CalendarState.DRAFT
    with pytest.raises(ConflictError):
        services.calendar_copy_from_previous(
            acting_user=world.trainer,
            unit=world.district_a,
            level=MeetingLevel.DISTRICT,
            month=JUNE,
        )
    with pytest.raises(ValidationError):  # nothing in April to copy into May's place
        services.calendar_copy_from_previous(
            acting_user=world.trainer,
            unit=world.district_a,
            level=MeetingLevel.DISTRICT,
            month=date(2026, 4, 1),
        )


def test_copy_target_day():
    june_days = {date(2026, 6, d) for d in range(1, 31)}
    assert services.copy_target_day(date(2026, 5, 1), JUNE, june_days) == date(2026, 6, 5)
    assert services.copy_target_day(date(2026, 5, 31), JUNE, june_days) is None


# -- the month editor ----------------------------------------------------------------------------
def test_entries_save_cancel_kept_and_all_or_nothing(world):
    calendar = make_calendar(
        world.dept_manager, world.dept_a1, MeetingLevel.DEPARTMENT, days=[date(2026, 6, 2)]
    )
    entry = calendar.entries.get()
    services.calendar_entries_save(
        acting_user=world.dept_manager,
        calendar=calendar,
        entries=[
            EntryInput(date=date(2026, 6, 2), topic=""),  # taken off
            EntryInput(
                date=date(2026, 6, 3), topic="话术演练", host_id=world.agent_user.pk, content="x"
            ),
        ],
    )
    entry.refresh_from_db()
    assert entry.cancelled_at is not None
    active = calendar.entries.filter(cancelled_at__isnull=True).get()
    assert (active.date, active.host_id, active.speaker) == (
        date(2026, 6, 3),
        world.agent_user.pk,
        str(world.agent_user),
    )
    # One bad row (a Saturday, a speaker from another district): nothing saved.
    with pytest.raises(ValidationError) as error:
        services.calendar_entries_save(
            acting_user=world.dept_manager,
            calendar=calendar,
            entries=[
                EntryInput(date=date(2026, 6, 4), topic="好的"),
                EntryInput(date=date(2026, 6, 6), topic="周六"),
                EntryInput(date=date(2026, 6, 5), topic="外人", host_id=world.outsider.pk),
            ],
        )
    assert set(error.value.message_dict) == {"2026-06-06", "2026-06-05"}
    assert calendar.entries.count() == 2
    assert CalendarEntry.objects.filter(date=date(2026, 6, 4)).count() == 0


def test_refused_writes(world):
    create = services.calendar_create
    for user, unit, level in [
        (world.district_manager, world.dept_a1, MeetingLevel.DEPARTMENT),  # the district reads
        (world.trainer, world.group_a1_1, MeetingLevel.GROUP),
        (world.dept_manager, world.dept_a2, MeetingLevel.DEPARTMENT),  # another department
        (world.dept_manager, world.district_a, MeetingLevel.DISTRICT),
        (world.supervisor, world.group_a1_2, MeetingLevel.GROUP),  # another group
        (world.agent_user, world.group_a1_1, MeetingLevel.GROUP),
        (world.outsider, world.district_a, MeetingLevel.DISTRICT),
    ]:
        with pytest.raises(PermissionDenied):
            create(acting_user=user, unit=unit, level=level, month=JUNE)
    calendar = make_calendar(world.dept_manager, world.dept_a1, MeetingLevel.DEPARTMENT)
    for user in (world.district_manager, world.supervisor, world.agent_user, world.outsider):
        with pytest.raises(PermissionDenied):
            services.calendar_entries_save(
                acting_user=user,
                calendar=calendar,
                entries=[EntryInput(date=date(2026, 6, 3), topic="x")],
            )
        with pytest.raises(PermissionDenied):
            services.calendar_submit(acting_user=user, calendar=calendar)
    # Allowed: the department writes its groups' 二早 calendars; a supervisor their own group's.
    create(acting_user=world.assistant, unit=world.group_a1_2, level="group", month=JUNE)
    create(acting_user=world.supervisor, unit=world.group_a1_1, level="group", month=JUNE)
    with pytest.raises(ValidationError):  # a department holds no 二早
        create(acting_user=world.dept_manager, unit=world.dept_a1, level="group", month=JUNE)
    with pytest.raises(ConflictError):
        create(acting_user=world.supervisor, unit=world.group_a1_1, level="group", month=JUNE)


def test_agents_read_their_units_calendars_only(world, api_client, client):
    own = [
        make_calendar(world.trainer, world.district_a, MeetingLevel.DISTRICT),
        make_calendar(world.dept_manager, world.dept_a1, MeetingLevel.DEPARTMENT),
        make_calendar(world.supervisor, world.group_a1_1, MeetingLevel.GROUP),
    ]
    others = [
        make_calendar(world.dept_manager, world.group_a1_2, MeetingLevel.GROUP),
        make_calendar(world.outsider, world.district_b, MeetingLevel.DISTRICT),
    ]
    api_client.force_authenticate(world.agent_user)
    response = api_client.get("/api/v1/meetings/calendars/", {"month": "2026-06"})
    assert {row["id"] for row in response.json()["results"]} == {c.pk for c in own}
    for calendar in others:
        assert api_client.get(f"/api/v1/meetings/calendars/{calendar.pk}/").status_code == 404
    response = api_client.get(f"/api/v1/meetings/calendars/{own[2].pk}/")
    assert response.status_code == 200 and len(response.json()["entries"]) == 1
    response = api_client.put(
        f"/api/v1/meetings/calendars/{own[2].pk}/entries/",
        {"entries": [{"date": "2026-06-03", "topic": "x"}], "version": own[2].version},
        format="json",
    )
    assert response.status_code == 403
    client.force_login(world.agent_user)
    assert client.get(reverse("meetings:calendar_detail", args=[own[1].pk])).status_code == 200
    assert client.get(reverse("meetings:calendar_detail", args=[others[0].pk])).status_code == 404
    assert client.get(reverse("meetings:calendar_edit", args=[own[2].pk])).status_code == 403
    # The district reads its departments' calendars; the outsider does not.
    api_client.force_authenticate(world.district_manager)
    assert api_client.get(f"/api/v1/meetings/calendars/{others[0].pk}/").status_code == 200
    api_client.force_authenticate(world.outsider)
    assert api_client.get(f"/api/v1/meetings/calendars/{own[1].pk}/").status_code == 404


# -- distribution and acknowledgement ------------------------------------------------------------
def test_distribution_notifies_departments_and_each_acknowledges_once(world, monkeypatch):
    freeze(monkeypatch, date(2026, 5, 20))
    make_user("assistant_a2", Role.ASSISTANT, world.dept_a2)
    make_user("assistant_b1", Role.ASSISTANT, world.dept_b1)
    calendar = make_calendar(world.trainer, world.district_a, MeetingLevel.DISTRICT)
    with pytest.raises(ValidationError):
        services.calendar_submit(acting_user=world.trainer, calendar=calendar)
    with pytest.raises(ValidationError):  # not distributed yet
        services.calendar_acknowledge(
            acting_user=world.dept_manager, calendar=calendar, department=world.dept_a1
        )
    with pytest.raises(PermissionDenied):
        services.calendar_distribute(acting_user=world.dept_manager, calendar=calendar)
    services.calendar_distribute(acting_user=world.trainer, calendar=calendar)
    recipients = set(
        Notification.objects.filter(url__contains=f"/calendars/{calendar.pk}/").values_list(
            "recipient__username", flat=True
        )
    )
    assert recipients == {"dept_manager", "assistant", "assistant_a2"}
    assert [t.title for t in meeting_tasks(world.dept_manager)] == ["营业区2026-06行事例"]

    for user in (world.supervisor, world.district_manager, world.outsider, world.agent_user):
        with pytest.raises(PermissionDenied):
            services.calendar_acknowledge(
                acting_user=user, calendar=calendar, department=world.dept_a1
            )
    services.calendar_acknowledge(
        acting_user=world.dept_manager, calendar=calendar, department=world.dept_a1
    )
    with pytest.raises(ConflictError):
        services.calendar_acknowledge(
            acting_user=world.assistant, calendar=calendar, department=world.dept_a1
        )
    assert CalendarAcknowledgement.objects.filter(calendar=calendar).count() == 1
    assert meeting_tasks(world.dept_manager) == []
    rows = selectors.acknowledgement_rows(calendar)
    assert [(r["unit"].code, bool(r["ack"])) for r in rows] == [("DA-1", True), ("DA-2", False)]


def test_acknowledge_via_api_and_page(world, api_client, client):
    calendar = make_calendar(world.trainer, world.district_a, MeetingLevel.DISTRICT)
    api_client.force_authenticate(world.trainer)
    response = api_client.post(f"/api/v1/meetings/calendars/{calendar.pk}/distribute/")
    assert response.status_code == 200 and response.json()["state"] == "distributed"
    api_client.force_authenticate(world.dept_manager)
    response = api_client.post(f"/api/v1/meetings/calendars/{calendar.pk}/acknowledge/")
    assert response.status_code == 201
    response = api_client.post(f"/api/v1/meetings/calendars/{calendar.pk}/acknowledge/")
    assert response.status_code == 409
    client.force_login(world.trainer)
    page = client.get(reverse("meetings:calendar_detail", args=[calendar.pk])).content.decode()
    assert 'id="calendar-acks"' in page and "dept_manager" in page


# -- reminders -----------------------------------------------------------------------------------
def test_reminders_before_and_after_the_deadline_are_sent_once(world, monkeypatch):
    freeze(monkeypatch, date(2026, 5, 20))
    calendar = make_calendar(world.dept_manager, world.dept_a1, MeetingLevel.DEPARTMENT)
    services.calendar_submit(acting_user=world.dept_manager, calendar=calendar)

    # May's calendars were due on 25 April: overdue, reminded once whatever the day.
    def june(day):
        return [m for m in calendar_reminders(day) if ":2026-06:" in m.dedupe_key]

    # Three days before (the default window opens on the 22nd for a 25 May deadline).
    assert june(date(2026, 5, 21)) == []
    messages = june(date(2026, 5, 22))
    assert all(m.dedupe_key.startswith("meetings:calendar-due:") for m in messages)
    # dept A1's morning calendar is in; its evening one is not; groups' supervisors hear of theirs.
    assert not any(f":{world.dept_a1.pk}:department:" in m.dedupe_key for m in messages)
    assert any(f":{world.dept_a1.pk}:evening:" in m.dedupe_key for m in messages)
    recipients = {m.recipient_id for m in messages}
    assert recipients == {world.dept_manager.pk, world.assistant.pk, world.supervisor.pk}
    assert len(notify_many(messages)) == len(messages)
    notify_many(list(calendar_reminders(date(2026, 5, 22))))  # May's overdue ones too
    assert notify_many(list(calendar_reminders(date(2026, 5, 23)))) == []  # already told
    overdue = june(date(2026, 5, 27))
    assert overdue and all(m.dedupe_key.startswith("meetings:calendar-overdue:") for m in overdue)
    sent = notify_many(overdue)
    assert len(sent) == len(overdue)
    assert notify_many(list(calendar_reminders(date(2026, 5, 28)))) == []
    # A district not planning with calendars (no calendar, no settings) is left alone.
    assert not any(
        m.dedupe_key.split(":")[2] == str(world.dept_b1.pk)
        for m in calendar_reminders(date(2026, 5, 27))
    )
    # A group's overdue calendar also goes to its department manager.
    group_1 = [m for m in overdue if f":{world.group_a1_1.pk}:group:" in m.dedupe_key]
    assert {m.recipient_id for m in group_1} == {world.supervisor.pk, world.dept_manager.pk}
    # The reminder settings move the window.
    services.calendar_settings_update(
        acting_user=world.district_admin,
        district=world.district_a,
        deadline_day=10,
        remind_days_before=1,
    )

    def july(day):
        return {m.dedupe_key for m in calendar_reminders(day) if ":2026-07:" in m.dedupe_key}

    assert july(date(2026, 6, 8)) == set()
    assert july(date(2026, 6, 9)) and all("-due:" in key for key in july(date(2026, 6, 9)))


def test_settings_page_and_api(world, client, api_client):
    url = reverse("meetings:calendar_settings")
    client.force_login(world.district_manager)
    assert client.get(url, {"district": world.district_a.pk}).status_code == 200
    response = client.post(
        url,
        {
            "district": world.district_a.pk,
            "deadline_day": 20,
            "remind_days_before": 2,
            "version": 0,
        },
    )
    assert response.status_code == 302
    assert CalendarSettings.objects.get(district=world.district_a).deadline_day == 20
    version = CalendarSettings.objects.get(district=world.district_a).version
    response = client.post(
        url,
        {
            "district": world.district_a.pk,
            "deadline_day": 40,
            "remind_days_before": 2,
            "version": version,
        },
    )
    assert response.status_code == 200
    client.force_login(world.dept_manager)  # does not see the district
    assert client.get(url, {"district": world.district_a.pk}).status_code == 404
    client.force_login(make_user("coach", Role.COACH, world.district_a))  # sees, not in charge
    assert client.get(url, {"district": world.district_a.pk}).status_code == 403

    api = f"/api/v1/meetings/calendars/settings/{world.district_a.pk}/"
    api_client.force_authenticate(world.trainer)
    assert api_client.get(api).json()["deadline_day"] == 20
    response = api_client.put(
        api, {"deadline_day": 24, "remind_days_before": 4, "version": version}, format="json"
    )
    assert response.status_code == 200 and response.json()["deadline_day"] == 24
    api_client.force_authenticate(world.dept_manager)
    assert api_client.put(api, {"deadline_day": 1, "remind_days_before": 0}).status_code == 404
    api_client.force_authenticate(User.objects.get(username="coach"))
    assert api_client.get(api).status_code == 403
    api_client.force_authenticate(world.outsider)
    assert api_client.get(api).status_code == 404


# -- pages and API end to end --------------------------------------------------------------------
def test_pages_edit_print_and_export(world, client, django_assert_max_num_queries):
    client.force_login(world.dept_manager)
    response = client.post(
        reverse("meetings:calendar_create"),
        {"unit": world.dept_a1.pk, "level": "department", "month": "2026-06"},
    )
    calendar = Calendar.objects.get(unit=world.dept_a1, level="department", month=JUNE)
    edit = reverse("meetings:calendar_edit", args=[calendar.pk])
    assert response.url == edit
    page = client.get(edit).content.decode()
    assert 'name="topic-2026-06-01"' in page and 'name="topic-2026-06-06"' not in page
    response = client.post(
        edit,
        {
            "topic-2026-06-01": "考勤与业绩通报",
            "host-2026-06-01": str(world.dept_manager.pk),
            "host_name-2026-06-01": "",
            "content-2026-06-01": "昨日业绩",
            "topic-2026-06-02": "话术演练",
            "host_name-2026-06-02": "绩优业务员",
            "version": calendar.version,
        },
    )
    assert response.status_code == 302
    assert list(calendar.entries.order_by("date").values_list("topic", flat=True)) == [
        "考勤与业绩通报",
        "话术演练",
    ]
    detail = reverse("meetings:calendar_detail", args=[calendar.pk])
    with django_assert_max_num_queries(22, info="detail"):
        page = client.get(detail).content.decode()
    assert 'id="calendar-month"' in page and "考勤与业绩通报" in page
    page = client.get(detail, {"view": "list"}).content.decode()
    assert 'id="calendar-entries"' in page and "绩优业务员" in page
    response = client.post(reverse("meetings:calendar_submit", args=[calendar.pk]))
    calendar.refresh_from_db()
    assert calendar.state == CalendarState.SUBMITTED
    page = client.get(reverse("meetings:calendar_print", args=[calendar.pk])).content.decode()
    assert 'id="form2"' in page and "考勤与业绩通报" in page
    response = client.get(reverse("meetings:calendar_export", args=[calendar.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    page = client.get(reverse("meetings:calendar_list"), {"month": "2026-06"}).content.decode()
    assert f'data-calendar="{calendar.pk}"' in page
    client.force_login(world.district_manager)
    assert client.post(edit, {"topic-2026-06-03": "x"}).status_code == 403


def test_api_create_copy_entries_submit(world, api_client):
    api_client.force_authenticate(world.supervisor)
    response = api_client.post(
        "/api/v1/meetings/calendars/",
        {"unit": world.group_a1_1.pk, "level": "group", "month": "2026-05-01"},
        format="json",
    )
    assert response.status_code == 201
    calendar_id = response.json()["id"]
    response = api_client.put(
        f"/api/v1/meetings/calendars/{calendar_id}/entries/",
        {
            "entries": [
                {"date": "2026-05-04", "topic": "昨日活动量检视", "host": world.supervisor.pk},
                {"date": "2026-05-05", "topic": "今日拜访计划", "host_name": "张三"},
            ],
            "version": response.json()["version"],
        },
        format="json",
    )
    assert response.status_code == 200
    assert [e["speaker"] for e in response.json()["entries"]] == ["supervisor", "张三"]
    response = api_client.put(
        f"/api/v1/meetings/calendars/{calendar_id}/entries/",
        {"entries": [{"date": "2026-05-09", "topic": "周六"}]},
        format="json",
        HTTP_IF_MATCH=response["ETag"],
    )
    assert response.status_code == 400 and "2026-05-09" in response.json()
    response = api_client.post(
        "/api/v1/meetings/calendars/copy-from-last-month/",
        {"unit": world.group_a1_1.pk, "level": "group", "month": "2026-06-01"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["copied"] == 2
    june_id = response.json()["calendar"]["id"]
    response = api_client.post(f"/api/v1/meetings/calendars/{june_id}/submit/")
    assert response.status_code == 200 and response.json()["state"] == "submitted"
    assert api_client.post(f"/api/v1/meetings/calendars/{june_id}/submit/").status_code == 409
    response = api_client.get(
        "/api/v1/meetings/calendars/", {"unit": world.group_a1_1.pk, "level": "group"}
    )
    assert response.json()["count"] == 2


def test_demo_part_runs_fast_and_fills_all_levels(world):
    from meetings.demo_parts import calendars as demo

    make_user("assistant_a2", Role.ASSISTANT, world.dept_a2)
    demo.seed(seed=1, log=lambda message: None)
    levels = set(Calendar.objects.values_list("level", flat=True))
    assert levels == set(MeetingLevel.values)
    next_month = selectors.next_month(timezone.localdate())
    district_next = Calendar.objects.get(unit=world.district_a, level="district", month=next_month)
    assert district_next.state == CalendarState.DRAFT
    assert CalendarAcknowledgement.objects.exists()
    count = Calendar.objects.count()
    demo.seed(seed=1, log=lambda message: None)  # a second run changes nothing
    assert Calendar.objects.count() == count


def test_excel_export_has_the_planned_meetings(world, client):
    from io import BytesIO

    from openpyxl import load_workbook

    calendar = make_calendar(
        world.trainer, world.district_a, MeetingLevel.DISTRICT, days=[date(2026, 6, 2)]
    )
    client.force_login(world.agent_user)  # an agent reads the district's calendar
    response = client.get(reverse("meetings:calendar_export", args=[calendar.pk]))
    sheet = load_workbook(BytesIO(response.content)).active
    header = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "日期")
    assert [c.value for c in sheet[header]][:3] == ["日期", "星期", "主题"]
    row = header + 1
    assert sheet.cell(row, 3).value == "主题 06-02" and sheet.cell(row, 2).value == "周二"
