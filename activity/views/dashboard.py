"""The activity dashboard: §4 figures of a unit over a period, a daily trend and a group ranking."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from activity.selectors.figures import Figures, daily_series, figures
from activity.views.logs import may_review
from core.params import date_param
from org.models import Unit, UnitKind

MAX_DAYS = 366
KINDS = [UnitKind.DISTRICT, UnitKind.DEPARTMENT, UnitKind.GROUP]


@login_required
def dashboard(request):
    units = list(
        Unit.objects.visible_to(request.user)
        .open()
        .filter(kind__in=KINDS)
        .select_related("parent")
        .order_by("path")
    )
    if not units:
        raise PermissionDenied
    wanted = request.GET.get("unit")
    unit = next((u for u in units if str(u.pk) == wanted), None) if wanted else units[0]
    if unit is None:
        raise Http404
    today = timezone.localdate()
    end = min(date_param(request.GET, "end", default=today), today)
    start = date_param(request.GET, "start", default=end.replace(day=1))
    start = max(min(start, end), end - timedelta(days=MAX_DAYS))
    ranking = []
    if unit.kind == UnitKind.GROUP:
        total = figures(unit, start, end).get(None, Figures())
    else:
        # One pass per group; the unit's figures are their sum (each agent is in one group).
        per_group = figures(unit, start, end, by="group_id")
        total = Figures()
        for item in per_group.values():
            total.add(item)
        names = {u.pk: u for u in Unit.objects.filter(pk__in=per_group.keys())}
        ranking = sorted(
            ((names[pk], item) for pk, item in per_group.items() if pk in names),
            key=lambda pair: (-(pair[1].attainment or 0), -(pair[1].visits_per_agent_day or 0)),
        )
    return render(
        request,
        "activity/dashboard.html",
        {
            "may_review": may_review(request.user),
            "units": units,
            "unit": unit,
            "start": start,
            "end": end,
            "total": total,
            "ranking": ranking,
            "series": daily_series(unit, start, end),
        },
    )
