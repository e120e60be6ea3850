"""Excel import: all rows are checked first; one bad row → nothing written, errors by row and
column; importing again changes nothing; a month grid export imports back."""

import io
from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from attendance import exports, imports
from attendance.models import AttendanceRecord
from attendance.selectors import month as selectors
from attendance.tests.helpers import freeze, mark, moment
from conftest import make_agent
from org.models import Agent

HEADER = ["业务编码", "姓名", "日期", "状态", "天数", "已报备"]
MONDAY = date(2026, 3, 9)
TUESDAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    freeze(monkeypatch, moment(date(2026, 3, 12), 18))


def sheet(rows, header=HEADER, title_rows=()):
    workbook = Workbook()
    ws = workbook.active
    for row in title_rows:
        ws.append(row)
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("差勤.xlsx", buffer.getvalue())


def run(world, rows, user=None, **kwargs):
    return imports.attendance_import(sheet(rows, **kwargs), user or world.assistant)


def test_a_valid_day_is_imported_and_importing_again_changes_nothing(world):
    rows = [
        [world.agent.code, "张三", "2026-03-09", "出勤", None, None],
        [world.colleague.code, "李四", MONDAY, "请假", 0.5, "是"],
        [world.other_group_agent.code, None, "2026/3/9", "旷工", 1, None],
    ]
    result = run(world, rows)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    leave = AttendanceRecord.objects.get(agent=world.colleague)
    assert (leave.status, str(leave.fraction), leave.reported, leave.source) == (
        "leave",
        "0.5",
        True,
        "import",
    )
    again = run(world, rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    rows[2][3] = "迟到"
    changed = run(world, rows)
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 2)
    record = AttendanceRecord.objects.get(agent=world.other_group_agent)
    assert record.status == "late" and record.history.count() == 2


def test_any_bad_row_writes_nothing_and_names_row_and_column(world):
    newcomer = make_agent(world.group_a1_1, world.rank_probation, hire_date=TUESDAY)
    rows = [
        [world.agent.code, None, MONDAY, "出勤", None, None],  # fine (row 2)
        ["NOPE", None, MONDAY, "出勤", None, None],  # 3: unknown code
        [world.outside_agent.code, None, MONDAY, "出勤", None, None],  # 4: other district
        [world.colleague.code, None, date(2026, 3, 7), "出勤", None, None],  # 5: Saturday
        [newcomer.code, None, MONDAY, "出勤", None, None],  # 6: before hire
        [world.colleague.code, None, date(2026, 3, 13), "出勤", None, None],  # 7: future
        [world.colleague.code, None, MONDAY, "上班", None, None],  # 8: unknown status
        [world.other_group_agent.code, None, MONDAY, "迟到", 0.5, None],  # 9: half a late day
        [world.agent.code, None, MONDAY, "出勤", None, None],  # 10: duplicate of row 2
        [world.other_group_agent.code, None, TUESDAY, "出勤", None, "是"],  # 11: reported present
        [world.agent.code, "王五", TUESDAY, "出勤", None, None],  # 12: name does not match
        [world.other_dept_agent.code, None, "2026-02-30", "出勤", None, None],  # 13: bad date
    ]
    result = run(world, rows)
    assert not result.ok
    assert AttendanceRecord.objects.count() == 0
    found = {(e["row"], e["column"]) for e in result.errors}
    assert found == {
        (3, "业务编码"),
        (4, "业务编码"),
        (5, "日期"),
        (6, "日期"),
        (7, "日期"),
        (8, "状态"),
        (9, "天数"),
        (10, "日期"),
        (11, "已报备"),
        (12, "姓名"),
        (13, "日期"),
    }


