"""Phone check-in: the server's clock (Asia/Shanghai) and the district's window decide."""

from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from attendance.models import AttendanceRecord, AttendanceRules
from attendance.services import daily as services
from attendance.tests.helpers import freeze, mark, moment
from core.exceptions import ConflictError
from workcalendar.models import CalendarDay

TUESDAY = date(2026, 3, 10)


def check_in(world):
    return services.attendance_check_in(acting_user=world.agent_user)


@pytest.mark.parametrize(
    ("hour", "minute", "second", "status"),
    [
        (7, 5, 0, "present"),
        (8, 29, 59, "present"),
        (8, 30, 0, "late"),
        (9, 0, 0, "late"),
        (9, 30, 59, "late"),
    ],
)
def test_window_decides_present_or_late(world, monkeypatch, hour, minute, second, status):
    now = freeze(monkeypatch, moment(TUESDAY, hour, minute, second))
    record = check_in(world)
    assert (record.status, record.date, record.checked_in_at) == (status, TUESDAY, now)
    assert record.source == "check_in"
    assert record.history.get().history_user == world.agent_user


@pytest.mark.parametrize(("hour", "minute"), [(9, 31), (14, 0)])
def test_after_the_window_check_in_is_refused(world, monkeypatch, hour, minute):
    freeze(monkeypatch, moment(TUESDAY, hour, minute))
    with pytest.raises(ValidationError):
        check_in(world)
    assert not AttendanceRecord.objects.exists()


def test_server_time_is_beijing_time_whatever_utc_says(world, monkeypatch):
    # 00:20 UTC is 08:20 in Asia/Shanghai: present, on the Shanghai date.
    from datetime import UTC, datetime

    freeze(monkeypatch, datetime(2026, 3, 10, 0, 20, tzinfo=UTC))
    record = check_in(world)
    assert (record.status, record.date) == ("present", TUESDAY)


def test_weekends_and_holidays_are_refused(world, monkeypatch):
    freeze(monkeypatch, moment(date(2026, 3, 14), 8, 0))  # Saturday
    with pytest.raises(ValidationError):
        check_in(world)
    CalendarDay.objects.create(district=world.district_a, date=TUESDAY, is_workday=False)
    freeze(monkeypatch, moment(TUESDAY, 8, 0))
    with pytest.raises(ValidationError):
        check_in(world)
    assert not AttendanceRecord.objects.exists()


def test_a_make_up_saturday_is_a_workday(world, monkeypatch):
    saturday = date(2026, 3, 14)
    CalendarDay.objects.create(district=world.district_a, date=saturday, is_workday=True)
    freeze(monkeypatch, moment(saturday, 8, 10))
    assert check_in(world).status == "present"


def test_the_regulations_window_applies_from_its_date(world, monkeypatch):
    AttendanceRules.objects.create(
        district=world.district_a,
        effective_from=TUESDAY,
        on_time_until=time(9, 0),
        late_until=time(10, 0),
    )
    freeze(monkeypatch, moment(TUESDAY, 8, 45))
    assert check_in(world).status == "present"
    AttendanceRecord.objects.all().delete()
    freeze(monkeypatch, moment(date(2026, 3, 9), 8, 45))  # the day before: defaults
    assert check_in(world).status == "late"


def test_check_in_twice_or_after_roll_call_is_a_conflict(world, monkeypatch):
    freeze(monkeypatch, moment(TUESDAY, 8, 0))
    check_in(world)
    with pytest.raises(ConflictError):
        check_in(world)
    AttendanceRecord.objects.all().delete()
    mark(world.agent, TUESDAY, "leave", reported=True)
    with pytest.raises(ConflictError):
        check_in(world)


def test_only_agents_check_in(world, monkeypatch):
    freeze(monkeypatch, moment(TUESDAY, 8, 0))
    with pytest.raises(PermissionDenied):
        services.attendance_check_in(acting_user=world.assistant)


def test_check_in_page_and_api(client, api_client, world, monkeypatch):
    freeze(monkeypatch, moment(TUESDAY, 8, 15))
    client.force_login(world.agent_user)
    page = client.get(reverse("attendance:mine"))
    assert page.status_code == 200 and page.context["window_open"]
    assert 'id="check-in-button"' in page.content.decode()
    response = client.post(reverse("attendance:check_in"))
    assert response.status_code == 302
    assert AttendanceRecord.objects.get(agent=world.agent).status == "present"
    page = client.get(reverse("attendance:mine"))
    assert not page.context["window_open"]
    assert 'id="today-status"' in page.content.decode()

    api_client.force_authenticate(world.agent_user)
    again = api_client.post("/api/v1/attendance/check-in/", {"time": "08:00"}, format="json")
    assert again.status_code == 409


def test_check_in_api_ignores_the_phones_clock(api_client, world, monkeypatch):
    freeze(monkeypatch, moment(TUESDAY, 9, 10))
    api_client.force_authenticate(world.agent_user)
    response = api_client.post(
        "/api/v1/attendance/check-in/", {"checked_in_at": "2026-03-10T08:00:00+08:00"}
    )
    assert response.status_code == 201
    assert response.json()["status"] == "late"
    freeze(monkeypatch, moment(date(2026, 3, 11), 9, 45))
    closed = api_client.post("/api/v1/attendance/check-in/")
    assert closed.status_code == 400


def test_rules_for_takes_the_latest_in_force_or_the_defaults(world):
    from attendance.selectors.rules import rules_for

    early = AttendanceRules.objects.create(
        district=world.district_a, effective_from=date(2026, 1, 1), on_time_until=time(8, 0)
    )
    later = AttendanceRules.objects.create(
        district=world.district_a, effective_from=date(2026, 3, 1), on_time_until=time(9, 0)
    )
    assert rules_for(world.district_a, date(2026, 2, 27)) == early
    assert rules_for(world.district_a.pk, date(2026, 3, 1)) == later
    default = rules_for(world.district_a, date(2025, 12, 31))
    assert default.pk is None
    assert (default.on_time_until, default.late_until) == (time(8, 30), time(9, 30))
    assert rules_for(world.district_b, date(2026, 3, 1)).pk is None
