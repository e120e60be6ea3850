"""The supervision report for the district's weekly/monthly meeting (§7): page and Excel."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from core.params import date_param
from core.xlsx import XLSX_CONTENT_TYPE
from meetings.models import (
    Feedback,
)
from meetings.selectors import inspections as sel
from meetings.views.inspections import _nav, _pick, _shift
from meetings.views.inspections_xlsx import report_xlsx


def _report(request):
    district, districts = _pick(sel.report_districts(request.user), request.GET.get("district"))
    if district is None:
        raise PermissionDenied
    period = "week" if request.GET.get("period") == "week" else "month"
    day = date_param(request.GET, "start", default=timezone.localdate())
    start, end = sel.period_bounds(period, day)
    return sel.report(district, start, end), districts, period


@login_required
def report(request):
    data, districts, period = _report(request)
    step = 7 if period == "week" else None
    start = data["start"]
    feedback = data["feedback"]
    traits = [
        (Feedback._meta.get_field(trait).verbose_name, share)
        for trait, share in (feedback["shares"].items() if feedback else [])
    ]
    return render(
        request,
        "meetings/inspections/report.html",
        {
            "data": data,
            "districts": districts,
            "period": period,
            "previous": date.fromordinal(start.toordinal() - step) if step else _shift(start, -1),
            "next": date.fromordinal(start.toordinal() + step) if step else _shift(start, 1),
            "feedback": feedback,
            "traits": traits,
            **_nav(request, "report"),
        },
    )


@login_required
def report_export(request):
    data, _districts, _period = _report(request)
    response = HttpResponse(report_xlsx(data), XLSX_CONTENT_TYPE)
    name = f"meeting-supervision-{data['district'].code}-{data['start']:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
