"""The month grid's Excel file (XlsxWriter, attendance.exports.month_grid_xlsx): header frozen
with the agents' columns, column widths, days as dates, totals as numbers, days off grey, and
stored text that starts like a formula (tab included) written as text."""

import io
from datetime import datetime

from django.urls import reverse
from openpyxl import load_workbook

from attendance.tests.test_pages import marked  # noqa: F401 - a fixture
from org.models import Agent


def _sheet(client, world):
    client.force_login(world.assistant)
    response = client.get(
        reverse("attendance:month_export"), {"unit": world.group_a1_1.pk, "year": 2026, "month": 3}
    )
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content)).active


def test_layout_dates_and_numbers(client, marked):  # noqa: F811
    sheet = _sheet(client, marked)
    assert sheet.freeze_panes == "D3"
    assert sheet.column_dimensions["A"].width > 10 and sheet.column_dimensions["D"].width < 5
    monday = sheet.cell(2, 3 + 9)  # 9 March
    assert monday.value == datetime(2026, 3, 9) and monday.number_format == "d"
    assert sheet.cell(2, 3 + 7).fill.fgColor.rgb.endswith("D9D9D9")  # Saturday 7 March: off
    header = [cell.value for cell in sheet[2]]
    rate = header.index("出勤率") + 1
    late = header.index("迟到") + 1
    row = next(r for r in range(3, 6) if sheet.cell(r, 2).value == "张三")
    assert sheet.cell(row, late).value == 1  # a number, not "1"
    assert isinstance(sheet.cell(row, rate).value, float)
    assert sheet.cell(row, rate).number_format == "0.0%"
    assert sheet.print_title_rows == "$2:$2"


def test_names_starting_like_a_formula_are_text(client, marked):  # noqa: F811
    Agent.objects.filter(pk=marked.agent.pk).update(name="\t=1+1")
    Agent.objects.filter(pk=marked.colleague.pk).update(name="-3")
    sheet = _sheet(client, marked)
    names = {sheet.cell(r, 2).value: sheet.cell(r, 2) for r in range(3, 5)}
    for name in ("\t=1+1", "-3"):
        assert names[name].data_type == "s" and names[name].quotePrefix
