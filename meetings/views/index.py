from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from meetings.views.calendars import board_districts
from org.scope import Cap, scope_for


def meeting_rights(user) -> dict:
    """What the meetings hub and navigation offer this user (the pages check again)."""
    scope = scope_for(user)
    staff = scope.has(Cap.VIEW_ORG)
    return {
        "staff": staff,
        "agent": bool(scope.agent_id),
        "plan": scope.has(Cap.PLAN_MEETINGS),
        "inspect": scope.has(Cap.INSPECT_MEETINGS),
        "board": bool(board_districts(user)),
    }


@login_required
def index(request):
    rights = meeting_rights(request.user)
    if not (rights["staff"] or rights["agent"]):
        raise PermissionDenied
    return render(request, "meetings/index.html", {"rights": rights})
