"""Benchmark: the weekly activity check (附件5) and the department dashboard at scale.

    DJANGO_DEBUG=1 .venv/bin/python bench/bench_activity.py [--agents 20000] [--days 90]
        [--runs 10] [--database-url postgres://…]

Builds, in a fresh SQLite file in a temp directory (or the given empty database), a branch of
`--agents` agents in districts of 2,500 (5 departments of 500, groups of 50, as the demo branch)
and `--days` days of work logs (about 85 % of agent-workdays filled) with raw bulk inserts, plus
attendance records and prospect cards for the measured department. It measures in two phases on
the same database:

1. small: 1,000 agents (the first district's first two departments), the last 30 days of logs;
2. full: all agents and all days.

For each phase it times, through Django's test Client with DEBUG off, the weekly check page of
one department (a draft: figures computed live), its Excel export, the list of weekly checks,
and the department and district dashboards over the whole period; medians and query counts as
markdown. It fails if a page's query count differs between the phases (the count must not grow
with agents or days).
"""

import argparse
import random
import statistics
import time
from datetime import date, timedelta

from _harness import django_on, progress

AGENTS_PER_GROUP = 50
GROUPS_PER_DEPARTMENT = 10
DEPARTMENTS_PER_DISTRICT = 5
BATCH = 50_000


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", type=int, default=20000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with django_on(args.database_url, "bench-activity-"):
        print(run(args))


