"""Helpers shared by the attendance pages: which units a user picks from, dates and months."""

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from attendance.access import recording_q
from attendance.selectors.figures import default_unit
from core.params import year_month_params
from org.models import Unit, UnitKind

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GRID_KINDS = [UnitKind.GROUP, UnitKind.DEPARTMENT]
SUMMARY_KINDS = [UnitKind.GROUP, UnitKind.DEPARTMENT, UnitKind.DISTRICT]


def viewable_units(user, kinds=GRID_KINDS):
    return (
        Unit.objects.visible_to(user)
        .open()
        .filter(kind__in=kinds)
        .select_related("parent")
        .order_by("path")
    )


def recordable_units(user, day=None):
    """Groups and departments whose attendance the user may record (today, or on `day`)."""
    return viewable_units(user).filter(recording_q(user, day))


def pick_unit(user, params, units) -> Unit | None:
    """The unit named by ?unit= (404 outside `units`), else the user's own one."""
    units = list(units)
    wanted = params.get("unit")
    if wanted:
        for unit in units:
            if str(unit.pk) == wanted:
                return unit
        raise Http404
    return default_unit(user, units)


def parse_month(params) -> tuple[int, int]:
    """?year=&month= (400 naming a bad one), else this month."""
    first = year_month_params(params, default=timezone.localdate())
    return first.year, first.month


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


def unit_label(unit) -> str:
    if unit.kind == UnitKind.GROUP and unit.parent_id:
        return f"{unit.parent.name} · {unit.name}"
    return unit.name
