"""Excel import of attendance (a day's or a month's), all rows or nothing.

Two layouts are read from the first sheet (the header row is found among the first rows):
- a list, one row per agent and day: 业务编码, 日期, 状态 (出勤/迟到/请假/旷工), 天数 (1 or 0.5,
  optional), 已报备 (是/否, leave only, optional), 签到时间 (optional: a time clock's check-in
  time decides 出勤/迟到 by the district's check-in window when 状态 is empty), 姓名 (optional,
  checked against the code);
- a grid, as the month view exports it: 业务编码 and one column per date holding the grid's
  symbols (√ 迟 假 假* 旷, ½ for half a day); empty cells are left alone.

Every row is checked before anything is written; any error → nothing is written, and the errors
name the row and column. Importing the same file again changes nothing.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from attendance.access import may_change_past_days, may_record_somewhere
from attendance.models import FULL_DAY, HALF_DAY, AttendanceStatus
from attendance.selectors import month as month_selectors
from attendance.selectors import rules as selectors
from attendance.services import daily as services
from core.imports import Column, Counts, Importer, ImportResult
from core.imports.base import spellings
from core.xlsx import XLSX_CONTENT_TYPE, CellError
from core.xlsx import cell_date as _date
from core.xlsx import cell_error as _error
from core.xlsx import cell_text as _text
from org.models import Agent
from workcalendar.selectors import workdays

__all__ = ["XLSX_CONTENT_TYPE", "attendance_import", "import_template", "COLUMNS"]

MAX_ROWS = 20000
MAX_SPAN_DAYS = 93
HEADER_SEARCH_ROWS = 6
DATA_SHEET_TITLE = gettext_lazy("Attendance")
STATUS_OPTIONS = [label for _value, label in AttendanceStatus.choices]
YES_NO = (gettext_lazy("Yes"), gettext_lazy("No"))


COLUMNS = [
    Column(
        "code",
        gettext_lazy("Agent code"),
        True,
        help=gettext_lazy("The agent's code."),
        example="33010001",
        width=14,
        as_text=True,
    ),
    Column(
        "name",
        gettext_lazy("Name"),
        False,
        help=gettext_lazy("Optional; when given it must match the agent code."),
        example=gettext_lazy("Zhang San"),
        width=14,
    ),
    Column(
        "date",
        gettext_lazy("Date"),
        True,
        help=gettext_lazy("An Excel date or text as YYYY-MM-DD."),
        example="2026-03-02",
        width=14,
    ),
    Column(
        "status",
        gettext_lazy("Status"),
        True,
        help=gettext_lazy(
            "Present, Late, Leave or Absent. May be empty when Check-in time is given."
        ),
        example=AttendanceStatus.PRESENT.label,
        width=14,
        options=STATUS_OPTIONS,
        empty_ok=True,
    ),
    Column(
        "fraction",
        gettext_lazy("Days"),
        False,
        help=gettext_lazy("1 (default) or 0.5 for half a day of leave or absence."),
        example="1",
        width=14,
        options=("1", "0.5"),
    ),
    Column(
        "reported",
        gettext_lazy("Reported"),
        False,
        help=gettext_lazy("Yes or No (default), for leave only: reported in advance."),
        example="",
        width=14,
        options=YES_NO,
    ),
    Column(
        "check_in",
        gettext_lazy("Check-in time"),
        False,
        help=gettext_lazy(
            "A time clock's check-in time (HH:MM); without Status it decides Present or "
            "Late by the district's check-in window."
        ),
        example="",
        width=14,
    ),
]
BY_KEY = {column.key: column for column in COLUMNS}

# Spellings read in uploaded files besides the labels in every sheet language (data, not UI).
STATUS_WORDS = {
    AttendanceStatus.PRESENT: ["正常", "√", "✓", "present"],
    AttendanceStatus.LATE: [month_selectors.SYMBOLS[AttendanceStatus.LATE], "late"],
    AttendanceStatus.LEAVE: [month_selectors.SYMBOLS[AttendanceStatus.LEAVE], "leave"],
    AttendanceStatus.ABSENT: [month_selectors.SYMBOLS[AttendanceStatus.ABSENT], "absent"],
}
YES_WORDS = {"y", "yes", "1", "true", "√", "已报备"}
NO_WORDS = {"n", "no", "0", "false", "", "未报备"}
FOOTER_WORDS = {"小计", "总计"}  # and the export's own (合计 / Total)
FOOTER_PREFIXES = ("说明",)  # and the export's legend and help sheet title, in either language
HALF_WORDS = ("半", "半天")
GRID_CELL = re.compile(
    r"^(?P<half>½|0\.5|" + HALF_WORDS[0] + r")?\s*(?P<word>[^*\s]+)\s*(?P<unreported>\*)?$"
)


def _status_lookup() -> dict:
    """Every accepted spelling of a status → the status: the labels in every sheet language,
    the grid's symbols and a few more."""
    lookup = {}
    for status, label in AttendanceStatus.choices:
        for word in [*spellings(label), *STATUS_WORDS[status]]:
            lookup[word.casefold()] = status
    return lookup


