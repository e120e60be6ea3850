"""Roll call (点名): one request saves a whole group or department, with history; who may mark which
day; half days; the page's query count does not grow with the number of agents."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attendance.models import AttendanceRecord, AttendanceSource
from attendance.services import daily as services
from attendance.tests.helpers import freeze, mark, moment
from conftest import make_agent

TUESDAY = date(2026, 3, 10)
URL = reverse("attendance:roll_call")


@pytest.fixture
def today(monkeypatch):
    freeze(monkeypatch, moment(TUESDAY, 8, 50))
    return TUESDAY


def post(client, unit, day, **fields):
    data = {"unit": unit.pk, "date": day.isoformat(), **fields}
    return client.post(URL, data)


def test_assistant_saves_the_whole_department_in_one_request(client, world, today):
    client.force_login(world.assistant)
    response = post(
        client,
        world.dept_a1,
        today,
        **{
            f"s{world.agent.pk}": "present",
            f"s{world.colleague.pk}": "leave",
            f"h{world.colleague.pk}": "on",
            f"r{world.colleague.pk}": "on",
            f"s{world.other_group_agent.pk}": "absent",
        },
    )
    assert response.status_code == 302
    records = {r.agent_id: r for r in AttendanceRecord.objects.filter(date=today)}
    assert set(records) == {world.agent.pk, world.colleague.pk, world.other_group_agent.pk}
    leave = records[world.colleague.pk]
    assert (leave.status, leave.fraction, leave.reported) == ("leave", Decimal("0.5"), True)
    assert records[world.other_group_agent.pk].status == "absent"
    assert all(r.source == AttendanceSource.ROLL_CALL for r in records.values())
    assert all(r.recorded_by == world.assistant for r in records.values())
    history = AttendanceRecord.history.filter(date=today)
    assert history.count() == 3
    assert {h.history_user for h in history} == {world.assistant}


def test_toggles_that_do_not_apply_are_ignored(client, world, today):
    client.force_login(world.supervisor)
    post(
        client,
        world.group_a1_1,
        today,
        **{
            f"s{world.agent.pk}": "present",
            f"h{world.agent.pk}": "on",
            f"r{world.agent.pk}": "on",
            f"s{world.colleague.pk}": "absent",
            f"r{world.colleague.pk}": "on",
        },
    )
    present = AttendanceRecord.objects.get(agent=world.agent, date=today)
    absent = AttendanceRecord.objects.get(agent=world.colleague, date=today)
    assert (present.fraction, present.reported) == (1, False)
    assert (absent.fraction, absent.reported) == (1, False)


def test_supervisor_takes_todays_roll_call_of_their_group(client, world, today):
    client.force_login(world.supervisor)
    response = post(client, world.group_a1_1, today, **{f"s{world.agent.pk}": "late"})
    assert response.status_code == 302
    assert AttendanceRecord.objects.get(agent=world.agent, date=today).status == "late"


def test_supervisor_cannot_open_the_department(client, world, today):
    client.force_login(world.supervisor)
    assert client.get(URL, {"unit": world.dept_a1.pk}).status_code == 404
    assert client.get(URL, {"unit": world.group_a1_2.pk}).status_code == 404


def test_supervisor_cannot_change_a_past_day(client, world, today):
    yesterday = today - timedelta(days=1)
    client.force_login(world.supervisor)
    response = post(client, world.group_a1_1, yesterday, **{f"s{world.agent.pk}": "absent"})
    assert response.status_code == 200
    assert "部经理助理" in response.content.decode() or "assistant" in response.content.decode()
    assert not AttendanceRecord.objects.exists()
    with pytest.raises(PermissionDenied):
        services.attendance_record_day(
            acting_user=world.supervisor,
            unit=world.group_a1_1,
            day=yesterday,
            entries=[services.Entry(world.agent.pk, yesterday, "absent")],
        )


def test_assistant_changes_a_past_day_and_it_is_audited(client, world, today):
    last_week = today - timedelta(days=7)
    record = mark(world.agent, last_week, "absent")
    client.force_login(world.assistant)
    response = post(
        client,
        world.group_a1_1,
        last_week,
        reason="补登：当天参加培训",
        **{f"s{world.agent.pk}": "present"},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == "present" and record.recorded_by == world.assistant
    change = record.history.order_by("-history_id").first()
    assert change.history_type == "~"
    assert change.history_user == world.assistant
    assert change.history_change_reason == "补登：当天参加培训"
    page = client.get(reverse("attendance:record_detail", args=[world.agent.pk, last_week]))
    assert "补登：当天参加培训" in page.content.decode()


def test_unchanged_entries_write_nothing(world, today):
    mark(world.agent, today, "present")
    result = services.attendance_record_day(
        acting_user=world.assistant,
        unit=world.group_a1_1,
        day=today,
        entries=[services.Entry(world.agent.pk, today, "present")],
    )
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert AttendanceRecord.history.count() == 1  # only the creation


def test_future_days_and_days_off_are_refused(world, today):
    saturday = date(2026, 3, 14)
    with pytest.raises(ValidationError):
        services.attendance_record_day(
            acting_user=world.assistant,
            unit=world.group_a1_1,
            day=today + timedelta(days=1),
            entries=[],
        )
    with pytest.raises(ValidationError):
        services.attendance_record_day(
            acting_user=world.assistant,
            unit=world.group_a1_1,
            day=saturday - timedelta(days=7),
            entries=[],
        )


def test_agents_outside_the_unit_or_not_yet_hired_are_refused(world, today):
    newcomer = make_agent(world.group_a1_1, world.rank_probation, hire_date=today + timedelta(1))
    for agent in (world.other_dept_agent, world.outside_agent, newcomer):
        with pytest.raises(ValidationError):
            services.attendance_record_day(
                acting_user=world.assistant,
                unit=world.dept_a1,
                day=today,
                entries=[services.Entry(agent.pk, today, "present")],
            )
    assert not AttendanceRecord.objects.exists()


def test_half_day_only_for_leave_and_absence(world, today):
    with pytest.raises(ValidationError):
        services.attendance_record_day(
            acting_user=world.assistant,
            unit=world.group_a1_1,
            day=today,
            entries=[services.Entry(world.agent.pk, today, "late", Decimal("0.5"))],
        )


def test_page_shows_who_is_unmarked(client, world, today):
    mark(world.agent, today, "present")
    client.force_login(world.assistant)
    response = client.get(URL, {"unit": world.group_a1_1.pk})
    assert response.status_code == 200
    assert response.context["unmarked"] == 1
    rows = {row.agent.pk: row for row in response.context["rows"]}
    assert rows[world.colleague.pk].record is None
    assert rows[world.colleague.pk].status == "present"  # the default offered


def test_outsiders_and_agents_cannot_take_roll_call(client, world, today):
    client.force_login(world.outsider)
    assert client.get(URL, {"unit": world.group_a1_1.pk}).status_code == 404
    client.force_login(world.agent_user)
    assert client.get(URL).status_code == 403
    client.force_login(world.trainer)
    assert client.get(URL).status_code == 403


def _queries(client, url, data=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, data) if data is not None else client.get(url)
    assert response.status_code in (200, 302)
    return len(ctx.captured_queries)


def test_roll_call_queries_do_not_grow_with_agents(client, world, today):
    client.force_login(world.assistant)
    url = f"{URL}?unit={world.dept_a1.pk}&date={today}"

    def measure(n):
        agents = [make_agent(world.group_a1_2, world.rank_formal) for _ in range(n)]
        get = _queries(client, url)
        data = {"unit": world.dept_a1.pk, "date": today.isoformat()}
        data.update({f"s{a.pk}": "late" for a in agents})
        return get, _queries(client, URL, data)

    few = measure(10)
    many = measure(30)
    assert few == many


def test_roll_call_api_sets_a_unit_in_bulk(api_client, world, today):
    api_client.force_authenticate(world.assistant)
    response = api_client.post(
        "/api/v1/attendance/roll-call/",
        {
            "unit": world.group_a1_1.pk,
            "date": today.isoformat(),
            "entries": [
                {"agent": world.agent.pk, "status": "present"},
                {
                    "agent": world.colleague.pk,
                    "status": "leave",
                    "fraction": "0.5",
                    "reported": True,
                },
            ],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"created": 2, "updated": 0, "unchanged": 0}
    refused = api_client.post(
        "/api/v1/attendance/roll-call/",
        {
            "unit": world.group_a1_1.pk,
            "date": today.isoformat(),
            "entries": [{"agent": world.other_dept_agent.pk, "status": "present"}],
        },
        format="json",
    )
    assert refused.status_code == 400


def test_roll_call_api_refuses_a_supervisors_past_day(api_client, world, today):
    api_client.force_authenticate(world.supervisor)
    response = api_client.post(
        "/api/v1/attendance/roll-call/",
        {
            "unit": world.group_a1_1.pk,
            "date": (today - timedelta(days=1)).isoformat(),
            "entries": [{"agent": world.agent.pk, "status": "present"}],
        },
        format="json",
    )
    assert response.status_code == 403
    assert not AttendanceRecord.objects.exists()
