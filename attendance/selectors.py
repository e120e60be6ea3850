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
from org.models import Agent, AgentPlacement, Unit, UnitKind, active_q, placed_q
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
    return queryset.active_during(start, end)


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
    return _workdays_of_groups([agent.group for agent in agents], start, end)


def _workdays_of_groups(groups, start: date, end: date) -> dict[int | None, list[date]]:
    by_district = {}
    for group in groups:
        if group.district_id not in by_district:
            by_district[group.district_id] = workdays(group, start, end)
    return by_district


@dataclass
class Stay:
    """Days [first, last] of a period that an agent spent in a group of the unit asked about."""

    agent_id: int
    group: Unit
    first: date
    last: date


def unit_stays(agent_queryset, unit: Unit, start: date, end: date) -> dict[int, list[Stay]]:
    """Per agent, their placements in `unit` cut to [start, end], in date order (one query)."""
    stays: dict[int, list[Stay]] = defaultdict(list)
    rows = (
        AgentPlacement.objects.filter(agent__in=agent_queryset.values("pk"))
        .in_unit(unit)
        .overlapping(start, end)
        .select_related("group")
        .order_by("agent_id", "valid_from")
    )
    for row in rows:
        last = min(end, row.valid_to - timedelta(days=1)) if row.valid_to else end
        stays[row.agent_id].append(Stay(row.agent_id, row.group, max(start, row.valid_from), last))
    return stays


def _counted_records(agent_queryset, start: date, through: date, days_by_district, unit=None):
    """Records that count: of these agents, on their district's workdays, while employed, and
    with a `unit`, only those made while the agent was placed in it (the placement's group is
    then `agent__placements__group_id`)."""
    district = "agent__placements__group__district_id" if unit else "agent__group__district_id"
    if len(days_by_district) == 1:  # one calendar (a group, department or district)
        on_workday = Q(date__in=next(iter(days_by_district.values())))
    else:
        on_workday = Q(pk__in=[])
        for district_id, days in days_by_district.items():
            if days:
                on_workday |= Q(**{district: district_id}, date__in=days)
    placed = placed_q(unit, F("date")) if unit is not None else Q()
    # One filter() call: the placement conditions share one join (see org.models.placed_q).
    return AttendanceRecord.objects.filter(
        on_workday & placed & active_q(F("date"), prefix="agent__"),
        agent__in=agent_queryset.values("pk"),
        date__range=(start, through),
    )


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
    unit: Unit | None = None,
) -> dict[int, Figures]:
    """Figures per agent for [start, end] (cut at today): one grouped query, plus one calendar
    query per district unless `days_by_district` is given. `agents` are the rows of
    `agent_queryset` (with `group` loaded). With a `unit`, only the days each agent was placed
    in it count (see stay_figures)."""
    today = today or timezone.localdate()
    through = min(end, today)
    result = {agent.pk: Figures(agents=1) for agent in agents}
    if through < start or not agents:
        return result
    if unit is not None:
        by_stay = stay_figures(
            agent_queryset, agents, unit, start, end, today=today, days_by_district=days_by_district
        )
        for (agent_id, _group_id), figures in by_stay.items():
            result[agent_id].add(figures)
            result[agent_id].agents = 1
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


def _set_counts(figures: Figures, row) -> None:
    figures.marked = row["marked"]
    figures.attended = _as_decimal(row["attended"])
    figures.late = row["late"]
    figures.leave_reported = _as_decimal(row["leave_reported"])
    figures.leave_unreported = _as_decimal(row["leave_unreported"])
    figures.absent = _as_decimal(row["absent"])


