"""Attendance reads: the figures (spec §5) per agent and unit, the month grid and roll call sheet.

Definitions (the same in every page, export and API):
- required days: workdays (work calendar of the agent's district) on which the agent is active
  (hired on or before the day, not resigned before it), counted up to today at the latest;
- attended: present + late days, plus the attended half of a half-day leave or absence;
- attendance rate 出勤率 = attended / required, in per cent to one decimal (half up). A workday
  with no record ("unmarked") is not attended; unmarked days are shown as their own count;
- late: number of late days; leave (reported / unreported) and absence: days (halves count 0.5).

Records on days that are not required (before hire, after resignation, a day the calendar later
turned into a holiday) never count. Every figure comes from one grouped query; the required days
come from one calendar query per district and a binary search per agent (no query per agent).
"""

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.db.models import Case, Count, DecimalField, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import escape

from attendance.models import (
    ATTENDED_STATUSES,
    DEFAULT_LATE_UNTIL,
    DEFAULT_ON_TIME_UNTIL,
    FULL_DAY,
    AttendanceRecord,
    AttendanceRules,
    AttendanceStatus,
)
from org.models import Agent, Unit, UnitKind
from workcalendar.selectors import month_calendar, workdays

ZERO = Decimal("0")
DAYS = DecimalField(max_digits=7, decimal_places=1)


def rate(attended: Decimal, required: int) -> Decimal | None:
    """Attended / required in per cent, one decimal, half up; None when nothing is required."""
    if not required:
        return None
    return (Decimal(attended) * 100 / required).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class Figures:
    required: int = 0
    marked: int = 0
    attended: Decimal = ZERO
    late: int = 0
    leave_reported: Decimal = ZERO
    leave_unreported: Decimal = ZERO
    absent: Decimal = ZERO
    agents: int = 0

    @property
    def unmarked(self) -> int:
        return max(self.required - self.marked, 0)

    @property
    def leave(self) -> Decimal:
        return self.leave_reported + self.leave_unreported

    @property
    def rate(self) -> Decimal | None:
        return rate(self.attended, self.required)

    def add(self, other: "Figures") -> "Figures":
        self.required += other.required
        self.marked += other.marked
        self.attended += other.attended
        self.late += other.late
        self.leave_reported += other.leave_reported
        self.leave_unreported += other.leave_unreported
        self.absent += other.absent
        self.agents += other.agents
        return self

    def as_dict(self) -> dict:
        return {
            "required": self.required,
            "attended": self.attended,
            "rate": self.rate,
            "late": self.late,
            "leave_reported": self.leave_reported,
            "leave_unreported": self.leave_unreported,
            "absent": self.absent,
            "unmarked": self.unmarked,
        }


def employed_during(queryset, start: date, end: date):
    """Agents active on at least one day of [start, end]."""
    return queryset.filter(hire_date__lte=end).filter(
        Q(resigned_on__isnull=True) | Q(resigned_on__gte=start)
    )


def employment_bounds(agent, start: date, end: date) -> tuple[date, date]:
    first = max(start, agent.hire_date)
    last = min(end, agent.resigned_on) if agent.resigned_on else end
    return first, last


def count_between(days: list[date], first: date, last: date) -> int:
    """How many of the sorted `days` lie in [first, last] (binary search, no query)."""
    if last < first:
        return 0
    return bisect_right(days, last) - bisect_left(days, first)


def workdays_by_district(agents, start: date, end: date) -> dict[int | None, list[date]]:
    """Workdays per district of the agents' groups: one calendar query per district."""
    by_district = {}
    for agent in agents:
        district_id = agent.group.district_id
        if district_id not in by_district:
            by_district[district_id] = workdays(agent.group, start, end)
    return by_district


