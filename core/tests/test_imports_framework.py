"""The import framework on its own: a short declaration gets header matching, cell parsers,
errors by row and column, the preview and all-or-nothing writes."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from core.imports import Column, Counts, Importer, RowErrors, parsers
from core.xlsx import workbook_bytes

WRITTEN = []


class ScoreImport(Importer):
    columns = [
        Column("code", "业务编码", required=True),
        Column("day", "日期", required=True, parse=parsers.date),
        Column("count", "件数", parse=parsers.integer(0, 99)),
        Column("amount", "金额", parse=parsers.decimal(0, 10**6)),
        Column("kind", "类别", parse=parsers.choice({"寿险": "life", "健康险": "health"})),
    ]
    sheet_title = "业绩"

    def validate_row(self, row):
        if row.text("code") == "BAD":
            row.error("code", "no such agent")
        return dict(row.values)

    def write(self, plans):
        if any(plan["code"] == "REFUSE" for plan in plans):
            raise RowErrors([{"row": 2, "column": "业务编码", "value": "", "message": "no"}])
        WRITTEN.extend(plans)
        return Counts(created=len(plans))


def sheet(*rows) -> io.BytesIO:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    return io.BytesIO(workbook_bytes(workbook))


HEADER = ["类别", "业务编码", "日期", "件数", "金额"]  # any order: matched by header text


@pytest.fixture(autouse=True)
def clean():
    WRITTEN.clear()


def test_a_good_sheet_is_parsed_and_written(db):
    result = ScoreImport(None).run(sheet(HEADER, ["寿险", "A1", "2026-03-09", 3, "12.50"]))
    assert result.ok and result.created == 1
    assert WRITTEN[0]["amount"] == Decimal("12.50") and WRITTEN[0]["kind"] == "life"


def test_every_bad_cell_is_reported_and_nothing_written(db):
    result = ScoreImport(None).run(
        sheet(HEADER, ["车险", "A1", "2026-02-30", 300, "x"], ["寿险", "BAD", "", 1, 1])
    )
    assert {(e["row"], e["column"]) for e in result.errors} == {
        (2, "类别"), (2, "日期"), (2, "件数"), (2, "金额"), (3, "业务编码"), (3, "日期"),
    }  # fmt: skip
    assert WRITTEN == []


def test_missing_header_dry_run_and_refused_write(db):
    missing = ScoreImport(None).run(sheet(["业务编码"], ["A1"]))
    assert missing.errors[0]["row"] is None and "日期" in missing.errors[0]["message"]
    dry = ScoreImport(None).run(sheet(HEADER, ["", "A1", "2026-03-09"]), dry_run=True)
    assert dry.ok and dry.dry_run and dry.summary()["created"] == 1
    refused = ScoreImport(None).run(sheet(HEADER, ["", "REFUSE", "2026-03-09"]))
    assert refused.errors[0]["row"] == 2


def test_template_has_the_columns_and_a_help_sheet():
    workbook = load_workbook(io.BytesIO(ScoreImport(None).template()))
    assert workbook.sheetnames == ["业绩", "说明"]
    assert [c.value for c in workbook["业绩"][1]] == ["业务编码", "日期", "件数", "金额", "类别"]
