"""The rows' rules of the roster import: read every cell, check it against the units, ranks
and agents it names, and plan what each valid row writes. Nothing here writes."""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from core.imports import CellError
from core.masking import mask_id_number, mask_mobile
from core.xlsx import cell_date as _date
from core.xlsx import cell_error as _error
from core.xlsx import cell_text as _text
from org import access
from org.access import Cap
from org.exports import (
    COLUMNS_BY_KEY,
    EDUCATION_SHEET_LABELS,
    GENDER_SHEET_LABELS,
    STATUS_SHEET_LABELS,
)
from org.models import Agent, AgentStatus, Education, Gender, Rank, Unit
from org.selectors import RosterLookups
from org.services import agents as agent_services
from org.services.common import today

MASK_CHAR = "*"


# -- results -----------------------------------------------------------------------------------


@dataclass
class RowPlan:
    """One valid row: what the agent should look like after the import."""

    row: int
    code: str
    fields: dict  # AGENT_FIELDS; id_number/mobile absent when a masked value keeps the stored one
    group: Unit
    rank: Rank
    recruiter_code: str
    agent: Agent | None = None  # the existing agent with this code
    values: dict = field(default_factory=dict)  # header → the cell as read, for error reports


# -- reading cells ------------------------------------------------------------------------------


def _id_number_text(value) -> str:
    if isinstance(value, float):
        if value >= 1e15:
            raise CellError(
                _(
                    "Excel stored this ID number as a number and rounded it; format "
                    "the column as text and type the number again."
                )
            )
        value = int(value)
    return re.sub(r"\s", "", _text(value)).upper()


def _mobile_text(value) -> str:
    text = re.sub(r"[\s-]", "", _text(value))
    if text.startswith("+86"):
        text = text[3:]
    return text


def _choice_lookup(choices_class, sheet_labels: dict) -> dict[str, str]:
    """Every accepted spelling → the stored value: sheet label, English and UI label, code."""
    lookup = {}
    for value, label in choices_class.choices:
        spellings = {value, str(sheet_labels[value]), str(label)}
        for language in ("en", "zh-hans"):
            with translation.override(language):
                spellings.add(str(label))
        for spelling in spellings:
            lookup[spelling.strip().casefold()] = value
    return lookup


# -- parse and validate -------------------------------------------------------------------------


def validate_rows(rows, acting_user) -> tuple[list[RowPlan], list[dict]]:
    """Check every row of the sheet. Returns (plan, errors)."""
    records = [(row.number, row.raw) for row in rows]
    codes = {_text(record.get("code")) for _number, record in records}
    codes |= {_text(record.get("recruiter")) for _number, record in records}
    codes.discard("")
    lookups = RosterLookups(acting_user, codes)
    choices = {
        "gender": _choice_lookup(Gender, GENDER_SHEET_LABELS),
        "education": _choice_lookup(Education, EDUCATION_SHEET_LABELS),
        "status": _choice_lookup(AgentStatus, STATUS_SHEET_LABELS),
    }
    has_resigned_column = any("resigned_on" in record for _number, record in records)
    errors: list[dict] = [error for row in rows for error in row.errors]
    plan: list[RowPlan] = []
    first_row_of_code: dict[str, int] = {}
    for number, record in records:
        row_plan, row_errors = _validate_row(
            number, record, lookups, choices, has_resigned_column, first_row_of_code
        )
        errors.extend(row_errors)
        if row_plan is not None:
            plan.append(row_plan)
    errors.extend(_recruiter_errors(plan, records, lookups, first_row_of_code))
    return plan, errors


