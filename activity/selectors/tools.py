"""活动量工具: tools the district receives (stock in) and issues to its departments (spec §4.2).

Stock per kind = received − issued, summed by the database. Issuing more than the stock is
refused. The district row is locked while issuing so two issues cannot both take the last box.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, F, IntegerField, Q, Sum, When
from django.utils import timezone
from django.utils.translation import gettext as _

from activity.models import ToolDirection, ToolKind, ToolMovement
from org.access import Cap, holds
from org.models import Unit, UnitKind

SIGNED = Case(
    When(direction=ToolDirection.RECEIVED, then=F("quantity")),
    default=-F("quantity"),
    output_field=IntegerField(),
)


def can_manage(user, district) -> bool:
    """The district's manager and administrator record receipts and issues."""
    return holds(user, Cap.RECORD_WORK_LOGS, district)


def movements_for(user):
    """What the user may read: all of the districts they manage; for a department (manager,
    assistant), what was issued to it."""
    return ToolMovement.objects.visible_to(user)


def stock(district) -> list[dict]:
    """Received, issued and in stock per kind for the district (one grouped query)."""
    totals = {
        row["kind_id"]: row
        for row in ToolMovement.objects.filter(district=district)
        .values("kind_id")
        .annotate(
            received=Sum("quantity", filter=Q(direction=ToolDirection.RECEIVED)),
            issued=Sum("quantity", filter=Q(direction=ToolDirection.ISSUED)),
            stock=Sum(SIGNED),
        )
        .order_by()
    }
    rows = []
    for kind in ToolKind.objects.all():
        row = totals.get(kind.pk, {})
        if not kind.active and not row:
            continue
        rows.append(
            {
                "kind": kind,
                "received": row.get("received") or 0,
                "issued": row.get("issued") or 0,
                "stock": row.get("stock") or 0,
            }
        )
    return rows


def kind_stock(district, kind) -> int:
    return (
        ToolMovement.objects.filter(district=district, kind=kind).aggregate(n=Sum(SIGNED))["n"] or 0
    )


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
