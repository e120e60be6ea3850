"""附件5 活动量管理检查记录表: the weekly activity check of a department (spec §4.5).

The figures are computed from the data, by the same definitions as everywhere else:
- attendance rate: `attendance.selectors.summary` (no records at all → "no attendance data",
  never a number);
- agents who did not fill their log: for each agent active on a workday of the week (up to
  today), the workdays without a filled (non-draft) log, named with the days;
- prospect cards 30/60/100 and recruitment cards: `activity.selectors.cards.card_counts` for the
  department's agents at the end of the period, plus the recruitment cards added and contacted
  in the week;
- accompanied visits, fill rate, visits per agent per day, activity rate, scorecard attainment:
  `activity.selectors.figures.figures` for the department and per group.

While the record is a draft, the figures are computed when the page is shown; when the department
submits, they are frozen into `WeeklyCheck.snapshot` so the record the district checks and
comments on does not move when late logs arrive. The page says which of the two it shows.
Filling, submitting and checking: activity.services.weekly_checks.

A bounded number of queries whatever the number of agents or days.
"""

from datetime import date, timedelta

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from activity.models import LogState, RecruitCard, WeeklyCheck, WorkLog
from activity.selectors.cards import card_counts
from activity.selectors.figures import Figures, figures
from attendance.selectors.figures import summary as attendance_summary
from org.access import Cap, covers_path, holds
from org.models import Agent, AgentPlacement, Unit, UnitKind, active_q, placed_q
from workcalendar.selectors import workdays

STATUS_FIELDS = [
    "morning_meeting",
    "second_meeting",
    "work_element_table",
    "evening_meeting",
    "measures",
]


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def default_week() -> date:
    """The week a department checks by default: the last complete one."""
    return monday(timezone.localdate()) - timedelta(days=7)


# -- access ----------------------------------------------------------------------------------------


# "/branch/district/department/": a path with at most this many slashes is a department or above.
DEPARTMENT_PATH_SLASHES = 4


def district_path(department) -> str:
    parts = department.path.strip("/").split("/")
    return "/" + "/".join(parts[:-1]) + "/"


def can_view(user, department) -> bool:
    return holds(user, Cap.VIEW_ORG, department)


def can_fill(user, department) -> bool:
    """The department (its manager and assistant) fills and submits; district staff may too."""
    return holds(user, Cap.RECORD_WORK_LOGS, department)


def can_check(user, department) -> bool:
    """The district (manager, administrator) over the department's district checks it."""
    return covers_path(user, Cap.RECORD_WORK_LOGS, district_path(department))


# -- figures ---------------------------------------------------------------------------------------


def _rate(value):
    return round(value, 4) if value is not None else None


def _figure_dict(item: Figures) -> dict:
    return {
        "active_agents": item.active_agents,
        "agent_days": item.agent_days,
        "logs": item.logs,
        "visits": item.visits,
        "fill_rate": _rate(item.fill_rate),
        "visits_per_agent_day": _rate(item.visits_per_agent_day),
        "activity_rate": _rate(item.activity_rate),
        "attainment": _rate(item.attainment),
    }


