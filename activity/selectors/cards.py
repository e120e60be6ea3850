"""Prospect cards (准主顾卡) and recruitment cards (增员卡): details for the owning agent only;
managers read counts per agent and stage (spec §4)."""

from django.db.models import Count

from activity.models import ProspectCard, ProspectStage, RecruitCard, RecruitStage

KINDS = {
    "prospects": (ProspectCard, ProspectStage),
    "recruits": (RecruitCard, RecruitStage),
}
THRESHOLDS = (30, 60, 100)


def card_counts(agents) -> dict:
    """Counts per agent and stage for `agents` (already scoped), and how many agents hold at
    least 30/60/100 live prospect cards. Two grouped queries per kind of card; no details."""
    agents = list(agents.order_by("group__path", "code").select_related("group"))
    ids = [agent.pk for agent in agents]
    result = {"agents": agents, "kinds": {}}
    for kind, (model, stages) in KINDS.items():
        counts: dict = {}
        for row in (
            model.objects.filter(agent_id__in=ids)
            .values("agent_id", "stage")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            counts.setdefault(row["agent_id"], {})[row["stage"]] = row["n"]
        result["kinds"][kind] = {"stages": stages, "counts": counts}
    live = dict(
        ProspectCard.objects.filter(agent_id__in=ids)
        .live()
        .values("agent_id")
        .annotate(n=Count("pk"))
        .values_list("agent_id", "n")
        .order_by()
    )
    result["live"] = live
    result["thresholds"] = [
        (threshold, sum(1 for n in live.values() if n >= threshold)) for threshold in THRESHOLDS
    ]
    return result