def test_check_in_time_decides_present_or_late(world):
    header = ["业务编码", "日期", "状态", "签到时间"]
    rows = [
        [world.agent.code, MONDAY, None, time(8, 12)],
        [world.colleague.code, MONDAY, None, "09:05"],
        [world.other_group_agent.code, MONDAY, None, "10:15"],
    ]
    result = run(world, rows, header=header)
    assert [(e["row"], e["column"]) for e in result.errors] == [(4, "签到时间")]
    result = run(world, rows[:2], header=header)
    assert result.ok
    statuses = dict(AttendanceRecord.objects.values_list("agent_id", "status"))
    assert statuses == {world.agent.pk: "present", world.colleague.pk: "late"}


def test_missing_columns_and_wrong_files_are_reported(world):
    result = run(world, [[world.agent.code, MONDAY]], header=["业务编码", "日期"])
    assert not result.ok and "状态" in result.errors[0]["message"]
    not_excel = SimpleUploadedFile("x.xlsx", b"not a workbook")
    assert not imports.attendance_import(not_excel, world.assistant).ok


def test_only_recorders_may_import_and_only_their_agents(world):
    with pytest.raises(PermissionDenied):
        run(world, [], user=world.supervisor)
    result = run(world, [[world.other_dept_agent.code, None, MONDAY, "出勤", None, None]])
    assert [e["column"] for e in result.errors] == ["业务编码"]  # dept A2 is not the assistant's
    assert run(
        world,
        [[world.other_dept_agent.code, None, MONDAY, "出勤", None, None]],
        user=world.district_admin,
    ).ok


def test_an_exported_month_grid_imports_back_unchanged_and_edits_apply(world):
    mark(world.agent, MONDAY, "late")
    mark(world.colleague, MONDAY, "leave", "0.5")
    mark(world.colleague, TUESDAY, "leave", reported=True)
    mark(world.other_group_agent, MONDAY, "absent")
    grid = selectors.month_grid(Agent.objects.visible_to(world.assistant), world.dept_a1, 2026, 3)
    content = exports.month_grid_xlsx(grid)
    result = imports.attendance_import(SimpleUploadedFile("m.xlsx", content), world.assistant)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)

    workbook = load_workbook(io.BytesIO(content))
    ws = workbook.active
    header = [cell.value for cell in ws[2]]
    column = next(i for i, v in enumerate(header, start=1) if getattr(v, "day", None) == 11)
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == world.agent.code)
    ws.cell(row, column, "½旷")
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = imports.attendance_import(
        SimpleUploadedFile("m.xlsx", buffer.getvalue()), world.assistant
    )
    assert result.ok, result.errors
    assert (result.created, result.unchanged) == (1, 4)
    record = AttendanceRecord.objects.get(agent=world.agent, date=date(2026, 3, 11))
    assert (record.status, str(record.fraction)) == ("absent", "0.5")


def test_import_page_shows_the_errors_and_template_downloads(client, world):
    client.force_login(world.assistant)
    assert client.get(reverse("attendance:import")).status_code == 200
    template = client.get(reverse("attendance:import_template"))
    assert load_workbook(io.BytesIO(template.content)).active["A1"].value == "业务编码"
    upload = sheet([["NOPE", None, MONDAY, "出勤", None, None]])
    response = client.post(reverse("attendance:import"), {"file": upload})
    assert response.status_code == 200
    assert response.context["error_count"] == 1
    assert 'id="import-errors"' in response.content.decode()
    client.force_login(world.supervisor)
    assert client.get(reverse("attendance:import")).status_code == 403


def test_import_api(api_client, world):
    api_client.force_authenticate(world.assistant)
    bad = api_client.post(
        "/api/v1/attendance/import/",
        {"file": sheet([["NOPE", None, MONDAY, "出勤", None, None]])},
        format="multipart",
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["row"] == 2
    good = api_client.post(
        "/api/v1/attendance/import/",
        {"file": sheet([[world.agent.code, None, MONDAY, "出勤", None, None]])},
        format="multipart",
    )
    assert good.status_code == 200 and good.json()["created"] == 1
