"""Benchmark: the forms (附件, core.paperforms) made on the server — the PDF and the Excel file
of the 附件4 archive of a month, the PDF of one acceptance form, and the PDF of a form table of
`--rows` rows shaped like 附件5 and 附件7 (a 300-agent department) made by the mechanism itself.

    DJANGO_DEBUG=1 .venv/bin/python bench/bench_forms.py [--departments 30] [--visits 300]
        [--rows 300] [--runs 3] [--database-url postgres://…] [--profile 30]

Builds, in a fresh SQLite file in a temp directory (or the given empty database), one district
of `--departments` departments with the default acceptance checklist and `--visits` visits in
last month (90 % done, each with a scored form of 8 items), with bulk inserts. It then times,
through Django's test Client with DEBUG off, as the district manager: the 附件4 archive of that
month as page, PDF and Excel, and one visit's 附件4 as PDF; medians of `--runs` runs after a
warm-up (the first PDF also loads WeasyPrint and the fonts), with the PDF's page count. Beside
the wall time it gives the process's CPU time (server work only: the client is in-process), which
the other programs sharing the machine disturb less. `--profile N` prints, after the report,
cProfile's N slowest functions (cumulative) of one archive PDF.
"""

import argparse
import cProfile
import io
import pstats
import random
import statistics
import time
from datetime import date, timedelta
from decimal import Decimal

from _harness import django_on, progress


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--departments", type=int, default=30)
    parser.add_argument("--visits", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--rows", type=int, default=300)
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


def form_table(rows: int, rng):
    """Two forms of `rows` rows with the columns of 附件5/6 (per agent: group, name, prospects,
    visits, points against 计划100, meeting notes, approval) and of 附件7 (per person: days of
    leave reported and not, absent days, handling)."""
    from core.paperforms import LANDSCAPE, Column, Form, Signature, Table

    people = [(f"第{n % 12 + 1}组", f"业务员{n:03d}") for n in range(rows)]
    activity = Form(
        number=5,
        name="业务员工作日志检查表",
        unit="第一营业部",
        period="2026-03-02 — 2026-03-08",
        tables=[
            Table(
                [
                    Column("营业组", "text", 8),
                    Column("姓名", "text", 8),
                    Column("准主顾数", "int", 6),
                    Column("拜访量", "int", 6),
                    Column("计划100", "int", 6),
                    Column("早会记录", "text", 6),
                    Column("主管审批", "text", 12),
                ],
                [
                    [
                        g,
                        name,
                        rng.randint(0, 40),
                        rng.randint(0, 30),
                        rng.randint(40, 100),
                        "有" if rng.random() < 0.9 else "无",
                        "已审批 2026-03-09",
                    ]
                    for g, name in people
                ],
            )
        ],
        signatures=[Signature("主管签字"), Signature("部经理签字")],
    )
    attendance = Form(
        number=7,
        name="营业部差勤检查记录表",
        unit="第一营业部",
        period="2026年3月",
        orientation=LANDSCAPE,
        tables=[
            Table(
                [
                    Column("营业组", "text", 8),
                    Column("姓名", "text", 8),
                    Column("请假天数（已报）", "decimal", 7),
                    Column("请假天数（未报）", "decimal", 7),
                    Column("缺勤天数", "decimal", 6),
                    Column("日期", "date", 8),
                    Column("处理", "text", 16),
                ],
                [
                    [
                        g,
                        name,
                        Decimal(rng.randint(0, 6)) / 2,
                        Decimal(rng.randint(0, 2)) / 2,
                        Decimal(rng.randint(0, 4)) / 2,
                        date(2026, 3, 1 + n % 28),
                        "口头提醒" if n % 3 else "",
                    ]
                    for n, (g, name) in enumerate(people)
                ],
            )
        ],
        signatures=[Signature("检查人签字")],
    )
    return activity, attendance


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
    from core.paperforms.pdf import render_pdf
    from core.paperforms.views import document_context

    for form in form_table(args.rows, rng):
        label = f"{args.rows}-row table shaped like 附件{form.number}, PDF"
        progress(label)
        content = render_pdf(document_context([form]))  # warm-up
        seconds, cpu = measure(lambda f=form: render_pdf(document_context([f])), args.runs)
        lines.append(row(label, seconds, cpu, content))
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
