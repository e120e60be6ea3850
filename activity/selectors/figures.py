"""The §4 figures of activity, computed by the database for any unit and period.

- log fill rate 日志填写率 = logs filled / (active agents × workdays)
- visits per agent per day 人均日拜访量 = visits / (active agents × workdays)
- activity rate 活动率 = share of active agents with ≥1 visit in the period
- scorecard attainment 百分卡达标率 = share of active agent-weeks whose points ≥ the target
  (each Monday–Sunday week that overlaps the period counts with its whole points)
An agent is active on a day when hired on or before it and not resigned before it
(org.models.active_q); a day, a log and a week count for the unit the agent was placed in on
that day (AgentPlacement), so a transfer does not move past figures. A log counts as filled once
submitted (drafts do not count); only logs of workdays count.

Each figure is one grouped query joining the logs to the placement valid on their date; Python
walks the agents' placements in the period (one row each, binary search over the workdays),
never logs one by one.
"""

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When

from activity.models import Scorecard, WorkLog
from activity.selectors.logs import counted_logs
from org.models import Agent, AgentPlacement, active_q, placed_q
from workcalendar.selectors import workdays

VISITS = (
    F("first_visits")
    + F("follow_up_visits")
    + F("closing_visits")
    + F("service_visits")
    + F("recruiting_talks")
)


