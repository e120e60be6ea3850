from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from meetings import access as meetings_access
from org import access
from org.access import Cap


def meeting_rights(user) -> dict:
    """What the meetings hub and navigation offer this user (the pages check again)."""
    staff = access.holds(user, Cap.VIEW_ORG)
    return {
        "staff": staff,
        "agent": bool(access.own_agent_id(user)),
        "plan": access.holds(user, Cap.PLAN_MEETINGS),
        "inspect": access.holds(user, Cap.INSPECT_MEETINGS),
        "board": bool(meetings_access.board_districts(user)),
    }


@login_required
def index(request):
    rights = meeting_rights(request.user)
    if not (rights["staff"] or rights["agent"]):
        raise PermissionDenied
    return render(request, "meetings/index.html", {"rights": rights})
