from django.db.models import Q

from approvals.models import ApprovalRequest, ApprovalState
from org.access import held_roles


def waiting_for(user):
    """Requests whose current step the user is the approver of (one query, newest first)."""
    assignments = held_roles(user)
    if not assignments:
        return ApprovalRequest.objects.none()
    condition = Q()
    for role, unit_id in assignments:
        condition |= Q(current_role=role, current_unit_id=unit_id)
    return (
        ApprovalRequest.objects.filter(condition, state=ApprovalState.SUBMITTED)
        .select_related("submitted_by", "unit")
        .order_by("-submitted_at")
    )


def trail(request: ApprovalRequest | None):
    if request is None:
        return []
    return list(request.actions.select_related("actor"))
