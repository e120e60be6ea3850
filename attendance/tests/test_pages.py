"""The month view, its Excel export, the overview and the figures page; query counts of the
pages do not grow with the number of agents; the demo data."""

import io
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from attendance.models import (
    AttendanceRecord,
    AttendanceRules,
    CheckRecord,
    LeaveRequest,
    LeaveState,
)
from attendance.tests.helpers import freeze, mark, moment
from conftest import make_agent

MONDAY = date(2026, 3, 9)


@pytest.fixture
def marked(world, monkeypatch):
    freeze(monkeypatch, moment(date(2026, 3, 12), 18))
    mark(world.agent, MONDAY, "late")
    mark(world.colleague, MONDAY, "leave", "0.5")
    mark(world.other_group_agent, MONDAY, "absent")
    return world


def test_month_page_shows_symbols_and_totals(client, marked):
    client.force_login(marked.assistant)
    response = client.get(reverse("attendance:month"), {"unit": marked.dept_a1.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="month-grid"' in html
    for text in ("迟", "½假*", "旷"):
        assert f">{text}</td>" in html
    grid = response.context["grid"]
    assert grid.first == date(2026, 3, 1) and len(grid.rows) == 3
    assert grid.total.required == 3 * 9  # 2–6 and 9–12 March up to today: 9 workdays


def test_month_export_is_the_grid_in_excel(client, marked):
    client.force_login(marked.assistant)
    response = client.get(
        reverse("attendance:month_export"),
        {"unit": marked.group_a1_1.pk, "year": 2026, "month": 3},
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert "差勤月表" in sheet["A1"].value
    header = [cell.value for cell in sheet[2]]
    assert header[:3] == ["业务编码", "姓名", "营业组"]
    assert "出勤率" in header
    rows = {sheet.cell(r, 2).value: r for r in range(3, 5)}
    monday = next(i for i, v in enumerate(header, start=1) if getattr(v, "day", None) == 9)
    assert sheet.cell(rows["张三"], monday).value == "迟"
    assert sheet.cell(rows["李四"], monday).value == "½假*"


def _queries(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "name",
    ["attendance:month", "attendance:month_export", "attendance:summary", "attendance:index"],
)
def test_page_queries_do_not_grow_with_agents(client, marked, name):
    client.force_login(marked.dept_manager)
    url = reverse(name)
    params = {"unit": marked.dept_a1.pk}

    def measure(n):
        for _ in range(n):
            mark(make_agent(marked.group_a1_2, marked.rank_formal), MONDAY, "late")
        return _queries(client, url, params)

    assert measure(5) == measure(25)


def test_overview_page_counts_today(client, marked):
    client.force_login(marked.district_manager)
    response = client.get(reverse("attendance:index"), {"date": "2026-03-09"})
    assert response.status_code == 200
    overview = response.context["overview"]
    assert overview.total.required == 4 and overview.total.unmarked == 1  # 赵六 in dept A2


def test_figures_page(client, marked):
    client.force_login(marked.dept_manager)
    response = client.get(
        reverse("attendance:summary"),
        {"unit": marked.dept_a1.pk, "start": "2026-03-09", "end": "2026-03-09"},
    )
    summary = response.context["summary"]
    assert (summary.total.required, str(summary.total.attended)) == (3, "1.5")
    assert 'id="summary-agents"' in response.content.decode()


def test_seed_demo_fills_attendance(db):
    call_command("seed_demo", agents=120, stdout=StringIO())
    assert AttendanceRecord.objects.count() > 1000
    statuses = set(AttendanceRecord.objects.values_list("status", flat=True))
    assert statuses == {"present", "late", "leave", "absent"}
    assert CheckRecord.objects.count() >= 1
    assert CheckRecord.objects.filter(verifier__isnull=False).exists()
    assert AttendanceRules.objects.filter(source_version__isnull=False).exists()
    states = set(LeaveRequest.objects.values_list("state", flat=True))
    assert {LeaveState.APPROVED, LeaveState.SUBMITTED, LeaveState.RETURNED} <= states
    # No record outside employment or on a day off.
    for record in AttendanceRecord.objects.select_related("agent")[:2000]:
        assert record.agent.hire_date <= record.date
        assert record.agent.resigned_on is None or record.date <= record.agent.resigned_on


CHINESE_PAGES = [
    ("assistant", "/attendance/"),
    ("assistant", "/attendance/roll-call/"),
    ("assistant", "/attendance/month/"),
    ("assistant", "/attendance/summary/"),
    ("assistant", "/attendance/leave/"),
    ("assistant", "/attendance/leave/new/"),
    ("assistant", "/attendance/checks/"),
    ("assistant", "/attendance/checks/new/"),
    ("assistant", "/attendance/checks/{check}/"),
    ("assistant", "/attendance/checks/{check}/print/"),
    ("assistant", "/attendance/import/"),
    ("assistant", "/attendance/records/{agent}/2026-03-09/"),
    ("dept_manager", "/attendance/checks/{check}/"),
    ("supervisor", "/attendance/leave/{leave}/"),
    ("agent_user", "/attendance/me/"),
]


@pytest.mark.parametrize(("role", "page"), CHINESE_PAGES)
def test_pages_speak_chinese(client, marked, role, page):
    from attendance.services import checks as check_services
    from attendance.services import leave as leave_services
    from core.tests.test_translations import assert_chinese

    check = check_services.check_record_create(
        acting_user=marked.assistant,
        department=marked.dept_a1,
        check_date=date(2026, 3, 12),
        period_start=date(2026, 3, 1),
        period_end=date(2026, 3, 12),
    )
    leave = leave_services.leave_request_create(
        acting_user=marked.agent_user,
        agent=marked.agent,
        start_date=date(2026, 3, 13),
        end_date=date(2026, 3, 13),
        reason="事假",
    )
    client.force_login(getattr(marked, role))
    url = page.format(check=check.pk, agent=marked.agent.pk, leave=leave.pk)
    response = client.get(url)
    assert response.status_code == 200, url
    assert_chinese(response.content.decode(), f"{url} as {role}")
