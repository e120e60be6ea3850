"""Benchmark: the supervision report for the district's monthly meeting (§7) on a branch-sized
data set.

    DJANGO_DEBUG=1 .venv/bin/python bench/bench_meetings_report.py [--districts 20]
        [--departments 6] [--groups 5] [--runs 10] [--database-url postgres://…]

Builds, in a fresh SQLite file in a temp directory (or the given empty database), one branch of
`--districts` districts, each with `--departments` departments of `--groups` groups, and with bulk
inserts: the default acceptance checklist per district; a year of visits (two per department per
month, 90 % done with a scored form of 8 items, issues on low ratings, most resolved); a year of
department morning meetings (every workday) and group 二早 (every workday) with 5 feedback forms
per department meeting; department and group calendars of every month, most submitted on time.

It measures in two phases on the same database: (1) only the last month of data, (2) the whole
year. For each it times, through Django's test Client with DEBUG off, as the first district's
manager: the monthly report page, its Excel file, the weekly report page, the report API and the
inspection archive filtered to the month; medians and query counts as markdown. It fails if a
page's query count differs between the phases.
"""

import argparse
import random
import statistics
import time
from datetime import datetime, timedelta

from _harness import django_on, progress

BATCH = 20_000


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--districts", type=int, default=20)
    parser.add_argument("--departments", type=int, default=6)
    parser.add_argument("--groups", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with django_on(args.database_url, "bench-meetings-report-"):
        print(run(args))


def build_org(args):
    from accounts.models import Role, RoleAssignment, User
    from org.models import Unit, UnitKind

    branch = Unit.objects.create(kind=UnitKind.BRANCH, name="基准分公司", code="BR")
    districts = []
    for d in range(args.districts):
        district = Unit.objects.create(
            kind=UnitKind.DISTRICT, name=f"第{d + 1}区", code=f"D{d + 1}", parent=branch
        )
        manager = User.objects.create(username=f"dm{d + 1}", full_name=f"区经理{d + 1}")
        RoleAssignment.objects.create(user=manager, role=Role.DISTRICT_MANAGER, unit=district)
        trainer = User.objects.create(username=f"tr{d + 1}", full_name=f"组训{d + 1}")
        RoleAssignment.objects.create(user=trainer, role=Role.TRAINER, unit=district)
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
            [User(username=f"r{d + 1}-{n}", full_name=f"业务员{n}") for n in range(10)]
        )
        districts.append(
            {
                "unit": district,
                "manager": manager,
                "inspectors": [manager, trainer],
                "departments": departments,
                "groups": groups,
                "respondents": respondents,
            }
        )
    return districts


def add_data(districts, days, months, rng) -> dict:
    from django.utils import timezone

    from meetings.models import (
        AcceptanceForm,
        Calendar,
        CalendarState,
        Feedback,
        FormScore,
        Issue,
        Meeting,
        MeetingLevel,
        Visit,
        VisitState,
    )
    from meetings.services.inspections import checklist_ensure_default

    counts = dict.fromkeys(["visits", "forms", "issues", "meetings", "feedback", "calendars"], 0)
    now = timezone.now()
    for info in districts:
        district = info["unit"]
        items = [i for i in checklist_ensure_default(district=district) if i.active]
        manager = info["manager"]
        # calendars, most on time (the 25th of the month before is the default deadline)
        calendars = []
        for month in months:
            due = (month - timedelta(days=1)).replace(day=20)
            for unit, level in [(u, MeetingLevel.DEPARTMENT) for u in info["departments"]] + [
                (u, MeetingLevel.GROUP) for u in info["groups"]
            ]:
                roll = rng.random()
                submitted = (
                    None
                    if roll < 0.05
                    else timezone.make_aware(
                        datetime.combine(
                            due + timedelta(days=10 if roll < 0.15 else 0), datetime.min.time()
                        )
                    )
                )
                calendars.append(
                    Calendar(
                        unit=unit,
                        level=level,
                        month=month,
                        state=CalendarState.SUBMITTED if submitted else CalendarState.DRAFT,
                        submitted_at=submitted,
                        created_by=manager,
                    )
                )
        Calendar.objects.bulk_create(calendars, batch_size=BATCH)
        counts["calendars"] += len(calendars)
        # meetings every workday, feedback on department meetings
        meetings = [
            Meeting(unit=u, level=level, date=day, topic="早会", recorded_by=manager)
            for day in days
            for u, level in [(u, MeetingLevel.DEPARTMENT) for u in info["departments"]]
            + [(u, MeetingLevel.GROUP) for u in info["groups"]]
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
            if meeting.level == MeetingLevel.DEPARTMENT
            for respondent in rng.sample(info["respondents"], 5)
        ]
        Feedback.objects.bulk_create(feedback, batch_size=BATCH)
        counts["feedback"] += len(feedback)
        # visits, forms, scores, issues
        visits = []
        for department in info["departments"]:
            quality = rng.uniform(2.3, 4.8)
            for month in months:
                month_days = [d for d in days if d.replace(day=1) == month]
                for day in rng.sample(month_days, min(2, len(month_days))):
                    state = VisitState.DONE if rng.random() < 0.9 else VisitState.CANCELLED
                    visit = Visit(
                        unit=department,
                        department=department,
                        district=district,
                        date=day,
                        inspector=rng.choice(info["inspectors"]),
                        state=state,
                        planned_by=manager,
                    )
                    visit.quality = quality
                    visits.append(visit)
        visits = Visit.objects.bulk_create(visits, batch_size=BATCH)
        counts["visits"] += len(visits)
        forms, lines_of = [], []
        for visit in visits:
            if visit.state != VisitState.DONE:
                continue
            lines = []
            for item in items:
                rating = max(0, min(5, round(rng.gauss(visit.quality, 0.9))))
                lines.append(FormScore.for_item(item, rating))
            forms.append(
                AcceptanceForm(
                    visit=visit, total=sum(line.points for line in lines), filled_by=manager
                )
            )
            lines_of.append((visit, lines))
        forms = AcceptanceForm.objects.bulk_create(forms, batch_size=BATCH)
        counts["forms"] += len(forms)
        scores, issues = [], []
        for form, (visit, lines) in zip(forms, lines_of, strict=True):
            for line in lines:
                line.form = form
                scores.append(line)
                if line.rating <= 2 and rng.random() < 0.6:
                    resolved = rng.random() < 0.7
                    issues.append(
                        Issue(
                            form=form,
                            unit=visit.unit,
                            item=line.item,
                            description="问题",
                            resolved_at=now if resolved else None,
                            resolution="已整改" if resolved else "",
                        )
                    )
        FormScore.objects.bulk_create(scores, batch_size=BATCH)
        Issue.objects.bulk_create(issues, batch_size=BATCH)
        counts["issues"] += len(issues)
    return counts


