"""Work calendar per district (spec §1): Mon–Fri by default, holidays and make-up workdays (调休)
set per district, and who may change them.

Worked example: National Day 2025. 2025-09-29 (Mon) .. 2025-10-12 (Sun) has 10 weekdays:
09-29, 09-30, 10-01, 10-02, 10-03, 10-06, 10-07, 10-08, 10-09, 10-10. The holiday takes the
weekdays 10-01..10-03 and 10-06..10-08 (6 days) and Saturday 10-11 is a make-up workday, so
5 workdays remain: 09-29, 09-30, 10-09, 10-10, 10-11. October 2025 has 23 weekdays; with the
holiday and the make-up day it has 23 - 6 + 1 = 18 workdays.
"""

import re
from datetime import date

from django.urls import reverse

from workcalendar.models import CalendarDay
from workcalendar.selectors import is_workday, workday_count, workdays

START, END = date(2025, 9, 29), date(2025, 10, 12)
HOLIDAYS = [date(2025, 10, d) for d in (1, 2, 3, 6, 7, 8)]
MAKE_UP = date(2025, 10, 11)
NATIONAL_DAY_WORKDAYS = [
    date(2025, 9, 29),
    date(2025, 9, 30),
    date(2025, 10, 9),
    date(2025, 10, 10),
    date(2025, 10, 11),
]


def _national_day(district):
    for day in HOLIDAYS:
        CalendarDay.objects.create(district=district, date=day, is_workday=False, note="国庆节")
    CalendarDay.objects.create(district=district, date=MAKE_UP, is_workday=True, note="调休")


# -- selectors ---------------------------------------------------------------------------------


def test_default_is_monday_to_friday(world):
    days = workdays(world.district_a, START, END)
    assert days == [
        date(2025, 9, 29),
        date(2025, 9, 30),
        date(2025, 10, 1),
        date(2025, 10, 2),
        date(2025, 10, 3),
        date(2025, 10, 6),
        date(2025, 10, 7),
        date(2025, 10, 8),
        date(2025, 10, 9),
        date(2025, 10, 10),
    ]


def test_a_weekday_holiday_removes_the_day(world):
    CalendarDay.objects.create(
        district=world.district_a, date=date(2025, 10, 1), is_workday=False, note="国庆节"
    )
    days = workdays(world.district_a, START, END)
    assert len(days) == 9
    assert date(2025, 10, 1) not in days
    assert not is_workday(world.district_a, date(2025, 10, 1))


def test_a_make_up_saturday_adds_the_day(world):
    CalendarDay.objects.create(district=world.district_a, date=MAKE_UP, is_workday=True)
    days = workdays(world.district_a, START, END)
    assert len(days) == 11
    assert MAKE_UP in days
    assert is_workday(world.district_a, MAKE_UP)


def test_national_day_worked_example(world):
    _national_day(world.district_a)
    assert workdays(world.district_a, START, END) == NATIONAL_DAY_WORKDAYS


def test_overrides_of_district_a_do_not_touch_district_b(world):
    _national_day(world.district_a)
    assert workday_count(world.district_b, START, END) == 10
    assert workday_count(world.group_b1_1, START, END) == 10


def test_department_and_group_use_their_districts_calendar(world):
    _national_day(world.district_a)
    assert workdays(world.dept_a2, START, END) == NATIONAL_DAY_WORKDAYS
    assert workdays(world.group_a1_1, START, END) == NATIONAL_DAY_WORKDAYS


def test_end_before_start_gives_no_days(world):
    assert workdays(world.district_a, END, START) == []


def test_workdays_is_one_query(world, django_assert_num_queries):
    _national_day(world.district_a)
    with django_assert_num_queries(1):
        workdays(world.district_a, date(2025, 1, 1), date(2025, 12, 31))


# -- month page --------------------------------------------------------------------------------


