"""core.paperforms Excel: a totals row keeps its column's kind (a percent total stored as the
fraction with a percent format, as its rows; an int total without decimals; a date as a date),
and the mixed `value` column of a label/value list keeps numbers as numbers, text as text."""

from datetime import date, datetime

from core.paperforms import Column, Form, Table
from core.paperforms.excel import workbook
from core.tests.paperform_checks import find_row, xlsx_rows, xlsx_sheet
from core.tests.xlsx_checks import assert_written_as_text


def test_totals_keep_the_kind_of_their_column():
    columns = [
        Column("name"),
        Column("agents", "int"),
        Column("rate", "percent"),
        Column("per day", "decimal"),
        Column("approved", "date"),
    ]
    rows = [["g1", 2, 75.0, 2.375, date(2025, 3, 4)]]
    totals = ["total", 5, 43.75, 1.1875, date(2025, 3, 5)]
    content = workbook([Form(name="t", tables=[Table(columns, rows, totals=totals)])])
    total = find_row(xlsx_rows(content), "total")
    assert total == ["total", 5, 0.4375, 1.1875, datetime(2025, 3, 5)]
    cells = next(r for r in xlsx_sheet(content).iter_rows() if r[0].value == "total")
    assert [c.number_format for c in cells[1:]] == ["0", "0.0%", "0.00", "yyyy-mm-dd"]


def test_value_column_keeps_numbers_and_text():
    table = Table(
        [Column("item", keep=True), Column("finding", "value")],
        rows=[["visits", 3], ["measures", "=1+1"], ["none", None]],
    )
    assert [cell[2] for cell in table.printed_rows()[0]] == ["visits", "3"]
    content = workbook([Form(name="t", tables=[table])])
    rows = xlsx_rows(content)
    assert find_row(rows, "visits")[:2] == ["visits", 3]
    assert find_row(rows, "none")[:2] == ["none", None]
    assert_written_as_text(content, "=1+1")
