"""Writing one imported roster row to a stored agent through the agent services, so the rules
and the audit trail are theirs. Runs inside the import's transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from org.models import Agent, AgentStatus
from org.services import agents as agent_services
from org.services.common import today

if TYPE_CHECKING:
    from org.imports.roster_rows import RowPlan


def roster_row_update(row_plan: RowPlan, recruiter: Agent | None, acting_user, reason) -> bool:
    """Bring a stored agent in line with a checked roster row (org.imports): edits, transfer and
    rank change effective today, in the order the rules need. Returns whether anything changed."""
    agent = row_plan.agent
    changes = {
        name: value for name, value in row_plan.fields.items() if getattr(agent, name) != value
    }
    if (recruiter.pk if recruiter else None) != agent.recruiter_id:
        changes["recruiter"] = recruiter
    moves = agent.group_id != row_plan.group.pk
    promotes = agent.rank_id != row_plan.rank.pk
    if not (changes or moves or promotes):
        return False
    reinstates_first = agent.status == AgentStatus.RESIGNED
    if changes and reinstates_first:
        agent_services.agent_update(acting_user=acting_user, agent=agent, **changes)
    if moves:
        agent_services.agent_transfer(
            acting_user=acting_user,
            agent=agent,
            to_group=row_plan.group,
            effective_date=today(),
            reason=reason,
        )
    if promotes:
        agent_services.agent_change_rank(
            acting_user=acting_user,
            agent=agent,
            to_rank=row_plan.rank,
            effective_date=today(),
            reason=reason,
        )
    if changes and not reinstates_first:
        agent_services.agent_update(acting_user=acting_user, agent=agent, **changes)
    return True
