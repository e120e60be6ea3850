"""Fill the placement history from today's agents and their recorded transfers and rank changes
(all of which carry an effective date)."""

from collections import defaultdict

from django.db import migrations


def fill(apps, schema_editor):
    from org.services.placements import _timeline  # a pure function of the rows below

    Agent = apps.get_model("org", "Agent")
    AgentPlacement = apps.get_model("org", "AgentPlacement")
    AgentTransfer = apps.get_model("org", "AgentTransfer")
    AgentRankChange = apps.get_model("org", "AgentRankChange")
    ids = list(Agent.objects.values_list("pk", flat=True))
    for offset in range(0, len(ids), 2000):
        chunk = ids[offset : offset + 2000]
        transfers, ranks = defaultdict(list), defaultdict(list)
        for row in (
            AgentTransfer.objects.filter(agent_id__in=chunk)
            .order_by("effective_date", "pk")
            .values_list("agent_id", "effective_date", "to_group_id", "from_group_id", "pk")
        ):
            transfers[row[0]].append(row[1:])
        for row in (
            AgentRankChange.objects.filter(agent_id__in=chunk)
            .order_by("effective_date", "pk")
            .values_list("agent_id", "effective_date", "to_rank_id", "from_rank_id", "pk")
        ):
            ranks[row[0]].append(row[1:])
        AgentPlacement.objects.bulk_create(
            [
                AgentPlacement(agent_id=pk, group_id=g, rank_id=r, valid_from=start, valid_to=end)
                for pk, hire, group_id, rank_id in Agent.objects.filter(pk__in=chunk).values_list(
                    "pk", "hire_date", "group_id", "rank_id"
                )
                for start, end, g, r in _current_last(
                    _timeline(hire, group_id, rank_id, transfers[pk], ranks[pk]), group_id, rank_id
                )
            ],
            batch_size=1000,
        )


def _current_last(rows, group_id, rank_id):
    """Every recorded change is in the past: the open row is the agent's current placement."""
    start, end, _g, _r = rows[-1]
    return [*rows[:-1], (start, end, group_id, rank_id)]


def empty(apps, schema_editor):
    apps.get_model("org", "AgentPlacement").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("org", "0005_agent_placement_and_scheduled_changes")]

    operations = [migrations.RunPython(fill, empty)]