def _month(client, district, year=2025, month=10):
    response = client.get(
        reverse("workcalendar:month"), {"district": district.pk, "year": year, "month": month}
    )
    assert response.status_code == 200
    return response.content.decode()


def _shown_count(html) -> int:
    span = re.search(r'id="workday-count">([^<]*)<', html).group(1)
    return int(re.search(r"\d+", span).group())


def test_month_page_counts_the_districts_workdays(client, world):
    _national_day(world.district_a)
    client.force_login(world.district_manager)
    html = _month(client, world.district_a)
    assert _shown_count(html) == 18
    assert html.count('data-workday="1"') == 18
    assert 'data-date="2025-10-11" data-workday="1"' in html
    assert 'data-date="2025-10-01" data-workday="0"' in html
    assert "国庆节" in html


def test_month_page_of_district_b_is_unchanged(client, world):
    _national_day(world.district_a)
    client.force_login(world.admin)
    assert _shown_count(_month(client, world.district_b)) == 23


def test_month_page_of_another_district_is_404(client, world):
    client.force_login(world.district_manager)
    response = client.get(reverse("workcalendar:month"), {"district": world.district_b.pk})
    assert response.status_code == 404


def test_dept_manager_sees_their_districts_calendar(client, world):
    _national_day(world.district_a)
    client.force_login(world.dept_manager)
    response = client.get(reverse("workcalendar:month"), {"year": 2025, "month": 10})
    assert response.status_code == 200
    html = response.content.decode()
    assert _shown_count(html) == 18
    assert reverse("workcalendar:set_day", args=[world.district_a.pk]) not in html


def test_dept_manager_can_move_to_the_next_month(client, world):
    client.force_login(world.dept_manager)
    html = client.get(reverse("workcalendar:month"), {"year": 2025, "month": 10}).content.decode()
    next_link = re.search(r'href="(\?district=\d+&(?:amp;)?year=2025&(?:amp;)?month=11)"', html)
    assert next_link
    url = reverse("workcalendar:month") + next_link.group(1).replace("&amp;", "&")
    assert client.get(url).status_code == 200


def test_district_admin_marks_a_holiday_and_history_shows_who(client, world):
    client.force_login(world.district_admin)
    url = reverse("workcalendar:set_day", args=[world.district_a.pk])
    response = client.post(url, {"day": "2025-10-01", "is_workday": "0", "note": "国庆节"})
    assert response.status_code == 302
    assert f"district={world.district_a.pk}" in response.url
    row = CalendarDay.objects.get(district=world.district_a, date=date(2025, 10, 1))
    assert (row.is_workday, row.note) == (False, "国庆节")
    assert row.history.get().history_user == world.district_admin
    assert workday_count(world.district_a, START, END) == 9


def test_setting_a_day_back_keeps_the_row_and_its_history(client, world):
    client.force_login(world.district_admin)
    url = reverse("workcalendar:set_day", args=[world.district_a.pk])
    client.post(url, {"day": "2025-10-01", "is_workday": "0", "note": "国庆节"})
    client.force_login(world.district_manager)
    seen = _month(client, world.district_a)
    assert 'name="versions" value="2025-10-01:1"' in seen  # the page's view of the row
    client.post(
        url, {"day": "2025-10-01", "is_workday": "1", "note": "", "versions": "2025-10-01:1"}
    )
    row = CalendarDay.objects.get(district=world.district_a, date=date(2025, 10, 1))
    assert row.is_workday is True
    users = [h.history_user for h in row.history.order_by("history_id")]
    assert users == [world.district_admin, world.district_manager]
    assert workday_count(world.district_a, START, END) == 10


def test_trainer_cannot_mark_a_day(client, world):
    client.force_login(world.trainer)
    response = client.post(
        reverse("workcalendar:set_day", args=[world.district_a.pk]),
        {"day": "2025-10-01", "is_workday": "0"},
    )
    assert response.status_code == 403
    assert not CalendarDay.objects.exists()


