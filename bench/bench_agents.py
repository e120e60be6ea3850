"""Benchmark: seed a big demo branch, then time the agent list page and API.

    DJANGO_DEBUG=1 .venv/bin/python bench/bench_agents.py [--agents 20000]
        [--database-url postgres://user:pass@host/db] [--runs 20] [--warmup 2]

Without --database-url a fresh SQLite file in a temp directory is used (removed afterwards
unless --keep). A PostgreSQL URL must point at an empty database (or pass --reset-schema to
drop and recreate its `public` schema first). Times are server time measured with Django's test
Client (middleware, view, queries, template/serializer), with query logging off; the query
count of each request is taken in one extra run. Prints a markdown report.
"""

import argparse
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

USERS = ["district_manager", "admin"]
COMMON_SURNAME = "王"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", type=int, default=20000)
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
        "--debug", action="store_true", help="keep DEBUG (and its query logging) on while timing"
    )
    return parser.parse_args()


def main():
    args = parse_args()
    tmpdir = None
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        tmpdir = tempfile.mkdtemp(prefix="bench-agents-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmpdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ["AXES_ENABLED"] = "0"
    warnings.filterwarnings("ignore", message="No directory at")  # staticfiles not collected
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
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    vendor = connection.vendor
    if vendor == "postgresql" and args.reset_schema:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_seconds = time.perf_counter() - started

    started = time.perf_counter()
    call_command("seed_demo", agents=args.agents, seed=args.seed, stdout=sys.stderr)
    seed_seconds = time.perf_counter() - started
    size = database_size(connection)

    # DEBUG off so timings carry no query-logging overhead; the test Client's host allowed
    settings.DEBUG = bool(args.debug)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    lines = [
        f"## Agent list benchmark — {args.agents} agents, {vendor}",
        "",
        f"- Django {django_version()}, Python {sys.version.split()[0]}, "
        f"DEBUG {'on' if settings.DEBUG else 'off'} while timing",
        f"- migrate: {migrate_seconds:.1f} s; `seed_demo --agents {args.agents}`: "
        f"{seed_seconds:.1f} s",
        f"- database size after seeding: {size}",
        f"- {args.runs} timed runs per row after {args.warmup} warm-ups; times are server time "
        "through the test Client",
        "",
        "| user | endpoint | variant | status | matches | median ms | p90 ms | queries |",
        "|---|---|---|---|---:|---:|---:|---:|",
    ]
    for username in USERS:
        for endpoint, variant, url in cases():
            result = measure(username, url, args.runs, args.warmup)
            lines.append(
                f"| {username} | `{endpoint}` | {variant} | {result['status']} | "
                f"{result['matches']} | {result['median']:.1f} | {result['p90']:.1f} | "
                f"{result['queries']} |"
            )
            print(lines[-1], file=sys.stderr)
    return "\n".join(lines)


def django_version():
    import django

    return django.get_version()


def database_size(connection) -> str:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        path = Path(connection.settings_dict["NAME"])
        total = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
        return f"{total / 2**20:.1f} MiB (SQLite file)"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_database_size(current_database()), "
                "pg_size_pretty(pg_database_size(current_database()))"
            )
            _raw, pretty = cursor.fetchone()
        return f"{pretty} (pg_database_size)"
    return "n/a"


def cases():
    from org.models import Rank

    formal = Rank.objects.get(branch__code="HZ", code="FORMAL").pk
    filtered = f"?status=formal&rank={formal}&q={COMMON_SURNAME}"
    for endpoint in ("/org/agents/", "/api/v1/agents/"):
        yield endpoint, "first page", endpoint
        yield endpoint, f"filtered `{filtered}`", endpoint + filtered
        yield endpoint, "sorted `?ordering=-hire_date`", endpoint + "?ordering=-hire_date"


def measure(username, url, runs, warmup) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import (
        CaptureQueriesContext,
        setup_test_environment,
        teardown_test_environment,
    )

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    for _warm in range(warmup):
        client.get(url)
    times = []
    response = None
    for _run in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    # one more run, counted, with templates instrumented so the page's context is readable
    setup_test_environment(debug=bool(args_debug()))
    try:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
    finally:
        teardown_test_environment()
    times.sort()
    return {
        "status": response.status_code,
        "matches": matches(response),
        "median": statistics.median(times),
        "p90": times[max(0, math.ceil(0.9 * len(times)) - 1)],
        "queries": len(captured),
    }


def args_debug():
    from django.conf import settings

    return settings.DEBUG


def matches(response):
    """How many agents the list found: the API's `count`, or the page's paginator count."""
    if response.status_code != 200:
        return "—"
    if response.get("Content-Type", "").startswith("application/json"):
        return response.json().get("count", "?")
    context = getattr(response, "context", None)
    try:
        return context["page"].paginator.count
    except (TypeError, KeyError, AttributeError):
        return "?"


if __name__ == "__main__":
    main()
