"""The forms mechanism (core.paperforms): one description, the Excel file, the blank form, the
PDF (CJK font, page numbers, repeated headers, landscape) and the fetcher that serves static
files only."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from core.paperforms import (
    LANDSCAPE,
    Column,
    Form,
    HeaderField,
    Section,
    Signature,
    Table,
    registered,
)
from core.paperforms.excel import workbook
from core.paperforms.pdf import FetchRefused, html_to_pdf, render_pdf, static_file
from core.paperforms.views import document_context
from core.tests.paperform_checks import (
    assert_cjk_font_embedded,
    pdf_page_count,
    pdf_reader,
    pdf_text,
    xlsx_rows,
    xlsx_sheet,
)


def sample(rows=3, **kwargs) -> Form:
    columns = [
        Column("序号", "int", 5, keep=True),
        Column("姓名", "text", 12, keep=True),
        Column("金额", "decimal", 10),
        Column("日期", "date", 11),
        Column("达成率", "percent", 8),
    ]
    data = [[n, f"业务员{n}", Decimal("12.5") * n, date(2026, 3, n), 37.5] for n in range(1, 4)]
    data += [[n, f"业务员{n}", Decimal(1), date(2026, 3, 1), 10] for n in range(4, rows + 1)]
    return Form(
        number=7,
        name="营业部差勤检查记录表",
        unit="东一部",
        period="2026年3月",
        fields=[HeaderField("审批人", "王经理"), HeaderField("版本", "v2", keep=True)],
        tables=[Table(columns, data[:rows], totals=[None, "合计", Decimal("75"), None, None])],
        sections=[Section("检查意见", "按时填写", checks=[("已整改", True)])],
        signatures=[Signature("主管签字", "李主管", date(2026, 3, 31))],
        filename="form7-test",
        **kwargs,
    )


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def test_excel_has_title_rows_numbers_dates_and_frozen_header():
    content = workbook([sample()])
    rows = xlsx_rows(content)
    assert rows[0][0] == "附件7 营业部差勤检查记录表"
    assert rows[1][:2] == ["机构", "东一部"] and rows[2][:2] == ["期间", "2026年3月"]
    assert rows[3][:2] == ["审批人", "王经理"]
    header = rows.index(["序号", "姓名", "金额", "日期", "达成率"])
    first = rows[header + 1]
    assert first[0] == 1 and first[2] == 12.5 and first[3].date() == date(2026, 3, 1)
    assert first[4] == pytest.approx(0.375)
    assert rows[header + 4][1:3] == ["合计", 75]
    sheet = xlsx_sheet(content)
    assert sheet.freeze_panes == f"A{header + 2}"
    assert sheet.cell(header + 2, 3).number_format == "0.00"
    assert sheet.cell(header + 2, 4).number_format == "yyyy-mm-dd"
    assert sheet.column_dimensions["B"].width >= 12


def test_excel_writes_formula_like_text_as_text():
    form = sample()
    form.tables[0].rows[0][1] = "=1+1"
    form.unit = "@SUM(A1)"
    from core.tests.xlsx_checks import assert_written_as_text

    cells = assert_written_as_text(workbook([form]), "=1+1", "@SUM(A1)")
    assert cells["=1+1"].quotePrefix


def test_blank_form_keeps_the_form_and_empties_what_is_filled_in():
    blank = sample().blank()
    assert blank.is_blank and blank.filename == "form7-test-blank"
    assert [f.text for f in blank.fields] == ["", "v2"]
    assert blank.tables[0].rows[0] == [1, "业务员1", None, None, None]
    assert blank.sections[0].text == "" and blank.sections[0].checks == [("已整改", False)]
    assert blank.signatures[0].name == "" and blank.signatures[0].date is None
    no_kept = Table([Column("a"), Column("b", "int")], rows=[["x", 1]], blank_rows=5).blank()
    assert no_kept.rows == [[None, None]] * 5
    assert xlsx_rows(workbook([blank]))[0][0] == "附件7 营业部差勤检查记录表"


def test_pdf_has_the_text_page_numbers_repeated_headers_and_a_cjk_font():
    content = render_pdf(document_context([sample(rows=50)]))
    assert pdf_page_count(content) == 2
    text = pdf_text(content)
    first, second = text.split("\f")
    assert "附件7" in first and "营业部差勤检查记录表" in first and "审批人：王经理" in first
    assert "第 1 页 / 共 2 页" in first and "第 2 页 / 共 2 页" in second
    assert "东一部" in second and "2026年3月" in second and "打印时间" in second
    assert "序号 姓名 金额 日期 达成率" in second  # the header row again on page 2
    assert "12.50" in first and "37.5%" in first and "主管签字" in second
    assert_cjk_font_embedded(content)


def test_landscape_form_prints_on_landscape_pages():
    content = render_pdf(document_context([sample(orientation=LANDSCAPE)]))
    box = pdf_reader(content).pages[0].mediabox
    assert box.width > box.height


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/x.css",
        "https://example.com/static/css/print/paperform.css",
        "https://paperforms.invalid/etc/passwd",
        "https://paperforms.invalid/static/../config/settings.py",
        "https://paperforms.invalid/static/%2e%2e/config/settings.py",
        "https://paperforms.invalid/static/does-not-exist.css",
        "data:text/css,body{}",
    ],
)
def test_the_fetcher_refuses_anything_but_static_files(url):
    with pytest.raises(FetchRefused):
        static_file(url)


def test_the_fetcher_serves_static_files_and_a_refused_url_does_not_stop_the_pdf():
    assert static_file("https://paperforms.invalid/static/css/print/paperform.css").endswith(
        "paperform.css"
    )
    html = '<p>x</p><img src="file:///etc/hostname"><link rel="stylesheet" href="http://example.com/a.css">'
    assert html_to_pdf(html).startswith(b"%PDF-")


def test_the_registry_lists_the_forms_by_number():
    numbers = [form.number for form in registered()]
    assert numbers == sorted(numbers)
    assert {1, 2, 3, 4} <= set(numbers)