def measure(cases, user, runs) -> list[tuple[str, float, int, float]]:
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
        slowest = max((float(q["time"]) * 1000 for q in queries.captured_queries), default=0)
        results.append((label, statistics.median(times), len(queries), slowest))
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
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    year_start = last_month
    for _ in range(11):
        year_start = (year_start - timedelta(days=1)).replace(day=1)
    started = time.perf_counter()
    districts = build_org(args)
    first = districts[0]
    all_days = workdays(first["unit"], year_start, today.replace(day=1) - timedelta(days=1))
    months = sorted({d.replace(day=1) for d in all_days})

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    district = first["unit"]
    cases = [
        (
            "monthly report page",
            f"/meetings/inspections/report/?district={district.pk}&start={last_month}",
        ),
        (
            "monthly report Excel",
            f"/meetings/inspections/report.xlsx?district={district.pk}&start={last_month}",
        ),
        (
            "weekly report page",
            f"/meetings/inspections/report/?district={district.pk}&period=week"
            f"&start={last_month + timedelta(days=7)}",
        ),
        (
            "monthly report API",
            f"/api/v1/meetings/inspections/report/?district={district.pk}&start={last_month}",
        ),
        (
            "archive, one month",
            f"/meetings/inspections/?district={district.pk}&month={last_month:%Y-%m}",
        ),
    ]
    lines = []
    phases = [
        ("1 month", [d for d in all_days if d >= last_month], [last_month]),
        ("12 months", [d for d in all_days if d < last_month], months[:-1]),
    ]
    results = []
    totals = dict.fromkeys(["visits", "forms", "issues", "meetings", "feedback", "calendars"], 0)
    for label, days, phase_months in phases:
        progress(f"adding {label} of data…")
        counts = add_data(districts, days, phase_months, rng)
        for key, value in counts.items():
            totals[key] += value
        progress(f"measuring ({label})…")
        results.append((label, dict(totals), measure(cases, first["manager"], args.runs)))
    build_seconds = time.perf_counter() - started

    lines.append(f"# Meetings supervision report — {connection.vendor}")
    lines.append("")
    lines.append(
        f"{args.districts} districts × {args.departments} departments × {args.groups} groups; "
        f"built in {build_seconds:.0f} s; {args.runs} runs per page, medians (DEBUG off)."
    )
    for label, counts, measured in results:
        lines.append("")
        lines.append(f"## {label}: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
        lines.append("")
        lines.append("| page | median ms | queries | slowest query ms |")
        lines.append("|---|---:|---:|---:|")
        for name, median, queries, slowest in measured:
            lines.append(f"| {name} | {median:.1f} | {queries} | {slowest:.1f} |")
    small = [row[2] for row in results[0][2]]
    full = [row[2] for row in results[1][2]]
    if small != full:
        raise SystemExit(f"query counts grew with data: {small} → {full}\n" + "\n".join(lines))
    return "\n".join(lines)


if __name__ == "__main__":
    main()
