"""A Form (or several, one sheet each) as an .xlsx written with XlsxWriter: the title row
(附件N name), the header fields, each table with its header row (the first table's header
frozen), the sections and the signature lines. Numbers are numbers, dates dates, money two
decimals; text goes through core.xlsx.text_value (text stays text)."""

import io
from datetime import date, datetime
from decimal import Decimal

import xlsxwriter
from django.utils import timezone
from django.utils.timezone import is_aware
from django.utils.translation import gettext as _

from core.paperforms.spec import Column, Form
from core.xlsx import text_value

SHEET_NAME_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


class _Formats:
    def __init__(self, book):
        add = book.add_format
        self.title = add({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"})
        self.field = add({"font_size": 10})
        self.field_date = add({"font_size": 10, "num_format": "yyyy-mm-dd", "align": "left"})
        self.head = add(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center", "text_wrap": True}
        )
        self.subtitle = add({"bold": True})
        base = {"border": 1, "valign": "top"}
        self.by_kind = {
            "text": add({**base, "text_wrap": True}),
            "int": add({**base, "num_format": "0"}),
            "decimal": add({**base, "num_format": "0.00"}),
            "number": add({**base, "num_format": "General"}),
            "percent": add({**base, "num_format": "0.0%"}),
            "date": add({**base, "num_format": "yyyy-mm-dd"}),
            "value": add({**base, "text_wrap": True, "align": "left"}),
        }
        self.quoted = add({**base, "text_wrap": True, "quote_prefix": True})
        self.total = add({**base, "bold": True, "num_format": "0.00"})
        total = {**base, "bold": True}
        self.total_by_kind = {
            "int": add({**total, "num_format": "0"}),
            "decimal": self.total,
            "number": add({**total, "num_format": "General"}),
            "percent": add({**total, "num_format": "0.0%"}),
            "date": add({**total, "num_format": "yyyy-mm-dd"}),
        }
        self.plain_quoted = add({"quote_prefix": True})


def write_value(sheet, row: int, col: int, value, fmt, quoted_fmt=None) -> None:
    """One cell: None blank, bool as text, numbers as numbers, dates as dates, anything else as
    a string (never a formula)."""
    if value is None or value == "":
        sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        sheet.write_string(row, col, _("Yes") if value else _("No"), fmt)
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(row, col, float(value), fmt)
    elif isinstance(value, datetime):
        sheet.write_datetime(row, col, timezone.localtime(value) if is_aware(value) else value, fmt)
    elif isinstance(value, date):
        sheet.write_datetime(row, col, value, fmt)
    else:
        text, quoted = text_value(value)
        sheet.write_string(row, col, text, quoted_fmt if quoted and quoted_fmt else fmt)


def _cell(sheet, formats, row, col, column: Column, value):
    if column.kind == "percent" and isinstance(value, int | float | Decimal):
        value = float(value) / 100
    elif column.kind == "text" and value is not None and not isinstance(value, str):
        value = column.display(value)
    write_value(sheet, row, col, value, formats.by_kind[column.kind], formats.quoted)


def _sheet_name(form: Form, index: int, used: set) -> str:
    name = (form.filename or f"{index + 1}").translate(SHEET_NAME_FORBIDDEN)[:31] or str(index + 1)
    while name in used:
        name = f"{name[:27]}-{index + 1}"
    used.add(name)
    return name


def _write_form(sheet, formats, form: Form) -> None:
    width = max([len(t.columns) for t in form.tables] + [2])
    title = form.name
    if form.number:
        title = f"{_('Attachment %(n)s') % {'n': form.number}} {form.name}"
    sheet.merge_range(0, 0, 0, width - 1, "", formats.title)
    write_value(sheet, 0, 0, title, formats.title)
    sheet.set_row(0, 24)
    row = 1
    header = [
        (form.unit_label or _("Unit"), form.unit),
        (form.period_label or _("Period"), form.period),
    ]
    header += [(f.label, f.value) for f in form.fields]  # numbers stay numbers, dates dates
    for label, value in header:
        if label and (value not in (None, "") or form.is_blank):
            fmt = formats.field_date if isinstance(value, date) else formats.field
            write_value(sheet, row, 0, str(label), formats.field)
            write_value(sheet, row, 1, value, fmt, formats.plain_quoted)
            row += 1
    frozen = False
    for table in form.tables:
        row += 1
        if table.title:
            write_value(sheet, row, 0, table.title, formats.subtitle)
            row += 1
        for col, column in enumerate(table.columns):
            write_value(sheet, row, col, str(column.label), formats.head)
        if not frozen:
            sheet.freeze_panes(row + 1, 0)
            frozen = True
        row += 1
        for values in table.rows:
            for col, (column, value) in enumerate(zip(table.columns, values, strict=True)):
                _cell(sheet, formats, row, col, column, value)
            row += 1
        if table.totals is not None:
            for col, (column, value) in enumerate(zip(table.columns, table.totals, strict=True)):
                fmt = formats.total_by_kind.get(column.kind, formats.total)
                if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                    if column.kind == "percent":
                        value = float(value) / 100  # as in the rows (_cell)
                    write_value(sheet, row, col, value, fmt)
                elif isinstance(value, date):
                    write_value(sheet, row, col, value, formats.total_by_kind["date"])
                else:
                    write_value(sheet, row, col, value, formats.total, formats.quoted)
            row += 1
    for section in form.sections:
        row += 1
        write_value(sheet, row, 0, str(section.label), formats.subtitle)
        text = "  ".join(f"[{'x' if ticked else ' '}] {label}" for label, ticked in section.checks)
        text = "\n".join(part for part in (text, section.text) if part)
        write_value(sheet, row, 1, text, formats.field, formats.plain_quoted)
        row += 1
    for note in form.notes:
        write_value(sheet, row, 0, note, formats.field, formats.plain_quoted)
        row += 1
    if form.signatures:
        row += 1
        for signature in form.signatures:
            write_value(sheet, row, 0, str(signature.label), formats.field)
            write_value(sheet, row, 1, signature.name, formats.field, formats.plain_quoted)
            write_value(sheet, row, 2, _("Date"), formats.field)
            write_value(sheet, row, 3, signature.date, formats.by_kind["date"])
            row += 1
    widths = [0] * width
    for table in form.tables:
        for col, column in enumerate(table.columns):
            widths[col] = max(widths[col], column.width)
    for col, chars in enumerate(widths):
        sheet.set_column(col, col, max(chars, 10 if col < 2 else 6))
    sheet.set_landscape() if form.landscape else sheet.set_portrait()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)


def workbook(forms: list[Form]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "remove_timezone": True}
    )
    formats = _Formats(book)
    used: set[str] = set()
    for index, form in enumerate(forms):
        _write_form(book.add_worksheet(_sheet_name(form, index, used)), formats, form)
    book.close()
    return buffer.getvalue()
