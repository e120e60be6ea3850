"""Effective-dated placement history (AgentPlacement): written from the transfers and rank
changes, read by every figure that asks "where was the agent on that day".

- `rebuild(agent_ids)` derives the rows of the given agents from their (not cancelled) transfers
  and rank changes, scheduled ones included: a fixed number of queries for any number of agents
  (the demo data, benchmarks and the data migration use it for thousands at once).
- `apply_due(today)` makes `Agent.group`/`Agent.rank` (the current placement, which scoping uses)
  follow the placement valid today: a scheduled change takes effect on its date. Idempotent.
"""

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.versioning import claim_version
from org.models import Agent, AgentPlacement, AgentRankChange, AgentTransfer


def _timeline(hire_date: date, group_id, rank_id, transfers, rank_changes):
    """[(valid_from, valid_to, group_id, rank_id)] from the agent's changes (sorted by date, id).

    Before the first transfer the agent is in its `from_group` (the hire transfer has none and
    then sets the first group); with no transfer at all, in the current group. Same for ranks."""
    if transfers:
        group_id = transfers[0][2] or transfers[0][1]
    if rank_changes:
        rank_id = rank_changes[0][2] or rank_changes[0][1]
    events = [(d, pk, "group", to) for d, to, _from, pk in transfers] + [
        (d, pk, "rank", to) for d, to, _from, pk in rank_changes
    ]
    events.sort(key=lambda e: (e[0], e[2], e[1]))
    start = min([hire_date] + [e[0] for e in events])
    rows = []
    current = [start, group_id, rank_id]
    for day, _pk, kind, to in events:
        if day > current[0] and (
            kind == "group" and to != current[1] or kind == "rank" and to != current[2]
        ):
            rows.append((current[0], day, current[1], current[2]))
            current = [day, current[1], current[2]]
        if kind == "group":
            current[1] = to
        else:
            current[2] = to
    rows.append((current[0], None, current[1], current[2]))
    # merge neighbours that ended up equal (a change back on the same day, a no-op change)
    merged = []
    for row in rows:
        if merged and merged[-1][2:] == row[2:]:
            merged[-1] = (merged[-1][0], row[1], row[2], row[3])
        else:
            merged.append(row)
    return merged


def rebuild(agent_ids) -> int:
    """Rewrite the placement rows of these agents from their history; returns rows written."""
    agent_ids = list(agent_ids)
    if not agent_ids:
        return 0
    written = 0
    for offset in range(0, len(agent_ids), 2000):
        chunk = agent_ids[offset : offset + 2000]
        agents = Agent.objects.filter(pk__in=chunk).values_list(
            "pk", "hire_date", "group_id", "rank_id"
        )
        transfers, ranks = defaultdict(list), defaultdict(list)
        for row in (
            AgentTransfer.objects.filter(agent_id__in=chunk, cancelled_at__isnull=True)
            .order_by("effective_date", "pk")
            .values_list("agent_id", "effective_date", "to_group_id", "from_group_id", "pk")
        ):
            transfers[row[0]].append(row[1:])
        for row in (
            AgentRankChange.objects.filter(agent_id__in=chunk, cancelled_at__isnull=True)
            .order_by("effective_date", "pk")
            .values_list("agent_id", "effective_date", "to_rank_id", "from_rank_id", "pk")
        ):
            ranks[row[0]].append(row[1:])
        new = [
            AgentPlacement(
                agent_id=pk, group_id=g, rank_id=r, valid_from=valid_from, valid_to=valid_to
            )
            for pk, hire, group_id, rank_id in agents
            for valid_from, valid_to, g, r in _timeline(
                hire, group_id, rank_id, transfers[pk], ranks[pk]
            )
        ]
        AgentPlacement.objects.filter(agent_id__in=chunk).delete()
        AgentPlacement.objects.bulk_create(new, batch_size=1000)
        written += len(new)
    return written


def ensure_initial(agent: Agent) -> None:
    """An agent created without history (fixtures, direct creation) is placed from hire on."""
    if not AgentPlacement.objects.filter(agent=agent).exists():
        AgentPlacement.objects.create(
            agent=agent, group_id=agent.group_id, rank_id=agent.rank_id, valid_from=agent.hire_date
        )


def placement_on(agent, day: date) -> AgentPlacement | None:
    return (
        AgentPlacement.objects.filter(agent=agent)
        .valid_on(day)
        .select_related("group", "rank")
        .first()
    )


def due(today: date | None = None):
    """Agents whose current group or rank differs from their placement valid today."""
    today = today or timezone.localdate()
    p = "placements__"
    return Agent.objects.filter(
        Q(**{f"{p}valid_from__lte": today})
        & (Q(**{f"{p}valid_to__isnull": True}) | Q(**{f"{p}valid_to__gt": today}))
        & (~Q(group_id=F(f"{p}group_id")) | ~Q(rank_id=F(f"{p}rank_id")))
    )


def apply_due(today: date | None = None) -> list[Agent]:
    """Apply the scheduled changes that have come due (and nothing else): each agent's group and
    rank become those of the placement valid today, with the agent's history saying so."""
    today = today or timezone.localdate()
    applied = []
    for agent_id in list(due(today).values_list("pk", flat=True)):
        with transaction.atomic():
            agent = Agent.objects.select_for_update().get(pk=agent_id)
            placement = AgentPlacement.objects.filter(agent=agent).valid_on(today).first()
            if placement is None:
                continue
            changed = []
            if agent.group_id != placement.group_id:
                agent.group_id = placement.group_id
                changed.append("group")
            if agent.rank_id != placement.rank_id:
                agent.rank_id = placement.rank_id
                changed.append("rank")
            if not changed:
                continue
            agent._change_reason = _("Scheduled change took effect")
            claim_version(agent, None)
            agent.save(update_fields=changed)
            applied.append(agent)
    return applied


def on_agent_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        ensure_initial(instance)
