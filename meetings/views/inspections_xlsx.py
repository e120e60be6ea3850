"""The Excel file of the report on the supervision of department meetings, for the district's
weekly/monthly meeting (the archive's is the 附件4 list, meetings.paperforms)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from openpyxl import Workbook

from core.xlsx import append, header_style, workbook_bytes
from meetings.models import Feedback

STATE_LABELS = {
    "submitted": gettext_lazy("On time"),
    "late": gettext_lazy("Late"),
    "missing": gettext_lazy("Missing"),
    "pending": gettext_lazy("Pending"),
}


def _header(sheet, labels):
    append(sheet, [str(label) for label in labels])
    for cell in sheet[sheet.max_row]:
        header_style(cell)


def _number(value):
    return None if value is None else round(float(value), 1)


def report_xlsx(data: dict) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Inspection report")
    append(sheet, [f"{data['district'].name} · {data['start']} – {data['end']}"])
    visits = data["visits"]
    _header(
        sheet,
        [
            _("Visits"),
            _("Done"),
            _("Still planned"),
            _("Cancelled"),
            _("Completion"),
            _("Average score"),
        ],
    )
    append(
        sheet,
        [
            visits["total"],
            visits["done"],
            visits["planned"],
            visits["cancelled"],
            None if visits["completion"] is None else f"{visits['completion']}%",
            _number(visits["average"]),
        ],
    )

    by_department = workbook.create_sheet(_("Scores by department"))
    _header(
        by_department,
        [_("Department"), _("Visits"), _("Done"), _("Average score"), _("Lowest"), _("Highest")],
    )
    for row in data["departments"]:
        append(
            by_department,
            [
                row["department"].name,
                row["visits"],
                row["done"],
                _number(row["average"]),
                _number(row["lowest"]),
                _number(row["highest"]),
            ],
        )

    items = workbook.create_sheet(_("Issues summary"))
    _header(
        items,
        [
            _("Checklist item"),
            _("Forms"),
            _("Average rating (0–5)"),
            _("Low scores"),
            _("Issues"),
            _("Open"),
            _("Resolved"),
        ],
    )
    for row in data["items"]:
        append(
            items,
            [
                row["title"] or _("Other"),
                row["scored"],
                row["average_rating"],
                row["low"],
                row["issues"],
                row["open"],
                row["resolved"],
            ],
        )

    calendars = workbook.create_sheet(pgettext("spreadsheet", "Calendar submissions"))
    cal = data["calendars"]
    append(calendars, [_("Deadline"), cal["deadline"]])
    _header(
        calendars,
        [
            _("Department"),
            _("Department calendar"),
            _("Group calendars on time"),
            _("Late"),
            _("Missing"),
            _("Pending"),
        ],
    )
    for row in cal["rows"]:
        append(
            calendars,
            [
                row["department"].name,
                str(STATE_LABELS[row["state"]]),
                row["groups"]["submitted"],
                row["groups"]["late"],
                row["groups"]["missing"],
                row["groups"]["pending"],
            ],
        )

    feedback = data["feedback"]
    if feedback is not None:
        sheet_fb = workbook.create_sheet(pgettext("spreadsheet", "Feedback"))
        traits = list(feedback["shares"])
        _header(
            sheet_fb,
            [
                _("Feedback forms"),
                _("Meetings"),
                *(f"{Feedback._meta.get_field(t).verbose_name} %" for t in traits),
            ],
        )
        append(
            sheet_fb,
            [feedback["forms"], feedback["meetings"], *(feedback["shares"][t] for t in traits)],
        )
    return workbook_bytes(workbook)
