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
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from attendance import selectors, services
from attendance.access import may_change_past_days, may_record_somewhere
from attendance.models import FULL_DAY, HALF_DAY, AttendanceStatus
from core.xlsx import XLSX_CONTENT_TYPE, CellError
from core.xlsx import cell_date as _date
from core.xlsx import cell_error as _error
from core.xlsx import cell_text as _text
from core.xlsx import header_style as _header_style
from core.xlsx import workbook_bytes as _save
from org.models import Agent
from workcalendar.selectors import workdays

__all__ = ["XLSX_CONTENT_TYPE", "attendance_import", "import_template", "COLUMNS"]

MAX_ROWS = 20000
MAX_SPAN_DAYS = 93
HEADER_SEARCH_ROWS = 6
DATA_SHEET_TITLE = "差勤"
HELP_SHEET_TITLE = "说明"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    help: object
    example: str


COLUMNS = [
    Column("code", "业务编码", True, gettext_lazy("The agent's code."), "33010001"),
    Column(
        "name",
        "姓名",
        False,
        gettext_lazy("Optional; when given it must match the agent code."),
        "张三",
    ),
    Column(
        "date", "日期", True, gettext_lazy("An Excel date or text as YYYY-MM-DD."), "2026-03-02"
    ),
    Column(
        "status",
        "状态",
        True,
        gettext_lazy("出勤, 迟到, 请假 or 旷工. May be empty when 签到时间 is given."),
        "出勤",
    ),
    Column(
        "fraction",
        "天数",
        False,
        gettext_lazy("1 (default) or 0.5 for half a day of leave or absence."),
        "1",
    ),
    Column(
        "reported",
        "已报备",
        False,
        gettext_lazy("是 or 否 (default), for leave only: reported in advance."),
        "",
    ),
    Column(
        "check_in",
        "签到时间",
        False,
        gettext_lazy(
            "A time clock's check-in time (HH:MM); without 状态 it decides 出勤 or "
            "迟到 by the district's check-in window."
        ),
        "",
    ),
]
BY_KEY = {column.key: column for column in COLUMNS}

STATUS_WORDS = {
    AttendanceStatus.PRESENT: ["出勤", "正常", "√", "✓", "present"],
    AttendanceStatus.LATE: ["迟到", "迟", "late"],
    AttendanceStatus.LEAVE: ["请假", "假", "leave"],
    AttendanceStatus.ABSENT: ["旷工", "旷", "absent"],
}
STATUS_LOOKUP = {
    word.casefold(): status for status, words in STATUS_WORDS.items() for word in words
}
YES = {"是", "y", "yes", "1", "true", "√", "已报备"}
NO = {"否", "n", "no", "0", "false", "", "未报备"}
FOOTER_WORDS = {"合计", "小计", "总计"}
FOOTER_PREFIXES = ("图例", "说明")
GRID_CELL = re.compile(r"^(?P<half>½|0\.5|半)?\s*(?P<word>[^*\s]+)\s*(?P<unreported>\*)?$")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Row:
    number: int
    values: dict  # key or date → cell value
    code: str


# -- template ----------------------------------------------------------------------------------


