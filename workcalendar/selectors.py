"""The one answer to "which days are workdays" for every module."""

from datetime import date, timedelta

from workcalendar.models import CalendarDay


def _district_id(unit) -> int | None:
    return unit.district_id if unit is not None else None


def workdays(unit, start: date, end: date) -> list[date]:
    """Workdays of `unit`'s district between `start` and `end`, both included (one query)."""
    if end < start:
        return []
    overrides = dict(
        CalendarDay.objects.filter(
            district_id=_district_id(unit), date__range=(start, end)
        ).values_list("date", "is_workday")
    )
    days = []
    day = start
    while day <= end:
        if overrides.get(day, day.weekday() < 5):
            days.append(day)
        day += timedelta(days=1)
    return days


def workday_count(unit, start: date, end: date) -> int:
    return len(workdays(unit, start, end))


def is_workday(unit, day: date) -> bool:
    return bool(workdays(unit, day, day))


def month_calendar(unit, year: int, month: int) -> list[dict]:
    """Every day of a month with its workday flag and note, for the calendar page."""
    start = date(year, month, 1)
    end = (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)
    overrides = {
        row.date: row
        for row in CalendarDay.objects.filter(
            district_id=_district_id(unit), date__range=(start, end)
        )
    }
    days = []
    day = start
    while day <= end:
        override = overrides.get(day)
        default_workday = day.weekday() < 5
        days.append(
            {
                "date": day,
                "is_workday": override.is_workday if override else default_workday,
                "is_exception": bool(override) and override.is_workday != default_workday,
                "note": override.note if override else "",
                "version": override.version if override else 0,  # 0: no row (core.versioning)
            }
        )
        day += timedelta(days=1)
    return days
