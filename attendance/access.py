"""Who may record attendance, enter leave and verify check records (spec §5, §10).

Decided here from capabilities held over a unit (org.access, the one access layer); what a
user may *see* is each model's `visible_to`.
"""

from django.db.models import Q
from django.utils import timezone

from org import access
from org.access import Cap

# The capabilities behind each kind of attendance work (held over a unit, org.access).
# Recorders may record and change any day of the agents under their unit (past days are
# audited through the records' history).
RECORD_ROLES = frozenset({Cap.RECORD_ATTENDANCE})
# Supervisors take today's roll call of their group and enter leave requests for its agents.
TODAY_ROLES = frozenset({Cap.TAKE_ROLL_CALL})
# May verify a department's check record (附件7), unless they wrote it.
VERIFY_ROLES = frozenset({Cap.VERIFY_ATTENDANCE_CHECKS})


def may_record_somewhere(user, today_too: bool = False) -> bool:
    """Does the user record attendance anywhere (with `today_too`: or take a roll call)?"""
    return access.holds_any(user, *(RECORD_ROLES | TODAY_ROLES if today_too else RECORD_ROLES))


def _covers(user, caps, unit) -> bool:
    return unit is not None and any(access.holds(user, cap, unit) for cap in caps)


def can_record_attendance(user, unit, day=None) -> bool:
    """May `user` record or change the attendance of the agents in `unit` on `day`?

    Recorders (district and department staff) may do any day up to today; a supervisor only
    today, for their group. With no day: may they record at least today's roll call there.
    """
    today = timezone.localdate()
    if day is not None and day > today:
        return False
    if _covers(user, RECORD_ROLES, unit):
        return True
    return (day is None or day == today) and _covers(user, TODAY_ROLES, unit)


def may_change_past_days(user, unit) -> bool:
    return _covers(user, RECORD_ROLES, unit)


def recording_q(user, day=None, via: str = "") -> Q:
    """Units (through `via`) whose attendance the user records on `day` (today by default)."""
    caps = set(RECORD_ROLES)
    if day is None or day == timezone.localdate():
        caps |= TODAY_ROLES
    return access.scope_q(user, *caps, via=via)


def can_enter_leave_for(user, agent) -> bool:
    """The agent themselves, their supervisor, and recorders over their group."""
    if access.is_own_agent(user, agent):
        return True
    return _covers(user, RECORD_ROLES | TODAY_ROLES, agent.group)


def can_verify_check(user, record) -> bool:
    return record.author_id != user.pk and _covers(user, VERIFY_ROLES, record.department)


def can_write_check(user, department) -> bool:
    return _covers(user, RECORD_ROLES, department)


# -- deductions, fund, publication, improvement measures ----------------------------------------
# District staff run, close and publish deductions and manage the fund; only the district
# manager may let the fund's balance go below zero (capabilities of org.scope).


def can_run_deductions(user, district) -> bool:
    return _covers(user, [Cap.RUN_DEDUCTIONS], district)


def can_override_fund(user, district) -> bool:
    return _covers(user, [Cap.OVERRIDE_FUND], district)


def can_enter_fund_usage(user, district, department=None) -> bool:
    """District staff for any usage of their district; the department's recorders (manager,
    assistant) for their own department's usage."""
    if can_run_deductions(user, district):
        return True
    return department is not None and _covers(user, RECORD_ROLES, department)


def can_write_measures(user, department) -> bool:
    return _covers(user, RECORD_ROLES, department)


def own_unit_ids(user) -> set[int]:
    """The units the user belongs to and all their ancestors (org.access.member_unit_ids).
    Published pages of these units are theirs to read."""
    return access.member_unit_ids(user)
