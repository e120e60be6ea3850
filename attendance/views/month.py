"""The month grid (agents × days), its Excel export, and the figures per unit and period."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from attendance import exports
from attendance.selectors import figures as figure_selectors
from attendance.selectors import month as month_selectors
from attendance.views.common import (
    GRID_KINDS,
    SUMMARY_KINDS,
    parse_month,
    pick_unit,
    viewable_units,
    xlsx_response,
)
from core.params import date_param
from org.access import Cap, require
from org.models import Agent


def _grid(request):
    require(request.user, Cap.VIEW_ORG)
    units = viewable_units(request.user, GRID_KINDS)
    unit = pick_unit(request.user, request.GET, units)
    if unit is None:
        raise PermissionDenied
    year, month = parse_month(request.GET)
    grid = month_selectors.month_grid(Agent.objects.visible_to(request.user), unit, year, month)
    return units, unit, grid


@login_required
@require_GET
def month(request):
    units, unit, grid = _grid(request)
    previous = grid.first - timedelta(days=1)
    following = grid.last + timedelta(days=1)
    return render(
        request,
        "attendance/month.html",
        {
            "units": units,
            "unit": unit,
            "grid": grid,
            "previous": previous,
            "following": following,
        },
    )


@login_required
@require_GET
def month_export(request):
    _units, unit, grid = _grid(request)
    content = exports.month_grid_xlsx(grid)
    name = _("attendance-month-%(unit)s-%(month)s.xlsx") % {
        "unit": unit.name,
        "month": f"{grid.first:%Y%m}",
    }
    return xlsx_response(content, name)


@login_required
@require_GET
def summary(request):
    require(request.user, Cap.VIEW_ORG)
    units = viewable_units(request.user, SUMMARY_KINDS)
    unit = pick_unit(request.user, request.GET, units)
    if unit is None:
        raise PermissionDenied
    today = timezone.localdate()
    start = date_param(request.GET, "start", default=today.replace(day=1))
    end = date_param(request.GET, "end", default=today)
    if end < start:
        start, end = end, start
    end = min(end, start + timedelta(days=366))
    result = figure_selectors.summary(
        Agent.objects.visible_to(request.user),
        unit,
        start,
        end,
        with_agents=unit.kind != "district",
    )
    return render(
        request,
        "attendance/summary.html",
        {"units": units, "unit": unit, "summary": result, "start": start, "end": end},
    )
