"""Benchmark: the calendar submission board and the calendar pages at scale.

    DJANGO_DEBUG=1 .venv/bin/python bench/bench_meetings_calendars.py [--departments 40]
        [--months 12] [--runs 10] [--database-url postgres://…]

Builds, in a fresh SQLite file in a temp directory (or the given empty database), one district
of `--departments` departments of 10 groups each, with `--months` months of calendars at every
level (one entry per workday; most submitted, some late, some missing) by bulk inserts. Two
phases on the same database: small (the first 2 departments' district of the same shape, i.e.
a second district of 2 departments) and full. Times, through Django's test Client with DEBUG
off, the submission board page and API, the calendar list, a department calendar's month view
and its editor; medians and query counts as markdown. Fails if a page's query count differs
between the phases (the count must not grow with units or months).
"""

import argparse
import random
import statistics
import sys
import time
from datetime import timedelta

from _harness import django_on, progress

GROUPS_PER_DEPARTMENT = 10
BATCH = 20_000


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--departments", type=int, default=40)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with django_on(args.database_url, "bench-calendars-"):
        print(run(args))


def noon(day):
    from datetime import datetime, time

    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def build_district(branch, code: str, departments: int, months, rng):
    from accounts.models import Role, RoleAssignment, User
    from meetings.models import Calendar, CalendarEntry, CalendarState
    from meetings.selectors import calendars as selectors
    from org.models import Unit, UnitKind
    from workcalendar.selectors import workdays

    district = Unit.objects.create(
        kind=UnitKind.DISTRICT, name=f"区{code}", code=code, parent=branch
    )
    trainer = User.objects.create_user(username=f"trainer_{code}", password="x")  # noqa: S106
    RoleAssignment.objects.create(user=trainer, role=Role.TRAINER, unit=district)
    manager = User.objects.create_user(username=f"dm_{code}", password="x")  # noqa: S106
    units = []
    for d in range(departments):
        department = Unit.objects.create(
            kind=UnitKind.DEPARTMENT, name=f"{code}第{d + 1}部", code=f"{code}-{d}", parent=district
        )
        if d == 0:
            RoleAssignment.objects.create(user=manager, role=Role.DEPT_MANAGER, unit=department)
        units.append(department)
        for g in range(GROUPS_PER_DEPARTMENT):
            units.append(
                Unit.objects.create(
                    kind=UnitKind.GROUP,
                    name=f"{code}第{d + 1}部{g + 1}组",
                    code=f"{code}-{d}-{g}",
                    parent=department,
                )
            )
    calendars, entries = [], []
    for month in months:
        days = workdays(district, month, selectors.month_end(month))
        deadline = selectors.deadline_for(district, month)
        for unit in units:
            for level in selectors.SUBMITTED_LEVELS[unit.kind]:
                luck = rng.random()
                if luck < 0.05:
                    continue
                submitted = None
                if luck > 0.1:
                    offset = rng.randint(1, 4) if luck < 0.2 else -rng.randint(0, 4)
                    submitted = noon(deadline + timedelta(days=offset))
                calendar = Calendar(
                    unit=unit,
                    level=level,
                    month=month,
                    state=CalendarState.SUBMITTED if submitted else CalendarState.DRAFT,
                    submitted_at=submitted,
                    created_by=trainer,
                )
                calendars.append((calendar, days))
    Calendar.objects.bulk_create([c for c, _days in calendars], batch_size=BATCH)
    for calendar, days in calendars:
        entries.extend(
            CalendarEntry(calendar_id=calendar.pk, date=day, topic="主题", host_name="讲师")
            for day in days
        )
    CalendarEntry.objects.bulk_create(entries, batch_size=BATCH)
    return district, trainer, manager, len(calendars), len(entries)


def measure(client, url, params, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        response = client.get(url, params)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url, params)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        client.get(url, params)
    return statistics.median(timings), len(captured)


def run(args):
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from meetings.models import Calendar
    from meetings.selectors import calendars as selectors
    from org.models import Unit, UnitKind

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)  # noqa: S311 - reproducible bench data
    today = timezone.localdate()
    month = selectors.next_month(today)
    months = []
    for _ in range(args.months):
        months.append(month)
        month = selectors.previous_month(month)
    branch = Unit.objects.create(kind=UnitKind.BRANCH, name="基准分公司", code="BR")
    results, counts = [], {}
    for phase, departments in (("small", 2), ("full", args.departments)):
        started = time.monotonic()
        district, trainer, manager, n_cal, n_entries = build_district(
            branch, f"P{departments}", departments, months, rng
        )
        progress(
            f"{phase}: {departments} departments, {n_cal} calendars, {n_entries} entries "
            f"in {time.monotonic() - started:.1f}s"
        )
        calendar = Calendar.objects.filter(unit__district=district, level="department").first()
        client = Client()
        client.force_login(trainer)
        pages = [
            ("board page", "/meetings/calendars/board/", {"district": district.pk}),
            ("board API", "/api/v1/meetings/calendars/board/", {"district": district.pk}),
            ("calendar list", "/meetings/calendars/", {}),
            ("month view", f"/meetings/calendars/{calendar.pk}/", {}),
        ]
        for name, url, params in pages:
            median, queries = measure(client, url, params, args.runs)
            results.append((phase, name, median, queries))
            counts.setdefault(name, set()).add(queries)
        client.force_login(manager)
        department_calendar = Calendar.objects.filter(
            unit__district=district, unit__code=f"P{departments}-0", level="department"
        ).first()
        median, queries = measure(
            client, f"/meetings/calendars/{department_calendar.pk}/edit/", {}, args.runs
        )
        results.append((phase, "month editor", median, queries))
        counts.setdefault("month editor", set()).add(queries)
    lines = [
        f"# Calendars bench ({'PostgreSQL' if args.database_url else 'SQLite'}, "
        f"{args.departments} departments × {GROUPS_PER_DEPARTMENT} groups, {args.months} months)",
        "",
        "| phase | page | median ms | queries |",
        "|---|---|---:|---:|",
    ]
    lines += [f"| {p} | {n} | {m:.1f} | {q} |" for p, n, m, q in results]
    grown = [name for name, values in counts.items() if len(values) > 1]
    if grown:
        lines.append(f"\nFAILED: query count grew for {', '.join(grown)}")
        print("\n".join(lines))
        sys.exit(1)
    return "\n".join(lines)


if __name__ == "__main__":
    main()
