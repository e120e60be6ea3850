"""附件2 营业区早会行事例 as an Excel sheet, in the user's language (zh-hans by default)."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core.xlsx import append, header_style, workbook_bytes


def _headers() -> list[str]:
    return [
        _("Date"),
        _("Weekday"),
        _("Topic"),
        _("Speaker / host"),
        _("Content"),
        _("Execution flow template"),
    ]


def _weekdays() -> list[str]:
    """Monday first, as date.weekday() counts (the 附件2 form writes 周一 … 周日)."""
    return [
        pgettext("weekday in the calendar sheet", "Mon"),
        pgettext("weekday in the calendar sheet", "Tue"),
        pgettext("weekday in the calendar sheet", "Wed"),
        pgettext("weekday in the calendar sheet", "Thu"),
        pgettext("weekday in the calendar sheet", "Fri"),
        pgettext("weekday in the calendar sheet", "Sat"),
        pgettext("weekday in the calendar sheet", "Sun"),
    ]


def calendar_xlsx(calendar, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{calendar.month:%Y-%m}"
    append(
        sheet,
        [
            _("%(unit)s meeting calendar %(year)s-%(month)s (attachment 2)")
            % {
                "unit": calendar.unit.name,
                "year": f"{calendar.month:%Y}",
                "month": f"{calendar.month:%m}",
            }
        ],
    )
    sheet["A1"].font = Font(bold=True, size=13)
    from meetings.views.calendars import PRINT_LEVEL_NAMES

    append(sheet, [_("Meeting: %(level)s") % {"level": PRINT_LEVEL_NAMES[calendar.level]}])
    append(sheet, _headers())
    weekdays = _weekdays()
    for cell in sheet[3]:
        header_style(cell)
    for row in rows:
        entry = row.entry
        version = entry.template_version
        append(
            sheet,
            [
                row.date,
                weekdays[row.date.weekday()],
                entry.topic,
                entry.speaker,
                entry.content,
                f"{version.template.name} v{version.number}" if version else "",
            ],
        )
        sheet.cell(sheet.max_row, 1).number_format = "yyyy-mm-dd"
        sheet.cell(sheet.max_row, 5).alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEF", [12, 7, 30, 16, 50, 22], strict=True):
        sheet.column_dimensions[letter].width = width
    return workbook_bytes(workbook)
