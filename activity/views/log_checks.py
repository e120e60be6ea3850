"""附件6 业务员工作日志检查表: choose a group or department and a week or month, see the table;
the paper form (A4 page, PDF, Excel) of the same choice: activity.paperforms."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from activity.paperforms import work_log_check
from activity.selectors.log_checks import MONTH, log_check, period_from_params
from activity.views.logs import may_review
from core.paperforms import respond
from core.params import int_param
from org.access import get_unit_for_user
from org.models import Agent, Unit, UnitKind

KINDS = [UnitKind.DEPARTMENT, UnitKind.GROUP]


def _visible_check(request):
    """The units the user may pick, the unit asked for (the first by default) and its check for
    the period asked for, over the agents the user sees."""
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
    return units, unit, check


@login_required
def log_check_page(request):
    units, unit, check = _visible_check(request)
    period = check.period
    if period == MONTH:
        previous = (check.start - timedelta(days=1)).replace(day=1)
        following = check.end + timedelta(days=1)
    else:
        previous, following = check.start - timedelta(days=7), check.start + timedelta(days=7)
    if period == MONTH:
        query = f"?unit={unit.pk}&month={check.start:%Y-%m}"
    else:
        query = f"?unit={unit.pk}&week={check.start:%Y-%m-%d}"
    form_urls = {
        fmt: reverse(f"activity:log_check_print{suffix}") + query
        for fmt, suffix in (("html", ""), ("pdf", "_pdf"), ("xlsx", "_xlsx"))
    }
    return render(
        request,
        "activity/log_check.html",
        {
            "form_urls": form_urls,
            "may_review": may_review(request.user),
            "units": units,
            "unit": unit,
            "check": check,
            "is_month": period == MONTH,
            "previous": previous,
            "following": following,
        },
    )


@login_required
def log_check_print(request):
    """附件6 业务员工作日志检查表 as the A4 page, its PDF and Excel (core.paperforms), for the same
    unit and period (`?unit=…&week=…` or `&month=…`) and scope as the page."""
    _units, _unit, check = _visible_check(request)
    query = request.GET.copy()
    query.pop("blank", None)
    back = reverse("activity:log_check") + (f"?{query.urlencode()}" if query else "")
    return respond(request, work_log_check(check), back=back)
