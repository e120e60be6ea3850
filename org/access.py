"""The access layer: the one place that decides what a user may do and which rows they see.

Everything outside `org/access.py` and `org/scope.py` (its private primitives) asks here:

- capabilities held over a unit: `holds`, `holds_on`, `require`, `acting_role`, `held_roles`;
- rows: `Model.objects.visible_to(user)` on every model hung off the tree (a `ScopedQuerySet`
  declaring `scope_unit`, and `scope_agent` where an agent sees their own rows), `with_cap`
  for the rows under units where a capability is held, and `scope_q` for a bare filter;
- one object: `get_object_for_user` (404 outside scope, 403 without the capability),
  `get_unit_for_user`, `get_agent_for_user`;
- recipients: `holders` / `holder_ids` (who holds a capability over a unit).

Each app's `access.py` names its rules (can_record_attendance, can_author, ...) in terms of
these functions only; an architecture test (org/tests/test_architecture.py) keeps it that way.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from org.scope import ROLE_CAPABILITIES, ROLE_PRECEDENCE, Cap, Scope, scope_for

__all__ = [
    "Cap",
    "EVERYTHING",
    "NOTHING",
    "ScopedQuerySet",
    "acting_role",
    "branch_ids",
    "covers_path",
    "get_agent_for_user",
    "get_object_for_user",
    "get_unit_for_user",
    "held_roles",
    "held_unit_paths",
    "paths_at_or_above",
    "holder_ids",
    "holder_map",
    "holders",
    "holds",
    "holds_any",
    "holds_at_or_above",
    "holds_for_agent",
    "holds_on",
    "is_own_agent",
    "member_paths",
    "member_unit_ids",
    "own_units_q",
    "own_agent_id",
    "own_unit_paths",
    "primary_role",
    "require",
    "role_holding",
    "scope_q",
    "scoped",
    "exact_q",
    "units_with",
]

# Filters that match nothing / everything and, unlike Q(), keep their meaning inside an OR
# (Django short-circuits both without SQL).
NOTHING = Q(pk__in=[])
EVERYTHING = ~Q(pk__in=[])


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in (path or "").strip("/").split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


# -- questions about capabilities --------------------------------------------------------------
def holds(user, cap: Cap, unit=None) -> bool:
    """Does the user hold `cap` over `unit` (anywhere, without a unit)? An agent always "sees"
    their own group for VIEW_ORG only through `visible_to`, not here."""
    scope = scope_for(user)
    if unit is None:
        return scope.has(cap)
    return unit is not None and scope.covers(cap, unit)


def holds_for_agent(user, cap: Cap, agent) -> bool:
    """`cap` over the agent's group; VIEW_ORG also over one's own agent record."""
    return scope_for(user).can_agent(cap, agent)


def branch_ids(user, *caps: Cap) -> set[int] | None:
    """Ids of the branches in which the user holds one of `caps`; None for the whole tree."""
    paths = scope_for(user).paths(*(caps or (Cap.VIEW_ORG,)))
    if "/" in paths:
        return None
    return {int(p.split("/")[1]) for p in paths}


def covers_path(user, cap: Cap, path: str) -> bool:
    """`holds` for a unit known by its path only."""
    return any(path.startswith(p) for p in scope_for(user).paths(cap))


def holds_at_or_above(user, cap: Cap, slashes: int) -> bool:
    """Does the user hold `cap` over a unit whose path has at most `slashes` slashes (e.g. 4:
    a department or above)?"""
    return any(p == "/" or p.count("/") <= slashes for p in scope_for(user).paths(cap))


def holds_any(user, *caps: Cap) -> bool:
    return bool(scope_for(user).paths(*caps))


def holds_on(user, cap: Cap, unit) -> bool:
    """Does the user hold `cap` through a role on exactly this unit (a superuser: anywhere)?
    For what is done in one's own unit only: authoring its documents, acknowledging for it."""
    scope = scope_for(user)
    if unit is None:
        return False
    if scope.is_superuser:
        return True
    return any(
        unit_id == unit.pk and cap in ROLE_CAPABILITIES[role]
        for role, unit_id, _path in scope.assignments
    )


def acting_role(user, cap: Cap, unit, *, exact: bool = False) -> str | None:
    """The role through which the user holds `cap` over `unit` ("" for a superuser without
    one), or None. Records that note the role someone acted in use it."""
    scope = scope_for(user)
    for role, unit_id, path in scope.assignments:
        if cap not in ROLE_CAPABILITIES[role]:
            continue
        if (unit_id == unit.pk) if exact else unit.path.startswith(path):
            return role
    if scope.is_superuser:  # acting anywhere: name the role they hold above the unit, if any
        covering = [r for r, _u, p in scope.assignments if unit.path.startswith(p)]
        return covering[0] if covering else ""
    return None


