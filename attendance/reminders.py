"""Attendance reminders (run by `manage.py send_reminders`, deduplicated per person and thing):
- roll call not taken by 10:00 on a workday for a group with active agents → its supervisor and
  the department assistant (once per group, day and person);
- a check record not verified within 3 days of its check date → the department manager and the
  district administrator (once per record and person)."""

from datetime import date, time, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.models import AttendanceRecord, CheckRecord
from core.reminders import register
from notifications.models import NotificationKind
from notifications.services import Message
from org.access import Cap, holder_map
from org.models import Agent, Unit, UnitKind
from workcalendar.selectors import workdays

ROLL_CALL_DEADLINE = time(10, 0)
VERIFY_WITHIN_DAYS = 3


@register("attendance-roll-call")
def roll_call_not_taken(day: date):
    now = timezone.localtime()
    if day > now.date() or (day == now.date() and now.time() < ROLL_CALL_DEADLINE):
        return []
    active = set(
        Agent.objects.active_on(day)
        .filter(group__closed_on__isnull=True)
        .values_list("group_id", flat=True)
        .distinct()
    )
    recorded = set(
        AttendanceRecord.objects.filter(date=day)
        .values_list("agent__group_id", flat=True)
        .distinct()
    )
    groups = list(
        Unit.objects.filter(pk__in=active - recorded, kind=UnitKind.GROUP)
        .select_related("parent")
        .order_by("path")
    )
    working_districts = set()
    for district_id in {group.district_id for group in groups}:
        sample = next(group for group in groups if group.district_id == district_id)
        if workdays(sample, day, day):
            working_districts.add(district_id)
    groups = [group for group in groups if group.district_id in working_districts]
    # The group's supervisor (roll call) and the department's assistant (follow-up).
    holders = holder_map(
        {group.pk for group in groups} | {group.parent_id for group in groups},
        Cap.TAKE_ROLL_CALL,
        Cap.FOLLOW_UP_ROLL_CALL,
    )
    messages = []
    for group in groups:
        url = f"{reverse('attendance:roll_call')}?unit={group.pk}&date={day.isoformat()}"
        title = _("Roll call not taken by 10:00: %(group)s, %(day)s") % {
            "group": f"{group.parent.name} {group.name}",
            "day": day.isoformat(),
        }
        recipients = holders.get((Cap.TAKE_ROLL_CALL, group.pk), []) + holders.get(
            (Cap.FOLLOW_UP_ROLL_CALL, group.parent_id), []
        )
        for user_id in dict.fromkeys(recipients):
            messages.append(
                Message(
                    recipient_id=user_id,
                    kind=NotificationKind.DEADLINE,
                    title=title,
                    url=url,
                    dedupe_key=f"attendance-roll-call:{group.pk}:{day.isoformat()}",
                )
            )
    return messages


@register("attendance-check-verify")
def check_records_not_verified(day: date):
    records = list(
        CheckRecord.objects.filter(
            verifier__isnull=True, check_date__lte=day - timedelta(days=VERIFY_WITHIN_DAYS)
        ).select_related("department")
    )
    # The department's manager, and the district's administrator (follow-up).
    holders = holder_map(
        {record.department_id for record in records}
        | {record.department.district_id for record in records},
        Cap.LEAD_UNIT,
        Cap.FOLLOW_UP_CHECKS,
    )
    messages = []
    for record in records:
        title = _("Attendance check record not verified: %(unit)s, %(day)s") % {
            "unit": record.department.name,
            "day": record.check_date.isoformat(),
        }
        recipients = holders.get((Cap.LEAD_UNIT, record.department_id), []) + holders.get(
            (Cap.FOLLOW_UP_CHECKS, record.department.district_id), []
        )
        for user_id in dict.fromkeys(recipients):
            if user_id == record.author_id:
                continue
            messages.append(
                Message(
                    recipient_id=user_id,
                    kind=NotificationKind.DEADLINE,
                    title=title,
                    url=record.get_absolute_url(),
                    dedupe_key=f"attendance-check-verify:{record.pk}",
                )
            )
    return messages
