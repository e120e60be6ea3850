"""Excel helpers shared by every import and export: reading cells the way people fill them in,
reporting errors by row and column, and writing workbooks.

Every writer puts values in cells through put() (or cells()/append()/write() around it): text
stays text (never a live formula), and characters an .xlsx cannot hold are dropped, so what is
already stored never breaks an export. A CSV writer uses csv_value() for the same reason.
"""

import io
import re
from datetime import date, datetime, time

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.datetime import from_excel

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CellError(Exception):
    """A cell's value cannot be used; the message says why."""


DATE_PATTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def cell_date(value) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # an Excel date serial number in a cell not formatted as date
            return from_excel(value).date()
        value = cell_text(value)
    text = str(value).strip()
    match = DATE_PATTERN.match(text) or (
        re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text) if text.isdigit() else None
    )
    if match:
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise CellError(_("Not a valid date; use an Excel date or YYYY-MM-DD."))


def cell_error(row, column: str, value, message) -> dict:
    return {"row": row, "column": column, "value": display(value), "message": str(message)}


def display(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# -- writing: text stays text -------------------------------------------------------------------

# A spreadsheet reads text starting with one of these as a formula (CSV injection, OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What an .xlsx cannot hold (XML 1.0): control characters other than tab, line feed and carriage
# return, lone surrogates, U+FFFE and U+FFFF.
NOT_IN_XLSX = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
MAX_CELL_CHARS = 32767  # Excel's limit for one cell


def sheet_text(value) -> str:
    """Text as a cell can hold it: the characters an .xlsx cannot store are dropped (a name
    stored as "张\\x01三" before input refused them is exported as "张三")."""
    return NOT_IN_XLSX.sub("", str(value))[:MAX_CELL_CHARS]


def put(cell, value):
    """Write `value` into `cell` (of any sheet, write-only too) so that text stays text.

    A str is stored as a string cell, never a formula or an error code, whatever it starts
    with; one that starts like a formula also gets Excel's quote prefix, so that editing the
    cell in Excel keeps it text. Numbers, dates and None are written as they are.
    """
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        text, quoted = text_value(value)
        cell.value = text
        cell.data_type = "s"
        if quoted:
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def text_value(value) -> tuple[str, bool]:
    """The rule for text in any workbook writer (openpyxl's put() above, XlsxWriter's in
    core.paperforms.excel): the text as a cell can hold it, and whether it starts like a formula
    (then it is written as a string with Excel's quote prefix)."""
    text = sheet_text(value)
    return text, text.startswith(FORMULA_STARTS)


def cells(sheet, values) -> list:
    """A row for sheet.append(): each value written by put(); cells given are kept as they are
    (make them with put(WriteOnlyCell(sheet), value) to style them)."""
    return [
        value if isinstance(value, Cell) else put(WriteOnlyCell(sheet), value) for value in values
    ]


def append(sheet, values) -> None:
    sheet.append(cells(sheet, values))


def write(sheet, row: int, column: int, value):
    """sheet.cell(row, column, value) through put(); returns the cell."""
    return put(sheet.cell(row=row, column=column), value)


def csv_value(value):
    """A value for a CSV row: text that a spreadsheet would read as a formula gets a leading
    single quote; other values are unchanged."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def header_style(cell):
    cell.font = Font(bold=True)
    cell.fill = PatternFill("solid", fgColor="DDEBF7")
    return cell


def workbook_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
