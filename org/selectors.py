"""Reads about the organisation that need thought: counts, trees, lookups."""

from datetime import date

from django.db.models import Count, Q

from org.models import Agent, AgentStatus, Rank, Unit, UnitKind

IN_SERVICE = ~Q(status=AgentStatus.RESIGNED)


def recruiter_chain(agent: Agent, max_depth: int = 10) -> list[Agent]:
    """The agent's recruiter, their recruiter, and so on (nearest first)."""
    chain = []
    seen = {agent.pk}
    current = agent.recruiter_id
    while current and current not in seen and len(chain) < max_depth:
        upline = Agent.objects.select_related("rank").filter(pk=current).first()
        if upline is None:
            break
        chain.append(upline)
        seen.add(upline.pk)
        current = upline.recruiter_id
    return chain


def recruit_tree(agent: Agent, depth: int = 3) -> list[dict]:
    """Direct recruits and theirs, `depth` levels down: one query per level."""
    levels = []
    parents = [agent.pk]
    for _level in range(depth):
        recruits = list(
            Agent.objects.filter(recruiter_id__in=parents)
            .select_related("rank", "group")
            .order_by("hire_date", "code")
        )
        if not recruits:
            break
        levels.append(recruits)
        parents = [r.pk for r in recruits]
    # nest: {agent, children}
    by_parent: dict[int, list] = {}
    for level in reversed(levels):
        for recruit in level:
            by_parent.setdefault(recruit.recruiter_id, []).append(
                {"agent": recruit, "children": by_parent.get(recruit.pk, [])}
            )
    return by_parent.get(agent.pk, [])


def tree_ids(nodes: list[dict]) -> list[int]:
    ids = []
    for node in nodes:
        ids.append(node["agent"].pk)
        ids.extend(tree_ids(node["children"]))
    return ids


def headcount_by_child_unit(unit: Unit, agents) -> list[dict]:
    """In-service head count per child unit of `unit` (one grouped query per level)."""
    children = list(unit.children.open().order_by("code")) if unit.kind != UnitKind.GROUP else []
    if not children:
        return []
    # A group's path lists its ancestors from the branch down; the child of `unit` sits right
    # after `unit` itself.
    depth = len(unit.ancestor_ids)
    rows = {}
    for child in children:
        rows[child.pk] = {"unit": child, "total": 0, "formal": 0, "probation": 0, "candidate": 0}
    counts = (
        agents.filter(IN_SERVICE, group__path__startswith=unit.path)
        .values("group__path", "status")
        .annotate(n=Count("id"))
    )
    # Aggregated per group in the database; folding groups into children is a small loop over
    # groups (not agents).
    for row in counts:
        child_id = int(row["group__path"].strip("/").split("/")[depth])
        if child_id in rows:
            rows[child_id]["total"] += row["n"]
            rows[child_id][row["status"]] = rows[child_id].get(row["status"], 0) + row["n"]
    return list(rows.values())


def headcount_by_rank(agents) -> list[dict]:
    return list(
        agents.filter(IN_SERVICE)
        .values("rank__name", "rank__level")
        .annotate(n=Count("id"))
        .order_by("rank__level")
    )


def manpower_summary(agents, month_start: date, today: date) -> dict:
    return agents.aggregate(
        in_service=Count("id", filter=IN_SERVICE),
        formal=Count("id", filter=Q(status=AgentStatus.FORMAL)),
        probation=Count("id", filter=Q(status=AgentStatus.PROBATION)),
        candidate=Count("id", filter=Q(status=AgentStatus.CANDIDATE)),
        new_hires=Count("id", filter=Q(hire_date__gte=month_start, hire_date__lte=today)),
        resigned_this_month=Count(
            "id", filter=Q(resigned_on__gte=month_start, resigned_on__lte=today)
        ),
    )


def ranks_for_unit(unit: Unit):
    return Rank.objects.filter(branch_id=unit.ancestor_ids[0]).order_by("level")


class RosterLookups:
    """Units, ranks and existing agents the rows of a roster import refer to, loaded in a few
    queries."""

    def __init__(self, acting_user, codes: set[str]):
        self.acting_user = acting_user
        units = list(
            Unit.objects.visible_to(acting_user)
            .filter(kind__in=[UnitKind.DEPARTMENT, UnitKind.GROUP])
            .only("id", "kind", "name", "code", "parent_id", "path", "closed_on")
        )
        # A user who sees only a group still names it by its department.
        unit_ids = {unit.pk for unit in units}
        parent_ids = {unit.parent_id for unit in units if unit.kind == UnitKind.GROUP} - unit_ids
        if parent_ids:
            units += list(
                Unit.objects.filter(pk__in=parent_ids).only(
                    "id", "kind", "name", "code", "parent_id", "path", "closed_on"
                )
            )
        self.departments_by_key: dict[str, list[Unit]] = {}
        self.groups_by_department: dict[int, list[Unit]] = {}
        for unit in units:
            if unit.kind == UnitKind.DEPARTMENT:
                for key in {unit.code.casefold(), unit.name.strip().casefold()}:
                    self.departments_by_key.setdefault(key, []).append(unit)
            else:
                self.groups_by_department.setdefault(unit.parent_id, []).append(unit)
        branch_ids = {unit.ancestor_ids[0] for unit in units if unit.ancestor_ids}
        self.ranks: dict[tuple[int, str], Rank] = {}
        for rank in Rank.objects.filter(branch_id__in=branch_ids):
            self.ranks.setdefault((rank.branch_id, rank.name.strip().casefold()), rank)
            self.ranks[(rank.branch_id, rank.code.casefold())] = rank
        self.agents: dict[str, Agent] = (
            {
                agent.code: agent
                for agent in Agent.objects.filter(code__in=codes).select_related("group")
            }
            if codes
            else {}
        )

    def department_candidates(self, text: str) -> list[Unit]:
        key = text.casefold()
        by_code = [
            unit for unit in self.departments_by_key.get(key, []) if unit.code.casefold() == key
        ]
        return by_code or self.departments_by_key.get(key, [])

    def groups(self, departments: list[Unit], text: str) -> list[Unit]:
        key = text.casefold()
        children = [
            group
            for department in departments
            for group in self.groups_by_department.get(department.pk, [])
        ]
        by_code = [group for group in children if group.code.casefold() == key]
        return by_code or [group for group in children if group.name.strip().casefold() == key]

    def rank(self, group: Unit, text: str) -> Rank | None:
        return self.ranks.get((group.ancestor_ids[0], text.casefold()))
