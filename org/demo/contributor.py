"""The organisation's part of `manage.py seed_demo` (see core/demo.py): the branch, its units,
ranks and agents with their history.

It plans before the transaction and shares with the accounts and workcalendar parts through
`run.shared`: "staff_names" (for the supervisor and agent logins), then "role_units" and
"districts" once the units exist; it reads "admin", "users" and "linked_logins" from accounts.
"""

from django.core.management.base import CommandError

from accounts.demo import DEMO_PASSWORD
from core.demo import Contributor, DemoRun, register
from org.demo.names import BRANCH_CODE, DEFAULT_AGENTS, MIN_AGENTS
from org.demo.planning import plan_demo
from org.demo.writing import seeded_tables, write_demo
from org.models import Agent, Unit


@register(order=20)
class DemoBranch(Contributor):
    name = "org"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--agents",
            type=int,
            default=DEFAULT_AGENTS,
            help=f"number of agents (default {DEFAULT_AGENTS}, at least {MIN_AGENTS})",
        )

    def exists(self) -> str | None:
        if Unit.objects.filter(code=BRANCH_CODE).exists():
            return f"分公司编码 {BRANCH_CODE}"
        return None

    def prepare(self, run: DemoRun) -> None:
        agents = run.options.get("agents", DEFAULT_AGENTS)
        if agents < MIN_AGENTS:
            raise CommandError(f"--agents must be at least {MIN_AGENTS}.")
        taken = set(Agent.objects.values_list("code", flat=True))
        plan = plan_demo(agents, run.seed, taken_codes=taken)
        clash = sorted(set(plan.unit_codes) & set(Unit.objects.values_list("code", flat=True)))[:5]
        if clash:
            raise CommandError(
                f"Unit codes already used: {', '.join(clash)}; "
                "seed_demo needs an empty organisation."
            )
        run.shared["org.plan"] = plan
        run.shared["staff_names"] = {
            "supervisor": plan.supervisor.name,
            "agent": plan.agent_user.name,
        }

    def seed(self, run: DemoRun) -> None:
        plan = run.shared["org.plan"]
        linked = run.shared.get("linked_logins", set())
        plan.supervisor.username = "" if "supervisor" in linked else "supervisor"
        plan.agent_user.username = "" if "agent" in linked else "agent"
        run.shared["org.summary"] = write_demo(
            plan, admin=run.shared["admin"], users=run.shared["users"], log=run.log
        )
        district = plan.districts[0]
        department = district.departments[0]
        run.shared["role_units"] = {
            "branch": district.unit.parent,
            "district": district.unit,
            "department": department.unit,
            "group": department.groups[0].unit,
        }
        run.shared["districts"] = [d.unit for d in plan.districts]

    def tables(self) -> list[str]:
        return seeded_tables()

    def report(self, run: DemoRun) -> str | None:
        summary = run.shared.get("org.summary")
        if summary is None:
            return None
        return (
            "演示数据已创建：{units} 个单位，{agents} 名业务员，{users} 个用户，"
            "用时 {seconds:.1f} 秒（登录密码 {password}）。".format(
                **{**summary, "seconds": run.seconds},  # every part, not only the branch
                users=len(run.shared["users"]),
                password=DEMO_PASSWORD,
            )
        )
