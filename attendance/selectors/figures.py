"""Attendance figures (spec §5) per agent and unit, and the summary per unit.

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

from django.db.models import Case, Count, DecimalField, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from attendance.models import (
    ATTENDED_STATUSES,
    FULL_DAY,
    AttendanceRecord,
    AttendanceStatus,
)
from org.models import Agent, AgentPlacement, Unit, UnitKind, active_q, placed_q
from workcalendar.selectors import workdays

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


def default_unit(user, units) -> Unit | None:
    """The unit a page opens on: the user's own group or department, else the first one."""
    from org.access import held_roles

    assigned = {unit_id for _role, unit_id in held_roles(user)}
    units = list(units)
    for unit in units:
        if unit.pk in assigned and unit.kind in {UnitKind.GROUP, UnitKind.DEPARTMENT}:
            return unit
    return units[0] if units else None
