"""`manage.py seed_demo [--agents N] [--seed S]`: a realistic, deterministic demo branch.

Safe to run every time (`make run` does): when the demo branch exists it changes nothing.
"""

import importlib
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from org import demo
from org.models import Agent, Unit

# Modules with a `seed(*, seed, log)` function, run in this order after the organisation exists.
DEMO_EXTENSIONS = ["plans.demo", "attendance.demo", "activity.demo", "meetings.demo"]


class Command(BaseCommand):
    help = (
        "Create the demo branch (units, ranks, agents, staff users with roles, work "
        "calendar). Does nothing if the demo branch already exists."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--agents",
            type=int,
            default=demo.DEFAULT_AGENTS,
            help=f"number of agents (default {demo.DEFAULT_AGENTS}, at least {demo.MIN_AGENTS})",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=demo.DEFAULT_SEED,
            help=f"random seed (default {demo.DEFAULT_SEED})",
        )

    def handle(self, *args, agents, seed, verbosity=1, **options):
        if Unit.objects.filter(code=demo.BRANCH_CODE).exists():
            self.stdout.write(f"演示数据已存在（分公司编码 {demo.BRANCH_CODE}），未做任何改动。")
            return
        if agents < demo.MIN_AGENTS:
            raise CommandError(f"--agents must be at least {demo.MIN_AGENTS}.")
        taken = set(Agent.objects.values_list("code", flat=True))
        plan = demo.plan_demo(agents, seed, taken_codes=taken)
        clash = sorted(set(plan.unit_codes) & set(Unit.objects.values_list("code", flat=True)))[:5]
        if clash:
            raise CommandError(
                f"Unit codes already used: {', '.join(clash)}; "
                "seed_demo needs an empty organisation."
            )

        def log(message):
            if verbosity > 1:
                self.stdout.write(message)

        started = time.monotonic()
        with transaction.atomic():
            summary = demo.write_demo(plan, log=log)
            # Each business area adds its own demo records on top of the organisation.
            for module_name in DEMO_EXTENSIONS:
                try:
                    module = importlib.import_module(module_name)
                except ModuleNotFoundError as exc:
                    if exc.name is None or not module_name.startswith(exc.name):
                        raise
                    continue
                module.seed(seed=seed, log=log)
        analyze(demo.seeded_tables())
        summary["seconds"] = time.monotonic() - started  # the organisation and every module
        self.stdout.write(
            self.style.SUCCESS(
                "演示数据已创建：{units} 个单位，{agents} 名业务员，{users} 个用户，"
                "用时 {seconds:.1f} 秒（登录密码 {password}）。".format(
                    **summary, password=demo.DEMO_PASSWORD
                )
            )
        )


def analyze(tables):
    """Refresh the planner's statistics after a bulk load. Without it PostgreSQL estimates one
    row per table until autovacuum gets round to it, and picks nested loops that are 10x slower."""
    if connection.vendor not in {"postgresql", "sqlite"}:
        return
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
