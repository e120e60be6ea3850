"""待办 providers for morning meetings (see home.tasks): district calendars distributed to my
departments and not yet acknowledged. (Calendars due for submission come as reminders, see
meetings/reminders.py, and on the district's submission board.)"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from home.tasks import Task, register
from meetings.models import Calendar, CalendarState, MeetingLevel
from meetings.selectors import calendars as selectors
from org.scope import scope_for

LIMIT = 100


@register("meetings")
def meeting_tasks(user) -> list[Task]:
    return _acknowledgements(user)


def _acknowledgements(user) -> list[Task]:
    """One query when nothing is waiting, three otherwise (the scope is cached on the user)."""
    departments = {
        unit_id: path
        for role, unit_id, path in scope_for(user).assignments
        if role in selectors.ACKNOWLEDGING_ROLES
    }
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
