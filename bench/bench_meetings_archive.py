"""Benchmark: the meeting archive (早会档案) search, its share-held figures, its Excel export and
the feedback aggregates on a branch-sized data set.

    DJANGO_DEBUG=1 .venv/bin/python bench/bench_meetings_archive.py [--districts 20]
        [--departments 6] [--groups 5] [--runs 10] [--database-url postgres://…]

Builds, in a fresh SQLite file in a temp directory (or the given empty database), one branch of
`--districts` districts, each with `--departments` departments of `--groups` groups, and with bulk
inserts: calendars at all levels for every month with an entry per workday (department evening
meetings twice a week); meetings for 92 % of the planned entries (most linked to their entry);
5 feedback forms per district and department meeting. No items held (they only add a per-row
subquery on the 50 rows of a page).

It measures in two phases on the same database: (1) the last month only, (2) a whole year. For
each it times, through Django's test Client with DEBUG off, as the first district's manager and
as the system administrator (the whole branch): the archive's first page (default period: the
last three months) with its share-held table, searches by unit + level over the year, by speaker
and by topic over the year, the Excel export of a department's year, the records API search, the
share-held API and the feedback aggregates per speaker; medians and query counts as markdown. It
fails if a request's query count differs between the phases.
"""

import argparse
import random
import statistics
import time
from datetime import timedelta

from _harness import django_on, progress