def _validate_row(number, record, lookups, choices, has_resigned_column, first_row_of_code):
    errors = []

    def add(key, message):
        errors.append(_error(number, COLUMNS_BY_KEY[key].header, record.get(key), message))

    code = _text(record.get("code"))
    existing = lookups.agents.get(code) if code else None
    if code:
        if code in first_row_of_code:
            add(
                "code",
                _("The agent code is also on row %(row)s.") % {"row": first_row_of_code[code]},
            )
        else:
            first_row_of_code[code] = number
        if existing is not None and not access.holds(
            lookups.acting_user, Cap.EDIT_AGENTS, existing.group
        ):
            add("code", _("This agent code belongs to an agent you may not edit."))

    fields = {"name": _text(record.get("name"))}
    for key in ("gender", "education", "status"):
        text = _text(record.get(key))
        if text:
            value = choices[key].get(text.casefold())
            if value is None:
                add(
                    key,
                    _("Unknown value; use one of: %(values)s.")
                    % {"values": ", ".join(str(label) for label in _sheet_labels(key))},
                )
            fields[key] = value

    for key, reader, validator, masker in (
        ("id_number", _id_number_text, agent_services.validate_id_number, mask_id_number),
        ("mobile", _mobile_text, agent_services.validate_mobile, mask_mobile),
    ):
        raw = record.get(key)
        try:
            text = reader(raw)
        except CellError as exc:
            add(key, exc)
            continue
        if not text:
            continue
        if MASK_CHAR in text:
            # A masked value (from an export) keeps what is stored; it cannot create an agent.
            if existing is None:
                add(key, _("This value is masked; a new agent needs the full value."))
            elif masker(getattr(existing, key)) != text:
                add(
                    key,
                    _(
                        "This masked value does not match the stored one; enter the full "
                        "value or keep the exported one."
                    ),
                )
            continue
        try:
            fields[key] = validator(text)
        except ValidationError as exc:
            add(key, " ".join(exc.messages))

    for key in ("hire_date", "resigned_on"):
        if key == "resigned_on" and not has_resigned_column:
            continue
        try:
            fields[key] = _date(record.get(key))
        except CellError as exc:
            add(key, exc)
    if not has_resigned_column:
        # A sheet without the column keeps a resigned agent's stored date.
        keeps_date = (
            existing is not None
            and existing.status == AgentStatus.RESIGNED
            and fields.get("status") == AgentStatus.RESIGNED
        )
        fields["resigned_on"] = existing.resigned_on if keeps_date else None

    group, rank = _validate_unit_and_rank(record, lookups, existing, add)
    _validate_status_dates(fields, add)

    if fields["name"] or code:
        probe = Agent(code=code, **{k: v for k, v in fields.items() if v is not None})
        try:
            probe.clean_fields(
                exclude=[f.name for f in Agent._meta.fields if f.name not in {"code", "name"}]
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                if _text(record.get(name)):
                    add(name, " ".join(messages))

    if existing is not None and group is not None and rank is not None:
        _validate_existing_changes(existing, fields, group, rank, add)

    if errors:
        return None, errors
    values = {COLUMNS_BY_KEY[key].header: value for key, value in record.items()}
    return RowPlan(
        row=number,
        code=code,
        fields=fields,
        group=group,
        rank=rank,
        recruiter_code=_text(record.get("recruiter")),
        agent=existing,
        values=values,
    ), []


def _sheet_labels(key):
    return {
        "gender": GENDER_SHEET_LABELS,
        "education": EDUCATION_SHEET_LABELS,
        "status": STATUS_SHEET_LABELS,
    }[key].values()


def _validate_unit_and_rank(record, lookups, existing, add):
    department_text = _text(record.get("department"))
    group_text = _text(record.get("group"))
    rank_text = _text(record.get("rank"))
    if not department_text or not group_text:
        return None, None
    departments = lookups.department_candidates(department_text)
    if not departments:
        add("department", _("No sales department with this name or code among your units."))
        return None, None
    groups = lookups.groups(departments, group_text)
    if not groups:
        add(
            "group",
            _("No sales group with this name or code under %(department)s.")
            % {"department": department_text},
        )
        return None, None
    if len(groups) > 1:
        add("group", _("Several groups match; use the unit code instead of the name."))
        return None, None
    group = groups[0]
    if not access.holds(lookups.acting_user, Cap.EDIT_AGENTS, group):
        add("group", _("You may not import agents into %(group)s.") % {"group": group.name})
        return None, None
    moving = existing is None or existing.group_id != group.pk
    if moving and not group.is_open:
        add("group", _("%(group)s is closed.") % {"group": group.name})
        return None, None
    if not rank_text:
        return group, None
    rank = lookups.rank(group, rank_text)
    if rank is None:
        add("rank", _("No rank with this name or code in the branch's rank ladder."))
    return group, rank


def _validate_status_dates(fields, add):
    status, resigned_on, hire_date = (
        fields.get("status"),
        fields.get("resigned_on"),
        fields.get("hire_date"),
    )
    if status == AgentStatus.RESIGNED and not resigned_on:
        add("resigned_on", _("A resigned agent needs a resignation date."))
    elif status and status != AgentStatus.RESIGNED and resigned_on:
        add("resigned_on", _("Only a resigned agent has a resignation date."))
    elif resigned_on and hire_date and resigned_on < hire_date:
        add("resigned_on", _("The resignation date is before the hire date."))


def _validate_existing_changes(existing, fields, group, rank, add):
    """A group or rank change is a transfer / rank change effective today."""
    moves = existing.group_id != group.pk
    promotes = existing.rank_id != rank.pk
    if not (moves or promotes):
        return
    # A resigned agent is reinstated first, an active one moved before resigning.
    resigned_at_change = (
        existing.status == AgentStatus.RESIGNED and fields.get("status") == AgentStatus.RESIGNED
    )
    hire_date = (
        fields.get("hire_date") if existing.status == AgentStatus.RESIGNED else existing.hire_date
    )
    for key, changes in (("group", moves), ("rank", promotes)):
        if not changes:
            continue
        if resigned_at_change:
            add(key, _("A resigned agent cannot be transferred or change rank."))
        elif hire_date and hire_date > today():
            add(key, _("The change would take effect today, before the hire date."))


def _recruiter_errors(plan, records, lookups, first_row_of_code) -> list[dict]:
    """Recruiters must exist (in the database or the sheet) and form no loop."""
    errors = []
    header = COLUMNS_BY_KEY["recruiter"].header
    recruiter_of = {}
    for number, record in records:
        code, recruiter = _text(record.get("code")), _text(record.get("recruiter"))
        if not recruiter or first_row_of_code.get(code) != number:
            continue
        if recruiter == code:
            errors.append(
                _error(number, header, recruiter, _("An agent cannot be their own recruiter."))
            )
        elif recruiter not in first_row_of_code and recruiter not in lookups.agents:
            errors.append(_error(number, header, recruiter, _("No agent with this code.")))
        else:
            recruiter_of[code] = recruiter
    # New agents have no recruits yet, so a loop needs an existing agent whose recruiter
    # changes; only then is the stored recruitment tree needed.
    stored = _stored_recruiters() if _existing_recruiter_changes(plan, lookups) else {}
    for code, recruiter in recruiter_of.items():
        current, seen = recruiter, set()
        while current and current not in seen:
            if current == code:
                errors.append(
                    _error(
                        first_row_of_code[code],
                        header,
                        recruiter,
                        _("This would make a loop in the recruitment tree."),
                    )
                )
                break
            seen.add(current)
            current = (
                recruiter_of.get(current) if current in first_row_of_code else stored.get(current)
            )
    return errors


def _existing_recruiter_changes(plan, lookups) -> bool:
    for row_plan in plan:
        if row_plan.agent is None or not row_plan.recruiter_code:
            continue
        recruiter = lookups.agents.get(row_plan.recruiter_code)
        if recruiter is None or recruiter.pk != row_plan.agent.recruiter_id:
            return True
    return False


def _stored_recruiters() -> dict[str, str]:
    return dict(
        Agent.objects.filter(recruiter__isnull=False).values_list("code", "recruiter__code")
    )
