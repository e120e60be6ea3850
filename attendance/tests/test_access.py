"""Scoping (spec §10): an agent sees only their own attendance, a supervisor their group, the
department staff their department, district staff their district; outsiders nothing (404)."""

from datetime import date

import pytest
from django.urls import reverse

from attendance.tests.helpers import freeze, mark, moment

MONDAY = date(2026, 3, 9)
RECORDS = "/api/v1/attendance/records/"


@pytest.fixture
def marked(world, monkeypatch):
    freeze(monkeypatch, moment(date(2026, 3, 12), 18))
    for agent in (
        world.agent,
        world.colleague,
        world.other_group_agent,
        world.other_dept_agent,
        world.outside_agent,
    ):
        mark(agent, MONDAY)
    return world


def names(api_client, user, **params):
    api_client.force_authenticate(user)
    response = api_client.get(RECORDS, {"start": "2026-03-01", "end": "2026-03-31", **params})
    assert response.status_code == 200
    return sorted(row["agent_name"] for row in response.json()["results"])


def test_agent_sees_only_their_own_records(api_client, marked):
    assert names(api_client, marked.agent_user) == ["张三"]
    assert names(api_client, marked.agent_user, agent=marked.colleague.pk) == []


def test_supervisor_sees_their_group(api_client, marked):
    assert names(api_client, marked.supervisor) == ["张三", "李四"]


def test_department_staff_see_their_department(api_client, marked):
    expected = ["张三", "李四", "王五"]
    assert names(api_client, marked.dept_manager) == expected
    assert names(api_client, marked.assistant) == expected


def test_district_staff_see_their_district(api_client, marked):
    assert names(api_client, marked.district_admin) == ["张三", "李四", "王五", "赵六"]
    assert names(api_client, marked.district_admin, unit=marked.dept_a2.pk) == ["赵六"]


def test_outsider_sees_nothing_of_another_district(api_client, marked):
    assert names(api_client, marked.outsider) == ["钱七"]
    api_client.force_authenticate(marked.outsider)
    assert api_client.get(RECORDS, {"unit": marked.dept_a1.pk}).status_code == 404
    summary = api_client.get("/api/v1/attendance/summary/", {"unit": marked.dept_a1.pk})
    assert summary.status_code == 404


def test_summary_api_is_scoped_and_has_the_figures(api_client, marked):
    api_client.force_authenticate(marked.supervisor)
    response = api_client.get(
        "/api/v1/attendance/summary/",
        {"unit": marked.group_a1_1.pk, "start": "2026-03-09", "end": "2026-03-09"},
    )
    assert response.status_code == 200
    data = response.json()
    assert data["total"]["required"] == 2 and data["total"]["rate"] == "100.0"
    assert sorted(a["name"] for a in data["agents"]) == ["张三", "李四"]
    assert (
        api_client.get("/api/v1/attendance/summary/", {"unit": marked.dept_a1.pk}).status_code
        == 404
    )
    api_client.force_authenticate(marked.agent_user)
    assert (
        api_client.get("/api/v1/attendance/summary/", {"unit": marked.group_a1_1.pk}).status_code
        == 403
    )


@pytest.mark.parametrize(
    ("user", "unit", "status"),
    [
        ("supervisor", "group_a1_1", 200),
        ("supervisor", "dept_a1", 404),
        ("dept_manager", "dept_a1", 200),
        ("dept_manager", "dept_a2", 404),
        ("district_manager", "dept_a2", 200),
        ("outsider", "dept_a1", 404),
    ],
)
def test_month_view_is_scoped(client, marked, user, unit, status):
    client.force_login(getattr(marked, user))
    url = reverse("attendance:month")
    assert client.get(url, {"unit": getattr(marked, unit).pk}).status_code == status


def test_agent_pages(client, marked):
    client.force_login(marked.agent_user)
    assert client.get(reverse("attendance:index")).url == reverse("attendance:mine")
    assert client.get(reverse("attendance:month")).status_code == 403
    own = reverse("attendance:record_detail", args=[marked.agent.pk, "2026-03-09"])
    other = reverse("attendance:record_detail", args=[marked.colleague.pk, "2026-03-09"])
    assert client.get(own).status_code == 200
    assert client.get(other).status_code == 404


def test_staff_without_an_agent_record_have_no_check_in_page(client, marked):
    client.force_login(marked.assistant)
    assert client.get(reverse("attendance:mine")).status_code == 403
    client.force_login(marked.service)
    assert client.get(reverse("attendance:index")).status_code == 403
