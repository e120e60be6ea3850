"""Changes to the unit tree: open, rename, close. Each is one transaction with its audit."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.versioning import check_version, claim_version
from org import access
from org.access import Cap
from org.models import ALLOWED_CHILD_KINDS, Agent, AgentStatus, Unit, UnitKind
from org.services.common import _require, _stamp, today


def can_change_unit(acting_user, unit: Unit) -> bool:
    """Renaming or closing a unit is for those who manage the unit above it: a district
    manager reshapes their departments and groups, not their own district."""
    if acting_user.is_superuser:
        return True
    return unit.parent is not None and access.holds(acting_user, Cap.MANAGE_UNITS, unit.parent)


@transaction.atomic
def unit_create(
    *, acting_user, parent: Unit, kind: str, name: str, code: str, opened_on: date | None = None
) -> Unit:
    _require(acting_user, Cap.MANAGE_UNITS, parent)
    if kind not in ALLOWED_CHILD_KINDS.get(parent.kind, set()):
        raise ValidationError(
            {
                "kind": _("A %(kind)s cannot be placed under a %(parent)s.")
                % {"kind": UnitKind(kind).label, "parent": parent.get_kind_display()}
            }
        )
    if not parent.is_open:
        raise ValidationError({"parent": _("The parent unit is closed.")})
    if Unit.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Unit code %(code)s is already used.") % {"code": code}})
    unit = Unit(
        parent=parent,
        kind=kind,
        name=name.strip(),
        code=code.strip(),
        opened_on=opened_on or today(),
    )
    unit.full_clean(exclude=["path", "district"])
    _stamp(unit, acting_user)
    unit.save()
    return unit


@transaction.atomic
def unit_rename(*, acting_user, unit: Unit, name: str, base_version: int | None = None) -> Unit:
    """Rename; `base_version` is the one the edit was based on (stale: StaleVersion)."""
    if not can_change_unit(acting_user, unit):
        raise PermissionDenied(_("You may not change records of %(unit)s.") % {"unit": unit})
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("A name is required.")})
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    check_version(unit, base_version)
    claim_version(unit, base_version)
    unit.name = name
    _stamp(unit, acting_user)
    unit.save(update_fields=["name"])
    return unit


@transaction.atomic
def unit_close(*, acting_user, unit: Unit, closed_on: date | None = None) -> Unit:
    """Close a unit. It stays in the tree and in history; only empty units can close."""
    if not can_change_unit(acting_user, unit):
        raise PermissionDenied(_("You may not change records of %(unit)s.") % {"unit": unit})
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if not unit.is_open:
        raise ValidationError(_("%(unit)s is already closed.") % {"unit": unit})
    if unit.children.filter(closed_on__isnull=True).exists():
        raise ValidationError(
            _("Close or move the open units under %(unit)s first.") % {"unit": unit}
        )
    if Agent.objects.in_unit(unit).exclude(status=AgentStatus.RESIGNED).exists():
        raise ValidationError(
            _("Transfer the agents of %(unit)s to another group first.") % {"unit": unit}
        )
    closed_on = closed_on or today()
    if closed_on > today():
        raise ValidationError({"closed_on": _("The closing date cannot be in the future.")})
    if unit.opened_on and closed_on < unit.opened_on:
        raise ValidationError(
            {
                "closed_on": _("The closing date is before the opening date (%(date)s).")
                % {"date": unit.opened_on}
            }
        )
    unit.closed_on = closed_on
    claim_version(unit, None)
    _stamp(unit, acting_user)
    unit.save(update_fields=["closed_on"])
    return unit