def _yes_no_words() -> tuple[set, set]:
    yes, no = YES_WORDS | spellings(YES_NO[0]), NO_WORDS | spellings(YES_NO[1])
    return {word.casefold() for word in yes}, {word.casefold() for word in no}


def _footer_words() -> tuple[set, tuple]:
    """The totals row and legend under an exported month grid, in either language."""
    words = FOOTER_WORDS | spellings(gettext_lazy("Total"))
    prefixes = {
        legend.split("%", 1)[0].strip()
        for legend in spellings(
            gettext_lazy(
                "Legend: %(present)s present  %(late)s late  %(leave)s leave (reported)  "
                "%(unreported)s leave (not reported)  %(absent)s absent  %(half)s half a day  "
                "grey: not a workday / not employed  blank: unmarked"
            )
        )
    }
    prefixes |= {word.rstrip(":：") for word in prefixes}
    prefixes |= spellings(pgettext_lazy("spreadsheet", "Notes"))
    return words, (*FOOTER_PREFIXES, *sorted(prefix for prefix in prefixes if prefix))


@dataclass
class _Row:
    number: int
    values: dict  # key or date → cell value
    code: str


# -- reading -----------------------------------------------------------------------------------


def _header_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.match(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$", value.strip()):
        try:
            return _date(value)
        except CellError:
            return None
    return None


def _is_footer(values) -> bool:
    """The totals row and legend under an exported month grid."""
    words, prefixes = _footer_words()
    for value in values:
        text = _text(value)
        if text:
            return text in words or text.startswith(prefixes)
    return False


def _fraction(value) -> Decimal:
    text = _text(value)
    if text in {"", "1", "1.0"}:
        return FULL_DAY
    if text in {"0.5", ".5", *HALF_WORDS, "½"}:
        return HALF_DAY
    raise CellError(_("Days must be 1 or 0.5."))


def _yes_no(value) -> bool:
    text = _text(value).casefold()
    yes, no = _yes_no_words()
    if text in yes:
        return True
    if text in no:
        return False
    raise CellError(_("Use Yes or No."))


def _time(value) -> time | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.time()
    if isinstance(value, time):
        return value
    if isinstance(value, float) and 0 <= value < 1:  # an Excel time serial
        minutes = round(value * 24 * 60)
        return time(minutes // 60, minutes % 60)
    match = re.match(r"^(\d{1,2})[:：](\d{2})(?::\d{2})?$", _text(value))
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return time(int(match[1]), int(match[2]))
    raise CellError(_("Not a valid time; use HH:MM."))


def _grid_cell(value) -> tuple[str, Decimal, bool]:
    match = GRID_CELL.match(_text(value))
    status = _status_lookup().get(match["word"].casefold()) if match else None
    if status is None:
        symbols = month_selectors.SYMBOLS
        raise CellError(
            _(
                "Unknown symbol; use %(present)s, %(late)s, %(leave)s, %(unreported)s "
                "(not reported), %(absent)s, with %(half)s in front for half a day."
            )
            % {
                "present": symbols[AttendanceStatus.PRESENT],
                "late": symbols[AttendanceStatus.LATE],
                "leave": symbols[AttendanceStatus.LEAVE],
                "unreported": symbols[AttendanceStatus.LEAVE] + month_selectors.UNREPORTED_MARK,
                "absent": symbols[AttendanceStatus.ABSENT],
                "half": month_selectors.HALF_MARK,
            }
        )
    fraction = HALF_DAY if match["half"] else FULL_DAY
    reported = status == AttendanceStatus.LEAVE and not match["unreported"]
    return status, fraction, reported


# -- validation ----------------------------------------------------------------------------------


class _Context:
    """Agents, workdays and rules the rows refer to, in a bounded number of queries."""

    def __init__(self, acting_user, codes: set[str], first: date, last: date):
        self.today = timezone.localdate()
        self.acting_user = acting_user
        self.agents = {
            agent.code: agent
            for agent in Agent.objects.visible_to(acting_user)
            .filter(code__in=codes)
            .select_related("group")
        }
        self.first, self.last = first, min(last, self.today)
        self._workdays: dict[int, set[date]] = {}
        self._rules = {}

    def may_record(self, agent) -> bool:
        return may_change_past_days(self.acting_user, agent.group)

    def is_workday(self, agent, day: date) -> bool:
        district_id = agent.group.district_id
        if district_id not in self._workdays:
            self._workdays[district_id] = set(workdays(agent.group, self.first, self.last))
        return day in self._workdays[district_id]

    def rules(self, agent, day: date):
        key = (agent.group.district_id, day)
        if key not in self._rules:
            self._rules[key] = selectors.rules_for(agent.group.district_id, day)
        return self._rules[key]


class AttendanceImport(Importer):
    """A day's or a month's attendance, as a list or as the month view's grid."""

    columns = COLUMNS
    sheet_title = DATA_SHEET_TITLE
    template_filename = gettext_lazy("attendance-import-template.xlsx")
    file_label = gettext_lazy("Attendance file (.xlsx)")
    no_rows_message = gettext_lazy("The sheet has no attendance rows under the header row.")
    template_notes = (
        gettext_lazy(
            "A month sheet exported from the month view (one column per date) can "
            "be imported as well."
        ),
    )
    max_rows = MAX_ROWS
    header_rows = HEADER_SEARCH_ROWS
    key_column = "code"

    def check_permission(self):
        if not may_record_somewhere(self.user):
            raise PermissionDenied(_("You may not import attendance."))

    def extra_column(self, value):
        return _header_date(value)  # a grid's date column

    def check_layout(self, positions, extras):
        if "date" in positions or not extras:  # a list: the template's columns
            extras.clear()
            super().check_layout(positions, extras)

    def skip_row(self, values):
        return _is_footer(values)

    def validate(self, rows):
        return _validate_rows(rows, self.extra_positions, self.user)

    def write(self, plans) -> Counts:
        result = services.apply_import(plans, acting_user=self.user)
        return Counts(result.created, result.updated, result.unchanged)

    def success_message(self, result):
        return _(
            "Attendance imported: %(created)s created, %(updated)s updated, "
            "%(unchanged)s unchanged."
        ) % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}


def parse_and_validate(file, acting_user) -> tuple[list[services.Entry], list[dict]]:
    """Read the sheet and check every row; writes nothing."""
    entries, errors, _rows = AttendanceImport(acting_user).check(file)
    return entries, errors


def _validate_rows(rows, dates, acting_user):
    records = [_Row(row.number, row.raw, row.text("code")) for row in rows]
    errors: list[dict] = [error for row in rows for error in row.errors]
    row_days: list[tuple[_Row, date]] = []
    if dates:
        row_days = [(row, day) for row in records for day in dates if _text(row.values.get(day))]
        span = (min(dates), max(dates))
    else:
        for row in records:
            try:
                day = _date(row.values.get("date"))
            except CellError as exc:
                errors.append(
                    _error(row.number, BY_KEY["date"].header, row.values.get("date"), exc)
                )
                continue
            if day is None:
                errors.append(
                    _error(row.number, BY_KEY["date"].header, "", _("This column is required."))
                )
                continue
            row_days.append((row, day))
        found = [day for _row, day in row_days]
        span = (min(found), max(found)) if found else (None, None)
    if span[0] is not None and (span[1] - span[0]).days + 1 > MAX_SPAN_DAYS:
        errors.append(
            _error(
                None,
                BY_KEY["date"].header,
                f"{span[0]} – {span[1]}",
                _("One file covers at most %(days)s days.") % {"days": MAX_SPAN_DAYS},
            )
        )
        return [], errors

    context = _Context(
        acting_user,
        {row.code for row in records if row.code},
        span[0] or date.min,
        span[1] or date.min,
    )
    entries = []
    first_row: dict[tuple[str, date], int] = {}
    for row, day in row_days:
        entry, row_errors = _validate(row, day, context, first_row, grid=bool(dates))
        errors.extend(row_errors)
        if entry is not None:
            entries.append(entry)
    return entries, errors


def _validate(row: _Row, day: date, context: _Context, first_row, *, grid: bool):
    errors = []
    date_column = day.isoformat() if grid else BY_KEY["date"].header

    def add(column, value, message):
        errors.append(_error(row.number, column, value, message))

    if not row.code:
        return None, []
    agent = context.agents.get(row.code)
    if agent is None or not context.may_record(agent):
        add(
            BY_KEY["code"].header,
            row.code,
            _("No agent with this code among the agents whose attendance you may record."),
        )
        return None, errors
    name = _text(row.values.get("name"))
    if name and name != agent.name:
        add(
            BY_KEY["name"].header,
            name,
            _("The name does not match agent %(code)s (%(name)s).")
            % {"code": agent.code, "name": agent.name},
        )
    key = (row.code, day)
    if key in first_row:
        add(
            date_column,
            day,
            _("This agent and date are also on row %(row)s.") % {"row": first_row[key]},
        )
    else:
        first_row[key] = row.number
    if day > context.today:
        add(date_column, day, _("Attendance cannot be recorded for a future day."))
    elif not agent.is_active_on(day):
        add(date_column, day, _("The agent was not employed on this day."))
    elif not context.is_workday(agent, day):
        add(date_column, day, _("Not a workday in the work calendar."))
    if errors:
        return None, errors

    if grid:
        try:
            status, fraction, reported = _grid_cell(row.values.get(day))
        except CellError as exc:
            add(date_column, row.values.get(day), exc)
            return None, errors
    else:
        status, fraction, reported = _list_values(row, day, agent, context, add)
        if status is None:
            return None, errors
    problems = services.entry_errors(status, fraction, reported)
    columns = {
        "status": BY_KEY["status"].header,
        "fraction": BY_KEY["fraction"].header,
        "reported": BY_KEY["reported"].header,
    }
    for name, message in problems.items():
        column = date_column if grid else columns[name]
        add(column, row.values.get(day if grid else name), message)
    if errors:
        return None, errors
    return services.Entry(agent.pk, day, status, fraction, reported), errors


def _list_values(row, day, agent, context, add):
    status_text = _text(row.values.get("status"))
    status = None
    fraction, reported = FULL_DAY, False
    try:
        fraction = _fraction(row.values.get("fraction"))
    except CellError as exc:
        add(BY_KEY["fraction"].header, row.values.get("fraction"), exc)
    try:
        reported = _yes_no(row.values.get("reported"))
    except CellError as exc:
        add(BY_KEY["reported"].header, row.values.get("reported"), exc)
    try:
        checked_in = _time(row.values.get("check_in"))
    except CellError as exc:
        add(BY_KEY["check_in"].header, row.values.get("check_in"), exc)
        checked_in = None
    if status_text:
        status = _status_lookup().get(status_text.casefold())
        if status is None:
            add(
                BY_KEY["status"].header,
                status_text,
                _("Unknown status; use Present, Late, Leave or Absent."),
            )
    elif checked_in is not None:
        rules = context.rules(agent, day)
        moment = timezone.make_aware(datetime.combine(day, checked_in))
        status = services.check_in_status(moment, rules)
        if status is None:
            add(
                BY_KEY["check_in"].header,
                checked_in.strftime("%H:%M"),
                _("After the check-in window (until %(time)s); put the status in Status.")
                % {"time": rules.late_until.strftime("%H:%M")},
            )
    elif not _text(row.values.get("check_in")):
        add(BY_KEY["status"].header, "", _("Give Status or Check-in time."))
    return status, fraction, reported


# -- import ------------------------------------------------------------------------------------


def attendance_import(file, acting_user, *, dry_run=False) -> ImportResult:
    """Validate every row, then write all of them in one transaction (or nothing)."""
    return AttendanceImport(acting_user).run(file, dry_run=dry_run)


def import_template() -> bytes:
    return AttendanceImport(None).template()