def import_template() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET_TITLE
    sheet.append([column.header for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        _header_style(sheet.cell(row=1, column=index))
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = 14
        if column.key == "code":
            for row in range(2, 1002):
                sheet.cell(row=row, column=index).number_format = "@"
    for key, options in (
        ("status", "出勤,迟到,请假,旷工"),
        ("fraction", "1,0.5"),
        ("reported", "是,否"),
    ):
        letter = sheet.cell(row=1, column=_index(key)).column_letter
        validation = DataValidation(type="list", formula1=f'"{options}"', allow_blank=True)
        validation.add(f"{letter}2:{letter}1001")
        sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    help_sheet = workbook.create_sheet(HELP_SHEET_TITLE)
    help_sheet.append([_("Column"), _("Required"), _("How to fill in")])
    for index in range(1, 4):
        _header_style(help_sheet.cell(row=1, column=index))
    for column in COLUMNS:
        help_sheet.append(
            [column.header, _("Yes") if column.required else _("No"), str(column.help)]
        )
    help_sheet.append([])
    help_sheet.append(
        [
            _(
                "A month sheet exported from the month view (one column per date) can "
                "be imported as well."
            )
        ]
    )
    help_sheet.append(
        [
            _(
                "Every row is checked before anything is saved: if one row is wrong, "
                "nothing is imported. Importing the same file again changes nothing."
            )
        ]
    )
    help_sheet.column_dimensions["A"].width = 12
    help_sheet.column_dimensions["C"].width = 90
    return _save(workbook)


def _index(key: str) -> int:
    return next(i for i, column in enumerate(COLUMNS, start=1) if column.key == key)


# -- reading -----------------------------------------------------------------------------------


def _rows(file) -> list[tuple]:
    try:
        if hasattr(file, "seek"):
            file.seek(0)
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        OSError,
        TypeError,
    ) as exc:
        raise CellError(
            _(
                "This is not an Excel .xlsx file. Save the sheet as .xlsx (Excel "
                "workbook) and upload it again."
            )
        ) from exc
    try:
        if not workbook.worksheets:
            raise CellError(_("The file has no worksheet."))
        rows = []
        for values in workbook.worksheets[0].iter_rows(values_only=True):
            rows.append(values)
            if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise CellError(
                    _("The sheet has more than %(max)s rows; split it into several files.")
                    % {"max": MAX_ROWS}
                )
        return rows
    finally:
        workbook.close()


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


def _layout(rows) -> tuple[int, dict, dict[date, int]]:
    """(header row index, {key: column index}, {date: column index} for a grid)."""
    code_header = BY_KEY["code"].header
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        headers = [_text(value) for value in (row or ())]
        if code_header not in headers:
            continue
        duplicates = sorted({h for h in headers if h and headers.count(h) > 1})
        if duplicates:
            raise CellError(
                _("These column headers appear twice: %(headers)s.")
                % {"headers": "、".join(duplicates)}
            )
        positions = {
            column.key: headers.index(column.header)
            for column in COLUMNS
            if column.header in headers
        }
        dates = {}
        for position, value in enumerate(row):
            day = _header_date(value)
            if day is not None:
                dates[day] = position
        if "date" in positions or not dates:
            missing = [
                column.header
                for column in COLUMNS
                if column.required and column.key not in positions
            ]
            if missing:
                raise CellError(
                    _(
                        "The header row must have the template's columns. Missing: %(missing)s. "
                        "Download the template and copy your data into it."
                    )
                    % {"missing": "、".join(missing)}
                )
            dates = {}
        return index, positions, dates
    raise CellError(
        _(
            "No header row with 业务编码 in the first rows. Download the template and "
            "copy your data into it."
        )
    )


def _is_footer(values) -> bool:
    """The totals row and legend under an exported month grid."""
    for value in values:
        text = _text(value)
        if text:
            return text in FOOTER_WORDS or text.startswith(FOOTER_PREFIXES)
    return False


def _fraction(value) -> Decimal:
    text = _text(value)
    if text in {"", "1", "1.0"}:
        return FULL_DAY
    if text in {"0.5", ".5", "半", "半天", "½"}:
        return HALF_DAY
    raise CellError(_("Days must be 1 or 0.5."))


def _yes_no(value) -> bool:
    text = _text(value).casefold()
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellError(_("Use 是 or 否."))


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
    status = STATUS_LOOKUP.get(match["word"].casefold()) if match else None
    if status is None:
        raise CellError(
            _(
                "Unknown symbol; use √, 迟, 假, 假* (not reported), 旷, with ½ in front "
                "for half a day."
            )
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


def parse_and_validate(file, acting_user) -> tuple[list[services.Entry], list[dict]]:
    """Read the sheet and check every row; writes nothing."""
    if not may_record_somewhere(acting_user):
        raise PermissionDenied(_("You may not import attendance."))
    try:
        rows = _rows(file)
        if not rows:
            raise CellError(_("The sheet is empty."))
        header_index, positions, dates = _layout(rows)
    except CellError as exc:
        return [], [_error(None, "", "", exc)]

    records = []
    for number, values in enumerate(rows[header_index + 1 :], start=header_index + 2):
        values = values or ()

        def cell(position, values=values):
            return values[position] if position < len(values) else None

        if _is_footer(values):
            continue
        record = {key: cell(position) for key, position in positions.items()}
        record.update({day: cell(position) for day, position in dates.items()})
        if any(_text(value) for value in record.values()):
            records.append(_Row(number, record, _text(record.get("code"))))
    if not records:
        return [], [
            _error(None, "", "", _("The sheet has no attendance rows under the header row."))
        ]

    errors: list[dict] = []
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
    for row in records:  # rows without a code still need reporting once
        if not row.code:
            errors.append(
                _error(row.number, BY_KEY["code"].header, "", _("This column is required."))
            )
    errors = _dedupe(errors)
    errors.sort(key=lambda error: (error["row"] or 0, error["column"]))
    return entries, errors


def _dedupe(errors):
    seen, unique = set(), []
    for error in errors:
        key = (error["row"], error["column"], error["message"])
        if key not in seen:
            seen.add(key)
            unique.append(error)
    return unique


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
    elif day < agent.hire_date or (agent.resigned_on and day > agent.resigned_on):
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
        status = STATUS_LOOKUP.get(status_text.casefold())
        if status is None:
            add(
                BY_KEY["status"].header,
                status_text,
                _("Unknown status; use 出勤, 迟到, 请假 or 旷工."),
            )
    elif checked_in is not None:
        rules = context.rules(agent, day)
        moment = timezone.make_aware(datetime.combine(day, checked_in))
        status = services.check_in_status(moment, rules)
        if status is None:
            add(
                BY_KEY["check_in"].header,
                checked_in.strftime("%H:%M"),
                _("After the check-in window (until %(time)s); put the status in 状态.")
                % {"time": rules.late_until.strftime("%H:%M")},
            )
    elif not _text(row.values.get("check_in")):
        add(BY_KEY["status"].header, "", _("Give 状态 or 签到时间."))
    return status, fraction, reported


# -- import ------------------------------------------------------------------------------------


def attendance_import(file, acting_user) -> ImportResult:
    """Validate every row, then write all of them in one transaction (or nothing)."""
    with transaction.atomic():
        entries, errors = parse_and_validate(file, acting_user)
        if errors:
            return ImportResult(errors=errors)
        result = services.apply_import(entries, acting_user=acting_user)
    return ImportResult(created=result.created, updated=result.updated, unchanged=result.unchanged)
