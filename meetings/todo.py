"""待办 providers for morning meetings (see core.todo): district calendars distributed to my
departments and not yet acknowledged; my planned inspection visits whose day has come; the open
inspection issues of my own department or group. (Calendars due for submission come as
reminders, see meetings/reminders.py, and on the district's submission board.)"""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.todo import Task, register
from meetings.models import Calendar, CalendarState, Issue, MeetingLevel, Visit, VisitState
from meetings.selectors import calendars as selectors
from org.access import Cap, held_unit_paths, holds

LIMIT = 100
# "/branch/district/department/" has four slashes: department and group paths have at least that.
DEPARTMENT_DEPTH = 4


@register("meetings")
def meeting_tasks(user) -> list[Task]:
    return _acknowledgements(user) + _visits_to_fill(user) + _issues_to_resolve(user)


def _visits_to_fill(user) -> list[Task]:
    """The inspector's planned visits up to today: the acceptance form is waiting (one query,
    only for people who inspect)."""
    if not holds(user, Cap.INSPECT_MEETINGS):
        return []
    visits = (
        Visit.objects.filter(
            inspector=user, state=VisitState.PLANNED, date__lte=timezone.localdate()
        )
        .select_related("unit")
        .order_by("date", "pk")[:LIMIT]
    )
    return [
        Task(
            module=_("Morning meetings"),
            title=_("Acceptance form: %(unit)s, %(date)s")
            % {"unit": visit.unit.name, "date": visit.date.isoformat()},
            url=reverse("meetings:inspection_fill", args=[visit.pk]),
            since=visit.created_at,
            what=_("To fill"),
        )
        for visit in visits
    ]


def _issues_to_resolve(user) -> list[Task]:
    """Open issues found in the user's own department or group (one query, only for people
    who run a department's or group's meetings; the district follows issues on its own page)."""
    own_paths = [
        path
        for path in held_unit_paths(user, Cap.PLAN_MEETINGS).values()
        if path.count("/") >= DEPARTMENT_DEPTH
    ]
    if not own_paths:
        return []
    condition = Q()
    for path in own_paths:
        condition |= Q(unit__path__startswith=path)
    issues = (
        Issue.objects.filter(condition, resolved_at__isnull=True)
        .select_related("unit")
        .order_by("raised_at", "pk")[:LIMIT]
    )
    return [
        Task(
            module=_("Morning meetings"),
            title=_("Inspection issue of %(unit)s: %(issue)s")
            % {"unit": issue.unit.name, "issue": issue.description[:40]},
            url=reverse("meetings:inspection_issues") + f"?department={_department_id(issue.unit)}",
            since=issue.raised_at,
            what=_("To resolve"),
        )
        for issue in issues
    ]


def _acknowledgements(user) -> list[Task]:
    """One query when nothing is waiting, three otherwise (the scope is cached on the user)."""
    departments = held_unit_paths(user, Cap.ACKNOWLEDGE_CALENDARS)
    if not departments:
        return []
    # branch → district → department: a department's district path is its first two levels.
    district_paths = {
        "/" + "/".join(path.strip("/").split("/")[:2]) + "/" for path in departments.values()
    }
    month = selectors.month_start(timezone.localdate())
    calendars = list(
        Calendar.objects.filter(
            level=MeetingLevel.DISTRICT,
            state=CalendarState.DISTRIBUTED,
            unit__path__in=district_paths,
            month__gte=month,
        )
        .prefetch_related("acknowledgements")
        .order_by("month")[:LIMIT]
    )
    if not calendars:
        return []
    from org.models import Unit

    units = list(
        Unit.objects.filter(pk__in=departments, closed_on__isnull=True).only(
            "pk", "name", "district_id"
        )
    )
    tasks = []
    for calendar in calendars:
        done = {ack.unit_id for ack in calendar.acknowledgements.all()}
        for unit in units:
            if unit.district_id == calendar.unit_id and unit.pk not in done:
                tasks.append(
                    Task(
                        module=_("Morning meetings"),
                        title=_("District meeting calendar %(month)s")
                        % {"month": f"{calendar.month:%Y-%m}"},
                        url=reverse("meetings:calendar_detail", args=[calendar.pk]),
                        since=calendar.submitted_at,
                        what=_("To acknowledge for %(unit)s") % {"unit": unit.name},
                    )
                )
    return tasks


def _department_id(unit) -> int:
    return unit.parent_id if unit.kind == "group" else unit.pk
