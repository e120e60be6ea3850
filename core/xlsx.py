"""Excel helpers shared by every import and export: reading cells the way people fill them in,
reporting errors by row and column, and writing workbooks."""

import io
import re
from datetime import date, datetime, time

from django.utils.translation import gettext as _
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


def header_style(cell):
    cell.font = Font(bold=True)
    cell.fill = PatternFill("solid", fgColor="DDEBF7")
    return cell


def workbook_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
