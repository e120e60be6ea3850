from core.todo import tasks_for
from core.usercache import cached_for_user
from notifications.models import Notification
from org import access
from org.access import Cap


def _counts(user) -> dict:
    return {
        "unread": Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
        "tasks": len(tasks_for(user)),
    }


def navigation(request):
    """What the navigation bar may offer the signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav": {
            "role": access.primary_role(user),
            "org": access.holds(user, Cap.VIEW_ORG),
            "own_agent_id": access.own_agent_id(user),
            "edit_agents": access.holds(user, Cap.EDIT_AGENTS),
            "calendar": access.holds(user, Cap.VIEW_ORG),
            "users": access.holds(user, Cap.MANAGE_USERS),
            # The counts are cached per user until a business record changes (core.usercache).
            **cached_for_user(user, _counts),
        }
    }
