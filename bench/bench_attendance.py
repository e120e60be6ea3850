"""Benchmark: the attendance month grid, roll call and figures for a 300-agent department.

    DJANGO_DEBUG=1 .venv/bin/python bench/bench_attendance.py [--agents 400] [--dept-agents 300]
        [--database-url postgres://user:pass@host/db] [--runs 20] [--warmup 2]

Seeds the demo branch (`seed_demo --agents N`, which fills three months of attendance for the
first district), then adds a department of --dept-agents agents in ten groups to that district,
with the same three months of attendance (a few hired or resigned in the period). Without
--database-url a fresh SQLite file in a temp directory is used (removed unless --keep); a
PostgreSQL URL must point at an empty database (or pass --reset-schema). Times are server time
through Django's test Client with DEBUG (query logging) off; the query count of each request is
taken in one extra run. The grid's query count is also compared with a 30-agent group's: it
must not grow with the number of agents. Then the month grid's Excel writer alone (the grid
built once) and 附件7 (the department's check record of last month: page, PDF, Excel). Prints a
markdown report.
"""

import argparse
import math
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DEPT_CODE = "BENCH-ATT"
GROUPS = 10


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", type=int, default=400, help="seed_demo size (default 400)")
    parser.add_argument("--dept-agents", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temp dir")
    parser.add_argument(
        "--reset-schema",
        action="store_true",
        help="PostgreSQL only: DROP SCHEMA public CASCADE first (destroys data)",
    )
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the temporary SQLite file")
    parser.add_argument(
        "--deduction-agents",
        type=int,
        default=20000,
        help="agents of the district whose monthly deduction run is timed (0: skip)",
    )
    parser.add_argument("--deduction-runs", type=int, default=5)
    return parser.parse_args()


def main():
    args = parse_args()
    tmpdir = None
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        tmpdir = tempfile.mkdtemp(prefix="bench-attendance-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmpdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ["AXES_ENABLED"] = "0"
    warnings.filterwarnings("ignore", message="No directory at")
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)

    import django

    django.setup()
    try:
        report = run(args)
    finally:
        if tmpdir and not args.keep:
            shutil.rmtree(tmpdir, ignore_errors=True)
        elif tmpdir:
            print(f"(kept {tmpdir}/bench.sqlite3)", file=sys.stderr)
    print(report)


def run(args) -> str:
    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql" and args.reset_schema:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", agents=args.agents, seed=args.seed, stdout=sys.stderr)
    seed_seconds = time.perf_counter() - started
    started = time.perf_counter()
    world = build_department(args)
    build_seconds = time.perf_counter() - started

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from attendance.models import AttendanceRecord

    today = world["today"]
    previous = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    dept, group, district = world["department"], world["group"], world["district"]
    quarter = (today.replace(day=1) - timedelta(days=62)).replace(day=1)
    cases = [
        ("assistant", "month grid, this month", f"/attendance/month/?unit={dept}", None),
        (
            "assistant",
            "month grid, last month (full)",
            f"/attendance/month/?unit={dept}&year={previous.year}&month={previous.month}",
            None,
        ),
        (
            "assistant",
            "month grid, one 30-agent group",
            f"/attendance/month/?unit={group}&year={previous.year}&month={previous.month}",
            None,
        ),
        (
            "assistant",
            "month grid Excel export, last month",
            f"/attendance/month/export/?unit={dept}&year={previous.year}&month={previous.month}",
            None,
        ),
        ("assistant", "roll call page, today", f"/attendance/roll-call/?unit={dept}", None),
        ("assistant", "roll call save, all agents changed", "/attendance/roll-call/", "POST"),
        (
            "assistant",
            "figures page, three months",
            f"/attendance/summary/?unit={dept}&start={quarter}&end={today}",
            None,
        ),
        (
            "district_manager",
            "figures API, district, three months",
            f"/api/v1/attendance/summary/?unit={district}&start={quarter}&end={today}",
            None,
        ),
        ("district_manager", "overview, district today", f"/attendance/?unit={district}", None),
    ]
    lines = [
        f"## Attendance benchmark — {world['agents']}-agent department, {connection.vendor}",
        "",
        f"- Django {django.get_version()}, Python {sys.version.split()[0]}, DEBUG off while timing",
        f"- `seed_demo --agents {args.agents}` + migrate: {seed_seconds:.1f} s; the benchmark "
        f"department ({world['agents']} agents, {world['records']} records over three months): "
        f"{build_seconds:.1f} s",
        f"- attendance records in the database: {AttendanceRecord.objects.count()}",
        f"- {args.runs} timed runs per row after {args.warmup} warm-ups; server time through the "
        "test Client",
        "",
        "| user | request | status | median ms | p90 ms | queries |",
        "|---|---|---|---:|---:|---:|",
    ]
    counts = {}
    for username, label, url, method in cases:
        data = roll_call_data(world) if method == "POST" else None
        result = measure(username, url, data, args.runs, args.warmup)
        counts[label] = result["queries"]
        lines.append(
            f"| {username} | {label} | {result['status']} | {result['median']:.1f} | "
            f"{result['p90']:.1f} | {result['queries']} |"
        )
        print(lines[-1], file=sys.stderr)
    same = counts["month grid, last month (full)"] == counts["month grid, one 30-agent group"]
    lines += [
        "",
        f"Grid queries: {world['agents']}-agent department "
        f"{counts['month grid, last month (full)']}, 30-agent group "
        f"{counts['month grid, one 30-agent group']} — "
        + ("the same: the count does not grow with agents." if same else "DIFFERENT."),
    ]
    if not same:
        raise SystemExit("\n".join(lines))
    lines += ["", *bench_month_writer(world, previous, args.runs)]
    lines += ["", *bench_form7(world, previous, args.runs)]
    if args.deduction_agents:
        lines += ["", *bench_deductions(args)]
    return "\n".join(lines)


