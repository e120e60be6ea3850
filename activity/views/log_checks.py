"""附件6 业务员工作日志检查表: choose a group or department and a week or month, see the table."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from activity.selectors.log_checks import MONTH, log_check, period_from_params
from activity.views.logs import may_review
from core.params import int_param
from org.access import get_unit_for_user
from org.models import Agent, Unit, UnitKind

KINDS = [UnitKind.DEPARTMENT, UnitKind.GROUP]


@login_required
def log_check_page(request):
    units = list(
        Unit.objects.visible_to(request.user)
        .open()
        .filter(kind__in=KINDS)
        .select_related("parent")
        .order_by("path")
    )
    if not units:
        raise PermissionDenied
    wanted = int_param(request.GET, "unit")
    unit = get_unit_for_user(request.user, wanted) if wanted else units[0]
    if unit.kind not in KINDS:
        raise Http404
    period, day = period_from_params(request.GET)
    check = log_check(unit, period, day, agents=Agent.objects.visible_to(request.user))
    if period == MONTH:
        previous = (check.start - timedelta(days=1)).replace(day=1)
        following = check.end + timedelta(days=1)
    else:
        previous, following = check.start - timedelta(days=7), check.start + timedelta(days=7)
    return render(
        request,
        "activity/log_check.html",
        {
            "may_review": may_review(request.user),
            "units": units,
            "unit": unit,
            "check": check,
            "is_month": period == MONTH,
            "previous": previous,
            "following": following,
        },
    )
