"""The approval flow: submit → approve (level by level) or return → resubmit.

Every transition locks the request row and checks its state and step, so two approvers acting
at once produce exactly one transition; the other gets a ConflictError naming who acted first.
Approve and return are one function, decide(), used by every flow, page and API endpoint.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from approvals import registry
from approvals.models import (
    ApprovalAction,
    ApprovalChain,
    ApprovalRequest,
    ApprovalState,
    Decision,
)
from core.exceptions import ConflictError
from notifications.models import NotificationKind
from notifications.services import notify
from org.access import held_roles
from org.models import Unit, UnitKind


def chain_levels(kind: str, unit: Unit) -> list[tuple[str, str]]:
    """The configured levels for `kind` at `unit`: the nearest unit-specific chain up the tree,
    else the default chain, else the kind's built-in default."""
    chains = {
        chain.unit_id: chain
        for chain in ApprovalChain.objects.filter(kind=kind).prefetch_related("levels")
    }
    for unit_id in reversed(unit.ancestor_ids):
        if unit_id in chains:
            return [(lvl.role, lvl.unit_kind) for lvl in chains[unit_id].levels.all()]
    if None in chains:
        return [(lvl.role, lvl.unit_kind) for lvl in chains[None].levels.all()]
    return list(registry.get(kind).default_levels)


def resolve_levels(kind: str, unit: Unit) -> list[list]:
    """[[role, unit_id], ...]: each level's role over the record's ancestor of the named kind."""
    ancestors = {u.kind: u for u in Unit.objects.filter(pk__in=unit.ancestor_ids)}
    resolved = []
    for role, unit_kind in chain_levels(kind, unit):
        over = ancestors.get(unit_kind)
        if over is None:
            raise ValidationError(
                _("No %(kind)s above %(unit)s to approve this.")
                % {"kind": UnitKind(unit_kind).label, "unit": unit}
            )
        resolved.append([role, over.pk])
    if not resolved:
        raise ValidationError(_("No approval chain is configured for this kind of record."))
    return resolved


def approvers(role: str, unit_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__role=role,
            role_assignments__unit_id=unit_id,
            role_assignments__ended_on__isnull=True,
        ).distinct()
    )


def is_decider(user, request: ApprovalRequest | None) -> bool:
    """Whether `user` approves some level of `request`, whatever its state and step now."""
    if request is None:
        return False
    held = set(held_roles(user))
    return any((role, unit_id) in held for role, unit_id in request.levels or [])


def check_decider(user, request: ApprovalRequest | None) -> None:
    """PermissionDenied unless `user` approves some level of `request`: checked before the
    body and the state, so a request the user has no say in answers 403 (not 400 or 409)."""
    if not is_decider(user, request):
        raise PermissionDenied(_("You are not the approver of this step."))


def can_act(user, request: ApprovalRequest) -> bool:
    if request.state != ApprovalState.SUBMITTED:
        return False
    return (request.current_role, request.current_unit_id) in held_roles(user)


def request_for(subject) -> ApprovalRequest | None:
    return ApprovalRequest.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
    ).first()


def _record(request, acting_user, action, comment="", from_state="", role=""):
    return ApprovalAction.objects.create(
        request=request,
        action=action,
        step=request.step,
        actor=acting_user,
        role=role,
        comment=comment,
        from_state=from_state,
        to_state=request.state,
    )


def _enter_step(request: ApprovalRequest, step: int) -> None:
    request.step = step
    request.current_role, request.current_unit_id = request.levels[step - 1]


def _notify_approvers(request: ApprovalRequest) -> None:
    notify(
        recipients=approvers(request.current_role, request.current_unit_id),
        kind=NotificationKind.APPROVAL_WAITING,
        title=_("Waiting for your approval: %(title)s") % {"title": request.title},
        url=request.url,
        dedupe_key=f"approval:{request.pk}:{request.step}:{request.submitted_at:%Y%m%d%H%M%S%f}",
    )


def _locked(request: ApprovalRequest) -> ApprovalRequest:
    # of=self: PostgreSQL refuses FOR UPDATE on the nullable side of the submitter join.
    return (
        ApprovalRequest.objects.select_for_update(of=("self",))
        .select_related("submitted_by")
        .get(pk=request.pk)
    )


def _last_decider(request: ApprovalRequest) -> str:
    last = request.actions.exclude(action="submit").select_related("actor").last()
    return str(last.actor) if last else _("someone else")


def _conflict(request: ApprovalRequest, expected_step: int | None = None) -> ConflictError:
    """Who moved the request on, and where it stands now (the API adds state and step)."""
    if request.state == ApprovalState.APPROVED:
        message = _("Already approved by %(user)s.")
    elif request.state == ApprovalState.RETURNED:
        message = _("Already returned by %(user)s.")
    elif request.state == ApprovalState.SUBMITTED and (expected_step or 0) > request.step:
        message = _("This request has changed since you saw it.")
    elif request.state == ApprovalState.SUBMITTED:
        message = _("This step was already approved by %(user)s.")
    else:
        message = _("This is not waiting for approval (now: %(state)s).")
    message = message % {"user": _last_decider(request), "state": request.get_state_display()}
    if request.state == ApprovalState.SUBMITTED:
        message += " " + _("It now waits at step %(step)s of %(total)s.") % {
            "step": request.step,
            "total": request.total_steps,
        }
    return ConflictError(message, data={"state": request.state, "step": request.step})


