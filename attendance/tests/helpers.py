"""Shared helpers for the attendance tests: a frozen clock, calendars and records."""

from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from attendance.models import AttendanceRecord, AttendanceSource
from workcalendar.models import CalendarDay

# May 2026 in district A (as the State Council notice has it): 1, 4 and 5 May are holidays,
# Saturday 9 May is a make-up workday. Workdays: 6–9, 11–15, 18–22, 25–29 → 19.
MAY = date(2026, 5, 1)
MAY_HOLIDAYS = [date(2026, 5, 1), date(2026, 5, 4), date(2026, 5, 5)]
MAY_MAKE_UP = date(2026, 5, 9)


def moment(day: date, hour: int = 9, minute: int = 0, second: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute, second)))


def freeze(monkeypatch, when: datetime) -> datetime:
    """Make django.utils.timezone.now() (and so localdate()) return `when`."""
    monkeypatch.setattr(timezone, "now", lambda: when)
    return when


def may_calendar(district) -> None:
    for day in MAY_HOLIDAYS:
        CalendarDay.objects.create(district=district, date=day, is_workday=False, note="劳动节")
    CalendarDay.objects.create(district=district, date=MAY_MAKE_UP, is_workday=True, note="调休")


def mark(agent, day, status="present", fraction="1.0", reported=False, **extra):
    return AttendanceRecord.objects.create(
        agent=agent,
        date=day,
        status=status,
        fraction=Decimal(fraction),
        reported=reported,
        source=extra.pop("source", AttendanceSource.ROLL_CALL),
        **extra,
    )