def weekly_figures(department, week_start: date, *, today: date | None = None) -> dict:
    """The computed part of the record, as plain JSON-ready data (the same shape is frozen)."""
    today = today or timezone.localdate()
    start, end = week_start, week_start + timedelta(days=6)
    through = min(end, today)
    days = workdays(department, start, through) if through >= start else []

    attendance = attendance_summary(
        Agent.objects.all(), department, start, through, with_agents=False
    ).total
    has_attendance = attendance.marked > 0

    # Who was in the department on which day of the week (placements), employed then.
    stays = (
        AgentPlacement.objects.filter(
            active_q(start, through, prefix="agent__"), valid_from__lte=through
        )
        .in_unit(department)
        .overlapping(start, through)
        .order_by("group__path", "agent__code", "valid_from")
        .values_list(
            "agent_id", "agent__code", "agent__name", "group__name", "valid_from", "valid_to",
            "agent__hire_date", "agent__resigned_on",
        )
    )  # fmt: skip
    logs = WorkLog.objects.filter(
        placed_q(department, F("date")), date__range=(start, through)
    ).exclude(state=LogState.DRAFT)
    filled = set(logs.filter(date__in=days).values_list("agent_id", "date"))
    missing = []
    for pk, code, name, group, valid_from, valid_to, hired, resigned in stays:
        first = max(valid_from, hired)
        last = min(valid_to - timedelta(days=1) if valid_to else through, resigned or through)
        missed = [d for d in days if first <= d <= last and (pk, d) not in filled]
        if missed:
            missing.append(
                {
                    "agent": pk,
                    "code": code,
                    "name": name,
                    "group": group,
                    "days": [d.isoformat() for d in missed],
                }
            )

    per_group = figures(department, start, through, by="group_id") if days else {}
    total = Figures()
    for item in per_group.values():  # each agent is in one group: the groups add up
        total.add(item)
    groups = {
        unit.pk: unit.name
        for unit in Unit.objects.filter(pk__in=list(per_group), kind=UnitKind.GROUP)
    }
    accompanied = logs.aggregate(n=Sum("accompanied_visits"))["n"] or 0

    holders = Agent.objects.in_unit_on(department, through)
    cards = card_counts(holders)
    recruit_stages = {}
    for per_agent in cards["kinds"]["recruits"]["counts"].values():
        for stage, n in per_agent.items():
            recruit_stages[stage] = recruit_stages.get(stage, 0) + n
    recruit_week = RecruitCard.objects.filter(agent__in=holders).aggregate(
        added=Count("pk", filter=Q(created_at__date__range=(start, end))),
        contacted=Count("pk", filter=Q(last_contact_on__range=(start, end))),
    )
    return {
        "week_start": start.isoformat(),
        "week_end": end.isoformat(),
        "through": through.isoformat(),
        "workdays": [d.isoformat() for d in days],
        "computed_at": timezone.now().isoformat(timespec="seconds"),
        "attendance": {
            "has_data": has_attendance,
            "rate": str(attendance.rate)
            if has_attendance and attendance.rate is not None
            else None,
            "required": attendance.required,
            "attended": str(attendance.attended),
        },
        "missing": missing,
        "figures": _figure_dict(total),
        "groups": [
            {"group": pk, "name": groups[pk], **_figure_dict(item)}
            for pk, item in sorted(per_group.items(), key=lambda pair: groups.get(pair[0], ""))
            if pk in groups
        ],
        "accompanied_visits": accompanied,
        "prospect_thresholds": {str(t): n for t, n in cards["thresholds"]},
        "recruit_cards": {
            "by_stage": recruit_stages,
            "total": sum(recruit_stages.values()),
            "added_in_week": recruit_week["added"],
            "contacted_in_week": recruit_week["contacted"],
        },
    }


def figures_of(check: WeeklyCheck) -> tuple[dict, bool]:
    """The record's figures and whether they are frozen (submitted) or live (a draft)."""
    if check.snapshot is not None:
        return check.snapshot, True
    return weekly_figures(check.department, check.week_start), False


def weekly_check_for(department, week_start: date) -> WeeklyCheck:
    """The saved record, or an unsaved draft for the week."""
    return WeeklyCheck.objects.filter(department=department, week_start=week_start).first() or (
        WeeklyCheck(department=department, week_start=week_start)
    )


def weekly_overview(user, week_start: date, *, district=None) -> list[dict]:
    """The departments the user sees with their record's state for the week (two queries)."""
    departments = Unit.objects.visible_to(user).open().filter(kind=UnitKind.DEPARTMENT)
    if district is not None:
        departments = departments.filter(path__startswith=district.path)
    departments = list(departments.select_related("parent").order_by("path"))
    checks = {
        check.department_id: check
        for check in WeeklyCheck.objects.filter(
            department__in=[d.pk for d in departments], week_start=week_start
        ).select_related("checked_by")
    }
    return [{"department": d, "check": checks.get(d.pk)} for d in departments]