def _counted_records(agent_queryset, start: date, through: date, days_by_district):
    """Records that count: of these agents, on their district's workdays, while employed."""
    if len(days_by_district) == 1:  # one calendar (a group, department or district)
        on_workday = Q(date__in=next(iter(days_by_district.values())))
    else:
        on_workday = Q(pk__in=[])
        for district_id, days in days_by_district.items():
            if days:
                on_workday |= Q(agent__group__district_id=district_id, date__in=days)
    return AttendanceRecord.objects.filter(
        on_workday,
        agent__in=agent_queryset.values("pk"),
        date__range=(start, through),
        date__gte=F("agent__hire_date"),
    ).filter(Q(agent__resigned_on__isnull=True) | Q(date__lte=F("agent__resigned_on")))


def _figure_annotations() -> dict:
    one = Value(FULL_DAY, output_field=DAYS)
    return {
        "marked": Count("id"),
        "attended": Coalesce(
            Sum(
                Case(
                    When(status__in=[s.value for s in ATTENDED_STATUSES], then=one),
                    default=one - F("fraction"),
                    output_field=DAYS,
                )
            ),
            Value(ZERO, output_field=DAYS),
        ),
        "late": Count("id", filter=Q(status=AttendanceStatus.LATE)),
        "leave_reported": Coalesce(
            Sum("fraction", filter=Q(status=AttendanceStatus.LEAVE, reported=True)),
            Value(ZERO, output_field=DAYS),
        ),
        "leave_unreported": Coalesce(
            Sum("fraction", filter=Q(status=AttendanceStatus.LEAVE, reported=False)),
            Value(ZERO, output_field=DAYS),
        ),
        "absent": Coalesce(
            Sum("fraction", filter=Q(status=AttendanceStatus.ABSENT)),
            Value(ZERO, output_field=DAYS),
        ),
    }


def _as_decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value or 0))


def agent_figures(
    agent_queryset,
    agents: list,
    start: date,
    end: date,
    *,
    today: date | None = None,
    days_by_district: dict | None = None,
) -> dict[int, Figures]:
    """Figures per agent for [start, end] (cut at today): one grouped query, plus one calendar
    query per district unless `days_by_district` is given. `agents` are the rows of
    `agent_queryset` (with `group` loaded)."""
    today = today or timezone.localdate()
    through = min(end, today)
    result = {agent.pk: Figures(agents=1) for agent in agents}
    if through < start or not agents:
        return result
    if days_by_district is None:
        days_by_district = workdays_by_district(agents, start, through)
    for agent in agents:
        first, last = employment_bounds(agent, start, through)
        result[agent.pk].required = count_between(
            days_by_district.get(agent.group.district_id, []), first, last
        )
    rows = (
        _counted_records(agent_queryset, start, through, days_by_district)
        .values("agent_id")
        .annotate(**_figure_annotations())
        .order_by()
    )
    for row in rows:
        figures = result.get(row["agent_id"])
        if figures is None:
            continue
        figures.marked = row["marked"]
        figures.attended = _as_decimal(row["attended"])
        figures.late = row["late"]
        figures.leave_reported = _as_decimal(row["leave_reported"])
        figures.leave_unreported = _as_decimal(row["leave_unreported"])
        figures.absent = _as_decimal(row["absent"])
    return result


# -- summary per unit -----------------------------------------------------------------------------


@dataclass
class SummaryRow:
    unit: Unit | None
    figures: Figures
    agent: Agent | None = None


@dataclass
class Summary:
    unit: Unit
    start: date
    end: date
    through: date
    children: list[SummaryRow] = field(default_factory=list)
    agents: list[SummaryRow] = field(default_factory=list)
    total: Figures = field(default_factory=Figures)


def unit_agents(visible_agents, unit: Unit, start: date, end: date):
    """The visible agents of `unit` employed during the period, in tree order (one query)."""
    return (
        employed_during(visible_agents.in_unit(unit), start, end)
        .select_related("group__parent")
        .order_by("group__path", "code")
    )


