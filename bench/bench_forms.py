"""Benchmark: the forms (附件, core.paperforms) made on the server — the PDF and the Excel file
of the 附件4 archive of a month, the PDF of one acceptance form, and 附件5 / 附件6 of a
300-agent department for a week.

    DJANGO_DEBUG=1 .venv/bin/python bench/bench_forms.py [--departments 30] [--visits 300]
        [--dept-agents 300] [--runs 3] [--database-url postgres://…] [--profile 30]

Builds, in a fresh SQLite file in a temp directory (or the given empty database), one district
of `--departments` departments with the default acceptance checklist and `--visits` visits in
last month (90 % done, each with a scored form of 8 items), with bulk inserts. It then times,
through Django's test Client with DEBUG off, as the district manager: the 附件4 archive of that
month as page, PDF and Excel, and one visit's 附件4 as PDF; medians of `--runs` runs after a
warm-up (the first PDF also loads WeasyPrint and the fonts), with the PDF's page count.
It also adds a department of `--dept-agents` agents (10 groups) with the last complete week's
work logs (85 % of the agent-workdays filled, so about half the agents are named as missing a
log) and times its 附件5 weekly check record (a draft: figures computed live) as page, PDF and
Excel, and its 附件6 work log check table for the week as PDF. Beside the wall time it gives the
process's CPU time (server work only: the client is in-process), which the other programs sharing
the machine disturb less. `--profile N` prints, after the report, cProfile's N slowest functions
(cumulative) of one archive PDF.
"""

import argparse
import cProfile
import io
import pstats
import random
import statistics
import time
from datetime import timedelta
from decimal import Decimal

