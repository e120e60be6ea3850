"""Excel exports: the month grid (importable again; XlsxWriter) and the deduction list.
The check record (附件7) is a form on core.paperforms (attendance.paperforms).

Headers and labels are in the user's language (zh-hans by default); the grid's symbols
(√ 迟 假 旷 ½) are the fixed notation the importer reads back, in every language.
"""

import io

import xlsxwriter
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from attendance.selectors.month import HALF_MARK, OFF, SYMBOLS, UNREPORTED_MARK, MonthGrid
from core.paperforms.excel import write_value
from core.xlsx import append
from core.xlsx import workbook_bytes as _save

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _total_headers() -> list[str]:
    return [
        pgettext("spreadsheet", "Required days"),
        _("Present"),
        _("Attendance rate"),
        _("Late"),
        pgettext("spreadsheet", "Leave (reported)"),
        pgettext("spreadsheet", "Leave (not reported)"),
        _("Absent"),
        _("Unmarked"),
    ]


def _legend() -> str:
    return _(
        "Legend: %(present)s present  %(late)s late  %(leave)s leave (reported)  "
        "%(unreported)s leave (not reported)  %(absent)s absent  %(half)s half a day  "
        "grey: not a workday / not employed  blank: unmarked"
    ) % {
        "present": SYMBOLS["present"],
        "late": SYMBOLS["late"],
        "leave": SYMBOLS["leave"],
        "unreported": SYMBOLS["leave"] + UNREPORTED_MARK,
        "absent": SYMBOLS["absent"],
        "half": HALF_MARK,
    }


def _number(value):
    """Decimals as numbers in the sheet (whole numbers without .0)."""
    if value is None:
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def _rate(value):
    return None if value is None else float(value) / 100


class _GridFormats:
    """The month grid's cell formats (XlsxWriter formats are made once per workbook)."""

    def __init__(self, book):
        add = book.add_format
        box = {"border": 1, "border_color": "#999999"}
        center = {**box, "align": "center", "valign": "vcenter", "text_wrap": True}
        head = {**center, "bold": True, "bg_color": "#DDEBF7"}
        self.title = add({"bold": True, "font_size": 14})
        self.title_quoted = add({"bold": True, "font_size": 14, "quote_prefix": True})
        self.head = add(head)
        self.head_day = add({**head, "num_format": "d"})
        self.head_day_off = add({**head, "num_format": "d", "bg_color": "#D9D9D9"})
        self.box = add(box)
        self.box_quoted = add({**box, "quote_prefix": True})
        self.cell = add(center)
        self.by_css = {
            "off": add({**center, "bg_color": "#D9D9D9"}),
            "out": add({**center, "bg_color": "#F2F2F2"}),
        }
        self.rate = add({**center, "num_format": "0.0%"})
        self.bold = add({**center, "bold": True})
        self.bold_rate = add({**center, "bold": True, "num_format": "0.0%"})
        self.small = add({"align": "center", "valign": "vcenter", "font_size": 8})
        self.plain = add({})
        self.plain_bold = add({"bold": True})


