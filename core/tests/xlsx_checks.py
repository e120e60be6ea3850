"""Shared checks for the tests that text stays text in every export (no tests here)."""

import io

from openpyxl import load_workbook

HYPERLINK = '=HYPERLINK("http://x","y")'
DDE = "=cmd|' /C calc'!A0"


def text_cells(content: bytes) -> dict:
    """Every cell of every sheet of an .xlsx by its text value; asserts there is no formula."""
    workbook = load_workbook(io.BytesIO(content))
    found = {}
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    found[cell.value] = cell
    return found


def assert_written_as_text(content: bytes, *values: str) -> dict:
    """Each value is in the workbook as a string cell (never a formula)."""
    cells = text_cells(content)
    for value in values:
        assert value in cells, (value, sorted(cells)[:50])
        assert cells[value].data_type == "s"
    return cells
