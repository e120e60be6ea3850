"""Changes to agents: create, edit, transfer, rank change, cancel, personal-data reveal.
Each is one transaction with its audit trail.

Views, API views, the roster import and management commands all call these, so every rule
lives here once.
"""

import re
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.versioning import check_version, claim_version
from org import access
from org.access import Cap
from org.models import (
    Agent,
    AgentRankChange,
    AgentStatus,
    AgentTransfer,
    PersonalDataAccess,
    Rank,
    Unit,
    UnitKind,
)
from org.services import placements
from org.services.common import _require, _stamp, today

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK_CODES = "10X98765432"
ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$")


def id_number_check_code(first17: str) -> str:
    return ID_CHECK_CODES[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def validate_id_number(value: str) -> str:
    """A mainland resident ID number (GB 11643): 18 characters with a valid check code."""
    value = (value or "").strip().upper()
    if not ID_PATTERN.match(value):
        raise ValidationError(_("Must be 18 characters: 17 digits and a digit or X."))
    if id_number_check_code(value[:17]) != value[17]:
        raise ValidationError(_("The check code (last character) is wrong."))
    return value


def validate_mobile(value: str) -> str:
    value = re.sub(r"[\s-]", "", value or "")
    if not MOBILE_PATTERN.match(value):
        raise ValidationError(_("Must be an 11-digit mobile number starting with 1."))
    return value


# -- agents ----------------------------------------------------------------------------------

AGENT_EDITABLE_FIELDS = [
    "name",
    "gender",
    "id_number",
    "mobile",
    "education",
    "hire_date",
    "status",
    "resigned_on",
    "recruiter",
    "practice_certificate_no",
    "practice_certificate_valid_until",
    "qualification_certificate_no",
    "deposit_paid",
]


def _clean_agent(agent: Agent, acting_user) -> None:
    errors = {}
    for field, validator in (("id_number", validate_id_number), ("mobile", validate_mobile)):
        try:
            setattr(agent, field, validator(getattr(agent, field)))
        except ValidationError as exc:
            errors[field] = exc.messages
    group = agent.group
    if group.kind != UnitKind.GROUP:
        errors["group"] = [_("Agents belong to a sales group.")]
    elif not group.is_open and agent.status != AgentStatus.RESIGNED:
        # A resigned agent's record stays correctable after their old group closed.
        errors["group"] = [_("%(group)s is closed.") % {"group": group}]
    if agent.rank.branch_id != (group.ancestor_ids[0] if group.ancestor_ids else None):
        errors["rank"] = [_("The rank does not belong to this branch's ladder.")]
    if agent.status == AgentStatus.RESIGNED and not agent.resigned_on:
        errors["resigned_on"] = [_("A resigned agent needs a resignation date.")]
    if agent.status != AgentStatus.RESIGNED and agent.resigned_on:
        errors["resigned_on"] = [_("Only a resigned agent has a resignation date.")]
    if agent.resigned_on and agent.hire_date and agent.resigned_on < agent.hire_date:
        errors["resigned_on"] = [_("The resignation date is before the hire date.")]
    if agent.recruiter_id:
        if agent.pk and agent.recruiter_id == agent.pk:
            errors["recruiter"] = [_("An agent cannot be their own recruiter.")]
        elif agent.pk and _recruits_upline_contains(agent.recruiter_id, agent.pk):
            errors["recruiter"] = [_("This would make a loop in the recruitment tree.")]
    try:
        agent.full_clean(
            exclude=["group", "rank", "recruiter", "user", "id_number", "mobile"],
            validate_unique=True,
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _recruits_upline_contains(start_id: int, target_id: int, max_depth: int = 50) -> bool:
    current = start_id
    for _depth in range(max_depth):
        if current is None:
            return False
        if current == target_id:
            return True
        current = Agent.objects.filter(pk=current).values_list("recruiter_id", flat=True).first()
    return False


@transaction.atomic
def agent_create(*, acting_user, group: Unit, rank: Rank, **fields) -> Agent:
    _require(acting_user, Cap.EDIT_AGENTS, group)
    agent = Agent(group=group, rank=rank, **fields)
    _clean_agent(agent, acting_user)
    _stamp(agent, acting_user)
    agent.save()
    AgentRankChange.objects.create(
        agent=agent,
        from_rank=None,
        to_rank=rank,
        effective_date=agent.hire_date,
        reason=_("Hired"),
        created_by=acting_user,
    )
    AgentTransfer.objects.create(
        agent=agent,
        from_group=None,
        to_group=group,
        effective_date=agent.hire_date,
        reason=_("Hired"),
        created_by=acting_user,
    )
    placements.rebuild([agent.pk])
    return agent


@transaction.atomic
def agent_update(*, acting_user, agent: Agent, base_version: int | None = None, **fields) -> Agent:
    """Edit the agent's own data. Group and rank change only by transfer and rank change.

    `base_version` is the version the edit was based on: a stale one raises StaleVersion.
    """
    _require(acting_user, Cap.EDIT_AGENTS, agent.group)
    unknown = set(fields) - set(AGENT_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    agent = Agent.objects.select_for_update().select_related("group", "rank").get(pk=agent.pk)
    check_version(agent, base_version)
    changed = [name for name, value in fields.items() if getattr(agent, name) != value]
    if not changed:
        return agent
    claim_version(agent, base_version)
    for name in changed:
        setattr(agent, name, fields[name])
    _clean_agent(agent, acting_user)
    _stamp(agent, acting_user)
    agent.save(update_fields=changed)
    if "hire_date" in changed:  # the first placement starts on the hire date
        placements.rebuild([agent.pk])
    return agent


@transaction.atomic
def agent_transfer(
    *, acting_user, agent: Agent, to_group: Unit, effective_date: date, reason: str = ""
) -> AgentTransfer:
    """Move an agent to another group; both groups must be within the user's editable scope."""
    _require(acting_user, Cap.EDIT_AGENTS, agent.group)
    agent = Agent.objects.select_for_update().select_related("group").get(pk=agent.pk)
    latest = _latest_change(agent.transfers)
    from_group = latest.to_group if latest else agent.group
    errors = {}
    if to_group.kind != UnitKind.GROUP or not to_group.is_open:
        errors["to_group"] = [_("Choose an open sales group.")]
    elif to_group.pk == from_group.pk:
        errors["to_group"] = [_("The agent is already in %(group)s.") % {"group": to_group}]
    elif not access.holds(acting_user, Cap.EDIT_AGENTS, to_group):
        errors["to_group"] = [_("You may not move agents into %(group)s.") % {"group": to_group}]
    return _record_change(
        acting_user=acting_user,
        agent=agent,
        field="group",
        from_value=from_group,
        to_value=to_group,
        effective_date=effective_date,
        reason=reason,
        latest=latest,
        errors=errors,
        resigned_error=_("A resigned agent cannot be transferred."),
        history_reason=_("Transfer"),
    )


@transaction.atomic
def agent_change_rank(
    *, acting_user, agent: Agent, to_rank: Rank, effective_date: date, reason: str = ""
) -> AgentRankChange:
    _require(acting_user, Cap.EDIT_AGENTS, agent.group)
    agent = Agent.objects.select_for_update().select_related("rank", "group").get(pk=agent.pk)
    latest = _latest_change(agent.rank_changes)
    from_rank = latest.to_rank if latest else agent.rank
    errors = {}
    if to_rank.pk == from_rank.pk:
        errors["to_rank"] = [_("The agent already holds the rank %(rank)s.") % {"rank": to_rank}]
    elif to_rank.branch_id != agent.rank.branch_id:
        errors["to_rank"] = [_("The rank does not belong to this branch's ladder.")]
    return _record_change(
        acting_user=acting_user,
        agent=agent,
        field="rank",
        from_value=from_rank,
        to_value=to_rank,
        effective_date=effective_date,
        reason=reason,
        latest=latest,
        errors=errors,
        resigned_error=_("A resigned agent's rank cannot change."),
        history_reason=_("Rank change"),
    )


_CHANGE_MODELS = {"group": AgentTransfer, "rank": AgentRankChange}


def _record_change(
    *,
    acting_user,
    agent: Agent,
    field: str,
    from_value,
    to_value,
    effective_date: date,
    reason: str,
    latest,
    errors: dict,
    resigned_error: str,
    history_reason: str,
):
    """Write a transfer (`field` "group") or rank change ("rank") after the checks both share:
    it takes effect now if dated today or earlier, else it is scheduled; the placement history
    is rebuilt either way."""
    errors = {**errors, **_effective_date_errors(agent, effective_date, latest)}
    if agent.status == AgentStatus.RESIGNED:
        errors.setdefault("agent", []).append(resigned_error)
    if errors:
        raise ValidationError(errors)
    change = _CHANGE_MODELS[field].objects.create(
        agent=agent,
        **{f"from_{field}": from_value, f"to_{field}": to_value},
        effective_date=effective_date,
        reason=reason,
        created_by=acting_user,
    )
    if effective_date <= today():  # else scheduled: apply_scheduled_changes applies it
        setattr(agent, field, to_value)
        _stamp(agent, acting_user, reason or history_reason)
        claim_version(agent, None)
        agent.save(update_fields=[field])
    placements.rebuild([agent.pk])
    return change


def _latest_change(changes):
    """The agent's latest transfer (or rank change) still standing, scheduled ones included."""
    return changes.filter(cancelled_at__isnull=True).order_by("-effective_date", "-pk").first()


def _effective_date_errors(agent: Agent, effective_date: date, latest=None) -> dict:
    """A change may be dated in the future (it is then scheduled), but not before the hire date
    nor before the agent's latest change of the same kind (history is written in order)."""
    if effective_date is None:
        return {"effective_date": [_("An effective date is required.")]}
    if effective_date < agent.hire_date:
        return {
            "effective_date": [
                _("The effective date is before the hire date (%(date)s).")
                % {"date": agent.hire_date}
            ]
        }
    if latest is not None and effective_date < latest.effective_date:
        return {
            "effective_date": [
                _("The effective date is before the latest change (%(date)s).")
                % {"date": latest.effective_date}
            ]
        }
    return {}


@transaction.atomic
def agent_change_cancel(*, acting_user, change: AgentTransfer | AgentRankChange):
    """Cancel a scheduled transfer or rank change (the latest of its kind). The row stays, marked
    cancelled with who and when; the placement history forgets it."""
    model = type(change)
    change = model.objects.select_for_update().select_related("agent__group").get(pk=change.pk)
    agent = change.agent
    _require(acting_user, Cap.EDIT_AGENTS, agent.group)
    if not change.is_scheduled:
        raise ValidationError(
            _("Only a scheduled change that has not taken effect can be cancelled.")
        )
    latest = _latest_change(model.objects.filter(agent=agent))
    if latest.pk != change.pk:
        raise ValidationError(_("Cancel the later scheduled change first."))
    change.cancelled_at = timezone.now()
    change.cancelled_by = acting_user
    change.save(update_fields=["cancelled_at", "cancelled_by"])
    placements.rebuild([agent.pk])
    return change


def personal_data_reveal(*, acting_user, agent: Agent) -> dict:
    """The agent's full ID number and mobile, for a user allowed to see them; logged."""
    if not (
        access.holds_for_agent(acting_user, Cap.VIEW_PII, agent)
        or access.is_own_agent(acting_user, agent)
    ):
        raise PermissionDenied(_("You may not see this agent's personal data in full."))
    PersonalDataAccess.objects.create(
        user=acting_user, agent=agent, purpose=PersonalDataAccess.Purpose.VIEW
    )
    return {"id_number": agent.id_number, "mobile": agent.mobile}
