"""待办: the supervisor's group logs waiting for approval at 二早."""

from django.db.models import Count, Max
from django.urls import reverse
from django.utils.translation import gettext as _

from activity.models import LogState, WorkLog
from core.todo import Task, register
from org.access import Cap, holds_any, scope_q

MAX_TASKS = 50


@register("activity")
def logs_to_approve(user):
    if not holds_any(user, Cap.REVIEW_WORK_LOGS):
        return []
    condition = scope_q(user, Cap.REVIEW_WORK_LOGS, via="agent__group")
    rows = (
        WorkLog.objects.filter(condition, state=LogState.SUBMITTED)
        .values("agent__group_id", "agent__group__name", "date")
        .annotate(count=Count("pk"), since=Max("updated_at"))
        .order_by("-date")[:MAX_TASKS]
    )
    return [
        Task(
            module=_("Activity"),
            title=_("Work logs of %(group)s, %(day)s: %(count)d waiting")
            % {
                "group": row["agent__group__name"],
                "day": row["date"].isoformat(),
                "count": row["count"],
            },
            url=reverse("activity:review")
            + f"?group={row['agent__group_id']}&date={row['date'].isoformat()}",
            since=row["since"],
            what=_("Waiting for my approval"),
        )
        for row in rows
    ]


@register("activity_weekly_checks")
def weekly_checks_to_comment(user):
    """The district: weekly activity checks submitted by its departments, waiting for a comment."""
    from activity.models import CheckState, WeeklyCheck

    # Only holders over a district (or above) check; a department's own staff do not.
    if not holds_any(user, Cap.RECORD_WORK_LOGS):
        return []
    condition = scope_q(user, Cap.RECORD_WORK_LOGS, via="department__parent")
    rows = (
        WeeklyCheck.objects.filter(condition, state=CheckState.SUBMITTED)
        .select_related("department")
        .order_by("-week_start", "department__path")[:MAX_TASKS]
    )
    return [
        Task(
            module=_("Activity"),
            title=_("Weekly activity check of %(department)s, week of %(week)s")
            % {"department": row.department.name, "week": row.week_start.isoformat()},
            url=row.get_absolute_url(),
            since=row.submitted_at,
            what=_("Waiting for my comment"),
        )
        for row in rows
    ]
