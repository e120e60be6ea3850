"""Reads of the monthly meeting calendars (行事例, spec §2.2) and their submission (§7.1)."""

import calendar as pycalendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings import access
from meetings.models import (
    Calendar,
    CalendarEntry,
    CalendarSettings,
    CalendarState,
    FlowTemplateVersion,
    MeetingLevel,
)
from meetings.models.levels import LEVEL_UNIT_KIND
from org import access as layer
from org.access import Cap
from workcalendar import selectors as workcalendar

DEFAULT_DEADLINE_DAY = 25
STATE_LABELS = {
    "submitted": _("Submitted on time"),
    "late": _("Submitted late"),
    "missing": _("Missing"),
    "pending": _("Pending"),
}


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(month: date) -> date:
    return month.replace(day=pycalendar.monthrange(month.year, month.month)[1])


def previous_month(month: date) -> date:
    return (month.replace(day=1) - timedelta(days=1)).replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def deadline_day_for(district) -> int:
    settings = getattr(district, "_meeting_calendar_settings_cache", None)
    if settings is None:
        settings = CalendarSettings.objects.filter(district=district).first() or False
        district._meeting_calendar_settings_cache = settings
    return settings.deadline_day if settings else DEFAULT_DEADLINE_DAY


def deadline_from_day(deadline_day: int, month: date) -> date:
    before = previous_month(month)
    last = pycalendar.monthrange(before.year, before.month)[1]
    return before.replace(day=max(1, min(deadline_day, last)))


def deadline_for(district, month: date) -> date:
    """The submission deadline for calendars of `month`: the district's deadline day (default the
    25th) of the month before, clamped to that month's end."""
    return deadline_from_day(deadline_day_for(district), month)


