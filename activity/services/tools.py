"""活动量工具: record what the district receives (stock in) and issues to its departments
(spec §4.2). Issuing more than the stock is refused; the district row is locked while issuing so
two issues cannot both take the last box. Stock and access: activity.selectors.tools."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activity.models import ToolDirection, ToolMovement
from activity.selectors.tools import can_manage, kind_stock
from org.models import Unit, UnitKind


@transaction.atomic
def tool_record(
    *,
    acting_user,
    district,
    kind,
    direction: str,
    quantity: int,
    day: date,
    department=None,
    note: str = "",
) -> ToolMovement:
    """Record a receipt (direction "in") or an issue to a department (direction "out")."""
    if district is None or district.kind != UnitKind.DISTRICT:
        raise ValidationError(_("Tools are recorded for a sales district."))
    if not can_manage(acting_user, district):
        raise PermissionDenied
    Unit.objects.select_for_update().filter(pk=district.pk).first()  # serialise issues
    errors = {}
    if quantity is None or quantity <= 0:
        errors["quantity"] = _("The quantity must be at least 1.")
    if day > timezone.localdate():
        errors["date"] = _("The date cannot be in the future.")
    if not kind.active:
        errors["kind"] = _("This kind of tool is no longer used.")
    if direction == ToolDirection.ISSUED:
        if department is None:
            errors["department"] = _("Say which department receives the tools.")
        elif department.kind != UnitKind.DEPARTMENT or not department.path.startswith(
            district.path
        ):
            errors["department"] = _("The department is not in this district.")
        elif not errors:
            available = kind_stock(district, kind)
            if quantity > available:
                errors["quantity"] = _(
                    "Only %(stock)d %(kind)s in stock; %(quantity)d cannot be issued."
                ) % {"stock": available, "kind": kind, "quantity": quantity}
    elif direction == ToolDirection.RECEIVED:
        department = None
    else:
        errors["direction"] = _("Not a valid direction.")
    if errors:
        raise ValidationError(errors)
    movement = ToolMovement(
        district=district,
        kind=kind,
        direction=direction,
        quantity=quantity,
        department=department,
        date=day,
        note=(note or "").strip()[:200],
        recorded_by=acting_user,
    )
    movement._change_reason = "record"
    movement.save()
    return movement
