"""Excel exports: the month grid (importable again) and the check record in 附件7's layout.

Headers and labels are in the user's language (zh-hans by default); the grid's symbols
(√ 迟 假 旷 ½) are the fixed notation the importer reads back, in every language.
"""

from copy import copy

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from attendance.selectors.month import HALF_MARK, SYMBOLS, UNREPORTED_MARK, MonthGrid
from core.xlsx import append, put, write
from core.xlsx import workbook_bytes as _save

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
OFF_FILL = PatternFill("solid", fgColor="D9D9D9")
OUT_FILL = PatternFill("solid", fgColor="F2F2F2")
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


class _Styler:
    """Applies a few fixed cell styles fast: the first cell of each style gets the attributes,
    the others copy its style record (as openpyxl's own worksheet copy does). Setting border,
    fill and alignment one by one on 10,000 cells takes most of a month export's time."""

    STYLES = {
        "box": {"border": BOX},
        "cell": {"border": BOX, "alignment": CENTER},
        "off": {"border": BOX, "alignment": CENTER, "fill": OFF_FILL},
        "out": {"border": BOX, "alignment": CENTER, "fill": OUT_FILL},
        "rate": {"border": BOX, "alignment": CENTER, "number_format": "0.0%"},
        "bold": {"border": BOX, "alignment": CENTER, "font": Font(bold=True)},
        "bold_rate": {
            "border": BOX,
            "alignment": CENTER,
            "font": Font(bold=True),
            "number_format": "0.0%",
        },
        "small": {"alignment": CENTER, "font": Font(size=8)},
    }

    def __init__(self, sheet):
        self.sheet = sheet
        self.prototypes = {}

    def cell(self, row, column, value, style):
        cell = self.sheet.cell(row=row, column=column)
        prototype = self.prototypes.get(style)
        if prototype is None:
            for name, attribute in self.STYLES[style].items():
                setattr(cell, name, attribute)
            self.prototypes[style] = copy(cell._style)
        else:
            cell._style = copy(prototype)
        return put(cell, value)  # after the style: put() may add the quote prefix


def month_grid_xlsx(grid: MonthGrid) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{grid.first:%Y-%m}"
    styler = _Styler(sheet)
    n_days = len(grid.columns)
    fixed = [_("Agent code"), _("Name"), _("Sales group")]
    total_headers = _total_headers()
    width = len(fixed) + n_days + len(total_headers)
    title = write(
        sheet,
        1,
        1,
        _("%(unit)s attendance for %(month)s/%(year)s")
        % {"unit": grid.unit.name, "year": grid.first.year, "month": grid.first.month},
    )
    title.font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)

    header_row = 2
    headers = fixed + [column.day for column in grid.columns] + total_headers
    for index, value in enumerate(headers, start=1):
        cell = write(sheet, header_row, index, value)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = CENTER
        cell.border = BOX
        if index > len(fixed) and index <= len(fixed) + n_days:
            cell.number_format = "d"
            if not grid.columns[index - len(fixed) - 1].is_workday:
                cell.fill = OFF_FILL

    first_day_column = len(fixed) + 1
    totals_column = len(fixed) + n_days + 1
    row_number = header_row
    for row in grid.rows:
        row_number += 1
        agent = row.agent
        for index, value in enumerate((agent.code, agent.name, agent.group.name), start=1):
            styler.cell(row_number, index, value, "box")
        for offset, cell_data in enumerate(row.cells):
            style = cell_data.css if cell_data.css in ("off", "out") else "cell"
            styler.cell(row_number, first_day_column + offset, cell_data.text or None, style)
        _write_totals(styler, row_number, totals_column, row.figures)

    row_number += 1
    write(sheet, row_number, 1, _("Total")).font = Font(bold=True)
    write(
        sheet,
        row_number,
        2,
        ngettext("%(count)s person", "%(count)s people", len(grid.rows))
        % {"count": len(grid.rows)},
    )
    for offset, column in enumerate(grid.columns):
        if column.is_workday and column.expected:
            value = f"{_number(column.attended)}/{column.expected}"
            styler.cell(row_number, first_day_column + offset, value, "small")
    _write_totals(styler, row_number, totals_column, grid.total, bold=True)
    write(sheet, row_number + 2, 1, _legend())

    sheet.column_dimensions["A"].width = 11
    sheet.column_dimensions["B"].width = 9
    sheet.column_dimensions["C"].width = 12
    for offset in range(n_days):
        sheet.column_dimensions[get_column_letter(first_day_column + offset)].width = 4.2
    for offset in range(len(total_headers)):
        sheet.column_dimensions[get_column_letter(totals_column + offset)].width = 8
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=first_day_column)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    return _save(workbook)


def _write_totals(styler, row_number, first_column, figures, bold=False):
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
        style = "rate" if offset == 2 else "cell"
        if bold:
            style = "bold_rate" if offset == 2 else "bold"
        styler.cell(row_number, first_column + offset, value, style)


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