@transaction.atomic
def approval_submit(
    *, acting_user, subject, kind: str, unit: Unit, title: str, url: str = "", comment: str = ""
) -> ApprovalRequest:
    """Submit a record for approval (again, after a return). The caller checks that the user may
    submit this record; this checks the flow's own rules."""
    request, _created = ApprovalRequest.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        defaults={"kind": kind, "unit": unit, "title": title[:200], "url": url},
    )
    request = _locked(request)
    if request.state == ApprovalState.SUBMITTED:
        raise ConflictError(_("Already submitted and waiting for approval."))
    if request.state == ApprovalState.APPROVED:
        raise ConflictError(_("Already approved; it cannot be submitted again."))
    previous = request.state
    request.kind, request.unit, request.title, request.url = kind, unit, title[:200], url
    request.levels = resolve_levels(kind, unit)
    request.state = ApprovalState.SUBMITTED
    request.submitted_by = acting_user
    request.submitted_at = timezone.now()
    request.decided_at = None
    _enter_step(request, 1)
    request.save()
    _record(request, acting_user, "submit", comment, previous)
    _notify_approvers(request)
    return request


def pending_request(subject, missing: str) -> ApprovalRequest:
    """The approval request of `subject`, or a ConflictError saying `missing`."""
    request = request_for(subject)
    if request is None:
        raise ConflictError(missing)
    return request


@transaction.atomic
def decide(
    *,
    acting_user: User,
    request: ApprovalRequest,
    decision: Decision | str,
    expected_step: int | None,
    comment: str = "",
) -> ApprovalRequest:
    """Approve or return the current step of `request`: the one way every flow decides.

    `decision` is a Decision ("approve" or "return"). `expected_step` is the step the decider
    saw (pages and the API send it back; it is required): a request that has moved on since —
    approved or returned by someone else, or the same decision sent twice — is refused with a
    ConflictError saying who acted and where the request stands now, so one intent moves the
    request on at most one step. Returning needs a reason. Approving the last step approves
    the record and runs the kind's on_approved hook; a user who approves no level of the
    request is refused first (before the body and the state are looked at); returning runs
    on_returned, and the author corrects the record and submits it again (approval_submit),
    the trail keeping everything.
    """
    check_decider(acting_user, request)
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Unknown action.")})
    if expected_step is None:
        raise ValidationError(
            {"step": _("Send the step you decided on (the step you saw); reload and try again.")}
        )
    comment = (comment or "").strip()
    if decision == Decision.RETURN and not comment:
        raise ValidationError({"comment": _("Say why it is returned.")})
    request = _locked(request)
    if request.state != ApprovalState.SUBMITTED or request.step != expected_step:
        raise _conflict(request, expected_step)
    if not can_act(acting_user, request):
        raise PermissionDenied(_("You are not the approver of this step."))
    role = request.current_role
    kind = registry.get(request.kind)
    if decision == Decision.RETURN:
        request.state = ApprovalState.RETURNED
        request.decided_at = timezone.now()
        request.current_role, request.current_unit = "", None
        request.save()
        _record(request, acting_user, "return", comment, ApprovalState.SUBMITTED, role)
        kind.on_returned(request.subject, acting_user)
        _notify_submitter(request, _("Returned: %(title)s"), body=comment)
        return request
    if request.step < request.total_steps:
        _enter_step(request, request.step + 1)
        request.save()
        _record(request, acting_user, "approve", comment, ApprovalState.SUBMITTED, role)
        _notify_approvers(request)
        return request
    request.state = ApprovalState.APPROVED
    request.decided_at = timezone.now()
    request.current_role, request.current_unit = "", None
    request.save()
    _record(request, acting_user, "approve", comment, ApprovalState.SUBMITTED, role)
    kind.on_approved(request.subject, acting_user)
    _notify_submitter(request, _("Approved: %(title)s"))
    return request


def approval_record(
    *, acting_user, request: ApprovalRequest, action: str, comment: str = "", role: str = ""
) -> ApprovalAction:
    """Add a module's own step (publish, acknowledge, …) to the record's trail."""
    return _record(request, acting_user, action, comment, request.state, role)


def _notify_submitter(request: ApprovalRequest, title: str, body: str = "") -> None:
    if request.submitted_by_id:
        notify(
            recipients=[request.submitted_by_id],
            kind=NotificationKind.APPROVAL_DECIDED,
            title=title % {"title": request.title},
            url=request.url,
            body=body,
        )


def approval_bulk(
    *, acting_user, items: list[tuple[int, int | None]], decision: str, comment: str = ""
) -> list[tuple[ApprovalRequest | None, bool, str]]:
    """Approve or return several requests, each given with the step its decider saw
    ((id, step), ...); each goes through decide() on its own, and one refusal does not undo
    the others."""
    if decision not in Decision.values:
        raise ValidationError(_("Unknown action."))
    results = []
    requests = {r.pk: r for r in ApprovalRequest.objects.filter(pk__in=[pk for pk, _s in items])}
    for pk, step in items:
        request = requests.get(pk)
        if request is None:
            results.append((None, False, _("Not found.")))
            continue
        try:
            request = decide(
                acting_user=acting_user,
                request=request,
                decision=decision,
                expected_step=step,
                comment=comment,
            )
        except (ConflictError, PermissionDenied, ValidationError) as exc:
            message = getattr(exc, "message", None) or " ".join(
                getattr(exc, "messages", [str(exc)])
            )
            results.append((request, False, message))
        else:
            results.append((request, True, ""))
    return results