def bench_month_writer(world, month, runs) -> list[str]:
    """The month grid's Excel writer alone (attendance.exports.month_grid_xlsx, XlsxWriter) on
    the department's grid of `month`, built once: the part of the export request that is the
    file, apart from the grid's queries and figures (the month page's time)."""
    from attendance.exports import month_grid_xlsx
    from attendance.selectors.month import month_grid
    from org.models import Agent, Unit

    unit = Unit.objects.get(pk=world["department"])
    grid = month_grid(Agent.objects.all(), unit, month.year, month.month)
    month_grid_xlsx(grid)  # warm-up
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        content = month_grid_xlsx(grid)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    cells = len(grid.rows) * (len(grid.columns) + 11)
    return [
        f"Month grid Excel writer alone (XlsxWriter), {len(grid.rows)} agents × "
        f"{len(grid.columns)} days ({cells} cells, {len(content) / 1024:.0f} KB): median "
        f"{statistics.median(times):.1f} ms, p90 {times[max(0, math.ceil(0.9 * runs) - 1)]:.1f} ms "
        f"over {runs} runs (target ≤ 100 ms)."
    ]


def bench_form7(world, month, runs) -> list[str]:
    """附件7 (the department's attendance check record, core.paperforms) for the whole of
    `month`: the page, the PDF (WeasyPrint) and the Excel file (XlsxWriter)."""
    import io

    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from pypdf import PdfReader

    from attendance.services.checks import check_record_create
    from org.models import Unit

    last = (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    record = check_record_create(
        acting_user=get_user_model().objects.get(username="bench_assistant"),
        department=Unit.objects.get(pk=world["department"]),
        check_date=last,
        period_start=month,
        period_end=last,
        handling_measures="部经理逐一谈话，旷工者按规定扣款并限期改正。",
    )
    people = record.lines.values("agent_id").distinct().count()
    lines = [
        f"### 附件7 check record for {month:%Y-%m}: {record.lines.count()} check lines, "
        f"{people} people",
        "",
        "| file | status | median ms | p90 ms | queries | size KB | PDF pages |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for label, name in (("page", ""), ("PDF", "_pdf"), ("Excel", "_xlsx")):
        url = reverse(f"attendance:check_print{name}", args=[record.pk])
        result = measure("assistant", url, None, runs, 1)
        content = result["content"]
        pages = len(PdfReader(io.BytesIO(content)).pages) if name == "_pdf" else ""
        lines.append(
            f"| {label} | {result['status']} | {result['median']:.1f} | {result['p90']:.1f} | "
            f"{result['queries']} | {len(content) / 1024:.0f} | {pages} |"
        )
        print(lines[-1], file=sys.stderr)
    return lines


def build_district(code: str, agents: int, seed: int, month_first: date, month_last: date):
    """A district of `agents` agents (100 per group, 10 groups per department) with a month of
    attendance and the worked example's rates; bulk inserts only. Returns (district, records)."""
    from decimal import Decimal

    from django.db import transaction

    from attendance.demo import BATCH, attendance_rows
    from attendance.models import AttendanceRecord, AttendanceRules
    from org.models import Agent, AgentStatus, Rank, Unit, UnitKind
    from org.services import placements
    from workcalendar.selectors import workdays

    rng = random.Random(seed)
    with transaction.atomic():
        branch = Unit.objects.filter(kind=UnitKind.BRANCH).order_by("path").first()
        district = Unit.objects.create(
            kind=UnitKind.DISTRICT, name=f"基准营业区{code}", code=code, parent=branch
        )
        groups = []
        for d in range(math.ceil(agents / 1000)):
            department = Unit.objects.create(
                kind=UnitKind.DEPARTMENT, name=f"{code}部{d + 1}", code=f"{code}-{d + 1}",
                parent=district,
            )  # fmt: skip
            for g in range(10):
                groups.append(
                    Unit.objects.create(
                        kind=UnitKind.GROUP,
                        name=f"{code}部{d + 1}组{g + 1}",
                        code=f"{code}-{d + 1}-{g + 1}",
                        parent=department,
                    )  # fmt: skip
                )
        rank = Rank.objects.filter(code="FORMAL").first()
        Agent.objects.bulk_create(
            (
                Agent(
                    code=f"{code}{i:06d}",
                    name=f"扣款{i:05d}",
                    gender="M",
                    id_number=f"{code}{i:08d}"[-18:].rjust(18, "0"),
                    mobile=f"137{i:08d}",
                    education="college",
                    hire_date=date(2020, 1, 1),
                    group=groups[i // 100],
                    rank=rank,
                    status=AgentStatus.FORMAL,
                )  # fmt: skip
                for i in range(agents)
            ),
            batch_size=BATCH,
        )
        placements.rebuild(Agent.objects.in_unit(district).values_list("pk", flat=True))
        AttendanceRules.objects.create(
            district=district, effective_from=date(2020, 1, 1), late_deduction=Decimal("5"),
            unreported_leave_deduction=Decimal("10"), absence_deduction=Decimal("20"),
            free_reported_leave_days=Decimal("2"), reported_leave_deduction=Decimal("5"),
        )  # fmt: skip
        rows = list(
            Agent.objects.in_unit(district).values(
                "pk", "hire_date", "resigned_on", "group_id", "user_id"
            )
        )
        days = workdays(district, month_first, month_last)
        records = attendance_rows(rng, rows, days, month_last + timedelta(days=1), None)
        AttendanceRecord.objects.bulk_create(records, batch_size=BATCH)
    return district, len(records)


def bench_deductions(args) -> list[str]:
    """The district deduction run (deduction_services.deduction_run) for --deduction-agents
    agents over last month: the first run, then re-runs (each replaces every line)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from attendance.models import AttendanceRecord
    from attendance.services.deductions import deduction_run

    today = timezone.localdate()
    last = today.replace(day=1) - timedelta(days=1)
    first = last.replace(day=1)
    started = time.perf_counter()
    big, records = build_district("DED", args.deduction_agents, args.seed, first, last)
    small, _small_records = build_district("DES", 200, args.seed, first, last)
    build_seconds = time.perf_counter() - started
    if connection.vendor in {"postgresql", "sqlite"}:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(AttendanceRecord._meta.db_table)}")
    admin = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()

    def timed(district):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            audit = deduction_run(acting_user=admin, district=district, month=first)
            seconds = time.perf_counter() - started
        return seconds, len(captured), audit

    first_seconds, first_queries, audit = timed(big)
    reruns = [timed(big) for _ in range(args.deduction_runs)]
    small_runs = [timed(small) for _ in range(3)]
    lines_written = audit.deduction_month.lines.count()
    median = statistics.median(seconds for seconds, _q, _a in reruns)
    small_queries = small_runs[-1][1]
    big_queries = reruns[-1][1]
    print(f"deduction run: first {first_seconds:.2f} s, re-run median {median:.2f} s",
          file=sys.stderr)  # fmt: skip
    return [
        f"## District deduction run — {args.deduction_agents} agents, {first:%Y-%m}, "
        f"{connection.vendor}",
        "",
        f"- the district ({args.deduction_agents} agents, {records} attendance records in the "
        f"month) and a 200-agent district built in {build_seconds:.1f} s",
        f"- lines written (agents with a late, leave or absent day): {lines_written}, total "
        f"¥{audit.total_after}",
        "",
        "| run | median s | runs | queries |",
        "|---|---:|---:|---:|",
        f"| first run ({args.deduction_agents} agents) | {first_seconds:.2f} | 1 | "
        f"{first_queries} |",
        f"| re-run ({args.deduction_agents} agents, replaces every line) | {median:.2f} | "
        f"{len(reruns)} | {big_queries} |",
        f"| re-run (200 agents) | {statistics.median(s for s, _q, _a in small_runs):.3f} | "
        f"{len(small_runs)} | {small_queries} |",
        "",
        f"Run queries: {args.deduction_agents} agents {big_queries}, 200 agents {small_queries}"
        + (" — the same." if big_queries == small_queries else " — DIFFERENT."),
    ]


def build_department(args) -> dict:
    """A department of --dept-agents agents in ten groups, with three months of attendance,
    plus an assistant for it; bulk inserts only."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Role, RoleAssignment
    from attendance.demo import BATCH, attendance_rows
    from attendance.models import AttendanceRecord
    from org.models import Agent, AgentStatus, Rank, Unit, UnitKind
    from org.services import placements
    from workcalendar.selectors import workdays

    rng = random.Random(args.seed)
    today = timezone.localdate()
    start = (today.replace(day=1) - timedelta(days=62)).replace(day=1)
    with transaction.atomic():
        district = Unit.objects.filter(kind=UnitKind.DISTRICT).order_by("path").first()
        department = Unit.objects.create(
            kind=UnitKind.DEPARTMENT, name="基准营业部", code=BENCH_DEPT_CODE, parent=district
        )
        groups = [
            Unit.objects.create(
                kind=UnitKind.GROUP,
                name=f"基准{i + 1}组",
                code=f"{BENCH_DEPT_CODE}-{i + 1}",
                parent=department,
            )
            for i in range(GROUPS)
        ]
        rank = Rank.objects.filter(code="FORMAL").first()
        agents = []
        for i in range(args.dept_agents):
            hire = date(2022, 1, 1) + timedelta(days=rng.randrange(1200))
            resigned = None
            if i % 50 == 7:
                hire = start + timedelta(days=40 + i % 20)  # hired during the period
            if i % 50 == 23:
                resigned = start + timedelta(days=30 + i % 40)  # resigned during the period
            agents.append(
                Agent(
                    code=f"B{i:06d}",
                    name=f"基准{i:03d}",
                    gender="F",
                    id_number=f"33010619900101{i:04d}"[:18],
                    mobile=f"139{i:08d}",
                    education="college",
                    hire_date=hire,
                    group=groups[i % GROUPS],
                    rank=rank,
                    status=AgentStatus.RESIGNED if resigned else AgentStatus.FORMAL,
                    resigned_on=resigned,
                )
            )
        Agent.objects.bulk_create(agents, batch_size=BATCH)
        placements.rebuild(Agent.objects.in_unit(department).values_list("pk", flat=True))
        user = get_user_model().objects.create(
            username="bench_assistant", password=make_password("bench"), full_name="基准助理"
        )
        RoleAssignment.objects.create(user=user, role=Role.ASSISTANT, unit=department)
        rows = list(
            Agent.objects.filter(group__parent=department).values(
                "pk", "hire_date", "resigned_on", "group_id", "user_id"
            )
        )
        records = attendance_rows(rng, rows, workdays(department, start, today), today, user)
        AttendanceRecord.objects.bulk_create(records, batch_size=BATCH)
    from django.db import connection

    if connection.vendor in {"postgresql", "sqlite"}:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(AttendanceRecord._meta.db_table)}")
    active = sorted(
        agent.pk for agent in Agent.objects.filter(group__parent=department).active_on(today)
    )
    return {
        "today": today,
        "department": department.pk,
        "group": groups[0].pk,
        "district": district.pk,
        "agents": len(rows),
        "records": len(records),
        "active": active,
        "is_workday": bool(workdays(department, today, today)),
        "flip": [0],
    }


def roll_call_data(world):
    """A roll call that changes every agent's status on every run (the worst case)."""

    def make():
        world["flip"][0] += 1
        status = "late" if world["flip"][0] % 2 else "present"
        data = {"unit": world["department"], "date": world["today"].isoformat()}
        data.update({f"s{pk}": status for pk in world["active"]})
        return data

    return make


def measure(username, url, data, runs, warmup) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if username == "assistant":
        username = "bench_assistant"
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))

    def request():
        return client.post(url, data()) if data else client.get(url)

    for _warm in range(warmup):
        request()
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        response = request()
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        response = request()
    times.sort()
    return {
        "status": response.status_code,
        "median": statistics.median(times),
        "p90": times[max(0, math.ceil(0.9 * len(times)) - 1)],
        "queries": len(captured),
        "content": response.content,
    }


if __name__ == "__main__":
    main()
