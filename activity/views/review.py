"""二早: the supervisor approves the group's logs of a day, or returns one with a comment."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activity.forms import ReturnForm
from activity.models import LogState, WorkLog
from activity.selectors.logs import group_day
from activity.services.logs import worklog_approve, worklog_return
from core.params import date_param
from org import access
from org.access import Cap
from org.models import Unit, UnitKind


def _groups(user):
    """Open groups the user may review or correct logs in."""
    caps = (Cap.REVIEW_WORK_LOGS, Cap.RECORD_WORK_LOGS)
    if not access.holds_any(user, *caps):
        return []
    return list(
        Unit.objects.filter(access.scope_q(user, *caps, via=""), kind=UnitKind.GROUP)
        .open()
        .select_related("parent")
        .order_by("path")
    )


def _pick(request, params):
    groups = _groups(request.user)
    if not groups:
        raise PermissionDenied
    wanted = params.get("group")
    group = next((g for g in groups if str(g.pk) == wanted), None) if wanted else groups[0]
    if group is None:
        raise Http404
    today = timezone.localdate()
    day = min(date_param(params, "date", default=today - timedelta(days=1)), today)
    return groups, group, day


def _back(group, day):
    return redirect(reverse("activity:review") + f"?group={group.pk}&date={day.isoformat()}")


@login_required
def review(request):
    groups, group, day = _pick(request, request.GET)
    rows = group_day(group, day)
    user = request.user
    return render(
        request,
        "activity/review.html",
        {
            "may_review": True,
            "may_edit_scorecard": access.holds(user, Cap.RECORD_WORK_LOGS),
            "groups": groups,
            "group": group,
            "day": day,
            "rows": rows,
            "can_review": access.holds(user, Cap.REVIEW_WORK_LOGS, group),
            "can_correct": access.holds(user, Cap.RECORD_WORK_LOGS, group),
            "waiting": sum(1 for r in rows if r["log"] and r["log"].state == LogState.SUBMITTED),
            "filled": sum(1 for r in rows if r["log"] and r["log"].state != LogState.DRAFT),
        },
    )


@login_required
@require_POST
def approve_all(request):
    _groups_list, group, day = _pick(request, request.POST)
    logs = WorkLog.objects.filter(
        agent__group=group, date=day, state=LogState.SUBMITTED
    ).select_related("agent__group")
    count = worklog_approve(acting_user=request.user, logs=logs)
    messages.success(request, _("%(count)d logs approved.") % {"count": count})
    return _back(group, day)


@login_required
@require_POST
def return_log(request, pk):
    _groups_list, group, _day = _pick(request, request.POST)
    log = get_object_or_404(
        WorkLog.objects.select_related("agent__group"), pk=pk, agent__group=group
    )
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the log is returned."))
        return _back(group, log.date)
    try:
        worklog_return(acting_user=request.user, log=log, comment=form.cleaned_data["comment"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Log returned to %(name)s.") % {"name": log.agent.name})
    return _back(group, log.date)