def role_holding(cap: Cap, unit_kind: str) -> str | None:
    """The role held on units of `unit_kind` that grants `cap` there (the system administrator
    aside), for records that name the role someone acts in: e.g. LEAD_UNIT on a department is
    the department manager."""
    from accounts.models import ROLE_UNIT_KINDS

    for role in _roles_with(cap):
        if unit_kind in ROLE_UNIT_KINDS.get(role, ()):
            return role
    return None


def require(user, cap: Cap, unit=None) -> None:
    """403 unless the user holds `cap` (over `unit` when given)."""
    if not holds(user, cap, unit):
        raise PermissionDenied


def held_roles(user) -> list[tuple[str, int]]:
    """(role, unit id) of the user's current roles: for data that names approvers by role."""
    return [(role, unit_id) for role, unit_id, _path in scope_for(user).assignments]


def primary_role(user) -> str | None:
    return scope_for(user).primary_role


def own_agent_id(user) -> int | None:
    """The user's own (not resigned) agent record, if any."""
    return scope_for(user).agent_id


def is_own_agent(user, agent) -> bool:
    return agent is not None and scope_for(user).agent_id == agent.pk


def own_unit_paths(user) -> list[str]:
    """Paths of the units above the user's own agent record (group, department, district…)."""
    scope = scope_for(user)
    if not scope.agent_id:
        return []
    cached = getattr(user, "_own_unit_paths", None)
    if cached is not None:
        return cached
    from org.models import Agent

    group_path = (
        Agent.objects.filter(pk=scope.agent_id).values_list("group__path", flat=True).first()
    )
    user._own_unit_paths = _ancestor_paths(group_path or "")
    return user._own_unit_paths


def held_unit_paths(user, *caps: Cap) -> dict[int, str]:
    """{unit id: path} of the units the user holds one of `caps` on through a role (no query;
    a superuser's reach is not listed)."""
    return {
        unit_id: path
        for role, unit_id, path in scope_for(user).assignments
        if any(cap in ROLE_CAPABILITIES[role] for cap in caps)
    }


def paths_at_or_above(user, *caps: Cap) -> set[str]:
    """Paths of the units where the user holds one of `caps`, and of all units above them."""
    return {a for path in scope_for(user).paths(*caps) for a in _ancestor_paths(path)}


def member_unit_ids(user) -> set[int]:
    """The units the user belongs to and all their ancestors: where they hold a role, and the
    group of their agent record."""
    paths = [path for _role, _unit_id, path in scope_for(user).assignments]
    paths += own_unit_paths(user)
    return {int(part) for path in paths for part in path.strip("/").split("/") if part}


def member_paths(user) -> list[str]:
    """Paths where the user holds a role, and their own group's path (if an agent)."""
    paths = [path for _role, _unit_id, path in scope_for(user).assignments]
    own = own_unit_paths(user)
    return paths + own[-1:]


# -- filters --------------------------------------------------------------------------------
def scope_q(user, *caps: Cap, via: str = "unit", agent: str | None = None) -> Q:
    """Rows whose unit (`via`, a lookup to a unit; "" for a unit itself) lies under a unit where
    the user holds one of `caps` (VIEW_ORG by default); with `agent` (a lookup to an agent id,
    e.g. "agent_id", "pk"), also the user's own rows. NOTHING when there are none."""
    scope = scope_for(user)
    lookup = f"{via}__path" if via else "path"
    paths = scope.paths(*(caps or (Cap.VIEW_ORG,)))
    condition = EVERYTHING if "/" in paths else Scope.under(paths, lookup)
    if agent and scope.agent_id:
        own = Q(**{agent: scope.agent_id})
        condition = own if condition is None else condition | own
    return NOTHING if condition is None else condition


def exact_q(user, *caps: Cap, via: str = "unit") -> Q:
    """Rows whose unit is exactly one the user holds one of `caps` on (everything for a
    superuser)."""
    scope = scope_for(user)
    if scope.is_superuser:
        return EVERYTHING
    ids = [
        unit_id
        for role, unit_id, _path in scope.assignments
        if any(cap in ROLE_CAPABILITIES[role] for cap in caps)
    ]
    return Q(**{f"{via}_id__in" if via else "pk__in": ids}) if ids else NOTHING


def own_units_q(user, via: str = "unit") -> Q:
    """Rows of the units above the user's own agent record."""
    paths = own_unit_paths(user)
    return Q(**{f"{via}__path__in" if via else "path__in": paths}) if paths else NOTHING


def units_with(user, *caps: Cap, queryset=None) -> QuerySet:
    """Units under a unit where the user holds one of `caps`."""
    from org.models import Unit

    queryset = Unit.objects.all() if queryset is None else queryset
    return queryset.filter(scope_q(user, *caps, via=""))