def month_grid_xlsx(grid: MonthGrid) -> bytes:
    """The month grid as an .xlsx written with XlsxWriter (constant memory: row by row): the
    title, the header row (days as dates) frozen with the agents' columns, one row per agent
    with the day symbols and the totals (numbers as numbers), the day totals and the legend.
    Stored text goes through core.paperforms.excel.write_value (text stays text)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "constant_memory": True, "strings_to_formulas": False}
    )
    formats = _GridFormats(book)
    sheet = book.add_worksheet(f"{grid.first:%Y-%m}")
    n_days = len(grid.columns)
    fixed = [_("Agent code"), _("Name"), _("Sales group")]
    total_headers = _total_headers()
    first_day = len(fixed)
    first_total = first_day + n_days
    width = first_total + len(total_headers)

    sheet.set_column(0, 0, 11)
    sheet.set_column(1, 1, 9)
    sheet.set_column(2, 2, 12)
    for offset, column in enumerate(grid.columns):
        # A day off is grey for everyone: the column's format, not 300 written cells.
        off = None if column.is_workday else formats.by_css["off"]
        sheet.set_column(first_day + offset, first_day + offset, 4.2, off)
    sheet.set_column(first_total, width - 1, 8)
    sheet.freeze_panes(2, first_day)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(1)

    title = _("%(unit)s attendance for %(month)s/%(year)s") % {
        "unit": grid.unit.name,
        "year": grid.first.year,
        "month": grid.first.month,
    }
    sheet.merge_range(0, 0, 0, width - 1, "", formats.title)
    write_value(sheet, 0, 0, title, formats.title, formats.title_quoted)

    for col, label in enumerate(fixed):
        sheet.write_string(1, col, label, formats.head)
    for offset, column in enumerate(grid.columns):
        fmt = formats.head_day if column.is_workday else formats.head_day_off
        sheet.write_datetime(1, first_day + offset, column.day, fmt)
    for offset, label in enumerate(total_headers):
        sheet.write_string(1, first_total + offset, label, formats.head)

    # 300 agents × 31 days: the loop writes each cell of a workday once, with a format looked up
    # once per kind of cell (GridCell objects are shared); days off have their column's format.
    write_string, write_blank = sheet.write_string, sheet.write_blank
    cell_formats = {}
    row = 1
    for grid_row in grid.rows:
        row += 1
        agent = grid_row.agent
        for col, value in enumerate((agent.code, agent.name, agent.group.name)):
            write_value(sheet, row, col, value, formats.box, formats.box_quoted)
        col = first_day
        for cell in grid_row.cells:
            if cell is not OFF:
                fmt = cell_formats.get(cell.css)
                if fmt is None:
                    fmt = cell_formats[cell.css] = formats.by_css.get(cell.css, formats.cell)
                if cell.text:
                    write_string(row, col, cell.text, fmt)
                else:
                    write_blank(row, col, None, fmt)
            col += 1
        _write_totals(sheet, row, first_total, grid_row.figures, formats.cell, formats.rate)

    row += 1
    sheet.write_string(row, 0, _("Total"), formats.plain_bold)
    people = ngettext("%(count)s person", "%(count)s people", len(grid.rows))
    sheet.write_string(row, 1, people % {"count": len(grid.rows)}, formats.plain)
    for offset, column in enumerate(grid.columns):
        if column.is_workday and column.expected:
            value = f"{_number(column.attended)}/{column.expected}"
            sheet.write_string(row, first_day + offset, value, formats.small)
    _write_totals(sheet, row, first_total, grid.total, formats.bold, formats.bold_rate)
    sheet.write_string(row + 2, 0, _legend(), formats.plain)
    book.close()
    return buffer.getvalue()


def _write_totals(sheet, row, first_column, figures, fmt, rate_fmt):
    values = [
        figures.required,
        _number(figures.attended),
        _rate(figures.rate),
        figures.late,
        _number(figures.leave_reported),
        _number(figures.leave_unreported),
        _number(figures.absent),
        figures.unmarked,
    ]
    for offset, value in enumerate(values):
        cell_fmt = rate_fmt if offset == 2 else fmt
        if value is None:
            sheet.write_blank(row, first_column + offset, None, cell_fmt)
        else:
            sheet.write_number(row, first_column + offset, value, cell_fmt)


def _deduction_headers() -> list[str]:
    return [
        _("Sales department"),
        _("Staff code"),
        _("Name"),
        _("Late (times)"),
        _("Leave reported (days)"),
        _("Beyond the free allowance (days)"),
        _("Leave not reported (days)"),
        _("Absent (days)"),
        _("Deduction (yuan)"),
    ]


def deductions_workbook(deduction_month, lines) -> bytes:
    """差勤扣款明细 for finance: one row per agent, a total per department and in all."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{deduction_month.month:%Y-%m}"
    append(
        sheet,
        [
            _("%(district)s attendance deductions for %(year)s-%(month)s")
            % {
                "district": deduction_month.district.name,
                "year": f"{deduction_month.month:%Y}",
                "month": f"{deduction_month.month:%m}",
            }
        ],
    )
    run_at = timezone.localtime(deduction_month.run_at)
    append(
        sheet,
        [
            _("State: %(state)s  Calculated at: %(time)s")
            % {"state": deduction_month.get_state_display(), "time": f"{run_at:%Y-%m-%d %H:%M}"}
        ],
    )
    append(sheet, _deduction_headers())
    for cell in sheet[3]:
        cell.font, cell.fill, cell.border, cell.alignment = (
            Font(bold=True),
            HEADER_FILL,
            BOX,
            CENTER,
        )
    total = 0
    department_total = 0
    current = None

    def subtotal(name, amount):
        label = _("%(department)s subtotal") % {"department": name}
        append(sheet, [label, None, None, None, None, None, None, None, _number(amount)])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)

    for line in lines:
        if current is not None and line.department_id != current.pk:
            subtotal(current.name, department_total)
            department_total = 0
        current = line.department
        append(
            sheet,
            [
                line.department.name,
                line.agent.code,
                line.agent.name,
                line.late,
                _number(line.leave_reported),
                _number(line.leave_reported_charged),
                _number(line.leave_unreported),
                _number(line.absent),
                float(line.amount),
            ],
        )
        department_total += line.amount
        total += line.amount
    if current is not None:
        subtotal(current.name, department_total)
    append(sheet, [_("Total"), None, None, None, None, None, None, None, float(total)])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for index, width in enumerate([16, 12, 10, 9, 13, 12, 13, 9, 11], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    return _save(workbook)
