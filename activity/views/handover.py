"""§6.4: hand a resigned agent's cards over to a colleague; counts only, never the details."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from activity.models import CardHandover
from activity.selectors.handover import CAPS, can_hand_over, resigned_with_cards
from activity.services.handover import cards_hand_over
from activity.views.logs import may_review
from core.params import int_param
from org.access import holds_any
from org.models import Agent


@login_required
def handover_list(request):
    if not holds_any(request.user, *CAPS):
        raise PermissionDenied
    rows = resigned_with_cards(request.user)
    done = (
        CardHandover.objects.with_cap(request.user, *CAPS)
        .select_related("from_agent", "to_agent", "handed_over_by")
        .order_by("-handed_over_at")[:100]
    )
    return render(
        request,
        "activity/handover.html",
        {
            "rows": rows,
            "done": done,
            "successors": _successors(rows),
            "may_review": may_review(request.user),
        },
    )


def _successors(rows) -> dict:
    """Active agents of each resigned agent's department (one query for all departments)."""
    from django.utils import timezone

    from org.models import AgentStatus

    departments = {row["agent"].group.parent_id for row in rows}
    by_department: dict = {}
    for agent in (
        Agent.objects.filter(group__parent_id__in=departments)
        .exclude(status=AgentStatus.RESIGNED)
        .active_on(timezone.localdate())
        .select_related("group")
        .order_by("group__path", "code")
    ):
        by_department.setdefault(agent.group.parent_id, []).append(agent)
    return {row["agent"].pk: by_department.get(row["agent"].group.parent_id, []) for row in rows}


@login_required
def handover_do(request, agent_id):
    if request.method != "POST":
        raise Http404
    agent = get_object_or_404(Agent.objects.select_related("group"), pk=agent_id)
    if not can_hand_over(request.user, agent):
        raise Http404
    target = Agent.objects.filter(pk=int_param(request.POST, "to_agent") or 0).first()
    try:
        if target is None:
            raise ValidationError(_("Choose an active agent of the same department."))
        done = cards_hand_over(acting_user=request.user, from_agent=agent, to_agent=target)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _(
                "%(prospects)d prospect cards and %(recruits)d recruitment cards "
                "handed over to %(name)s."
            )
            % {
                "prospects": done.prospect_cards,
                "recruits": done.recruit_cards,
                "name": target.name,
            },
        )
    return redirect("activity:handover")