class ScopedQuerySet(QuerySet):
    """`Model.objects.visible_to(user)` for every model hung off the organisation tree.

    A subclass declares how its rows hang off the tree:
    - `scope_unit`: lookup to the unit ("unit", "group", "agent__group", "district");
    - `scope_agent`: lookup to the agent whose own rows they are ("agent_id"), so that an
      agent sees their own rows;
    - `scope_own_units`: an agent also reads the rows of the units above them (meetings).
    Reading needs VIEW_ORG over the unit.
    """

    scope_unit: str = "unit"
    scope_agent: str | None = None
    scope_own_units: bool = False

    def scope_filter(self, user, *caps: Cap) -> Q:
        condition = scope_q(user, *caps, via=self.scope_unit, agent=self.scope_agent)
        if self.scope_own_units:
            condition |= own_units_q(user, self.scope_unit)
        return condition

    def visible_to(self, user):
        return self.filter(self.scope_filter(user, Cap.VIEW_ORG))

    def with_cap(self, user, *caps: Cap):
        """Rows under units where the user holds one of `caps` (not their own rows)."""
        return self.filter(scope_q(user, *caps, via=self.scope_unit))

    def unit_of(self, obj):
        for name in self.scope_unit.split("__") if self.scope_unit else []:
            obj = getattr(obj, name)
        return obj


def scoped(unit: str, *, agent: str | None = None, own_units: bool = False, base=None):
    """A ScopedQuerySet for a model hung off the tree through `unit` (see above):
    `objects = scoped("agent__group", agent="agent_id").as_manager()`."""
    attrs = {"scope_unit": unit, "scope_agent": agent, "scope_own_units": own_units}
    return type("ScopedQuerySet", (base or ScopedQuerySet,), attrs)


def get_object_for_user(queryset, user, pk, cap: Cap | None = None):
    """The row if the user sees it (else 404), and only if they hold `cap` over its unit when
    given (else 403). `queryset` is a model or a queryset of a `ScopedQuerySet`."""
    if not isinstance(queryset, QuerySet):
        queryset = queryset.objects.all()
    try:
        obj = queryset.visible_to(user).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if cap is not None and cap != Cap.VIEW_ORG and not holds(user, cap, queryset.unit_of(obj)):
        raise PermissionDenied
    return obj


def get_unit_for_user(user, pk, cap: Cap = Cap.VIEW_ORG):
    """The unit if visible (else 404), and only if `cap` is held over it (else 403)."""
    from org.models import Unit

    return get_object_for_user(Unit.objects.select_related("parent"), user, pk, cap)


def get_agent_for_user(user, pk, cap: Cap = Cap.VIEW_ORG):
    """The agent if visible (else 404), and only if `cap` is held over them (else 403)."""
    from org.models import Agent

    try:
        agent = (
            Agent.objects.visible_to(user)
            .select_related("group__parent__parent", "rank", "recruiter", "user")
            .get(pk=pk)
        )
    except (Agent.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if cap != Cap.VIEW_ORG and not scope_for(user).can_agent(cap, agent):
        raise PermissionDenied
    return agent


# -- recipients -------------------------------------------------------------------------------
def _roles_with(cap: Cap) -> list[str]:
    # The system administrator holds every capability but is nobody's delegate or recipient.
    return [
        role
        for role, caps in ROLE_CAPABILITIES.items()
        if cap in caps and role != ROLE_PRECEDENCE[0]
    ]


def holder_map(unit_ids, *caps: Cap) -> dict[tuple[Cap, int], list[int]]:
    """{(cap, unit id): active user ids holding `cap` through a role on exactly that unit}, in
    one query for any number of units and capabilities (reminders)."""
    from accounts.models import RoleAssignment

    found: dict[tuple[Cap, int], list[int]] = {}
    roles = {role for cap in caps for role in _roles_with(cap)}
    if not unit_ids or not roles:
        return found
    rows = (
        RoleAssignment.objects.current()
        .filter(role__in=roles, unit_id__in=set(unit_ids), user__is_active=True)
        .order_by("unit_id", "user_id")
        .values_list("role", "unit_id", "user_id")
    )
    for role, unit_id, user_id in rows:
        for cap in caps:
            if cap in ROLE_CAPABILITIES[role]:
                users = found.setdefault((cap, unit_id), [])
                if user_id not in users:
                    users.append(user_id)
    return found


def holder_ids(cap: Cap, unit_ids) -> dict[int, list[int]]:
    """{unit id: active user ids holding `cap` through a role on exactly that unit}."""
    return {unit_id: ids for (_cap, unit_id), ids in holder_map(unit_ids, cap).items()}


def holders(cap: Cap, unit, *, exact: bool = False) -> QuerySet:
    """Active users holding `cap` over `unit` (through a role on it or, unless `exact`, on a
    unit above it). `unit` may be a queryset of units: holders on exactly those."""
    from accounts.models import RoleAssignment, User

    if isinstance(unit, QuerySet):
        where = Q(unit__in=unit)
    elif exact:
        where = Q(unit_id=unit.pk)
    else:
        where = Q(unit__path__in=_ancestor_paths(unit.path))
    user_ids = (
        RoleAssignment.objects.current().filter(where, role__in=_roles_with(cap)).values("user_id")
    )
    return User.objects.filter(pk__in=user_ids, is_active=True)