def summary(visible_agents, unit: Unit, start: date, end: date, *, with_agents=True) -> Summary:
    """Figures of a unit for a period: per agent, per child unit and in total.

    A bounded number of queries whatever the number of agents: the agents, the child units,
    one calendar query per district and one grouped query over the records."""
    today = timezone.localdate()
    queryset = unit_agents(visible_agents, unit, start, end)
    agents = list(queryset)
    per_agent = agent_figures(queryset, agents, start, end, today=today)
    depth = len(unit.ancestor_ids)
    children: dict[int, Figures] = defaultdict(Figures)
    total = Figures()
    rows = []
    for agent in agents:
        figures = per_agent[agent.pk]
        total.add(figures)
        ids = agent.group.ancestor_ids
        if len(ids) > depth:
            children[ids[depth]].add(figures)
        if with_agents:
            rows.append(SummaryRow(unit=agent.group, figures=figures, agent=agent))
    child_units = Unit.objects.filter(pk__in=list(children)).order_by("path")
    return Summary(
        unit=unit,
        start=start,
        end=end,
        through=min(end, today),
        children=[SummaryRow(unit=child, figures=children[child.pk]) for child in child_units],
        agents=rows,
        total=total,
    )


# -- the month grid ------------------------------------------------------------------------------

SYMBOLS = {
    AttendanceStatus.PRESENT: "√",
    AttendanceStatus.LATE: "迟",
    AttendanceStatus.LEAVE: "假",
    AttendanceStatus.ABSENT: "旷",
}
UNREPORTED_MARK = "*"
HALF_MARK = "½"


def symbol(status: str, fraction: Decimal, reported: bool) -> str:
    """The grid's symbol: √ 迟 假 (假* unreported) 旷, with ½ for half a day."""
    text = SYMBOLS[status]
    if status == AttendanceStatus.LEAVE and not reported:
        text += UNREPORTED_MARK
    if fraction != FULL_DAY:
        text = HALF_MARK + text
    return text


@dataclass(frozen=True)
class GridCell:
    """One day of one agent. Cells are shared: one object per kind of day and per status."""

    css: str  # off (not a workday), out (not employed), future, unmarked, or the status
    text: str = ""

    @cached_property
    def html(self) -> str:
        return f'<td class="{escape(self.css)}">{escape(self.text)}</td>'


OFF, OUT, FUTURE, UNMARKED = (
    GridCell("off"),
    GridCell("out"),
    GridCell("future"),
    GridCell("unmarked"),
)


@dataclass
class GridRow:
    agent: Agent
    cells: list[GridCell]
    figures: Figures


@dataclass
class GridColumn:
    day: date
    is_workday: bool
    expected: int = 0  # agents required that day
    marked: int = 0
    attended: Decimal = ZERO

    @property
    def unmarked(self) -> int:
        return max(self.expected - self.marked, 0)


@dataclass
class MonthGrid:
    unit: Unit
    first: date
    last: date
    columns: list[GridColumn]
    rows: list[GridRow]
    total: Figures
    today: date


def month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, following - timedelta(days=1)


