"""Leave requests (请假申请) through the approval flow; an approved request writes the days."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals import services as approvals
from attendance.access import (
    can_enter_leave_for,
)
from attendance.models import (
    FULL_DAY,
    HALF_DAY,
    AttendanceSource,
    AttendanceStatus,
    LeaveRequest,
    LeaveState,
)
from attendance.selectors import figures as selectors
from attendance.services.daily import Entry, _apply
from core.exceptions import ConflictError
from core.versioning import check_version, claim_version
from org.models import Agent
from workcalendar.selectors import workdays

LEAVE_KIND = "leave"
MAX_LEAVE_DAYS = 92


# -- leave requests ------------------------------------------------------------------------------


def _check_leave(agent, start_date, end_date, half_day, reason, exclude_pk=None):
    errors = {}
    if end_date < start_date:
        errors["end_date"] = _("The last day is before the first day.")
    elif half_day and end_date != start_date:
        errors["half_day"] = _("A half-day leave is for one day only.")
    elif (end_date - start_date).days + 1 > MAX_LEAVE_DAYS:
        errors["end_date"] = _("A leave request covers at most %(days)s days.") % {
            "days": MAX_LEAVE_DAYS
        }
    if not (reason or "").strip():
        errors["reason"] = _("Give a reason.")
    if errors:
        raise ValidationError(errors)
    if start_date < agent.hire_date or (agent.resigned_on and end_date > agent.resigned_on):
        raise ValidationError({"start_date": _("The leave is outside the agent's employment.")})
    if not workdays(agent.group, start_date, end_date):
        raise ValidationError({"start_date": _("There is no workday in this period.")})
    overlapping = (
        LeaveRequest.objects.filter(
            agent=agent,
            state__in=[LeaveState.SUBMITTED, LeaveState.APPROVED],
            start_date__lte=end_date,
            end_date__gte=start_date,
        )
        .exclude(pk=exclude_pk)
        .first()
    )
    if overlapping is not None:
        raise ValidationError(
            {
                "start_date": _("This overlaps another leave request (%(other)s).")
                % {"other": overlapping}
            }
        )


def _submit_leave(leave: LeaveRequest, acting_user) -> None:
    approvals.approval_submit(
        acting_user=acting_user,
        subject=leave,
        kind=LEAVE_KIND,
        unit=leave.agent.group,
        title=leave.title,
        url=leave.get_absolute_url(),
    )


@transaction.atomic
def leave_request_create(
    *,
    acting_user,
    agent: Agent,
    start_date: date,
    end_date: date,
    half_day: bool = False,
    reason: str,
) -> LeaveRequest:
    """请假申请, by the agent or entered for them by their supervisor or the assistant; goes to
    the approval flow (kind "leave": the group's supervisor unless configured otherwise)."""
    if not can_enter_leave_for(acting_user, agent):
        raise PermissionDenied(_("You may not enter leave for %(agent)s.") % {"agent": agent})
    _check_leave(agent, start_date, end_date, half_day, reason)
    leave = LeaveRequest(
        agent=agent,
        start_date=start_date,
        end_date=end_date,
        half_day=half_day,
        reason=reason.strip(),
        created_by=acting_user,
    )
    leave._history_user = acting_user
    leave.save()
    _submit_leave(leave, acting_user)
    return leave


@transaction.atomic
def leave_request_resubmit(
    *,
    acting_user,
    leave: LeaveRequest,
    start_date: date,
    end_date: date,
    half_day: bool = False,
    reason: str,
    base_version: int | None = None,
) -> LeaveRequest:
    """Correct a returned leave request and submit it again. `base_version` is the version the
    correction was based on: a stale one (someone resubmitted meanwhile) raises StaleVersion."""
    leave = (
        LeaveRequest.objects.select_for_update(of=("self",))
        .select_related("agent__group")
        .get(pk=leave.pk)
    )
    if not can_enter_leave_for(acting_user, leave.agent):
        raise PermissionDenied(_("You may not change this leave request."))
    check_version(leave, base_version)
    if leave.state != LeaveState.RETURNED:
        raise ConflictError(_("Only a returned leave request can be changed and resubmitted."))
    _check_leave(leave.agent, start_date, end_date, half_day, reason, exclude_pk=leave.pk)
    claim_version(leave, base_version)
    leave.start_date, leave.end_date, leave.half_day = start_date, end_date, half_day
    leave.reason = reason.strip()
    leave.state = LeaveState.SUBMITTED
    leave.decided_at = None
    leave._history_user = acting_user
    leave.save()
    _submit_leave(leave, acting_user)
    return leave


def leave_days(leave: LeaveRequest) -> list[date]:
    """The workdays the leave covers while the agent is employed."""
    agent = leave.agent
    first, last = selectors.employment_bounds(agent, leave.start_date, leave.end_date)
    return workdays(agent.group, first, last)


def on_leave_approved(leave: LeaveRequest, acting_user) -> None:
    """Approval hook (runs in the approval's transaction): the leave's workdays become leave.
    A day counts as reported (已报备) when the approval came before that day began; days on or
    before the approval date count as unreported. Approved leave replaces what was recorded."""
    leave = LeaveRequest.objects.select_related("agent__group").get(pk=leave.pk)
    decided_at = timezone.now()
    decided_on = timezone.localdate(decided_at)
    fraction = HALF_DAY if leave.half_day else FULL_DAY
    entries = [
        Entry(
            agent_id=leave.agent_id,
            day=day,
            status=AttendanceStatus.LEAVE,
            fraction=fraction,
            reported=decided_on < day,
        )
        for day in leave_days(leave)
    ]
    _apply(
        entries,
        acting_user=acting_user,
        source=AttendanceSource.LEAVE,
        reason=_("Leave approved"),
        leave_request=leave,
    )
    _set_leave_state(leave, LeaveState.APPROVED, decided_at, acting_user)


def on_leave_returned(leave: LeaveRequest, acting_user) -> None:
    _set_leave_state(leave, LeaveState.RETURNED, timezone.now(), acting_user)


def _set_leave_state(leave, state, decided_at, acting_user) -> None:
    """A decision is a new version of the request: an edit based on the version before it (a
    resubmission by someone who has not seen the decision) is refused as stale."""
    claim_version(leave, None)
    leave.state = state
    leave.decided_at = decided_at
    leave._history_user = acting_user
    leave.save(update_fields=["state", "decided_at"])


def leave_decide(
    *, acting_user, leave: LeaveRequest, decision: str, expected_step: int | None, comment: str = ""
):
    """Approve or return the step of the leave's approval the approver saw
    (approvals.services.decide: the step's approver only; a step that moved on is refused)."""
    return approvals.decide(
        acting_user=acting_user,
        request=approvals.pending_request(
            leave, _("This leave request is not waiting for approval.")
        ),
        decision=decision,
        expected_step=expected_step,
        comment=comment,
    )
