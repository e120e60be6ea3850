"""§6.4: a resigned agent's prospect and recruitment cards are kept and handed over to an active
agent of the same department. Whoever hands over sees counts only, never the cards' details;
the new owner then sees them as their own. The first owner stays on each card
(`handed_over_from`) and a `CardHandover` row records who handed over how many, when."""

from django.db.models import Count, Q
from django.utils import timezone

from activity.models import ProspectCard, RecruitCard
from org import access
from org.access import Cap
from org.models import Agent, AgentStatus

CAPS = (Cap.RECORD_WORK_LOGS, Cap.EDIT_AGENTS)


def is_resigned(agent) -> bool:
    return agent.status == AgentStatus.RESIGNED or (
        agent.resigned_on is not None and agent.resigned_on <= timezone.localdate()
    )


def can_hand_over(user, agent) -> bool:
    return any(access.holds(user, cap, agent.group) for cap in CAPS)


def resigned_with_cards(user) -> list[dict]:
    """Resigned agents the user may hand over for, with their card counts (no details)."""
    if not access.holds_any(user, *CAPS):
        return []
    condition = access.scope_q(user, *CAPS, via="group")
    today = timezone.localdate()
    agents = (
        Agent.objects.filter(condition)
        .filter(Q(status=AgentStatus.RESIGNED) | Q(resigned_on__lte=today))
        .select_related("group")
    )
    prospects = dict(
        ProspectCard.objects.filter(agent__in=agents)
        .values("agent_id")
        .annotate(n=Count("pk"))
        .values_list("agent_id", "n")
        .order_by()
    )
    recruits = dict(
        RecruitCard.objects.filter(agent__in=agents)
        .values("agent_id")
        .annotate(n=Count("pk"))
        .values_list("agent_id", "n")
        .order_by()
    )
    holders = set(prospects) | set(recruits)
    return [
        {
            "agent": agent,
            "prospects": prospects.get(agent.pk, 0),
            "recruits": recruits.get(agent.pk, 0),
        }
        for agent in agents.filter(pk__in=holders).order_by("group__path", "code")
    ]


def successors(agent):
    """Active agents of the same department who may receive the cards."""
    today = timezone.localdate()
    return (
        Agent.objects.filter(group__parent_id=agent.group.parent_id)
        .exclude(pk=agent.pk)
        .exclude(status=AgentStatus.RESIGNED)
        .active_on(today)
        .select_related("group")
        .order_by("group__path", "code")
    )