def month_grid(visible_agents, unit: Unit, year: int, month: int) -> MonthGrid:
    """Agents × days of a month for a group or department, with totals per row and column.

    Queries: the calendar (1), the agents (1), the cells (1), the per-agent figures (1), the
    per-day totals (1) — the same number for 5 agents or 500."""
    today = timezone.localdate()
    first, last = month_bounds(year, month)
    calendar = month_calendar(unit, year, month)
    days = [d["date"] for d in calendar if d["is_workday"]]
    queryset = unit_agents(visible_agents, unit, first, last)
    agents = list(queryset)
    through = min(last, today)
    required_days = [d for d in days if d <= through]
    per_agent = agent_figures(
        queryset,
        agents,
        first,
        last,
        today=today,
        days_by_district={unit.district_id: required_days},
    )
    cells = defaultdict(dict)
    records = AttendanceRecord.objects.filter(
        agent__in=queryset.values("pk"), date__range=(first, last)
    ).values_list("agent_id", "date", "status", "fraction", "reported")
    for agent_id, day, status, fraction, reported in records:
        cells[agent_id][day] = (status, _as_decimal(fraction), reported)

    columns = [GridColumn(day=d["date"], is_workday=d["is_workday"]) for d in calendar]
    by_day = {column.day: column for column in columns}
    day_rows = (
        _counted_records(queryset, first, through, {unit.district_id: required_days})
        .values("date")
        .annotate(**_figure_annotations())
        .order_by()
    )
    for row in day_rows:
        column = by_day[row["date"]]
        column.marked = row["marked"]
        column.attended = _as_decimal(row["attended"])

    # The cell loop runs agents × days times (9,000 for 300 agents): shared cells, no queries.
    flags = [(column.day, column.is_workday) for column in columns]
    expected = [0] * len(columns)
    shared: dict[tuple, GridCell] = {}
    rows = []
    total = Figures()
    for agent in agents:
        own = cells.get(agent.pk, {})
        first_day, last_day = employment_bounds(agent, first, last)
        row_cells = []
        append = row_cells.append
        for index, (day, is_workday) in enumerate(flags):
            if not is_workday:
                append(OFF)
            elif day < first_day or day > last_day:
                append(OUT)
            else:
                if day <= through:
                    expected[index] += 1
                key = own.get(day)
                if key is None:
                    append(FUTURE if day > through else UNMARKED)
                else:
                    cell = shared.get(key)
                    if cell is None:
                        cell = shared[key] = GridCell(key[0], symbol(*key))
                    append(cell)
        figures = per_agent[agent.pk]
        total.add(figures)
        rows.append(GridRow(agent=agent, cells=row_cells, figures=figures))
    for column, count in zip(columns, expected, strict=True):
        column.expected = count
    return MonthGrid(
        unit=unit, first=first, last=last, columns=columns, rows=rows, total=total, today=today
    )


# -- the roll call sheet ---------------------------------------------------------------------------


@dataclass
class SheetRow:
    agent: Agent
    record: AttendanceRecord | None

    @property
    def status(self) -> str:
        return self.record.status if self.record else AttendanceStatus.PRESENT

    @property
    def half(self) -> bool:
        return bool(self.record and self.record.fraction != FULL_DAY)

    @property
    def reported(self) -> bool:
        return bool(self.record and self.record.reported)


def roll_call_sheet(visible_agents, unit: Unit, day: date) -> list[SheetRow]:
    """Agents active on `day` in `unit` (tree order) with their record if any: two queries."""
    agents = list(
        visible_agents.in_unit(unit)
        .active_on(day)
        .select_related("group")
        .order_by("group__path", "code")
    )
    records = {
        record.agent_id: record
        for record in AttendanceRecord.objects.filter(
            date=day, agent__in=[a.pk for a in agents]
        ).select_related("leave_request")
    }
    return [SheetRow(agent=agent, record=records.get(agent.pk)) for agent in agents]


# -- rules ---------------------------------------------------------------------------------------


def rules_for(district, day: date) -> AttendanceRules:
    """The district's rules in force on `day` (latest effective_from ≤ day), else the built-in
    defaults (unsaved). `district` is a district unit or its id."""
    district_id = getattr(district, "pk", district)
    rules = (
        AttendanceRules.objects.filter(district_id=district_id, effective_from__lte=day)
        .order_by("-effective_from")
        .first()
    )
    if rules is None:
        rules = AttendanceRules(
            district_id=district_id,
            effective_from=day,
            on_time_until=DEFAULT_ON_TIME_UNTIL,
            late_until=DEFAULT_LATE_UNTIL,
        )
    return rules


def default_unit(user, units) -> Unit | None:
    """The unit a page opens on: the user's own group or department, else the first one."""
    from org.scope import scope_for

    assigned = {unit_id for _role, unit_id, _path in scope_for(user).assignments}
    units = list(units)
    for unit in units:
        if unit.pk in assigned and unit.kind in {UnitKind.GROUP, UnitKind.DEPARTMENT}:
            return unit
    return units[0] if units else None