def stay_figures(
    agent_queryset,
    agents: list,
    unit: Unit,
    start: date,
    end: date,
    *,
    today: date | None = None,
    days_by_district: dict | None = None,
    stays: dict | None = None,
) -> dict[tuple[int, int], Figures]:
    """Figures per (agent, group) for the days the agent was placed in a group of `unit`: a
    record counts for the group the agent belonged to on the record's day, so a transfer does
    not move past figures. Queries: the stays (unless given), the calendars (unless given) and
    one grouped query joining each record to the placement valid on its date."""
    today = today or timezone.localdate()
    through = min(end, today)
    result: dict[tuple[int, int], Figures] = {}
    if through < start or not agents:
        return result
    if stays is None:
        stays = unit_stays(agent_queryset, unit, start, end)
    if days_by_district is None:
        days_by_district = _workdays_of_groups(
            [stay.group for rows in stays.values() for stay in rows], start, through
        )
    for agent in agents:
        hired, left = employment_bounds(agent, start, through)
        for stay in stays.get(agent.pk, ()):
            figures = result.setdefault((agent.pk, stay.group.pk), Figures(agents=1))
            figures.required += count_between(
                days_by_district.get(stay.group.district_id, []),
                max(hired, stay.first),
                min(left, stay.last),
            )
    rows = (
        _counted_records(agent_queryset, start, through, days_by_district, unit=unit)
        .values("agent_id", placed_group=F("agent__placements__group_id"))
        .annotate(**_figure_annotations())
        .order_by()
    )
    for row in rows:
        figures = result.get((row["agent_id"], row["placed_group"]))
        if figures is not None:
            _set_counts(figures, row)
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
    """The visible agents placed in `unit` while employed during the period (one query).
    Listed in tree order of the group they were in (see _in_tree_order)."""
    return (
        visible_agents.in_unit_during(unit, start, end)
        .select_related("group__parent")
        .order_by("group__path", "code")
    )


def _in_tree_order(agents: list, stays: dict) -> list:
    """Agents by the path of their last group in the unit during the period, then code."""

    def key(agent):
        own = stays.get(agent.pk)
        return (own[-1].group.path if own else agent.group.path, agent.code)

    return sorted(agents, key=key)


def summary(visible_agents, unit: Unit, start: date, end: date, *, with_agents=True) -> Summary:
    """Figures of a unit for a period: per agent, per child unit and in total. Each day counts
    for the unit the agent belonged to on that day (AgentPlacement).

    A bounded number of queries whatever the number of agents: the agents, their placements,
    the child units, one calendar query per district and one grouped query over the records."""
    today = timezone.localdate()
    queryset = unit_agents(visible_agents, unit, start, end)
    stays = unit_stays(queryset, unit, start, end)
    agents = _in_tree_order(list(queryset), stays)
    per_stay = stay_figures(queryset, agents, unit, start, end, today=today, stays=stays)
    depth = len(unit.ancestor_ids)
    children: dict[int, Figures] = defaultdict(Figures)
    total = Figures()
    rows = []
    members: dict[int, set] = defaultdict(set)
    for agent in agents:
        figures = Figures()
        groups = {stay.group.pk: stay.group for stay in stays.get(agent.pk, ())}
        for group_id, group in groups.items():  # each (agent, group) once
            part = per_stay.get((agent.pk, group_id))
            if part is None:
                continue
            figures.add(part)
            ids = group.ancestor_ids
            if len(ids) > depth:
                children[ids[depth]].add(part)
                members[ids[depth]].add(agent.pk)
        figures.agents = 1
        total.add(figures)
        if with_agents:
            own = stays.get(agent.pk)
            rows.append(
                SummaryRow(unit=own[-1].group if own else agent.group, figures=figures, agent=agent)
            )
    for child_id, child in children.items():  # an agent in two groups of a child counts once
        child.agents = len(members[child_id])
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

