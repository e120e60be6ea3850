"""附件2 营业区早会行事例 as an Excel sheet (fixed Chinese headers: a file format)."""

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core.xlsx import header_style, workbook_bytes

HEADERS = ["日期", "星期", "主题", "主讲人/主持人", "内容", "执行流程模板"]
WEEKDAYS = "一二三四五六日"


def calendar_xlsx(calendar, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{calendar.month:%Y-%m}"
    sheet.append([f"{calendar.unit.name} {calendar.month:%Y年%m月} 行事例（附件2）"])
    sheet["A1"].font = Font(bold=True, size=13)
    from meetings.views.calendars import PRINT_LEVEL_NAMES

    sheet.append([f"会议：{PRINT_LEVEL_NAMES[calendar.level]}"])
    sheet.append(HEADERS)
    for cell in sheet[3]:
        header_style(cell)
    for row in rows:
        entry = row.entry
        version = entry.template_version
        sheet.append(
            [
                row.date,
                f"周{WEEKDAYS[row.date.weekday()]}",
                entry.topic,
                entry.speaker,
                entry.content,
                f"{version.template.name} v{version.number}" if version else "",
            ]
        )
        sheet.cell(sheet.max_row, 1).number_format = "yyyy-mm-dd"
        sheet.cell(sheet.max_row, 5).alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEF", [12, 7, 30, 16, 50, 22], strict=True):
        sheet.column_dimensions[letter].width = width
    return workbook_bytes(workbook)
