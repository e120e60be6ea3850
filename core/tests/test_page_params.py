"""Pages read their query parameters through core/params.py (issue 20 "No 500 on any input"): a
bad id, integer, date or month answers 400 naming the parameter; a bad date or month in a page's
path is no page (404); nothing answers 500."""

from datetime import date

import pytest
from django.test import Client

BAD = ["abc", "99999999999999999999", "9999-12-31", "2026-13", "0001-01-01"]

# (page, who opens it, the parameters it reads through core/params.py)
PARSED = [
    ("/calendar/", "district_admin", ["year", "month"]),
    ("/attendance/", "district_admin", ["date"]),
    ("/attendance/roll-call/", "assistant", ["date"]),
    ("/attendance/month/", "district_admin", ["year", "month"]),
    ("/attendance/month/export/", "district_admin", ["year", "month"]),
    ("/attendance/summary/", "district_admin", ["start", "end"]),
    ("/attendance/checks/", "district_admin", ["department"]),
    ("/attendance/deductions/", "district_admin", ["month"]),
    ("/activity/dashboard/", "district_admin", ["start", "end"]),
    ("/activity/review/", "district_admin", ["date"]),
    ("/activity/weekly/", "district_admin", ["week"]),
    ("/activity/tools/", "district_admin", ["kind", "department"]),
    ("/activity/me/", "agent_user", ["date"]),
    ("/meetings/calendars/", "district_admin", ["month", "unit"]),
    ("/meetings/calendars/board/", "district_admin", ["month"]),
    ("/meetings/inspections/", "district_admin", ["inspector", "month"]),
    ("/meetings/inspections/export.xlsx", "district_admin", ["inspector", "month"]),
    ("/meetings/inspections/plan/", "district_admin", ["month"]),
    ("/meetings/inspections/report/", "district_admin", ["start"]),
    ("/meetings/inspections/report.xlsx", "district_admin", ["start"]),
]

# Parameters compared as text with the choices shown (ids of units, states, pages): never a 500.
COMPARED = [
    ("/calendar/", "district_admin", ["district"]),
    ("/attendance/deductions/", "district_admin", ["district", "department"]),
    ("/attendance/leave/", "district_admin", ["state", "page"]),
    ("/attendance/leave/new/", "district_admin", ["agent"]),
    ("/attendance/fund/", "district_admin", ["district", "page"]),
    ("/attendance/measures/", "district_admin", ["status", "page"]),
    ("/attendance/month/", "district_admin", ["unit"]),
    ("/activity/dashboard/", "district_admin", ["unit"]),
    ("/activity/review/", "district_admin", ["group"]),
    ("/activity/tools/", "district_admin", ["direction", "district"]),
    ("/activity/scorecard/", "district_admin", ["district"]),
    ("/meetings/calendars/", "district_admin", ["level", "page"]),
    ("/meetings/calendars/board/", "district_admin", ["district"]),
    ("/meetings/calendars/settings/", "district_admin", ["district"]),
    ("/meetings/inspections/", "district_admin", ["department", "district", "state", "page"]),
    ("/meetings/inspections/checklist/", "district_admin", ["district"]),
    ("/meetings/inspections/issues/", "district_admin", ["department", "state", "page"]),
    ("/meetings/inspections/report/", "district_admin", ["district", "period"]),
    ("/meetings/feedback/report/", "district_admin", ["district", "unit"]),
]


def _client(world, role) -> Client:
    client = Client()
    client.force_login(getattr(world, role))
    return client


@pytest.mark.parametrize("page, role, names", PARSED, ids=[p[0] for p in PARSED])
def test_a_bad_query_parameter_is_a_400_naming_it(world, page, role, names):
    client = _client(world, role)
    assert client.get(page).status_code == 200  # the page opens: the parameter is reached
    for name in names:
        for value in BAD:
            extra = {"period": "week"} if "report" in page else {}
            response = client.get(page, {name: value, **extra})
            assert response.status_code == 400, (name, value, response.status_code)
            assert response.content.decode().startswith(f"{name}: "), (name, value)


@pytest.mark.parametrize("page, role, names", COMPARED, ids=[p[0] for p in COMPARED])
def test_a_bad_choice_parameter_is_never_a_500(world, page, role, names):
    client = _client(world, role)
    for name in names:
        for value in BAD:
            response = client.get(page, {name: value})
            assert response.status_code in (200, 302, 400, 403, 404), (name, value)


def test_a_bad_date_in_a_pages_path_is_404(world):
    client = _client(world, "district_admin")
    agent, department = world.agent.pk, world.dept_a1.pk
    monday = date(2026, 3, 9).isoformat()
    pages = [
        "/activity/logs/{agent}/{value}/",
        "/attendance/records/{agent}/{value}/",
        "/activity/weekly/{department}/{value}/",
        "/activity/weekly/{department}/{value}/print/",
        "/activity/weekly/{department}/{value}/xlsx/",
        "/attendance/deductions/published/{department}/{value}/",
    ]
    for page in pages:
        good = page.format(
            agent=agent, department=department, value=monday[:7] if "published" in page else monday
        )
        assert client.get(good).status_code < 500, good
        for value in BAD:
            url = page.format(agent=agent, department=department, value=value)
            assert client.get(url).status_code == 404, url


def test_a_bad_year_or_month_pair_names_the_parameter(world):
    client = _client(world, "district_admin")
    assert client.get("/calendar/", {"year": "2026", "month": "13"}).content.decode() == (
        "month: 请输入 1 至 12 之间的月份。"
    )
    assert client.get("/calendar/", {"year": "12026"}).content.decode().startswith("year: ")
    assert client.get("/calendar/", {"year": "2026", "month": "3"}).status_code == 200
