"""Who may record attendance, enter leave and verify check records (spec §5, §10).

Decided here from the user's role assignments (org.scope.scope_for, the one scope mechanism);
what a user may *see* is the org scope itself (Agent.objects.visible_to, Unit.objects.visible_to).
"""

from django.db.models import Q
from django.utils import timezone

from accounts.models import Role
from org.scope import scope_for

# May record and change any day of the agents under the unit they hold the role over
# (past days are audited through the records' history).
RECORD_ROLES = frozenset(
    {
        Role.SYSTEM_ADMIN,
        Role.DISTRICT_MANAGER,
        Role.DISTRICT_ADMIN,
        Role.DEPT_MANAGER,
        Role.ASSISTANT,
    }
)
# May take today's roll call of their group, and enter leave requests for its agents.
TODAY_ROLES = frozenset({Role.SUPERVISOR})
# May verify a department's check record (附件7), unless they wrote it.
VERIFY_ROLES = frozenset(
    {Role.SYSTEM_ADMIN, Role.DISTRICT_MANAGER, Role.DISTRICT_ADMIN, Role.DEPT_MANAGER}
)


def role_paths(user, roles) -> list[str]:
    """Paths of the units the user holds one of `roles` over ("/" for a superuser)."""
    scope = scope_for(user)
    if scope.is_superuser:
        return ["/"]
    return sorted({path for role, _unit_id, path in scope.assignments if role in roles})


def _covers(paths: list[str], unit) -> bool:
    return unit is not None and any(unit.path.startswith(path) for path in paths)


def under(paths: list[str], lookup: str) -> Q | None:
    """A filter for rows whose `lookup` path lies under one of `paths`; None when there are no
    paths (nothing matches)."""
    if not paths:
        return None
    if "/" in paths:
        return Q()
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{lookup}__startswith": path})
    return condition


def can_record_attendance(user, unit, day=None) -> bool:
    """May `user` record or change the attendance of the agents in `unit` on `day`?

    Recorders (district and department staff) may do any day up to today; a supervisor only
    today, for their group. With no day: may they record at least today's roll call there.
    """
    today = timezone.localdate()
    if day is not None and day > today:
        return False
    if _covers(role_paths(user, RECORD_ROLES), unit):
        return True
    return (day is None or day == today) and _covers(role_paths(user, TODAY_ROLES), unit)


def may_change_past_days(user, unit) -> bool:
    return _covers(role_paths(user, RECORD_ROLES), unit)


def recording_paths(user, day=None) -> list[str]:
    today = timezone.localdate()
    paths = set(role_paths(user, RECORD_ROLES))
    if day is None or day == today:
        paths |= set(role_paths(user, TODAY_ROLES))
    return sorted(paths)


def can_enter_leave_for(user, agent) -> bool:
    """The agent themselves, their supervisor, and recorders over their group."""
    if scope_for(user).agent_id == agent.pk:
        return True
    return _covers(role_paths(user, RECORD_ROLES | TODAY_ROLES), agent.group)


def can_verify_check(user, record) -> bool:
    return record.author_id != user.pk and _covers(
        role_paths(user, VERIFY_ROLES), record.department
    )


def can_write_check(user, department) -> bool:
    return _covers(role_paths(user, RECORD_ROLES), department)
