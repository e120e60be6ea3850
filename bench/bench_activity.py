"""Benchmark (small): the activity dashboard and the 二早 review page on the demo district.

    DJANGO_DEBUG=1 .venv/bin/python bench/bench_activity.py [--agents 400] [--runs 10]

Seeds the demo branch into a fresh SQLite file in a temp directory (seed_demo --agents N, which
fills three months of work logs for the first district) and times, through Django's test Client
with DEBUG off, the district dashboard over three months and the review page of one group;
prints medians and query counts as markdown. The 20,000-agent run is left for later.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", type=int, default=400)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    tmpdir = tempfile.mkdtemp(prefix="bench-activity-")
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
        print(run(args))
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


def run(args) -> str:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from activity.models import WorkLog
    from org.models import Unit, UnitKind

    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", agents=args.agents, seed=args.seed, stdout=sys.stderr)
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    district = Unit.objects.filter(kind=UnitKind.DISTRICT).order_by("path").first()
    group = Unit.objects.filter(kind=UnitKind.GROUP, path__startswith=district.path).first()
    today = timezone.localdate()
    start = today - timedelta(days=90)
    cases = [
        (
            "district_manager",
            "dashboard, district, 90 days",
            f"/activity/dashboard/?unit={district.pk}&start={start}&end={today}",
        ),
        ("district_manager", "review page, one group", f"/activity/review/?group={group.pk}"),
        ("district_manager", "card counts", "/activity/cards/counts/"),
    ]
    users = get_user_model().objects
    lines = [
        f"Work logs: {WorkLog.objects.count()}, agents: {args.agents}, SQLite",
        "",
        "| page | median ms | queries |",
        "|---|---|---|",
    ]
    for username, label, url in cases:
        client = Client()
        client.force_login(users.get(username=username))
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            if client.get(url).status_code != 200:
                raise SystemExit(f"{url} did not answer 200")
            times.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        lines.append(f"| {label} | {statistics.median(times):.0f} | {len(queries)} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