BATCH = 20_000
TOPICS = ["增员政策宣导", "业绩点评与竞赛快报", "典范分享", "话术演练", "产品知识", "拜访计划"]
SPEAKERS = ["王讲师", "李经理", "张主任", "赵组训", "刘业务员", "陈主管", "杨讲师", "周经理"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--districts", type=int, default=20)
    parser.add_argument("--departments", type=int, default=6)
    parser.add_argument("--groups", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with django_on(args.database_url, "bench-meetings-archive-"):
        print(run(args))


def build_org(args):
    from accounts.models import Role, RoleAssignment, User
    from org.models import Unit, UnitKind

    branch = Unit.objects.create(kind=UnitKind.BRANCH, name="基准分公司", code="BR")
    admin = User.objects.create(username="admin", full_name="管理员", is_superuser=True)
    RoleAssignment.objects.create(user=admin, role=Role.SYSTEM_ADMIN, unit=branch)
    districts = []
    for d in range(args.districts):
        district = Unit.objects.create(
            kind=UnitKind.DISTRICT, name=f"第{d + 1}区", code=f"D{d + 1}", parent=branch
        )
        manager = User.objects.create(username=f"dm{d + 1}", full_name=f"区经理{d + 1}")
        RoleAssignment.objects.create(user=manager, role=Role.DISTRICT_MANAGER, unit=district)
        departments, groups = [], []
        for k in range(args.departments):
            department = Unit.objects.create(
                kind=UnitKind.DEPARTMENT,
                name=f"{d + 1}区{k + 1}部",
                code=f"D{d + 1}-{k + 1}",
                parent=district,
            )
            departments.append(department)
            for g in range(args.groups):
                groups.append(
                    Unit.objects.create(
                        kind=UnitKind.GROUP,
                        name=f"{d + 1}区{k + 1}部{g + 1}组",
                        code=f"D{d + 1}-{k + 1}-{g + 1}",
                        parent=department,
                    )
                )
        respondents = User.objects.bulk_create(
            [User(username=f"r{d + 1}-{n}", full_name=f"业务员{d + 1}-{n}") for n in range(10)]
        )
        districts.append(
            {
                "unit": district,
                "manager": manager,
                "departments": departments,
                "groups": groups,
                "respondents": respondents,
            }
        )
    return admin, districts


def add_data(districts, days, months, rng) -> dict:
    from meetings.models import Calendar, CalendarEntry, Feedback, Meeting, MeetingLevel

    counts = dict.fromkeys(["calendar entries", "meetings", "feedback"], 0)
    for info in districts:
        manager = info["manager"]
        targets = (
            [(info["unit"], MeetingLevel.DISTRICT)]
            + [(u, MeetingLevel.DEPARTMENT) for u in info["departments"]]
            + [(u, MeetingLevel.EVENING) for u in info["departments"]]
            + [(u, MeetingLevel.GROUP) for u in info["groups"]]
        )
        calendars = {
            (unit.pk, level, month): Calendar(
                unit=unit, level=level, month=month, state="submitted", created_by=manager
            )
            for unit, level in targets
            for month in months
        }
        Calendar.objects.bulk_create(list(calendars.values()), batch_size=BATCH)
        entries = []
        for unit, level in targets:
            for day in days:
                if level == MeetingLevel.EVENING and day.weekday() not in (1, 3):
                    continue
                entry = CalendarEntry(
                    calendar=calendars[(unit.pk, level, day.replace(day=1))],
                    date=day,
                    topic=f"{rng.choice(TOPICS)}{rng.randint(1, 99)}",
                    host_name=rng.choice(SPEAKERS),
                )
                entry.unit, entry.level = unit, level
                entries.append(entry)
        CalendarEntry.objects.bulk_create(entries, batch_size=BATCH)
        counts["calendar entries"] += len(entries)
        meetings = [
            Meeting(
                unit=entry.unit,
                level=entry.level,
                date=entry.date,
                calendar_entry=entry if rng.random() < 0.9 else None,
                topic=entry.topic,
                host_name=entry.host_name,
                present_count=rng.randint(10, 60),
                duration_minutes=rng.randint(30, 70),
                recorded_by=manager,
            )
            for entry in entries
            if rng.random() < 0.92
        ]
        meetings = Meeting.objects.bulk_create(meetings, batch_size=BATCH)
        counts["meetings"] += len(meetings)
        feedback = [
            Feedback(
                meeting=meeting,
                respondent=respondent,
                well_prepared=rng.random() < 0.7,
                motivating=rng.random() < 0.6,
                substantive=rng.random() < 0.65,
                fluent=rng.random() < 0.75,
            )
            for meeting in meetings
            if meeting.level in (MeetingLevel.DISTRICT, MeetingLevel.DEPARTMENT)
            for respondent in rng.sample(info["respondents"], 5)
        ]
        Feedback.objects.bulk_create(feedback, batch_size=BATCH)
        counts["feedback"] += len(feedback)
    return counts


def measure(cases, user, runs) -> list[tuple[str, float, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    results = []
    for label, url in cases:
        if client.get(url).status_code != 200:  # warm-up
            raise SystemExit(f"{url} did not answer 200")
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        results.append((label, statistics.median(times), len(queries)))
    return results


def run(args) -> str:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from workcalendar.selectors import workdays

    rng = random.Random(args.seed)  # noqa: S311 - reproducible bench data
    call_command("migrate", verbosity=0, interactive=False)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-1000000")
    today = timezone.localdate()
    this_month = today.replace(day=1)
    year_start = this_month
    for _ in range(12):
        year_start = (year_start - timedelta(days=1)).replace(day=1)
    started = time.perf_counter()
    admin, districts = build_org(args)
    first = districts[0]
    all_days = workdays(first["unit"], year_start, today - timedelta(days=1))
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    department = first["departments"][0]
    year = f"start={year_start}&end={today}"
    cases = [
        ("archive, first page (3 months)", "/meetings/archive/"),
        (
            "archive, department + level, a year",
            f"/meetings/archive/?unit={department.pk}&level=department&{year}",
        ),
        ("archive, speaker search, a year", f"/meetings/archive/?speaker=王讲师&{year}"),
        ("archive, topic search, a year", f"/meetings/archive/?topic=典范&{year}"),
        ("archive, page 5 (3 months)", "/meetings/archive/?page=5"),
        ("Excel, a department's year", f"/meetings/archive/export/?unit={department.pk}&{year}"),
        ("API records, topic search, a year", f"/api/v1/meetings/records/?topic=典范&{year}"),
        ("API share held, a year", f"/api/v1/meetings/archive/share-held/?{year}"),
        (
            "API feedback per speaker, a year",
            f"/api/v1/meetings/feedback/aggregates/?by=speaker&{year}",
        ),
    ]
    phases = [
        ("1 month", [d for d in all_days if d >= this_month], [this_month]),
        (
            "12 months",
            [d for d in all_days if d < this_month],
            sorted({d.replace(day=1) for d in all_days if d < this_month}),
        ),
    ]
    results = []
    totals = dict.fromkeys(["calendar entries", "meetings", "feedback"], 0)
    for label, days, phase_months in phases:
        progress(f"adding {label} of data…")
        counts = add_data(districts, days, phase_months, rng)
        for key, value in counts.items():
            totals[key] += value
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        progress(f"measuring ({label})…")
        measured = {
            "district manager": measure(cases, first["manager"], args.runs),
            "admin (branch)": measure(cases, admin, args.runs),
        }
        results.append((label, dict(totals), measured))
    build_seconds = time.perf_counter() - started

    lines = [f"# Meeting archive — {connection.vendor}", ""]
    lines.append(
        f"{args.districts} districts × {args.departments} departments × {args.groups} groups; "
        f"built and measured in {build_seconds:.0f} s; {args.runs} runs per request, medians "
        "(DEBUG off)."
    )
    for label, counts, measured in results:
        lines.append("")
        lines.append(f"## {label}: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
        for who, rows in measured.items():
            lines.append("")
            lines.append(f"### as {who}")
            lines.append("")
            lines.append("| request | median ms | queries |")
            lines.append("|---|---:|---:|")
            for name, median, queries in rows:
                lines.append(f"| {name} | {median:.1f} | {queries} |")
    for who in results[0][2]:
        small = [q for _n, _m, q in results[0][2][who]]
        full = [q for _n, _m, q in results[1][2][who]]
        if small != full:
            raise SystemExit(
                f"query counts grew with data ({who}): {small} → {full}\n" + "\n".join(lines)
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
