"""附件6 业务员工作日志检查表: the work log check table of a group or a department for a week
or a month (spec §4.3), one row per agent active in the unit in the period, and a totals row.

Columns, all from the existing definitions (activity.selectors.figures, .logs):
- 营业组 group: the group the agent was placed in (AgentPlacement) on the last day of the period
  they spent in the unit; 姓名 name (and code);
- 准主顾数 prospects: new prospects of the filled logs;
- 拜访量 visits: visits of the filled logs (figures: first + follow-up + closing + service +
  recruiting talks);
- 计划100: the scorecard points of the filled logs in the period against the district's weekly
  target (Scorecard.weekly_target). For a week: `points` and `reached` (points ≥ target). For a
  month: `weeks_on_target` of `weeks` (each Monday–Sunday week overlapping the month, counted
  with its whole points, as the scorecard attainment figure does) and the month's `points`;
- 早会记录: `with_notes` (filled logs with morning meeting notes) of `logs` (filled logs);
- 主管审批: `approved` of `logs`, and `last_approved_at` (the latest approval of those logs).

"Active" and "filled" are the figures' rules: an agent is active on a day when hired on or before
it and not resigned before it (org.models.active_q) and placed in the unit that day; a row is an
agent with at least one such workday (`workdays`). A log is filled once submitted (drafts do not
count, activity.selectors.logs.counted_logs) and counts for the unit the agent was placed in on
its day. The log columns (logs, prospects, visits, notes, approvals) count the logs of workdays,
as the fill rate does; the points count every day of the week, as the scorecard does (the agent's
own week page, activity.selectors.logs.week_points, gives the same number for a week).
The period ends today at the latest (`through`).

The checker's comments and the signature lines (supervisor, department manager) are not stored:
the printed form leaves them to be filled in by hand.

A bounded number of queries whatever the number of agents: those of `figures` plus two.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, F, Max, Q, Sum
from django.utils import timezone

from activity.models import LogState, Scorecard, WorkLog
from activity.selectors.figures import figures
from activity.selectors.logs import counted_logs, week_bounds
from core.params import date_param, month_param
from org.models import Agent, AgentPlacement, active_q, placed_q
from workcalendar.selectors import workdays

WEEK = "week"
MONTH = "month"
PERIODS = (WEEK, MONTH)


@dataclass
class LogCheckRow:
    """One agent's row (or, with agent_id None, the totals row)."""

    agent_id: int | None = None
    code: str = ""
    name: str = ""
    group_id: int | None = None
    group: str = ""
    workdays: int = 0  # the agent's active workdays in the unit in the period
    logs: int = 0  # filled logs of those workdays
    prospects: int = 0
    visits: int = 0
    points: int = 0
    weeks: int = 0  # Monday–Sunday weeks with an active workday (the totals: agent-weeks)
    weeks_on_target: int = 0
    with_notes: int = 0
    approved: int = 0
    last_approved_at: datetime | None = None

    @property
    def reached(self) -> bool:
        """Every week of the row on target (for a week: its points ≥ the target)."""
        return self.weeks > 0 and self.weeks_on_target >= self.weeks

    def add(self, other: "LogCheckRow") -> "LogCheckRow":
        for name in (
            "workdays", "logs", "prospects", "visits", "points", "weeks", "weeks_on_target",
            "with_notes", "approved",
        ):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        if other.last_approved_at and (
            self.last_approved_at is None or other.last_approved_at > self.last_approved_at
        ):
            self.last_approved_at = other.last_approved_at
        return self


@dataclass
class LogCheck:
    unit: object  # org.models.Unit: a group or a department
    period: str  # WEEK or MONTH
    start: date
    end: date
    through: date  # the last day counted: end, or today when the period is not over
    target: int  # the district's weekly target (计划100)
    rows: list[LogCheckRow] = field(default_factory=list)
    total: LogCheckRow = field(default_factory=LogCheckRow)


def period_bounds(period: str, day: date) -> tuple[date, date]:
    """The week (Monday–Sunday) or the calendar month of `day`."""
    if period == MONTH:
        last = calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=1), day.replace(day=last)
    return week_bounds(day)


