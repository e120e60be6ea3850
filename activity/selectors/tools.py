"""活动量工具: tools the district receives (stock in) and issues to its departments (spec §4.2).

Stock per kind = received − issued, summed by the database. Recording receipts and issues:
activity.services.tools.
"""

from django.db.models import Case, F, IntegerField, Q, Sum, When

from activity.models import ToolDirection, ToolKind, ToolMovement
from org.access import Cap, holds

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
