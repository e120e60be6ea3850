"""Who may read and write meeting records (§10), on top of the one scope (org/scope.py).

- Read: everyone with VIEW_ORG over a unit reads its calendars and meetings; an agent reads those
  of their own group, department and district (the units above them), and nothing else.
- Write (calendars, meeting records, unit templates): PLAN_MEETINGS held on the unit itself, or,
  for a group, on its department. So a department writes its own calendars and its groups' 二早
  calendars, a supervisor writes their group's, and the district writes the district's — the
  district reads its departments' calendars but does not write them (it inspects, see
  INSPECT_MEETINGS).
- Inspect (§7): INSPECT_MEETINGS over the department.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from org.access import Cap, scope_for


def own_agent_unit_paths(user) -> list[str]:
    """The paths of the units above the user's own agent record (group, department, district…)."""
    scope = scope_for(user)
    if not scope.agent_id:
        return []
    cached = getattr(user, "_meeting_agent_paths", None)
    if cached is not None:
        return cached
    from org.models import Agent

    group_path = (
        Agent.objects.filter(pk=scope.agent_id).values_list("group__path", flat=True).first()
    )
    parts = [p for p in (group_path or "").strip("/").split("/") if p]
    paths = ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
    user._meeting_agent_paths = paths
    return paths


def readable(queryset: QuerySet, user, unit_lookup: str = "unit") -> QuerySet:
    """Rows (pointing at a unit through `unit_lookup`) the user may read."""
    scope = scope_for(user)
    condition = scope.under(scope.paths(Cap.VIEW_ORG), f"{unit_lookup}__path")
    agent_paths = own_agent_unit_paths(user)
    if agent_paths:
        own = Q(**{f"{unit_lookup}__path__in": agent_paths})
        condition = own if condition is None else condition | own
    return queryset.filter(condition) if condition is not None else queryset.none()


def can_read_unit(user, unit) -> bool:
    scope = scope_for(user)
    return scope.covers(Cap.VIEW_ORG, unit) or unit.path in own_agent_unit_paths(user)


def can_write_unit(user, unit) -> bool:
    """May the user write calendars and meeting records of `unit` (its own, see above)?"""
    scope = scope_for(user)
    if scope.is_superuser:
        return True
    writable = {path for path in scope.paths(Cap.PLAN_MEETINGS)}
    if unit.path in writable:
        return True
    return unit.kind == "group" and unit.parent is not None and unit.parent.path in writable


def can_inspect(user, unit) -> bool:
    return scope_for(user).covers(Cap.INSPECT_MEETINGS, unit)


def get_readable(queryset: QuerySet, user, pk, unit_lookup: str = "unit"):
    """The row if the user may read it (else 404)."""
    try:
        return readable(queryset, user, unit_lookup).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def require_write(user, unit) -> None:
    if not can_write_unit(user, unit):
        raise PermissionDenied


def require_inspect(user, unit) -> None:
    if not can_inspect(user, unit):
        raise PermissionDenied