def test_dept_manager_cannot_mark_a_day(client, world):
    # no EDIT_CALENDAR; the district is not even in the dept manager's unit tree
    client.force_login(world.dept_manager)
    response = client.post(
        reverse("workcalendar:set_day", args=[world.district_a.pk]),
        {"day": "2025-10-01", "is_workday": "0"},
    )
    assert response.status_code in (403, 404)
    assert not CalendarDay.objects.exists()


def test_district_admin_cannot_mark_a_day_of_another_district(client, world):
    client.force_login(world.district_admin)
    response = client.post(
        reverse("workcalendar:set_day", args=[world.district_b.pk]),
        {"day": "2025-10-01", "is_workday": "0"},
    )
    assert response.status_code == 404
    assert not CalendarDay.objects.exists()


# -- API ---------------------------------------------------------------------------------------

WORKDAYS_API = "/api/v1/calendar/workdays/"
DAYS_API = "/api/v1/calendar/days/"


def test_api_workdays_returns_count_and_dates(api_client, world):
    _national_day(world.district_a)
    api_client.force_authenticate(world.dept_manager)
    response = api_client.get(
        WORKDAYS_API, {"unit": world.dept_a1.pk, "start": "2025-09-29", "end": "2025-10-12"}
    )
    assert response.status_code == 200
    assert response.json() == {
        "unit": world.dept_a1.pk,
        "count": 5,
        "workdays": [d.isoformat() for d in NATIONAL_DAY_WORKDAYS],
    }


def test_api_workdays_for_out_of_scope_unit_is_404(api_client, world):
    api_client.force_authenticate(world.dept_manager)
    for unit in (world.district_b, world.dept_a2):
        response = api_client.get(
            WORKDAYS_API, {"unit": unit.pk, "start": "2025-09-29", "end": "2025-10-12"}
        )
        assert response.status_code == 404


def test_api_workdays_rejects_reversed_range(api_client, world):
    api_client.force_authenticate(world.district_manager)
    response = api_client.get(
        WORKDAYS_API, {"unit": world.district_a.pk, "start": "2025-10-12", "end": "2025-09-29"}
    )
    assert response.status_code == 400
    assert "end" in response.json()


def test_api_sets_a_day_for_own_district(api_client, world):
    api_client.force_authenticate(world.district_admin)
    response = api_client.post(
        DAYS_API,
        {"district": world.district_a.pk, "date": "2025-10-11", "is_workday": True, "note": "调休"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["is_workday"] is True
    row = CalendarDay.objects.get(district=world.district_a, date=MAKE_UP)
    assert row.history.get().history_user == world.district_admin
    listed = api_client.get(DAYS_API, {"district": world.district_a.pk}).json()
    assert [(r["date"], r["is_workday"], r["note"]) for r in listed] == [
        ("2025-10-11", True, "调休")
    ]


def test_api_day_for_another_district_is_404(api_client, world):
    api_client.force_authenticate(world.district_admin)
    response = api_client.post(
        DAYS_API,
        {"district": world.district_b.pk, "date": "2025-10-01", "is_workday": False},
        format="json",
    )
    assert response.status_code == 404
    assert not CalendarDay.objects.exists()
    assert api_client.get(DAYS_API, {"district": world.district_b.pk}).status_code == 404


def test_api_day_without_calendar_right_is_403(api_client, world):
    api_client.force_authenticate(world.trainer)
    response = api_client.post(
        DAYS_API,
        {"district": world.district_a.pk, "date": "2025-10-01", "is_workday": False},
        format="json",
    )
    assert response.status_code == 403
    assert not CalendarDay.objects.exists()


def test_api_day_on_a_department_is_refused(api_client, world):
    api_client.force_authenticate(world.district_admin)
    response = api_client.post(
        DAYS_API,
        {"district": world.dept_a1.pk, "date": "2025-10-01", "is_workday": False},
        format="json",
    )
    assert response.status_code == 400
    assert "district" in response.json()
    assert not CalendarDay.objects.exists()
