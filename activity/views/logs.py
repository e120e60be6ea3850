"""The agent's daily log on the phone, and staff corrections of one log."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from activity.access import can_correct, can_edit_log
from activity.forms import WorkLogForm
from activity.models import WorkLog
from activity.selectors.logs import week_points
from activity.services.logs import worklog_save
from core.history import history_rows
from core.params import BadParameter, date_param, parse_date
from core.versioning import StaleVersion
from org import access
from org.access import Cap, get_agent_for_user
from org.models import Agent


def _path_day(value) -> date:
    """The day in a page's path; a bad one is no page (404)."""
    try:
        return parse_date(value, "day")
    except BadParameter:
        raise Http404 from None


@login_required
def index(request):
    user = request.user
    if access.holds_any(user, Cap.REVIEW_WORK_LOGS, Cap.RECORD_WORK_LOGS):
        return redirect("activity:review")
    if access.holds(user, Cap.VIEW_ORG):
        return redirect("activity:dashboard")
    if access.own_agent_id(user):
        return redirect("activity:mine")
    raise PermissionDenied


def may_review(user) -> bool:
    return access.holds_any(user, Cap.REVIEW_WORK_LOGS, Cap.RECORD_WORK_LOGS)


def _log_page(request, agent, day, *, own: bool):
    log = WorkLog.objects.filter(agent=agent, date=day).first()
    editable = can_edit_log(request.user, agent, log)
    form = WorkLogForm(request.POST or None, instance=log)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            try:
                worklog_save(
                    acting_user=request.user,
                    agent=agent,
                    day=day,
                    data=form.without_version(form.cleaned_data),
                    submit="submit" in request.POST,
                    base_version=form.base_version,
                )
            except StaleVersion as exc:
                form.show_stale(exc)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Work log saved."))
                if own:
                    return redirect(reverse("activity:mine") + f"?date={day.isoformat()}")
                return redirect("activity:log_edit", agent.pk, day.isoformat())
    return render(
        request,
        "activity/log_form.html",
        {
            "agent": agent,
            "day": day,
            "log": log,
            "form": form,
            "editable": editable,
            "own": own,
            "may_review": may_review(request.user),
            "week": week_points(agent, day),
            "history": history_rows(log) if log and not own else [],
        },
    )


@login_required
def mine(request):
    """Today's log in under a minute on a phone, and the week's points against the target."""
    agent_id = access.own_agent_id(request.user)
    if not agent_id:
        raise PermissionDenied
    agent = Agent.objects.select_related("group").get(pk=agent_id)
    today = timezone.localdate()
    day = min(date_param(request.GET, "date", default=today), today)
    return _log_page(request, agent, day, own=True)


@login_required
def log_edit(request, agent_id, day):
    """Assistants and above enter or correct one agent's log (audited)."""
    agent = get_agent_for_user(request.user, agent_id)
    if not can_correct(request.user, agent):
        raise PermissionDenied
    today = timezone.localdate()
    return _log_page(request, agent, min(_path_day(day), today), own=False)
