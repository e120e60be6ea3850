"""The §4 figures of activity, computed by the database for any unit and period.

- log fill rate 日志填写率 = logs filled / (active agents × workdays)
- visits per agent per day 人均日拜访量 = visits / (active agents × workdays)
- activity rate 活动率 = share of active agents with ≥1 visit in the period
- scorecard attainment 百分卡达标率 = share of active agent-weeks whose points ≥ the target
  (each Monday–Sunday week that overlaps the period counts with its whole points)
An agent is active on a day when hired on or before it and not resigned before it. A log counts
as filled once submitted (drafts do not count); only logs of workdays count.

Each figure is one grouped query; Python only walks distinct (hire date, resignation date)
pairs against the workdays, never agents or logs one by one.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When

from activity.models import Scorecard, WorkLog
from activity.selectors import counted_logs
from org.models import Agent
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


def _active(hire, resigned, day) -> bool:
    return hire <= day and (resigned is None or resigned >= day)


def figures(unit, start: date, end: date, *, by: str | None = None, agents=None) -> dict:
    """Figures for the agents of `unit` (or `agents`) from `start` to `end`, keyed by `by`
    ("group_id", "pk" for per agent, or None for the unit as a whole)."""
    agents = Agent.objects.in_unit(unit) if agents is None else agents
    days = workdays(unit, start, end)
    dayset = set(days)
    weeks = _weeks(start, end)
    week_days = [[d for d in days if ws <= d <= we] for ws, we in weeks]
    result: dict = defaultdict(Figures)

    def agent_key(row, prefix=""):
        return row[prefix + by] if by else None

    pairs = (
        agents.filter(hire_date__lte=end)
        .filter(Q(resigned_on__isnull=True) | Q(resigned_on__gte=start))
        .values(*([by] if by else []), "hire_date", "resigned_on")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in pairs:
        k = agent_key(row)
        hire, resigned, n = row["hire_date"], row["resigned_on"], row["n"]
        active_days = sum(1 for d in days if _active(hire, resigned, d))
        item = result[k]
        item.agent_days += n * active_days
        if active_days:
            item.active_agents += n
        item.agent_weeks += n * sum(
            1 for wd in week_days if any(_active(hire, resigned, d) for d in wd)
        )

    log_key = [f"agent__{by}"] if by else []
    logs = counted_logs(WorkLog.objects.filter(agent__in=agents, date__range=(start, end)))
    for row in logs.values(*log_key, "date").annotate(n=Count("pk"), v=Sum(VISITS)).order_by():
        if row["date"] in dayset:
            item = result[agent_key(row, "agent__")]
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
        rows = visiting.values(*log_key).annotate(n=Count("agent_id", distinct=True)).order_by()
    else:
        rows = [visiting.aggregate(n=Count("agent_id", distinct=True))]
    for row in rows:
        result[agent_key(row, "agent__")].visiting_agents += row["n"]
    target = Scorecard.for_district(unit.district_id or unit.pk).weekly_target
    on_target = (
        counted_logs(
            WorkLog.objects.filter(agent__in=agents, date__range=(weeks[0][0], weeks[-1][1]))
        )
        .values(*log_key, "agent_id", week=_week_number(weeks))
        .annotate(p=Sum("points"))
        .filter(p__gte=target)
        .order_by()
    )
    for row in on_target:
        result[agent_key(row, "agent__")].weeks_on_target += 1
    return dict(result)


def unit_figures(unit, start, end) -> Figures:
    return figures(unit, start, end).get(None, Figures())


def daily_series(unit, start: date, end: date) -> list[dict]:
    """Fill rate and visits per agent for each workday (two grouped queries in all)."""
    agents = Agent.objects.in_unit(unit)
    days = workdays(unit, start, end)
    pairs = list(
        agents.filter(hire_date__lte=end)
        .filter(Q(resigned_on__isnull=True) | Q(resigned_on__gte=start))
        .values("hire_date", "resigned_on")
        .annotate(n=Count("pk"))
        .order_by()
    )
    per_day = {
        row["date"]: row
        for row in counted_logs(WorkLog.objects.filter(agent__in=agents, date__range=(start, end)))
        .values("date")
        .annotate(n=Count("pk"), v=Sum(VISITS))
        .order_by()
    }
    series = []
    for day in days:
        active = sum(p["n"] for p in pairs if _active(p["hire_date"], p["resigned_on"], day))
        row = per_day.get(day, {"n": 0, "v": 0})
        series.append(
            {
                "date": day.isoformat(),
                "fill_rate": round(row["n"] / active, 4) if active else None,
                "visits_per_agent": round((row["v"] or 0) / active, 2) if active else None,
            }
        )
    return series
