"""The private primitives of the access layer (spec §10); everything else asks org.access.

A role is held over a unit; each role grants capabilities over that unit's subtree.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Q, QuerySet

from accounts.models import Role


class Cap(StrEnum):
    VIEW_ORG = "view_org"  # see units and agents
    EDIT_AGENTS = "edit_agents"  # create/edit agents, transfers, rank changes, roster import
    MANAGE_UNITS = "manage_units"  # create, rename, close units
    EDIT_CALENDAR = "edit_calendar"  # holidays and make-up workdays
    VIEW_PII = "view_pii"  # reveal national ID numbers and mobiles in full (logged)
    MANAGE_USERS = "manage_users"  # staff users and role assignments
    RECORD_ATTENDANCE = "record_attendance"  # any day's attendance, leave, check records (§5)
    TAKE_ROLL_CALL = "take_roll_call"  # today's roll call of one's group, leave for its agents
    VERIFY_ATTENDANCE_CHECKS = "verify_attendance_checks"  # verify 附件7 (not one's own)
    RUN_DEDUCTIONS = "run_deductions"  # run/close/publish monthly deductions, manage the fund
    OVERRIDE_FUND = "override_fund"  # let the deduction fund go below zero, with a reason
    REVIEW_WORK_LOGS = "review_work_logs"  # approve/return the group's daily work logs (二早)
    RECORD_WORK_LOGS = "record_work_logs"  # enter and correct agents' work logs, scorecard
    # Meetings (§2): calendars, meeting records, templates, function groups of one's own unit
    # (and, for department staff, of its groups); see meetings/access.py for the "own unit" rule.
    PLAN_MEETINGS = "plan_meetings"
    INSPECT_MEETINGS = "inspect_meetings"  # visit department meetings, fill 附件4 (§7)
    # Held on one's own unit only (org.access.holds_on): author its rules and plans (§9),
    # acknowledge the district's calendars for one's department, lead function groups (§2.1).
    AUTHOR_PLANS = "author_plans"
    ACKNOWLEDGE_CALENDARS = "acknowledge_calendars"
    LEAD_FUNCTION_GROUPS = "lead_function_groups"
    # The unit's manager: acknowledges what is published to it, is told when it falls behind.
    LEAD_UNIT = "lead_unit"
    # Duties (who is reminded): a group's missing roll call, a department's unverified checks.
    FOLLOW_UP_ROLL_CALL = "follow_up_roll_call"
    FOLLOW_UP_CHECKS = "follow_up_checks"


ROLE_CAPABILITIES: dict[str, frozenset[Cap]] = {
    Role.SYSTEM_ADMIN: frozenset(Cap),
    # Marketing: the whole branch, read-mostly; its personnel post handles personal data.
    Role.MARKETING: frozenset({Cap.VIEW_ORG, Cap.VIEW_PII}),
    Role.FINANCE: frozenset({Cap.VIEW_ORG}),
    # Customer service only sees what later modules hand over (resigned agents' policyholders).
    Role.CUSTOMER_SERVICE: frozenset(),
    Role.DISTRICT_MANAGER: frozenset(
        {
            Cap.AUTHOR_PLANS,
            Cap.LEAD_FUNCTION_GROUPS,
            Cap.LEAD_UNIT,
            Cap.VIEW_ORG,
            Cap.EDIT_AGENTS,
            Cap.MANAGE_UNITS,
            Cap.EDIT_CALENDAR,
            Cap.RECORD_ATTENDANCE,
            Cap.VERIFY_ATTENDANCE_CHECKS,
            Cap.RUN_DEDUCTIONS,
            Cap.OVERRIDE_FUND,
            Cap.RECORD_WORK_LOGS,
            Cap.PLAN_MEETINGS,
            Cap.INSPECT_MEETINGS,
        }
    ),
    # The trainer leads the morning meeting function group with the district manager (§2.1).
    Role.TRAINER: frozenset(
        {
            Cap.AUTHOR_PLANS,
            Cap.LEAD_FUNCTION_GROUPS,
            Cap.VIEW_ORG,
            Cap.PLAN_MEETINGS,
            Cap.INSPECT_MEETINGS,
        }
    ),
    # The district administrator is the HR clerk (人管): agents, units, calendar, personal data.
    Role.DISTRICT_ADMIN: frozenset(
        {
            Cap.AUTHOR_PLANS,
            Cap.FOLLOW_UP_CHECKS,
            Cap.VIEW_ORG,
            Cap.EDIT_AGENTS,
            Cap.MANAGE_UNITS,
            Cap.EDIT_CALENDAR,
            Cap.VIEW_PII,
            Cap.RECORD_ATTENDANCE,
            Cap.VERIFY_ATTENDANCE_CHECKS,
            Cap.RUN_DEDUCTIONS,
            Cap.RECORD_WORK_LOGS,
            Cap.PLAN_MEETINGS,
            Cap.INSPECT_MEETINGS,
        }
    ),
    Role.COACH: frozenset({Cap.VIEW_ORG}),
    Role.DEPT_MANAGER: frozenset(
        {
            Cap.AUTHOR_PLANS,
            Cap.ACKNOWLEDGE_CALENDARS,
            Cap.LEAD_UNIT,
            Cap.VIEW_ORG,
            Cap.EDIT_AGENTS,
            Cap.RECORD_ATTENDANCE,
            Cap.VERIFY_ATTENDANCE_CHECKS,
            Cap.REVIEW_WORK_LOGS,
            Cap.RECORD_WORK_LOGS,
            Cap.PLAN_MEETINGS,
        }
    ),
    Role.ASSISTANT: frozenset(
        {
            Cap.AUTHOR_PLANS,
            Cap.ACKNOWLEDGE_CALENDARS,
            Cap.FOLLOW_UP_ROLL_CALL,
            Cap.VIEW_ORG,
            Cap.EDIT_AGENTS,
            Cap.RECORD_ATTENDANCE,
            Cap.RECORD_WORK_LOGS,
            Cap.PLAN_MEETINGS,
        }
    ),
    Role.SUPERVISOR: frozenset(
        {Cap.LEAD_UNIT, Cap.VIEW_ORG, Cap.TAKE_ROLL_CALL, Cap.REVIEW_WORK_LOGS, Cap.PLAN_MEETINGS}
    ),
}

# When a user holds several roles, the home page is made for the most senior one.
ROLE_PRECEDENCE = [
    Role.SYSTEM_ADMIN,
    Role.MARKETING,
    Role.FINANCE,
    Role.DISTRICT_MANAGER,
    Role.TRAINER,
    Role.DISTRICT_ADMIN,
    Role.COACH,
    Role.DEPT_MANAGER,
    Role.ASSISTANT,
    Role.SUPERVISOR,
    Role.CUSTOMER_SERVICE,
]


@dataclass
class Scope:
    user_id: int | None
    is_superuser: bool = False
    agent_id: int | None = None
    # role → list of (unit id, unit path)
    assignments: list[tuple[str, int, str]] = field(default_factory=list)

    # -- questions ---------------------------------------------------------------------------
    @property
    def roles(self) -> set[str]:
        return {role for role, _unit_id, _path in self.assignments}

    @property
    def primary_role(self) -> str | None:
        if self.is_superuser:
            return Role.SYSTEM_ADMIN
        for role in ROLE_PRECEDENCE:
            if role in self.roles:
                return role
        return "agent" if self.agent_id else None

    def paths(self, *caps: Cap) -> list[str]:
        """Paths of the units over which the user holds any of `caps` ("/" for a superuser)."""
        if self.is_superuser:
            return ["/"]
        return sorted(
            {
                path
                for role, _unit_id, path in self.assignments
                if any(cap in ROLE_CAPABILITIES[role] for cap in caps)
            }
        )

    def has(self, cap: Cap) -> bool:
        return bool(self.paths(cap))

    def covers(self, cap: Cap, unit) -> bool:
        """Does the user hold `cap` over `unit` (the unit is inside one of their subtrees)?"""
        return any(unit.path.startswith(path) for path in self.paths(cap))

    def can_agent(self, cap: Cap, agent) -> bool:
        if cap == Cap.VIEW_ORG and self.agent_id == agent.pk:
            return True
        return self.covers(cap, agent.group)

    def role_units(self, *roles: str) -> list[int]:
        return [unit_id for role, unit_id, _path in self.assignments if role in roles]

    # -- querysets ---------------------------------------------------------------------------
    @staticmethod
    def under(paths: list[str], lookup: str) -> Q | None:
        """A filter for rows whose `lookup` path lies under one of `paths`; None for no paths
        (nothing matches), an empty Q for the whole tree."""
        if not paths:
            return None
        if "/" in paths:
            return Q()  # the whole tree: no filter at all
        condition = Q()
        for path in paths:
            condition |= Q(**{f"{lookup}__startswith": path})
        return condition

    def units(self, queryset: QuerySet, cap: Cap = Cap.VIEW_ORG) -> QuerySet:
        condition = self.under(self.paths(cap), "path")
        return queryset.filter(condition) if condition is not None else queryset.none()

    def agents(self, queryset: QuerySet, cap: Cap = Cap.VIEW_ORG) -> QuerySet:
        condition = self.under(self.paths(cap), "group__path")
        if cap == Cap.VIEW_ORG and self.agent_id:
            own = Q(pk=self.agent_id)
            condition = own if condition is None else condition | own
        return queryset.filter(condition) if condition is not None else queryset.none()

    def units_under(self, queryset: QuerySet, lookup: str, cap: Cap = Cap.VIEW_ORG) -> QuerySet:
        """Scope any model that points at a unit, e.g. `lookup="district__path"`."""
        condition = self.under(self.paths(cap), lookup)
        return queryset.filter(condition) if condition is not None else queryset.none()


def scope_for(user) -> Scope:
    """The user's scope, computed once per user object (one query)."""
    if not user or not user.is_authenticated:
        return Scope(user_id=None)
    cached = getattr(user, "_scope_cache", None)
    if cached is not None:
        return cached
    from accounts.models import RoleAssignment
    from org.models import Agent

    rows = (
        RoleAssignment.objects.current()
        .filter(user_id=user.pk, unit__closed_on__isnull=True)
        .values_list("role", "unit_id", "unit__path")
    )
    agent_id = (
        Agent.objects.filter(user_id=user.pk)
        .exclude(status="resigned")
        .values_list("pk", flat=True)
        .first()
    )
    scope = Scope(
        user_id=user.pk,
        is_superuser=user.is_superuser,
        agent_id=agent_id,
        assignments=list(rows),
    )
    user._scope_cache = scope
    return scope