def default_day(period: str, today: date | None = None) -> date:
    """The period checked by default: the last complete week, or the current month."""
    today = today or timezone.localdate()
    return today if period == MONTH else today - timedelta(days=7)


def period_from_params(params, today: date | None = None) -> tuple[str, date]:
    """The period asked for in a query string: `month=YYYY-MM` for a month, else
    `week=YYYY-MM-DD` (any day of the week); by default the last complete week. A bad value
    raises core.params.BadParameter (400 naming it)."""
    month = month_param(params, "month")
    if month is not None:
        return MONTH, month
    return WEEK, date_param(params, "week", default=default_day(WEEK, today))


def _names(unit, agents, start: date, end: date) -> dict[int, tuple]:
    """(code, name, group id, group name, group path) per agent: their last placement in the
    unit in the period (one query)."""
    rows = (
        AgentPlacement.objects.filter(
            active_q(start, end, prefix="agent__"), agent__in=agents.values("pk")
        )
        .in_unit(unit)
        .overlapping(start, end)
        .order_by("agent_id", "valid_from")
        .values_list(
            "agent_id", "agent__code", "agent__name", "group_id", "group__name", "group__path"
        )
    )
    return {agent_id: rest for agent_id, *rest in rows}


def _log_columns(unit, agents, start: date, end: date, days: list[date]) -> dict[int, dict]:
    """Prospects, notes, approvals (logs of workdays) and points (every day), per agent: one
    grouped query."""
    on_workday = Q(date__in=days)
    rows = (
        counted_logs(
            WorkLog.objects.filter(
                placed_q(unit, F("date")), agent__in=agents.values("pk"), date__range=(start, end)
            )
        )
        .values("agent_id")
        .annotate(
            points=Sum("points"),
            prospects=Sum("new_prospects", filter=on_workday),
            with_notes=Count("pk", filter=on_workday & ~Q(meeting_notes="")),
            approved=Count("pk", filter=on_workday & Q(state=LogState.APPROVED)),
            last_approved_at=Max("reviewed_at", filter=on_workday & Q(state=LogState.APPROVED)),
        )
        .order_by()
    )
    return {row.pop("agent_id"): row for row in rows}


def log_check(unit, period: str, day: date, *, agents=None, today: date | None = None) -> LogCheck:
    """附件6 for `unit` (a group or a department) and the week or month (`period`) of `day`,
    over the agents of `agents` (the user's visible agents; all by default)."""
    agents = Agent.objects.all() if agents is None else agents
    start, end = period_bounds(period, day)
    through = min(end, today or timezone.localdate())
    target = Scorecard.for_district(unit.district_id or unit.pk).weekly_target
    check = LogCheck(unit=unit, period=period, start=start, end=end, through=through, target=target)
    if through < start:
        return check
    per_agent = {
        pk: item
        for pk, item in figures(unit, start, through, by="pk", agents=agents).items()
        if item.active_agents
    }
    if not per_agent:
        return check
    names = _names(unit, agents, start, through)
    columns = _log_columns(unit, agents, start, through, workdays(unit, start, through))
    order = {}
    for pk, item in per_agent.items():
        code, name, group_id, group, path = names.get(pk, ("", "", None, "", ""))
        order[pk] = (path, code)
        extra = columns.get(pk, {})
        check.rows.append(
            LogCheckRow(
                agent_id=pk,
                code=code,
                name=name,
                group_id=group_id,
                group=group,
                workdays=item.agent_days,
                logs=item.logs,
                prospects=extra.get("prospects") or 0,
                visits=item.visits,
                points=extra.get("points") or 0,
                weeks=item.agent_weeks,
                weeks_on_target=item.weeks_on_target,
                with_notes=extra.get("with_notes", 0),
                approved=extra.get("approved", 0),
                last_approved_at=extra.get("last_approved_at"),
            )
        )
    check.rows.sort(key=lambda row: order[row.agent_id])
    for row in check.rows:
        check.total.add(row)
    return check
