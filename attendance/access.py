"""Who may record attendance, enter leave and verify check records (spec §5, §10).

Decided here from capabilities of org.scope (scope_for, the one scope mechanism);
what a user may *see* is the org scope itself (Agent.objects.visible_to, Unit.objects.visible_to).
"""

from django.utils import timezone

from org.access import Cap, Scope, scope_for

# The capabilities (org.scope.ROLE_CAPABILITIES) behind each kind of attendance work.
# Recorders may record and change any day of the agents under their unit (past days are
# audited through the records' history).
RECORD_ROLES = frozenset({Cap.RECORD_ATTENDANCE})
# Supervisors take today's roll call of their group and enter leave requests for its agents.
TODAY_ROLES = frozenset({Cap.TAKE_ROLL_CALL})
# May verify a department's check record (附件7), unless they wrote it.
VERIFY_ROLES = frozenset({Cap.VERIFY_ATTENDANCE_CHECKS})


def role_paths(user, caps) -> list[str]:
    """Paths of the units the user holds one of `caps` over ("/" for a superuser)."""
    return scope_for(user).paths(*caps)


def _covers(paths: list[str], unit) -> bool:
    return unit is not None and any(unit.path.startswith(path) for path in paths)


under = Scope.under


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


# -- deductions, fund, publication, improvement measures ----------------------------------------
# District staff run, close and publish deductions and manage the fund; only the district
# manager may let the fund's balance go below zero (capabilities of org.scope).


def can_run_deductions(user, district) -> bool:
    return _covers(role_paths(user, [Cap.RUN_DEDUCTIONS]), district)


def can_override_fund(user, district) -> bool:
    return _covers(role_paths(user, [Cap.OVERRIDE_FUND]), district)


def can_enter_fund_usage(user, district, department=None) -> bool:
    """District staff for any usage of their district; the department's recorders (manager,
    assistant) for their own department's usage."""
    if can_run_deductions(user, district):
        return True
    return department is not None and _covers(role_paths(user, RECORD_ROLES), department)


def can_write_measures(user, department) -> bool:
    return _covers(role_paths(user, RECORD_ROLES), department)


def own_unit_ids(user) -> set[int]:
    """The units the user belongs to and all their ancestors: where they hold a role, and the
    group of their agent record (one query for the agent's group). Published pages of these
    units are theirs to read."""
    from org.models import Agent

    scope = scope_for(user)
    ids: set[int] = set()
    paths = [path for _role, _unit_id, path in scope.assignments]
    if scope.agent_id:
        paths += list(Agent.objects.filter(pk=scope.agent_id).values_list("group__path", flat=True))
    for path in paths:
        ids.update(int(part) for part in path.strip("/").split("/") if part)
    return ids
