"""Leave requests (请假申请): list, new, detail with the approval trail, decide, resubmit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from attendance.access import RECORD_ROLES, TODAY_ROLES, can_enter_leave_for
from attendance.forms import LeaveRequestForm
from attendance.models import LeaveRequest, LeaveState
from attendance.services import leave as services
from attendance.views.approval import approval_context, decide_from_post
from core.exceptions import ConflictError
from core.forms import add_service_errors
from core.history import history_rows
from core.versioning import StaleVersion
from org.access import get_object_for_user, scope_q
from org.models import Agent

PAGE_SIZE = 50


def visible_leaves(user):
    return LeaveRequest.objects.visible_to(user).select_related(
        "agent__group__parent", "created_by"
    )


def leave_agents(user):
    """Agents the user may enter leave for: themselves, and those under their roles."""
    condition = scope_q(user, *(RECORD_ROLES | TODAY_ROLES), via="group", agent="pk")
    queryset = Agent.objects.exclude(status="resigned").select_related("group")
    return queryset.filter(condition).order_by("group__path", "code")


def get_leave_for_user(user, pk) -> LeaveRequest:
    leaves = LeaveRequest.objects.select_related("agent__group__parent", "created_by")
    return get_object_for_user(leaves, user, pk)


@login_required
def leave_list(request):
    leaves = visible_leaves(request.user)
    state = request.GET.get("state")
    if state in LeaveState.values:
        leaves = leaves.filter(state=state)
    page = Paginator(leaves.order_by("-start_date", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "attendance/leave_list.html",
        {
            "page": page,
            "state": state,
            "states": LeaveState.choices,
            "can_create": leave_agents(request.user).exists(),
        },
    )


@login_required
def leave_create(request):
    agents = leave_agents(request.user)
    if not agents.exists():
        raise PermissionDenied
    initial = {}
    if request.GET.get("agent"):
        initial["agent"] = request.GET["agent"]
    form = LeaveRequestForm(request.POST or None, agents=agents, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            leave = services.leave_request_create(
                acting_user=request.user, agent=form.cleaned_data["agent"], **form.service_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Leave request submitted for approval."))
            return redirect(leave)
    return render(request, "attendance/leave_form.html", {"form": form})


@login_required
def leave_detail(request, pk):
    leave = get_leave_for_user(request.user, pk)
    return render(
        request,
        "attendance/leave_detail.html",
        {
            "leave": leave,
            **approval_context(request.user, leave),
            "can_resubmit": leave.state == LeaveState.RETURNED
            and can_enter_leave_for(request.user, leave.agent),
            "records": leave.records.order_by("date"),
            "history": history_rows(leave),
        },
    )


@login_required
@require_POST
def leave_decide(request, pk):
    leave = get_leave_for_user(request.user, pk)
    return decide_from_post(
        request,
        leave,
        lambda **decision: services.leave_decide(acting_user=request.user, leave=leave, **decision),
    )


@login_required
def leave_resubmit(request, pk):
    leave = get_leave_for_user(request.user, pk)
    if not can_enter_leave_for(request.user, leave.agent):
        raise PermissionDenied
    agents = Agent.objects.filter(pk=leave.agent_id).select_related("group")
    form = LeaveRequestForm(
        request.POST or None,
        agents=agents,
        initial={
            "agent": leave.agent_id,
            "start_date": leave.start_date,
            "end_date": leave.end_date,
            "half_day": leave.half_day,
            "reason": leave.reason,
        },
        versioned=leave,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.leave_request_resubmit(
                acting_user=request.user,
                leave=leave,
                base_version=form.base_version,
                **form.service_fields(),
            )
        except StaleVersion as exc:
            form.show_stale(exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ConflictError as exc:
            messages.error(request, exc.message)
            return redirect(leave)
        else:
            messages.success(request, _("Leave request submitted for approval."))
            return redirect(leave)
    return render(request, "attendance/leave_form.html", {"form": form, "leave": leave})
