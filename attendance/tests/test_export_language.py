"""The attendance Excel files come out in the language of the user who downloads them: Chinese
by default, English for a user who chose English. The grid's symbols stay the same notation."""

import io
from datetime import date
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from attendance.tests.helpers import freeze, mark, moment

MONDAY = date(2026, 3, 9)


@pytest.fixture
def marked(world, monkeypatch):
    freeze(monkeypatch, moment(date(2026, 3, 12), 18))
    mark(world.agent, MONDAY, "late")
    mark(world.colleague, MONDAY, "leave", "0.5")
    with translation.override(None):  # the requests below activate the user's language
        yield world


def _month_export(client, world, language):
    world.assistant.language = language
    world.assistant.save(update_fields=["language"])
    client.force_login(world.assistant)
    response = client.get(
        reverse("attendance:month_export"),
        {"unit": world.group_a1_1.pk, "year": 2026, "month": 3},
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[2]]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    return response, sheet, header, rows


def test_month_export_is_chinese_by_default(client, marked):
    response, sheet, header, rows = _month_export(client, marked, "zh-hans")

    assert sheet["A1"].value == "东一部一组 2026年3月 差勤月表"
    assert header[:3] == ["业务编码", "姓名", "营业组"]
    assert header[-8:] == [
        "应出勤", "出勤", "出勤率", "迟到", "请假(报备)", "请假(未报备)", "旷工", "未登记",
    ]  # fmt: skip
    total = next(row for row in rows if row[0] == "合计")
    assert total[1] == "2人"
    assert rows[-1][0].startswith("图例：√ 出勤  迟 迟到  假 请假（已报备）  假* 请假（未报备）")
    assert quote("差勤月表-东一部一组-202603.xlsx") in response["Content-Disposition"]


def test_month_export_is_english_for_an_english_user(client, marked):
    response, sheet, header, rows = _month_export(client, marked, "en")

    assert sheet["A1"].value == "东一部一组 attendance for 3/2026"
    assert header[:3] == ["Agent code", "Name", "Sales group"]
    assert header[-8:] == [
        "Required days", "Present", "Attendance rate", "Late", "Leave (reported)",
        "Leave (not reported)", "Absent", "Unmarked",
    ]  # fmt: skip
    total = next(row for row in rows if row[0] == "Total")
    assert total[1] == "2 people"
    assert rows[-1][0].startswith("Legend: √ present  迟 late  假 leave (reported)")
    assert quote("attendance-month-东一部一组-202603.xlsx") in response["Content-Disposition"]
    # The symbols are the same notation in every language (the importer reads them back).
    agent_row = next(row for row in rows if row[1] == "张三")
    assert "迟" in agent_row


def test_an_english_month_export_imports_back(client, marked):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from attendance import imports

    response, _sheet, _header, _rows = _month_export(client, marked, "en")
    with translation.override("en"):
        result = imports.attendance_import(
            SimpleUploadedFile("m.xlsx", response.content), marked.assistant
        )
    assert result.ok, result.errors