def _as_local_date(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def submission_state(calendar, deadline: date, today: date) -> str:
    """ "submitted", "late" (submitted after the deadline), "missing" (not submitted, deadline
    passed) or "pending" (not submitted, deadline not passed). `calendar` may be None."""
    submitted = _as_local_date(getattr(calendar, "submitted_at", None)) if calendar else None
    if submitted is not None:
        return "late" if submitted > deadline else "submitted"
    return "missing" if today > deadline else "pending"


# -- who writes, who acknowledges ---------------------------------------------------------------
# Who acknowledges the district calendar for a department: its manager or assistant (spec §2.2).
# Which levels each kind of unit submits to the district (§7.1), in board column order.
SUBMITTED_LEVELS = {
    "department": [MeetingLevel.DEPARTMENT, MeetingLevel.EVENING],
    "group": [MeetingLevel.GROUP],
}
BOARD_LABELS = {
    "submitted": _("Submitted"),
    "late": _("Late"),
    "missing": _("Missing"),
    "pending": _("Pending"),
}
BOARD_LEVELS = [MeetingLevel.DEPARTMENT, MeetingLevel.EVENING, MeetingLevel.GROUP]


def levels_for_unit(unit) -> list[str]:
    return [level for level, kind in LEVEL_UNIT_KIND.items() if kind == unit.kind]


def can_acknowledge(user, department) -> bool:
    """The department's manager or assistant (a role held on the department itself)."""
    return layer.holds_on(user, Cap.ACKNOWLEDGE_CALENDARS, department)


def acknowledging_departments(user) -> list[int]:
    """Ids of the departments the user acknowledges district calendars for."""
    return list(layer.held_unit_paths(user, Cap.ACKNOWLEDGE_CALENDARS))


def writable_units(user):
    """Open units whose calendars the user writes (meetings.access.can_write_unit), in tree
    order: the units they hold PLAN_MEETINGS on, and the groups of such departments."""
    from org.models import Unit

    units = Unit.objects.open().exclude(kind__in=["branch", "marketing"])
    return units.filter(access.writable_q(user)).order_by("path")


# -- reading calendars ----------------------------------------------------------------------------
def readable_calendars(queryset, user):
    """Calendars the user may read: meetings.access.readable, and — the rule this part adds — a
    district calendar once distributed, for everyone who sees a unit of that district (the
    departments it is distributed to, their groups' supervisors)."""
    visible = access.readable(queryset, user)
    above = layer.paths_at_or_above(user, Cap.VIEW_ORG)
    if not above:
        return visible
    distributed = queryset.filter(
        level=MeetingLevel.DISTRICT,
        state=CalendarState.DISTRIBUTED,
        unit__kind="district",
        unit__path__in=sorted(above),
    )
    return visible | distributed


def calendars_for(user):
    return readable_calendars(Calendar.objects.select_related("unit", "submitted_by"), user)


def get_readable_calendar(user, pk, queryset=None):
    """The calendar if the user may read it (else 404)."""
    from django.http import Http404

    queryset = queryset if queryset is not None else Calendar.objects.all()
    try:
        return readable_calendars(queryset, user).get(pk=pk)
    except (Calendar.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def host_choices(unit):
    """Users who may be named speaker/host of a unit's meetings: the staff holding a role in the
    unit's subtree, and, below the district, the agents of the unit with a user account. Anyone
    else is written as a free-text name."""
    from accounts.models import RoleAssignment, User

    staff = RoleAssignment.objects.current().filter(
        unit__path__startswith=unit.path, user__is_active=True
    )
    condition = Q(pk__in=staff.values("user_id"))
    if unit.kind != "district":
        condition |= Q(agent__group__path__startswith=unit.path, agent__resigned_on__isnull=True)
    return User.objects.filter(condition, is_active=True).distinct().order_by("full_name", "pk")


def template_choices(unit, level):
    """Published template versions usable by the unit for `level` (the templates part's
    `versions_for`; a direct query until it exists)."""
    try:
        from meetings.selectors.templates import versions_for
    except ImportError:
        versions_for = None
    if versions_for is not None:
        return versions_for(unit, level)
    parts = [p for p in unit.path.strip("/").split("/") if p]
    paths = ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
    return (
        FlowTemplateVersion.objects.filter(
            template__unit__path__in=paths,
            template__level=level,
            template__archived_at__isnull=True,
            published_at__isnull=False,
        )
        .select_related("template")
        .order_by("template__name", "-number")
    )


@dataclass
class DayRow:
    date: date
    is_workday: bool
    entry: CalendarEntry | None = None
    cancelled: list = field(default_factory=list)


def month_rows(calendar, *, workdays_only: bool = False) -> list[DayRow]:
    """Every day of the calendar's month (or its workdays) with its active entry and the
    cancelled ones (two queries)."""
    start, end = calendar.month, month_end(calendar.month)
    workdays = set(workcalendar.workdays(calendar.unit, start, end))
    entries = calendar.entries.select_related("host", "template_version__template").order_by(
        "date", "pk"
    )
    active, cancelled = {}, {}
    for entry in entries:
        if entry.cancelled_at:
            cancelled.setdefault(entry.date, []).append(entry)
        else:
            active[entry.date] = entry
    rows = []
    day = start
    while day <= end:
        # A meeting planned on a day that is no longer a workday still shows.
        if not workdays_only or day in workdays or day in active:
            rows.append(DayRow(day, day in workdays, active.get(day), cancelled.get(day, [])))
        day += timedelta(days=1)
    return rows


def month_weeks(rows: list[DayRow]) -> list[list[DayRow | None]]:
    """The rows of a whole month as Monday-first weeks for the grid view."""
    weeks: list[list[DayRow | None]] = []
    week: list[DayRow | None] = [None] * rows[0].date.weekday() if rows else []
    for row in rows:
        week.append(row)
        if len(week) == 7:
            weeks.append(week)
            week = []
    if week:
        weeks.append(week + [None] * (7 - len(week)))
    return weeks


def changes_after_submission(calendar) -> list:
    """Entry changes recorded after the calendar was submitted or distributed (the history)."""
    if not calendar.submitted_at:
        return []
    return list(
        CalendarEntry.history.filter(
            calendar_id=calendar.pk, history_date__gt=calendar.submitted_at
        )
        .select_related("history_user")
        .order_by("-history_date")[:100]
    )


def acknowledgement_rows(calendar) -> list[dict]:
    """The district's open departments with their acknowledgement of the calendar (2 queries)."""
    from org.models import Unit

    departments = list(
        Unit.objects.open().filter(district_id=calendar.unit_id, kind="department").order_by("path")
    )
    acks = {ack.unit_id: ack for ack in calendar.acknowledgements.select_related("user")}
    return [{"unit": unit, "ack": acks.get(unit.pk)} for unit in departments]


# -- the submission board (§7.1) ------------------------------------------------------------------
@dataclass
class BoardCell:
    level: str
    expected: bool
    state: str = ""
    calendar: Calendar | None = None

    @property
    def label(self):
        return BOARD_LABELS.get(self.state, "")

    @property
    def submitted_on(self):
        return _as_local_date(self.calendar.submitted_at) if self.calendar else None


@dataclass
class BoardRow:
    unit: object
    cells: list[BoardCell]


@dataclass
class Board:
    district: object
    month: date
    deadline: date
    today: date
    rows: list[BoardRow]
    counts: dict[str, int]


def submission_board(district, month: date, today: date | None = None) -> Board:
    """Departments and groups of the district × the levels each submits, with each calendar's
    state (submitted / late / missing / pending). Three queries whatever the size."""
    from org.models import Unit

    today = today or timezone.localdate()
    month = month_start(month)
    deadline = deadline_for(district, month)
    units = list(
        Unit.objects.open()
        .filter(district_id=district.pk, kind__in=list(SUBMITTED_LEVELS))
        .order_by("path")
    )
    calendars = {
        (c.unit_id, c.level): c
        for c in Calendar.objects.filter(
            unit__district_id=district.pk, month=month, level__in=BOARD_LEVELS
        ).select_related("submitted_by")
    }
    counts = {"submitted": 0, "late": 0, "missing": 0, "pending": 0}
    rows = []
    for unit in units:
        cells = []
        for level in BOARD_LEVELS:
            if level not in SUBMITTED_LEVELS[unit.kind]:
                cells.append(BoardCell(level, False))
                continue
            calendar = calendars.get((unit.pk, level))
            state = submission_state(calendar, deadline, today)
            counts[state] += 1
            cells.append(BoardCell(level, True, state, calendar))
        rows.append(BoardRow(unit, cells))
    return Board(district, month, deadline, today, rows, counts)
