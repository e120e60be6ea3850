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

from org import access
from org.access import Cap

own_agent_unit_paths = access.own_unit_paths


def readable(queryset: QuerySet, user, unit_lookup: str = "unit") -> QuerySet:
    """Rows (pointing at a unit through `unit_lookup`) the user may read."""
    return queryset.filter(
        access.scope_q(user, Cap.VIEW_ORG, via=unit_lookup) | access.own_units_q(user, unit_lookup)
    )


def can_read_unit(user, unit) -> bool:
    return access.holds(user, Cap.VIEW_ORG, unit) or unit.path in access.own_unit_paths(user)


def writable_q(user, via: str = "") -> Q:
    """Units (through `via`) whose calendars and records the user writes (see above)."""
    prefix = f"{via}__" if via else ""
    return access.exact_q(user, Cap.PLAN_MEETINGS, via=via) | (
        Q(**{f"{prefix}kind": "group"})
        & access.exact_q(user, Cap.PLAN_MEETINGS, via=f"{prefix}parent")
    )


def can_write_unit(user, unit) -> bool:
    """May the user write calendars and meeting records of `unit` (its own, see above)?"""
    if access.holds_on(user, Cap.PLAN_MEETINGS, unit):
        return True
    return (
        unit.kind == "group"
        and unit.parent is not None
        and access.holds_on(user, Cap.PLAN_MEETINGS, unit.parent)
    )


def can_inspect(user, unit) -> bool:
    return access.holds(user, Cap.INSPECT_MEETINGS, unit)


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


def board_districts(user) -> list:
    """The districts whose submission board the user opens without choosing one: those whose
    calendars they write. Links to the board are shown only when there is one."""
    from org.models import Unit, UnitKind

    if not access.holds(user, Cap.PLAN_MEETINGS):
        return []
    return [
        unit
        for unit in Unit.objects.open().filter(kind=UnitKind.DISTRICT).order_by("path")
        if access.holds(user, Cap.VIEW_ORG, unit) and can_write_unit(user, unit)
    ]