# A fixed notation, the same in every language: the month page's legend explains it and the
# importer reads an exported grid back by these symbols. Not translated.
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
    stays = unit_stays(queryset, unit, first, last)
    agents = _in_tree_order(list(queryset), stays)
    through = min(last, today)
    required_days = [d for d in days if d <= through]
    per_agent = {agent.pk: Figures(agents=1) for agent in agents}
    for (agent_id, _group), part in stay_figures(
        queryset,
        agents,
        unit,
        first,
        last,
        today=today,
        days_by_district={unit.district_id: required_days},
        stays=stays,
    ).items():
        per_agent[agent_id].add(part)
        per_agent[agent_id].agents = 1
    cells = defaultdict(dict)
    records = AttendanceRecord.objects.filter(
        agent__in=queryset.values("pk"), date__range=(first, last)
    ).values_list("agent_id", "date", "status", "fraction", "reported")
    for agent_id, day, status, fraction, reported in records:
        cells[agent_id][day] = (status, _as_decimal(fraction), reported)

    columns = [GridColumn(day=d["date"], is_workday=d["is_workday"]) for d in calendar]
    by_day = {column.day: column for column in columns}
    day_rows = (
        _counted_records(queryset, first, through, {unit.district_id: required_days}, unit=unit)
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
        spans = [(stay.first, stay.last) for stay in stays.get(agent.pk, ())]
        row_cells = []
        append = row_cells.append
        for index, (day, is_workday) in enumerate(flags):
            if not is_workday:
                append(OFF)
            elif (
                day < first_day
                or day > last_day
                or not any(since <= day <= until for since, until in spans)
            ):
                append(OUT)  # not employed, or in another unit that day
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


# Regulation versions whose values apply: published (in force), superseded (in force until the
# next one took over). Drafts, submitted, approved-but-unpublished and returned ones never do.
IN_FORCE_VERSION_STATES = ("published", "superseded")


def _default_rules(district_id, day: date) -> AttendanceRules:
    return AttendanceRules(
        district_id=district_id,
        effective_from=day,
        on_time_until=DEFAULT_ON_TIME_UNTIL,
        late_until=DEFAULT_LATE_UNTIL,
    )


def _effective(rules: AttendanceRules) -> date:
    version = rules.source_version
    return (version.effective_date if version else None) or rules.effective_from


class RulesTimeline:
    """The rules of one district over time (one query): regulation rows from their version's
    effective date; the rows without a regulation only before the first regulation applies (or
    for a district that has none)."""

    def __init__(self, district, through: date):
        self.district_id = getattr(district, "pk", district)
        rows = list(
            AttendanceRules.objects.filter(district_id=self.district_id)
            .filter(
                Q(source_version__isnull=True)
                | Q(source_version__state__in=IN_FORCE_VERSION_STATES)
            )
            .select_related("source_version")
        )
        regulation = [r for r in rows if r.source_version_id and _effective(r) <= through]
        # On the same effective date the later publication wins.
        regulation.sort(
            key=lambda r: (
                _effective(r),
                r.source_version.published_at or r.source_version.created_at,
            )
        )
        builtin = sorted(
            (r for r in rows if not r.source_version_id and r.effective_from <= through),
            key=lambda r: r.effective_from,
        )
        self.regulation = regulation
        self.builtin = builtin

    @staticmethod
    def _latest(rows, day):
        found = None
        for rules in rows:
            if _effective(rules) <= day:
                found = rules
        return found

    def on(self, day: date) -> AttendanceRules:
        return (
            self._latest(self.regulation, day)
            or self._latest(self.builtin, day)
            or _default_rules(self.district_id, day)
        )

    def change_days(self, first: date, last: date) -> list[date]:
        return sorted(
            {first}
            | {
                _effective(r)
                for r in self.regulation + self.builtin
                if first < _effective(r) <= last
            }
        )


def rules_for(district, day: date) -> AttendanceRules:
    """The district's rules in force on `day`, else the built-in defaults (unsaved). `district`
    is a district unit or its id. See RulesTimeline for which rows apply."""
    return RulesTimeline(district, day).on(day)


@dataclass
class RulesSegment:
    start: date
    end: date
    rules: AttendanceRules

    def as_dict(self) -> dict:
        version = self.rules.source_version if self.rules.source_version_id else None
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "rules_id": self.rules.pk,
            "version_id": version.pk if version else None,
            "label": str(version) if version else (self.rules.note or ""),
            "late": str(self.rules.late_deduction),
            "unreported_leave": str(self.rules.unreported_leave_deduction),
            "absence": str(self.rules.absence_deduction),
            "free_reported_leave_days": str(self.rules.free_reported_leave_days),
            "reported_leave": str(self.rules.reported_leave_deduction),
        }


def rules_segments(district, first: date, last: date) -> list[RulesSegment]:
    """[first, last] cut at each effective date, with the rules of each part (one query)."""
    timeline = RulesTimeline(district, last)
    starts = timeline.change_days(first, last)
    segments: list[RulesSegment] = []
    for index, start in enumerate(starts):
        end = starts[index + 1] - timedelta(days=1) if index + 1 < len(starts) else last
        rules = timeline.on(start)
        if segments and segments[-1].rules.pk is not None and segments[-1].rules.pk == rules.pk:
            segments[-1].end = end
        else:
            segments.append(RulesSegment(start, end, rules))
    return segments


# -- monthly deductions ----------------------------------------------------------------------------

CENT = Decimal("0.01")


@dataclass
class DeductionCounts:
    late: int = 0
    leave_reported: Decimal = ZERO
    leave_unreported: Decimal = ZERO
    absent: Decimal = ZERO


@dataclass
class ComputedLine:
    agent_id: int
    department_id: int
    late: int = 0
    leave_reported: Decimal = ZERO
    leave_reported_charged: Decimal = ZERO
    leave_unreported: Decimal = ZERO
    absent: Decimal = ZERO
    amount: Decimal = ZERO
    rules: list = field(default_factory=list)