@dataclass
class Figures:
    agent_days: int = 0
    active_agents: int = 0
    logs: int = 0
    visits: int = 0
    visiting_agents: int = 0
    agent_weeks: int = 0
    weeks_on_target: int = 0

    def add(self, other: "Figures") -> "Figures":
        """Figures of disjoint sets of agents (e.g. the groups of a unit) add up."""
        for name in (
            "agent_days",
            "active_agents",
            "logs",
            "visits",
            "visiting_agents",
            "agent_weeks",
            "weeks_on_target",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    @property
    def fill_rate(self):
        return self.logs / self.agent_days if self.agent_days else None

    @property
    def visits_per_agent_day(self):
        return self.visits / self.agent_days if self.agent_days else None

    @property
    def activity_rate(self):
        return self.visiting_agents / self.active_agents if self.active_agents else None

    @property
    def attainment(self):
        return self.weeks_on_target / self.agent_weeks if self.agent_weeks else None


def _weeks(start: date, end: date) -> list[tuple[date, date]]:
    monday = start - timedelta(days=start.weekday())
    weeks = []
    while monday <= end:
        weeks.append((monday, monday + timedelta(days=6)))
        monday += timedelta(days=7)
    return weeks


def _week_number(weeks):
    """The index of the Monday–Sunday week of a log's date, as one CASE in SQL (a native
    comparison: much faster than a date-truncating function on SQLite, where it runs in Python
    for each row)."""
    return Case(
        *[
            When(date__range=(monday, sunday), then=Value(index))
            for index, (monday, sunday) in enumerate(weeks)
        ],
        output_field=IntegerField(),
    )


def _count_between(days: list[date], first: date, last: date) -> int:
    if last < first:
        return 0
    return bisect_right(days, last) - bisect_left(days, first)


def _stays(agents, unit, start: date, end: date):
    """(agent, placement group, first, last): the days of [start, end] each agent was employed
    and placed in `unit` (one query over the placements)."""
    rows = (
        AgentPlacement.objects.filter(
            active_q(start, end, prefix="agent__"), agent__in=agents.values("pk")
        )
        .in_unit(unit)
        .overlapping(start, end)
        .values_list("agent_id", "group_id", "valid_from", "valid_to", "agent__hire_date",
                     "agent__resigned_on")
        .order_by()
    )  # fmt: skip
    for agent_id, group_id, valid_from, valid_to, hired, resigned in rows:
        last = min(end, valid_to - timedelta(days=1)) if valid_to else end
        if resigned:
            last = min(last, resigned)
        yield agent_id, group_id, max(start, valid_from, hired), last


def _log_key(by):
    """How a log is keyed: by the group the agent was placed in on the log's day."""
    if by == "group_id":
        return {"key": F("agent__placements__group_id")}
    if by == "pk":
        return {"key": F("agent_id")}
    return {}


def figures(unit, start: date, end: date, *, by: str | None = None, agents=None) -> dict:
    """Figures for the agents of `unit` (or those of `agents` placed in it) from `start` to
    `end`, keyed by `by` ("group_id", "pk" for per agent, or None for the unit as a whole).
    A day, a log and a week count for the unit (and group) the agent was placed in that day."""
    agents = Agent.objects.all() if agents is None else agents
    days = workdays(unit, start, end)
    dayset = set(days)
    weeks = _weeks(start, end)
    week_days = [[d for d in days if ws <= d <= we] for ws, we in weeks]
    result: dict = defaultdict(Figures)

    # Per (key, agent): active days add up (placements never overlap); an agent and an
    # agent-week count once per key however many placements they had in it.
    seen: dict = {}
    for agent_id, group_id, first, last in _stays(agents, unit, start, end):
        key = {"group_id": group_id, "pk": agent_id}.get(by) if by else None
        active_days = _count_between(days, first, last)
        if not active_days:
            continue
        item = result[key]
        item.agent_days += active_days
        own_weeks = {
            index for index, wd in enumerate(week_days) if wd and _count_between(wd, first, last)
        }
        before = seen.get((key, agent_id))
        if before is None:
            item.active_agents += 1
            item.agent_weeks += len(own_weeks)
            seen[(key, agent_id)] = own_weeks
        else:
            item.agent_weeks += len(own_weeks - before)
            before |= own_weeks

    key = _log_key(by)
    logs = counted_logs(
        WorkLog.objects.filter(
            placed_q(unit, F("date")), agent__in=agents.values("pk"), date__range=(start, end)
        )
    )
    for row in logs.values("date", **key).annotate(n=Count("pk"), v=Sum(VISITS)).order_by():
        if row["date"] in dayset:
            item = result[row.get("key")]
            item.logs += row["n"]
            item.visits += row["v"] or 0
    visiting = logs.filter(
        Q(first_visits__gt=0)
        | Q(follow_up_visits__gt=0)
        | Q(closing_visits__gt=0)
        | Q(service_visits__gt=0)
        | Q(recruiting_talks__gt=0)
    )
    if by:
        rows = visiting.values(**key).annotate(n=Count("agent_id", distinct=True)).order_by()
    else:
        rows = [visiting.aggregate(n=Count("agent_id", distinct=True))]
    for row in rows:
        result[row.get("key")].visiting_agents += row["n"]
    target = Scorecard.for_district(unit.district_id or unit.pk).weekly_target
    on_target = (
        counted_logs(
            WorkLog.objects.filter(
                placed_q(unit, F("date")),
                agent__in=agents.values("pk"),
                date__range=(weeks[0][0], weeks[-1][1]),
            )
        )
        .values("agent_id", week=_week_number(weeks), **key)
        .annotate(p=Sum("points"))
        .filter(p__gte=target)
        .order_by()
    )
    for row in on_target:
        result[row.get("key")].weeks_on_target += 1
    return dict(result)


def unit_figures(unit, start, end) -> Figures:
    return figures(unit, start, end).get(None, Figures())


def daily_series(unit, start: date, end: date) -> list[dict]:
    """Fill rate and visits per agent for each workday (two grouped queries and the
    placements); each day counts the agents placed in the unit that day."""
    days = workdays(unit, start, end)
    active = [0] * (len(days) + 1)
    for _agent, _group, first, last in _stays(Agent.objects.all(), unit, start, end):
        low, high = bisect_left(days, first), bisect_right(days, last)
        if low < high:
            active[low] += 1
            active[high] -= 1
    per_day = {
        row["date"]: row
        for row in counted_logs(
            WorkLog.objects.filter(placed_q(unit, F("date")), date__range=(start, end))
        )
        .values("date")
        .annotate(n=Count("pk"), v=Sum(VISITS))
        .order_by()
    }
    series = []
    running = 0
    for index, day in enumerate(days):
        running += active[index]
        row = per_day.get(day, {"n": 0, "v": 0})
        series.append(
            {
                "date": day.isoformat(),
                "fill_rate": round(row["n"] / running, 4) if running else None,
                "visits_per_agent": round((row["v"] or 0) / running, 2) if running else None,
            }
        )
    return series
