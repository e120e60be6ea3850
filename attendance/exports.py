"""Excel exports: the month grid (importable again) and the check record in 附件7's layout.

Sheet headers are fixed Chinese text (a file format), whatever the UI language.
"""

import io
from copy import copy

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from attendance.selectors import HALF_MARK, SYMBOLS, UNREPORTED_MARK, MonthGrid

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
OFF_FILL = PatternFill("solid", fgColor="D9D9D9")
OUT_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
TOTAL_HEADERS = ["应出勤", "出勤", "出勤率", "迟到", "请假(报备)", "请假(未报备)", "旷工", "未登记"]
LEGEND = (
    f"图例：{SYMBOLS['present']} 出勤  {SYMBOLS['late']} 迟到  {SYMBOLS['leave']} 请假（已报备）  "
    f"{SYMBOLS['leave']}{UNREPORTED_MARK} 请假（未报备）  {SYMBOLS['absent']} 旷工  "
    f"{HALF_MARK} 半天  灰色：非工作日/不在职  空白：未登记"
)


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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
        cell = self.sheet.cell(row=row, column=column, value=value)
        prototype = self.prototypes.get(style)
        if prototype is None:
            for name, attribute in self.STYLES[style].items():
                setattr(cell, name, attribute)
            self.prototypes[style] = cell._style
        else:
            cell._style = copy(prototype)
        return cell


def month_grid_xlsx(grid: MonthGrid) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{grid.first:%Y-%m}"
    styler = _Styler(sheet)
    n_days = len(grid.columns)
    fixed = ["业务编码", "姓名", "营业组"]
    width = len(fixed) + n_days + len(TOTAL_HEADERS)
    title = sheet.cell(
        row=1, column=1, value=f"{grid.unit.name} {grid.first.year}年{grid.first.month}月 差勤月表"
    )
    title.font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)

    header_row = 2
    headers = fixed + [column.day for column in grid.columns] + TOTAL_HEADERS
    for index, value in enumerate(headers, start=1):
        cell = sheet.cell(row=header_row, column=index, value=value)
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
    sheet.cell(row=row_number, column=1, value="合计").font = Font(bold=True)
    sheet.cell(row=row_number, column=2, value=f"{len(grid.rows)}人")
    for offset, column in enumerate(grid.columns):
        if column.is_workday and column.expected:
            value = f"{_number(column.attended)}/{column.expected}"
            styler.cell(row_number, first_day_column + offset, value, "small")
    _write_totals(styler, row_number, totals_column, grid.total, bold=True)
    sheet.cell(row=row_number + 2, column=1, value=LEGEND)

    sheet.column_dimensions["A"].width = 11
    sheet.column_dimensions["B"].width = 9
    sheet.column_dimensions["C"].width = 12
    for offset in range(n_days):
        sheet.column_dimensions[get_column_letter(first_day_column + offset)].width = 4.2
    for offset in range(len(TOTAL_HEADERS)):
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


def check_record_xlsx(record, leave_lines, absent_lines) -> bytes:
    """附件7 营业部差勤检查记录表: one block per check record."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "差勤检查记录表"
    sheet.cell(row=1, column=1, value="营业部差勤检查记录表").font = Font(bold=True, size=14)
    sheet.merge_cells("A1:J1")
    sheet.cell(row=1, column=1).alignment = CENTER
    sheet.cell(
        row=2,
        column=1,
        value=f"营业部：{record.department.name}    检查期间：{record.period_start:%Y-%m-%d} 至 "
        f"{record.period_end:%Y-%m-%d}",
    )
    sheet.merge_cells("A2:J2")
    top = [
        ("A3:A4", "检查日期"),
        ("B3:D3", "请假人员"),
        ("E3:G3", "旷工人员"),
        ("H3:H4", "处理措施"),
        ("I3:J3", "验证结果"),
    ]
    for cells, text in top:
        sheet.merge_cells(cells)
        sheet[cells.split(":")[0]] = text
    for letter, text in zip(
        "BCDEFGIJ",
        ["姓名", "天数", "是否报备", "姓名", "天数", "处理结果", "验证人", "验证日期"],
        strict=True,
    ):
        sheet[f"{letter}4"] = text
    for row in sheet["A3:J4"]:
        for cell in row:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = CENTER
            cell.border = BOX
    n = max(len(leave_lines), len(absent_lines), 1)
    first, last = 5, 4 + n
    for index in range(n):
        row = first + index
        if index < len(leave_lines):
            line = leave_lines[index]
            sheet.cell(row=row, column=2, value=line.agent.name)
            sheet.cell(row=row, column=3, value=_number(line.days))
            sheet.cell(row=row, column=4, value="是" if line.reported else "否")
        if index < len(absent_lines):
            line = absent_lines[index]
            sheet.cell(row=row, column=5, value=line.agent.name)
            sheet.cell(row=row, column=6, value=_number(line.days))
            sheet.cell(row=row, column=7, value=line.handling_result)
    sheet.cell(row=first, column=1, value=record.check_date).number_format = "yyyy-mm-dd"
    sheet.cell(row=first, column=8, value=record.handling_measures)
    sheet.cell(row=first, column=9, value=str(record.verifier) if record.verifier_id else "")
    if record.verified_on:
        sheet.cell(row=first, column=10, value=record.verified_on).number_format = "yyyy-mm-dd"
    for letter in "AHIJ":
        if n > 1:
            sheet.merge_cells(f"{letter}{first}:{letter}{last}")
    for row in sheet[f"A{first}:J{last}"]:
        for cell in row:
            cell.border = BOX
            cell.alignment = CENTER
    widths = {"A": 12, "B": 10, "C": 6, "D": 9, "E": 10, "F": 6, "G": 18, "H": 28, "I": 10, "J": 12}
    for letter, value in widths.items():
        sheet.column_dimensions[letter].width = value
    sheet.cell(
        row=last + 2,
        column=1,
        value=f"填表人：{record.author}    "
        f"填表日期：{timezone.localtime(record.created_at):%Y-%m-%d}",
    )
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return _save(workbook)


DEDUCTION_HEADERS = [
    "营业部", "工号", "姓名", "迟到(次)", "请假已报备(天)", "超出免扣(天)", "请假未报备(天)",
    "旷工(天)", "扣款(元)",
]  # fmt: skip


def deductions_workbook(deduction_month, lines) -> bytes:
    """差勤扣款明细 for finance: one row per agent, a total per department and in all."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{deduction_month.month:%Y-%m}"
    sheet.append([f"{deduction_month.district.name} {deduction_month.month:%Y年%m月} 差勤扣款明细"])
    run_at = timezone.localtime(deduction_month.run_at)
    sheet.append(
        [f"状态：{deduction_month.get_state_display()}  计算时间：{run_at:%Y-%m-%d %H:%M}"]
    )
    sheet.append(DEDUCTION_HEADERS)
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
        sheet.append([f"{name} 小计", None, None, None, None, None, None, None, _number(amount)])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)

    for line in lines:
        if current is not None and line.department_id != current.pk:
            subtotal(current.name, department_total)
            department_total = 0
        current = line.department
        sheet.append(
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
            ]
        )
        department_total += line.amount
        total += line.amount
    if current is not None:
        subtotal(current.name, department_total)
    sheet.append(["合计", None, None, None, None, None, None, None, float(total)])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for index, width in enumerate([16, 12, 10, 9, 13, 12, 13, 9, 11], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    return _save(workbook)
