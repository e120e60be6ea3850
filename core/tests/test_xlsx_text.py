"""The one helper every Excel writer uses (core.xlsx.put and friends): user text is written as
text, never as a live formula, and what an .xlsx cannot hold never breaks an export."""

import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

from core.tests.xlsx_checks import DDE, HYPERLINK
from core.xlsx import append, csv_value, put, workbook_bytes, write

FORMULA_LIKE = [HYPERLINK, DDE, "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "#N/A"]


def _read(workbook):
    return load_workbook(io.BytesIO(workbook_bytes(workbook))).worksheets[0]


@pytest.mark.parametrize("write_only", [False, True])
def test_text_that_looks_like_a_formula_is_written_as_text(write_only):
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet("data") if write_only else workbook.active
    append(sheet, [*FORMULA_LIKE, 42, 1.5, date(2026, 3, 9), None, "plain"])

    row = list(_read(workbook).iter_rows(values_only=False))[0]
    for cell, text in zip(row, FORMULA_LIKE, strict=False):
        assert cell.data_type == "s" and cell.value == text.replace("\r", "\n")
    assert [cell.data_type for cell in row[len(FORMULA_LIKE) :]][:3] == ["n", "n", "d"]
    assert row[len(FORMULA_LIKE)].value == 42
    assert row[len(FORMULA_LIKE) + 2].value.date() == date(2026, 3, 9)
    # Excel's quote prefix keeps a formula-like text a text when the cell is edited in Excel.
    assert row[0].quotePrefix and not row[-1].quotePrefix


def test_characters_an_xlsx_cannot_hold_are_dropped():
    workbook = Workbook()
    write(workbook.active, 1, 1, "张\u0001三")
    write(workbook.active, 1, 2, "第一行\n第二行\t完")
    sheet = _read(workbook)
    assert sheet["A1"].value == "张三"
    assert sheet["B1"].value == "第一行\n第二行\t完"


def test_a_write_only_cell_keeps_its_style_and_number_format():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("data")
    cell = put(WriteOnlyCell(sheet), date(2026, 3, 9))
    cell.number_format = "yyyy-mm-dd"
    sheet.append([cell, put(WriteOnlyCell(sheet), HYPERLINK)])
    row = _read(workbook)[1]
    assert row[0].number_format == "yyyy-mm-dd" and row[1].value == HYPERLINK


def test_csv_values_that_look_like_formulas_get_a_quote():
    assert [csv_value(v) for v in (HYPERLINK, "-5", "@x", "\tx", "张三", 7)] == [
        "'" + HYPERLINK,
        "'-5",
        "'@x",
        "'\tx",
        "张三",
        7,
    ]


def test_the_import_error_file_writes_uploaded_text_as_text(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.tests.test_import_corpus import IMPORTS, data_row
    from core.tests.xlsx_checks import assert_written_as_text

    row = list(data_row("roster", world))
    row[1], row[8] = HYPERLINK, DDE  # the name, and a group that does not exist
    workbook = Workbook()
    for values in (IMPORTS["roster"]["header"], row):
        append(workbook.active, values)  # uploaded as text cells, not formulas
    client.force_login(world.district_admin)
    upload = SimpleUploadedFile("d.xlsx", workbook_bytes(workbook))
    response = client.post(IMPORTS["roster"]["page"], {"file": upload})
    error_file = client.get(f"/imports/errors/{response.context['error_file_key']}/")
    assert error_file.status_code == 200
    assert_written_as_text(error_file.content, HYPERLINK, DDE)