from _harness import django_on, progress


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--departments", type=int, default=30)
    parser.add_argument("--visits", type=int, default=300)
    parser.add_argument("--dept-agents", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    args = parser.parse_args()
    with django_on(args.database_url, "bench-forms-"):
        print(run(args))


def build(args, month, rng):
    from accounts.models import Role, RoleAssignment, User
    from meetings.models import AcceptanceForm, FormScore, Visit, VisitState
    from meetings.services.inspections import checklist_ensure_default
    from org.models import Unit, UnitKind

    branch = Unit.objects.create(kind=UnitKind.BRANCH, name="基准分公司", code="BR")
    district = Unit.objects.create(kind=UnitKind.DISTRICT, name="第一区", code="D1", parent=branch)
    manager = User.objects.create(username="dm", full_name="区经理")
    RoleAssignment.objects.create(user=manager, role=Role.DISTRICT_MANAGER, unit=district)
    departments = [
        Unit.objects.create(
            kind=UnitKind.DEPARTMENT, name=f"第{k + 1}营业部", code=f"D1-{k + 1}", parent=district
        )
        for k in range(args.departments)
    ]
    items = [i for i in checklist_ensure_default(district=district) if i.active]
    visits = []
    for n in range(args.visits):
        department = departments[n % len(departments)]
        done = rng.random() < 0.9
        visits.append(
            Visit(
                unit=department,
                department=department,
                district=district,
                date=month + timedelta(days=n % 28),
                inspector=manager,
                planned_by=manager,
                state=VisitState.DONE if done else VisitState.PLANNED,
            )
        )
    visits = Visit.objects.bulk_create(visits)
    done = [v for v in visits if v.state == VisitState.DONE]
    lines_of = [[FormScore.for_item(item, rng.randint(2, 5)) for item in items] for _ in done]
    forms = AcceptanceForm.objects.bulk_create(
        [
            AcceptanceForm(
                visit=visit,
                total=sum((line.points for line in lines), Decimal(0)),
                filled_by=manager,
                suggestions="加强早会前的演练，主题与当月重点活动结合。",
            )
            for visit, lines in zip(done, lines_of, strict=True)
        ]
    )
    scores = []
    for form, lines in zip(forms, lines_of, strict=True):
        for line in lines:
            line.form = form
            scores.append(line)
    FormScore.objects.bulk_create(scores)
    return manager, done[0]


def build_department(manager, agents: int, week, rng):
    """A department of `agents` agents in 10 groups with the week's work logs (bulk inserts)."""
    from activity.models import LogState, WorkLog
    from org.models import Agent, Rank, Unit, UnitKind
    from org.services import placements
    from workcalendar.selectors import workdays

    district = Unit.objects.get(code="D1")
    department = Unit.objects.create(
        kind=UnitKind.DEPARTMENT, name="基准大营业部", code="D1-BIG", parent=district
    )
    groups = [
        Unit.objects.create(
            kind=UnitKind.GROUP, name=f"基准{g + 1}组", code=f"D1-BIG-{g + 1}", parent=department
        )
        for g in range(10)
    ]
    rank = Rank.objects.create(branch=district.parent, code="FORMAL", name="正式业务员", level=2)
    Agent.objects.bulk_create(
        [
            Agent(
                code=f"F{i:06d}",
                name=f"业务员{i:03d}",
                gender="F",
                id_number=f"3301061990{i:08d}",
                mobile=f"138{i:08d}",
                education="college",
                hire_date=week - timedelta(days=30 + rng.randint(0, 700)),
                group=groups[i % len(groups)],
                rank=rank,
                status="formal",
            )
            for i in range(agents)
        ]
    )
    ids = list(Agent.objects.filter(group__parent=department).values_list("pk", flat=True))
    placements.rebuild(ids)  # bulk_create sends no signal: place them from hire on
    days = workdays(department, week, week + timedelta(days=6))
    logs = []
    for pk in ids:
        for day in days:
            if rng.random() > 0.85:
                continue
            first, follow, prospects = rng.randint(0, 3), rng.randint(0, 2), rng.randint(0, 2)
            logs.append(
                WorkLog(
                    agent_id=pk,
                    date=day,
                    new_prospects=prospects,
                    first_visits=first,
                    follow_up_visits=follow,
                    accompanied_visits=rng.randint(0, 1),
                    meeting_notes="早会要点" if rng.random() < 0.7 else "",
                    state=LogState.APPROVED,
                    points=prospects + 3 * first + 2 * follow,
                )
            )
    WorkLog.objects.bulk_create(logs, batch_size=2000)
    return department


def timed(client, url, runs):
    response = client.get(url)  # warm-up
    if response.status_code != 200:
        raise SystemExit(f"{url} did not answer 200")
    return measure(lambda: client.get(url), runs) + (response,)


def measure(call, runs):
    """Median wall and CPU seconds of `runs` calls."""
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return statistics.median(walls), statistics.median(cpus)


def run(args) -> str:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    rng = random.Random(args.seed)  # noqa: S311 - reproducible bench data
    call_command("migrate", verbosity=0, interactive=False)
    month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    progress(f"building {args.visits} visits in {month:%Y-%m} …")
    manager, visit = build(args, month, rng)
    from activity.selectors.weekly_checks import default_week

    week = default_week()
    progress(f"building a {args.dept_agents}-agent department with the week of {week} …")
    big = build_department(manager, args.dept_agents, week, rng)
    weekly = [big.pk, week.isoformat()]
    log_check = f"?unit={big.pk}&week={week.isoformat()}"
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(manager)
    query = f"?month={month:%Y-%m}"
    cases = [
        ("附件4 archive of the month, page", reverse("meetings:inspection_archive_print") + query),
        (
            "附件4 archive of the month, PDF",
            reverse("meetings:inspection_archive_print_pdf") + query,
        ),
        (
            "附件4 archive of the month, Excel",
            reverse("meetings:inspection_archive_print_xlsx") + query,
        ),
        ("附件4 of one visit, PDF", reverse("meetings:inspection_print_pdf", args=[visit.pk])),
        (
            f"附件5 of a {args.dept_agents}-agent department, page",
            reverse("activity:weekly_print", args=weekly),
        ),
        (
            f"附件5 of a {args.dept_agents}-agent department, PDF",
            reverse("activity:weekly_print_pdf", args=weekly),
        ),
        (
            f"附件5 of a {args.dept_agents}-agent department, Excel",
            reverse("activity:weekly_print_xlsx", args=weekly),
        ),
        (
            f"附件6 of a {args.dept_agents}-agent department (week), PDF",
            reverse("activity:log_check_print_pdf") + log_check,
        ),
    ]
    lines = [
        f"## Forms (附件) on {connection.vendor}: {args.visits} visits in {month:%Y-%m}, "
        f"{args.departments} departments; median of {args.runs} runs (DEBUG off)",
        "",
        "| file | median s | CPU s | size KB | PDF pages |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, url in cases:
        progress(label)
        seconds, cpu, response = timed(client, url, args.runs)
        lines.append(row(label, seconds, cpu, response.content))
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(client.get, cases[1][1])
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.profile)
        lines += ["", "```", out.getvalue().strip(), "```"]
    return "\n".join(lines)


def row(label, seconds, cpu, content) -> str:
    from pypdf import PdfReader

    pages = ""
    if content.startswith(b"%PDF-"):
        pages = str(len(PdfReader(io.BytesIO(content)).pages))
    return f"| {label} | {seconds:.2f} | {cpu:.2f} | {len(content) / 1024:.0f} | {pages} |"


if __name__ == "__main__":
    main()
