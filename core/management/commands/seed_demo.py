"""`manage.py seed_demo [--agents N] [--seed S]`: a realistic, deterministic demo branch.

Safe to run every time (`make run` does): when the demo branch exists it changes nothing.
The command knows no app: each app contributes its part through the registry in core.demo
(org the branch and its agents, accounts the users, workcalendar the holidays, then plans,
attendance, activity, meetings), all in one transaction.
"""

import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from core import demo


class Command(BaseCommand):
    help = (
        "Create the demo branch (units, ranks, agents, staff users with roles, work "
        "calendar). Does nothing if the demo branch already exists."
    )

    def add_arguments(self, parser):
        for part in demo.contributors():
            part.add_arguments(parser)
        parser.add_argument(
            "--seed",
            type=int,
            default=demo.DEFAULT_SEED,
            help=f"random seed (default {demo.DEFAULT_SEED})",
        )

    def handle(self, *args, seed, verbosity=1, **options):
        parts = demo.contributors()
        for part in parts:
            found = part.exists()
            if found:
                self.stdout.write(f"演示数据已存在（{found}），未做任何改动。")
                return

        def log(message):
            if verbosity > 1:
                self.stdout.write(message)

        run = demo.DemoRun(seed=seed, log=log, options=options)
        for part in parts:
            part.prepare(run)
        started = time.monotonic()
        with transaction.atomic():
            for part in parts:
                part.seed(run)
        analyze([table for part in parts for table in part.tables()])
        run.seconds = time.monotonic() - started  # every part and the ANALYZE
        for part in parts:
            line = part.report(run)
            if line:
                self.stdout.write(self.style.SUCCESS(line))


def analyze(tables):
    """Refresh the planner's statistics after a bulk load. Without it PostgreSQL estimates one
    row per table until autovacuum gets round to it, and picks nested loops that are 10x slower."""
    if connection.vendor not in {"postgresql", "sqlite"}:
        return
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
