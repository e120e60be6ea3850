from core.todo import tasks_for
from core.usercache import cached_for_user
from notifications.models import Notification
from org.scope import Cap, scope_for


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
    scope = scope_for(user)
    return {
        "nav": {
            "role": scope.primary_role,
            "org": scope.has(Cap.VIEW_ORG),
            "own_agent_id": scope.agent_id,
            "edit_agents": scope.has(Cap.EDIT_AGENTS),
            "calendar": scope.has(Cap.VIEW_ORG),
            "users": scope.has(Cap.MANAGE_USERS),
            # The counts are cached per user until a business record changes (core.usercache).
            **cached_for_user(user, _counts),
        }
    }
