"""The weekly check's Excel file (附件5) is in the language of the user who downloads it:
Chinese by default, English for a user who chose English.

附件5 is made by core.paperforms: the title is in the first row (the sheet is named after the
file), the header fields one a row, the record's items (label, finding) under the 检查项目 header,
each agent without a log on a row of its own with the days, the signature lines at the foot."""

import io
from datetime import date

import pytest
from django.utils import translation
from openpyxl import load_workbook

from activity.models import LogState, WorkLog
from activity.services.weekly_checks import weekly_check_save

MON = date(2025, 3, 3)


@pytest.fixture
def checked(world):
    WorkLog.objects.create(
        agent=world.agent, date=MON, state=LogState.SUBMITTED, first_visits=3, accompanied_visits=1
    )
    weekly_check_save(
        acting_user=world.dept_manager,
        department=world.dept_a1,
        week_start=MON,
        data={"measures": "每日跟进"},
        submit=True,
    )
    with translation.override(None):  # the requests below activate the user's language
        yield world


def _export(client, world, language):
    world.district_manager.language = language
    world.district_manager.save(update_fields=["language"])
    client.force_login(world.district_manager)
    response = client.get(f"/activity/weekly/{world.dept_a1.pk}/{MON.isoformat()}/xlsx/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return sheet, rows, {row[0]: row[1] for row in rows[1:]}


def _items(rows, header):
    """The labels of the record's items, from the row after the items' header."""
    start = next(i for i, row in enumerate(rows) if row[0] == header) + 1
    return [row[0] for row in rows[start:]]


def _agent_row(rows, name):
    return next(row for row in rows if row[1] == name)[:4]


def test_weekly_check_excel_is_chinese_by_default(client, checked):
    sheet, rows, values = _export(client, checked, "zh-hans")

    assert rows[0][0] == "附件5 活动量管理检查记录表"
    assert rows[1][:2] == ("营业部", "东一部") and rows[2][:2] == (
        "检查周",
        "2025-03-03 至 2025-03-09",
    )
    assert _items(rows, "检查项目")[:4] == [
        "出勤率",
        "营业部早会情况",
        "组二早情况",
        "未填写工作日志人员",
    ]
    assert values["改进措施"] == "每日跟进"
    assert values["主管陪访"] == 1
    assert values["未填写工作日志人员"].startswith("张三")
    assert _agent_row(rows, "张三") == ("东一部一组", "张三", "03-04、03-05、03-06、03-07", 4)


def test_weekly_check_excel_is_english_for_an_english_user(client, checked):
    sheet, rows, values = _export(client, checked, "en")

    assert rows[0][0] == "Attachment 5 Weekly activity check"
    assert rows[1][:2] == ("Sales department", "东一部")
    assert rows[2][:2] == ("Week checked", "2025-03-03 to 2025-03-09")
    assert _items(rows, "Check item")[:4] == [
        "Attendance rate",
        "Department morning meeting status",
        "Group second morning meeting status",
        "Agents who did not fill their log",
    ]
    assert values["Improvement measures"] == "每日跟进"
    assert values["Supervisor accompanied visits"] == 1
    assert values["Agents who did not fill their log"].startswith("张三")
    assert _agent_row(rows, "张三") == ("东一部一组", "张三", "03-04, 03-05, 03-06, 03-07", 4)
    assert values["Checked by"] is None  # not checked yet: the line to sign
    assert next(row for row in rows if row[0] == "Checked by")[2] == "Date"  # the check date
