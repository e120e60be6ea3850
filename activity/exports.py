"""Excel files of activity management: the weekly check (附件5) and the log import template."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment

from core.xlsx import append, header_style, workbook_bytes


def _ratio(value):
    return "—" if value is None else f"{value * 100:.1f}%"


def weekly_check_xlsx(check, data: dict) -> bytes:
    """The weekly check laid out like the paper form: one label and one value per row."""
    workbook = Workbook()
    sheet = workbook.active
    title = _("Weekly activity check")
    sheet.title = title[:31]  # Excel's limit for a sheet name
    append(sheet, [title])
    append(
        sheet,
        [
            _("Sales department"),
            check.department.name,
            _("Week checked"),
            _("%(start)s to %(end)s") % {"start": data["week_start"], "end": data["week_end"]},
        ],
    )
    attendance = data["attendance"]
    separator = pgettext("list separator", ", ")
    missing = "\n".join(
        _("%(name)s (%(group)s): %(days)s")
        % {
            "name": row["name"],
            "group": row["group"],
            "days": separator.join(day[5:] for day in row["days"]),
        }
        for row in data["missing"]
    )
    figures = data["figures"]
    rows = [
        (
            _("Attendance rate"),
            f"{attendance['rate']}%" if attendance["has_data"] else _("No attendance data"),
        ),
        (_("Department morning meeting status"), check.morning_meeting),
        (_("Group second morning meeting status"), check.second_meeting),
        (_("Agents who did not fill their log"), missing or _("None")),
        (
            _("Prospect cards filled in 30/60/100"),
            " / ".join(str(n) for n in data["prospect_thresholds"].values()),
        ),
        (_("Work element table filled"), check.work_element_table),
        (_("Evening meeting status"), check.evening_meeting),
        (_("Supervisor accompanied visits"), data["accompanied_visits"]),
        (
            _("Recruitment card status"),
            _("%(total)d cards; added this week %(added)d, contacted this week %(contacted)d")
            % {
                "total": data["recruit_cards"]["total"],
                "added": data["recruit_cards"]["added_in_week"],
                "contacted": data["recruit_cards"]["contacted_in_week"],
            },
        ),
        (_("Log fill rate"), _ratio(figures["fill_rate"])),
        (
            _("Visits per agent per day"),
            "—"
            if figures["visits_per_agent_day"] is None
            else round(figures["visits_per_agent_day"], 2),
        ),
        (_("Activity rate"), _ratio(figures["activity_rate"])),
        (_("Scorecard attainment"), _ratio(figures["attainment"])),
        (pgettext("spreadsheet", "Improvement measures"), check.measures),
        (_("District comment"), check.comment),
        (pgettext("spreadsheet", "Checked by"), str(check.checked_by or "")),
        (_("Check date"), check.checked_at.date().isoformat() if check.checked_at else ""),
    ]
    for label, value in rows:
        append(sheet, [label, value])
        header_style(sheet.cell(row=sheet.max_row, column=1))
        sheet.cell(row=sheet.max_row, column=2).alignment = Alignment(wrap_text=True)
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 70
    return workbook_bytes(workbook)
