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
