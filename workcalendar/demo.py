"""The demo work calendar (part of `manage.py seed_demo`, see core/demo.py): China's public
holidays in every demo district, from the "districts" (units) and "admin" the org and accounts
parts leave in `run.shared`."""

from datetime import date, timedelta

from simple_history.utils import bulk_create_with_history

from core.demo import Contributor, DemoRun, register
from workcalendar.models import CalendarDay

BATCH = 500

# China's public holidays (State Council notices): weekday days off and weekend make-up workdays.
HOLIDAYS = {
    2025: [
        ("元旦", date(2025, 1, 1), date(2025, 1, 1), []),
        ("春节", date(2025, 1, 28), date(2025, 2, 4), [date(2025, 1, 26), date(2025, 2, 8)]),
        ("清明节", date(2025, 4, 4), date(2025, 4, 6), []),
        ("劳动节", date(2025, 5, 1), date(2025, 5, 5), [date(2025, 4, 27)]),
        ("端午节", date(2025, 5, 31), date(2025, 6, 2), []),
        (
            "国庆节、中秋节",
            date(2025, 10, 1),
            date(2025, 10, 8),
            [date(2025, 9, 28), date(2025, 10, 11)],
        ),
    ],
    2026: [
        ("元旦", date(2026, 1, 1), date(2026, 1, 3), [date(2026, 1, 4)]),
        ("春节", date(2026, 2, 15), date(2026, 2, 23), [date(2026, 2, 14), date(2026, 2, 28)]),
        ("清明节", date(2026, 4, 4), date(2026, 4, 6), []),
        ("劳动节", date(2026, 5, 1), date(2026, 5, 5), [date(2026, 5, 9)]),
        ("端午节", date(2026, 6, 19), date(2026, 6, 21), []),
        ("中秋节", date(2026, 9, 25), date(2026, 9, 27), []),
        ("国庆节", date(2026, 10, 1), date(2026, 10, 7), [date(2026, 9, 20), date(2026, 10, 10)]),
    ],
}
MAKE_UP_NOTE = "调休上班"


def write_calendar(districts: list, admin) -> None:
    """The public holidays on weekdays and the weekend make-up workdays, in every district."""
    days = []
    for district in districts:
        for holidays in HOLIDAYS.values():
            for note, first, last, make_up in holidays:
                day = first
                while day <= last:
                    if day.weekday() < 5:
                        days.append(
                            CalendarDay(district=district, date=day, is_workday=False, note=note)
                        )
                    day += timedelta(days=1)
                days.extend(
                    CalendarDay(district=district, date=d, is_workday=True, note=MAKE_UP_NOTE)
                    for d in make_up
                )
    bulk_create_with_history(days, CalendarDay, batch_size=BATCH, default_user=admin)


@register(order=40)
class DemoCalendar(Contributor):
    name = "workcalendar"

    def seed(self, run: DemoRun) -> None:
        write_calendar(run.shared["districts"], run.shared["admin"])

    def tables(self) -> list[str]:
        return [CalendarDay._meta.db_table, CalendarDay.history.model._meta.db_table]
