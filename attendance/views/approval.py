"""The approval part of the leave request and fund usage pages: the trail and decision form shown
on the detail page, and the approve / return post (approvals.services.decide behind each one)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.models import Decision
from approvals.selectors import trail
from approvals.services import can_act, request_for
from attendance.forms import DecisionForm
from attendance.views.daily import _message
from core.exceptions import ConflictError

ACTION_LABELS = {
    "submit": gettext_lazy("submitted"),
    "approve": gettext_lazy("approved"),
    "return": gettext_lazy("returned"),
}


def approval_context(user, subject) -> dict:
    """The request of `subject`, its labelled trail, and the decision form if the user may act."""
    approval = request_for(subject)
    return {
        "approval": approval,
        "trail": [
            (action, ACTION_LABELS.get(action.action, action.action)) for action in trail(approval)
        ],
        "can_decide": approval is not None and can_act(user, approval),
        "decision_form": DecisionForm(initial={"step": approval.step if approval else None}),
    }


def decide_from_post(request, subject, decide):
    """Approve or return from the decision form: `decide(decision=, expected_step=, comment=)`
    is the subject's service; a refusal is shown as a message. Back to the subject's page."""
    form = DecisionForm(request.POST)
    form.is_valid()
    approve = request.POST.get("action") == Decision.APPROVE
    try:
        decide(
            decision=Decision.APPROVE if approve else Decision.RETURN,
            expected_step=form.cleaned_data.get("step"),
            comment=form.cleaned_data.get("comment", ""),
        )
    except (ValidationError, PermissionDenied, ConflictError) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("Approved.") if approve else _("Returned."))
    return redirect(subject)
