"""Reads for work logs: the agent's week, the group's day at 二早 (one grouped query each)."""

from datetime import date, timedelta

from django.db.models import Sum

from activity.models import LogState, Scorecard, WorkLog
from org.models import Agent


def week_bounds(day: date) -> tuple[date, date]:
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=6)


def counted_logs(logs=None):
    """The logs that count toward figures and scorecard points: the one definition, used by the
    agent's week here and by activity.selectors.figures. Drafts do not count (spec §4: filled once
    submitted)."""
    logs = WorkLog.objects.all() if logs is None else logs
    return logs.exclude(state=LogState.DRAFT)


def week_points(agent, day: date) -> dict:
    """The agent's points in the week (Monday to Sunday) of `day`, against the weekly target."""
    start, end = week_bounds(day)
    points = (
        counted_logs()
        .filter(agent=agent, date__range=(start, end))
        .aggregate(total=Sum("points"))["total"]
        or 0
    )
    target = Scorecard.for_district(agent.group.district_id).weekly_target
    return {
        "start": start,
        "end": end,
        "points": points,
        "target": target,
        "percent": min(100, round(points * 100 / target)) if target else 100,
        "reached": points >= target,
    }


def group_day(group, day: date) -> list[dict]:
    """The agents active in `group` on `day` (where they were placed that day), each with their
    log of that day (or None)."""
    agents = list(Agent.objects.in_unit_on(group, day).order_by("code"))
    logs = {
        log.agent_id: log
        for log in WorkLog.objects.filter(agent__in=[a.pk for a in agents], date=day)
    }
    return [{"agent": agent, "log": logs.get(agent.pk)} for agent in agents]