def build_org(agents_total: int):
    """Districts of 2,500 agents (5 departments of 10 groups of 50), as in the demo branch."""
    from accounts.models import Role, RoleAssignment, User
    from org.models import Rank, Unit, UnitKind

    branch = Unit.objects.create(kind=UnitKind.BRANCH, name="基准分公司", code="BR")
    rank = Rank.objects.create(branch=branch, code="FORMAL", name="正式业务员", level=2)
    groups_needed = -(-agents_total // AGENTS_PER_GROUP)
    districts, departments, groups = [], [], []
    while len(groups) < groups_needed:
        number = len(districts) + 1
        district = Unit.objects.create(
            kind=UnitKind.DISTRICT, name=f"基准{number}区", code=f"D{number}", parent=branch
        )
        districts.append(district)
        for d in range(DEPARTMENTS_PER_DISTRICT):
            department = Unit.objects.create(
                kind=UnitKind.DEPARTMENT,
                name=f"{number}区第{d + 1}部",
                code=f"D{number}-{d + 1}",
                parent=district,
            )
            departments.append(department)
            for g in range(GROUPS_PER_DEPARTMENT):
                groups.append(
                    Unit.objects.create(
                        kind=UnitKind.GROUP,
                        name=f"{number}区{d + 1}部{g + 1}组",
                        code=f"D{number}-{d + 1}-{g + 1}",
                        parent=department,
                    )
                )
    district = districts[0]
    users = {}
    for username, role, unit in (
        ("district_manager", Role.DISTRICT_MANAGER, district),
        ("dept_manager", Role.DEPT_MANAGER, departments[0]),
    ):
        users[username] = User.objects.create_user(
            username=username,
            password=None,
            full_name=username,
        )
        RoleAssignment.objects.create(user=users[username], role=role, unit=unit)
    return district, departments, groups, rank, users


def add_agents(groups, rank, start_index: int, count: int, hire_from: date, rng):
    from org.models import Agent
    from org.services import placements

    agents = []
    for i in range(start_index, start_index + count):
        agents.append(
            Agent(
                code=f"B{i:07d}",
                name=f"业务员{i}",
                gender="F",
                id_number=f"3301061990{i:08d}",
                mobile=f"138{i:08d}",
                education="college",
                hire_date=hire_from - timedelta(days=rng.randint(0, 700)),
                group=groups[i // AGENTS_PER_GROUP],
                rank=rank,
                status="formal",
            )
        )
    Agent.objects.bulk_create(agents, batch_size=5000)
    ids = list(Agent.objects.filter(code__in=[a.code for a in agents]).values_list("pk", flat=True))
    placements.rebuild(ids)  # bulk_create sends no signal: place them from hire on
    return ids


def add_logs(agent_ids, days, rng) -> int:
    """Raw bulk inserts (the fastest way on both databases); points by the default scorecard."""
    from django.db import connection, transaction
    from django.utils import timezone

    columns = [
        "agent_id",
        "date",
        "new_prospects",
        "first_visits",
        "follow_up_visits",
        "closing_visits",
        "service_visits",
        "recruiting_talks",
        "accompanied_visits",
        "policies_closed",
        "meeting_notes",
        "tomorrow_plan",
        "state",
        "return_comment",
        "points",
        "updated_at",
    ]
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO activity_worklog ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
    now = timezone.now()
    rows, total = [], 0
    randint, random_ = rng.randint, rng.random
    with transaction.atomic(), connection.cursor() as cursor:
        for agent_id in agent_ids:
            strong = random_() < 0.3
            for day in days:
                if random_() > 0.85:
                    continue
                fv, fu, cl, sv, rt = (
                    randint(0, 3 if strong else 2),
                    randint(0, 2),
                    randint(0, 1),
                    randint(0, 2),
                    randint(0, 1),
                )
                np_, pc = randint(0, 2), 1 if random_() < 0.05 else 0
                points = np_ + 3 * fv + 2 * fu + 5 * cl + sv + 3 * rt + 10 * pc
                rows.append(
                    (agent_id, day, np_, fv, fu, cl, sv, rt, randint(0, 1), pc, "", "",
                     "approved", "", points, now)
                )  # fmt: skip
                if len(rows) >= BATCH:
                    cursor.executemany(sql, rows)
                    total += len(rows)
                    rows = []
        if rows:
            cursor.executemany(sql, rows)
            total += len(rows)
    return total


def add_department_extras(department, days, rng):
    """Attendance records and prospect cards for the measured department only."""
    from activity.models import ProspectCard
    from attendance.models import AttendanceRecord
    from org.models import Agent

    ids = list(Agent.objects.in_unit(department).values_list("pk", flat=True))
    done = set(AttendanceRecord.objects.filter(agent_id__in=ids).values_list("agent_id", "date"))
    records = [
        AttendanceRecord(
            agent_id=agent_id,
            date=day,
            status="present" if rng.random() < 0.9 else "late",
            source="import",
        )
        for agent_id in ids
        for day in days
        if (agent_id, day) not in done and rng.random() < 0.95
    ]
    AttendanceRecord.objects.bulk_create(records, batch_size=5000)
    have = set(ProspectCard.objects.filter(agent_id__in=ids).values_list("agent_id", flat=True))
    cards = [
        ProspectCard(agent_id=agent_id, name=f"客户{n}", stage=rng.choice(["new", "contacted"]))
        for agent_id in ids
        if agent_id not in have
        for n in range(rng.choice([10, 35, 70, 120]))
    ]
    ProspectCard.objects.bulk_create(cards, batch_size=5000)


def measure(cases, users, runs) -> list[tuple[str, float, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    results = []
    for username, label, url in cases:
        client = Client()
        client.force_login(users[username])
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

    from activity.models import WorkLog
    from activity.selectors.weekly_checks import default_week
    from workcalendar.selectors import workdays

    rng = random.Random(args.seed)  # noqa: S311 - reproducible bench data
    call_command("migrate", verbosity=0, interactive=False)
    if connection.vendor == "sqlite":
        # A throw-away file: no fsync, and a page cache large enough for the log indexes.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-1000000")
    today = timezone.localdate()
    started = time.perf_counter()
    district, departments, groups, rank, users = build_org(args.agents)
    all_days = workdays(district, today - timedelta(days=args.days), today - timedelta(days=1))
    # The small phase fills the first district's first 1,000 agents; the full one every agent.
    small_agents = min(1000, args.agents)
    small_days = [d for d in all_days if d >= today - timedelta(days=30)]
    hire_from = today - timedelta(days=args.days + 1)
    first_ids = add_agents(groups, rank, 0, small_agents, hire_from, rng)
    add_logs(first_ids, small_days, rng)
    add_department_extras(departments[0], all_days, rng)
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    department = departments[0]
    week = default_week()
    start = today - timedelta(days=args.days)
    cases = [
        (
            "dept_manager",
            "weekly check page (1 department, live figures)",
            f"/activity/weekly/{department.pk}/{week.isoformat()}/",
        ),
        (
            "dept_manager",
            "weekly check Excel",
            f"/activity/weekly/{department.pk}/{week.isoformat()}/xlsx/",
        ),
        ("district_manager", "weekly checks list (district)", f"/activity/weekly/?week={week}"),
        (
            "dept_manager",
            f"department dashboard, {args.days} days",
            f"/activity/dashboard/?unit={department.pk}&start={start}&end={today}",
        ),
        (
            "district_manager",
            f"district dashboard, {args.days} days",
            f"/activity/dashboard/?unit={district.pk}&start={start}&end={today}",
        ),
    ]
    # Fresh statistics after the bulk inserts, as autovacuum / a DBA would keep them.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    generation = time.perf_counter() - started
    small_logs = WorkLog.objects.count()
    progress(f"small phase: {small_agents} agents, {small_logs} logs")
    small = measure(cases, users, args.runs)

    gen_started = time.perf_counter()
    rest_ids = add_agents(groups, rank, small_agents, args.agents - small_agents, hire_from, rng)
    add_logs(first_ids, [d for d in all_days if d not in set(small_days)], rng)
    add_logs(rest_ids, all_days, rng)
    # Fresh statistics after the bulk inserts, as autovacuum / a DBA would keep them.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    full_logs = WorkLog.objects.count()
    generation += time.perf_counter() - gen_started
    progress(f"full phase: {args.agents} agents, {full_logs} logs (all data in {generation:.0f} s)")
    full = measure(cases, users, args.runs)

    lines = [
        f"Database: {connection.vendor}; districts of 2,500 agents, departments of "
        f"{AGENTS_PER_GROUP * GROUPS_PER_DEPARTMENT} agents; measured: the first department "
        f"with attendance records and prospect cards; runs: {args.runs}. "
        f"Data generated in {generation:.0f} s.",
        "",
        f"| page | small: {small_agents} agents, 30 days ({small_logs} logs) ms | queries "
        f"| full: {args.agents} agents, {args.days} days ({full_logs} logs) ms | queries |",
        "|---|---|---|---|---|",
    ]
    grew = []
    for (label, small_ms, small_q), (_label, full_ms, full_q) in zip(small, full, strict=True):
        lines.append(f"| {label} | {small_ms:.0f} | {small_q} | {full_ms:.0f} | {full_q} |")
        if full_q != small_q:
            grew.append(label)
    if grew:
        lines.append("")
        lines.append(f"QUERY COUNT GREW: {', '.join(grew)}")
    report = "\n".join(lines)
    if grew:
        print(report)
        raise SystemExit(1)
    return report


if __name__ == "__main__":
    main()