def deduction_amount(parts: list[tuple[DeductionCounts, AttendanceRules]]) -> ComputedLine:
    """The month's deduction from the counts per rules segment, in date order.

    Late, unreported leave and absence are priced by the rules of their own days. The free
    reported-leave allowance is per month and consumed in date order: a reported leave day is
    free while the month's reported leave days so far (this one included) stay within the free
    days of the rules in force on that day; beyond them it costs that day's rate."""
    line = ComputedLine(agent_id=0, department_id=0)
    used = ZERO
    amount = ZERO
    for counts, rules in parts:
        amount += counts.late * rules.late_deduction
        amount += counts.leave_unreported * rules.unreported_leave_deduction
        amount += counts.absent * rules.absence_deduction
        free = max(ZERO, min(counts.leave_reported, rules.free_reported_leave_days - used))
        charged = counts.leave_reported - free
        used += counts.leave_reported
        amount += charged * rules.reported_leave_deduction
        line.late += counts.late
        line.leave_reported += counts.leave_reported
        line.leave_reported_charged += charged
        line.leave_unreported += counts.leave_unreported
        line.absent += counts.absent
        if rules.pk is not None and rules.pk not in line.rules:
            line.rules.append(rules.pk)
    line.amount = amount.quantize(CENT, ROUND_HALF_UP)
    return line


def district_deductions(
    district: Unit, first: date, last: date, *, today: date | None = None
) -> tuple[list[RulesSegment], list[ComputedLine]]:
    """Every agent's deduction in the district for [first, last] (cut at today), for the agents
    with a late, leave or absent day that counts (as in the figures: workdays while employed and
    placed in the district).

    Queries: the rules (1), the calendar (1), the agents (1) and one grouped query of counts per
    agent and rules segment — the same for 10 agents or 20,000."""
    today = today or timezone.localdate()
    through = min(last, today)
    segments = rules_segments(district, first, last)
    if through < first:
        return segments, []
    queryset = Agent.objects.in_unit_during(district, first, through)
    # The line goes to the department of the agent's last group in the district that month.
    departments = {
        placement["agent_id"]: placement["group__parent_id"]
        for placement in AgentPlacement.objects.filter(agent__in=queryset.values("pk"))
        .in_unit(district)
        .overlapping(first, through)
        .order_by("agent_id", "valid_from")
        .values("agent_id", "group__parent_id")
    }
    days = {district.pk: workdays(district, first, through)}
    if len(segments) == 1:
        segment = Value(0)
    else:
        segment = Case(
            *[
                When(date__range=(part.start, part.end), then=Value(index))
                for index, part in enumerate(segments)
            ],
            default=Value(-1),
        )
    zero = Value(ZERO, output_field=DAYS)
    rows = (
        _counted_records(queryset, first, through, days, unit=district)
        .exclude(status=AttendanceStatus.PRESENT)
        .annotate(segment=segment)
        .values("agent_id", "segment")
        .annotate(
            late=Count("id", filter=Q(status=AttendanceStatus.LATE)),
            leave_reported=Coalesce(
                Sum("fraction", filter=Q(status=AttendanceStatus.LEAVE, reported=True)), zero
            ),
            leave_unreported=Coalesce(
                Sum("fraction", filter=Q(status=AttendanceStatus.LEAVE, reported=False)), zero
            ),
            absent=Coalesce(Sum("fraction", filter=Q(status=AttendanceStatus.ABSENT)), zero),
        )
        .order_by("agent_id", "segment")
    )
    per_agent: dict[int, list] = defaultdict(list)
    for row in rows:
        if row["segment"] < 0 or row["agent_id"] not in departments:
            continue
        counts = DeductionCounts(
            late=row["late"],
            leave_reported=_as_decimal(row["leave_reported"]),
            leave_unreported=_as_decimal(row["leave_unreported"]),
            absent=_as_decimal(row["absent"]),
        )
        per_agent[row["agent_id"]].append((counts, segments[row["segment"]].rules))
    lines = []
    for agent_id, parts in per_agent.items():
        line = deduction_amount(parts)
        line.agent_id, line.department_id = agent_id, departments[agent_id]
        lines.append(line)
    return segments, lines


def default_unit(user, units) -> Unit | None:
    """The unit a page opens on: the user's own group or department, else the first one."""
    from org.access import held_roles

    assigned = {unit_id for _role, unit_id in held_roles(user)}
    units = list(units)
    for unit in units:
        if unit.pk in assigned and unit.kind in {UnitKind.GROUP, UnitKind.DEPARTMENT}:
            return unit
    return units[0] if units else None
