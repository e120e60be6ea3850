"""Reminder sources for morning meetings (run by `manage.py send_reminders`; each person hears of
each thing once, by dedupe key), in the districts that plan with calendars (one in the last three
months, or deadline settings saved):
- before the deadline (from `remind_days_before` days ahead, and on the day): the writers of each
  department and group calendar not yet submitted for the month — the department's manager and
  assistant, the group's supervisor;
- after the deadline (overdue, once, until the month is over): the same people, and for a group
  also its department's manager."""

from collections.abc import Iterator
from datetime import date, timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from core.reminders import register
from meetings.models import Calendar, CalendarSettings, MeetingLevel
from meetings.selectors import calendars as selectors
from notifications.models import NotificationKind
from notifications.services import Message
from org.access import Cap, holder_map
from org.models import Unit

# Who writes the calendars of a unit: PLAN_MEETINGS held on the unit itself.
WRITERS = ("department", "group")


@register("meetings-calendars")
def calendar_reminders(today: date) -> Iterator[Message]:
    """Five queries whatever the number of districts and units."""
    settings = {s.district_id: s for s in CalendarSettings.objects.all()}
    # The months whose deadline may be near or just passed: this one and the next.
    months = [selectors.month_start(today), selectors.next_month(today)]
    # Only districts planning with calendars: a calendar in the last three months, or settings.
    since = selectors.previous_month(selectors.previous_month(months[0]))
    districts = set(
        Calendar.objects.filter(month__gte=since, unit__closed_on__isnull=True)
        .values_list("unit__district_id", flat=True)
        .distinct()
    ) | set(settings)
    windows: dict[tuple[int, date], str] = {}  # (district, month) → "due" | "overdue"
    deadlines: dict[tuple[int, date], date] = {}
    for district_id in districts:
        setting = settings.get(district_id)
        day = setting.deadline_day if setting else selectors.DEFAULT_DEADLINE_DAY
        remind = setting.remind_days_before if setting else 3
        for month in months:
            deadline = selectors.deadline_from_day(day, month)
            if deadline - timedelta(days=remind) <= today <= deadline:
                windows[(district_id, month)] = "due"
            elif deadline < today <= selectors.month_end(month):
                windows[(district_id, month)] = "overdue"
            deadlines[(district_id, month)] = deadline
    if not windows:
        return
    active_districts = {district_id for district_id, _month in windows}
    units = list(
        Unit.objects.open()
        .filter(district_id__in=active_districts, kind__in=list(WRITERS))
        .only("pk", "name", "kind", "parent_id", "district_id")
    )
    submitted = set(
        Calendar.objects.filter(
            unit__district_id__in=active_districts,
            month__in=months,
            submitted_at__isnull=False,
        ).values_list("unit_id", "level", "month")
    )
    holders = holder_map(
        {u.pk for u in units} | {u.parent_id for u in units if u.kind == "group"},
        Cap.PLAN_MEETINGS,
        Cap.LEAD_UNIT,
    )
    url = reverse("meetings:calendar_list")
    for unit in units:
        writers = set(holders.get((Cap.PLAN_MEETINGS, unit.pk), []))
        for month in months:
            window = windows.get((unit.district_id, month))
            if window is None:
                continue
            deadline = deadlines[(unit.district_id, month)]
            recipients = set(writers)
            if window == "overdue" and unit.kind == "group":
                recipients |= set(holders.get((Cap.LEAD_UNIT, unit.parent_id), []))
            for level in selectors.SUBMITTED_LEVELS[unit.kind]:
                if (unit.pk, level, month) in submitted:
                    continue
                values = {
                    "label": MeetingLevel(level).label,
                    "unit": unit.name,
                    "month": f"{month:%Y-%m}",
                    "date": f"{deadline:%Y-%m-%d}",
                }
                if window == "due":
                    text = _("Submit the %(label)s calendar of %(unit)s for %(month)s by %(date)s")
                else:
                    text = _(
                        "Overdue since %(date)s: the %(label)s calendar of %(unit)s for %(month)s"
                    )
                title = text % values
                link = f"{url}?unit={unit.pk}&month={month:%Y-%m}"
                for user_id in sorted(recipients):
                    yield Message(
                        user_id,
                        NotificationKind.DEADLINE,
                        title,
                        link,
                        dedupe_key=(
                            f"meetings:calendar-{window}:{unit.pk}:{level}:{month:%Y-%m}:{user_id}"
                        ),
                    )
