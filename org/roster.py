"""Roster import and export (业务员名单): an Excel sheet of agents in, the agent list out.

The sheet's headers and the labels of gender, education and status are written in the user's
language and read in either sheet language (core.imports.base.SHEET_LANGUAGES).

Import validates every row before anything is written and writes nothing when a row is wrong.
Writes go through org.services, so the rules and the audit trail are the services' own;
the checks here exist to report every bad row at once.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.imports import CellError as CellError  # noqa: PLC0414 - part of this module's API
from core.imports import Column, Counts, Importer, ImportResult, RowErrors
from core.imports.base import HELP_SHEET_TITLE  # noqa: F401 - part of this module's API
from core.masking import mask_id_number, mask_mobile
from core.xlsx import XLSX_CONTENT_TYPE  # noqa: F401 - part of this module's API
from core.xlsx import cell_date as _date
from core.xlsx import cell_error as _error
from core.xlsx import cell_text as _text
from core.xlsx import header_style as _header_style
from core.xlsx import workbook_bytes as _save
from org import access, services
from org.access import Cap
from org.models import (
    Agent,
    AgentStatus,
    Education,
    Gender,
    PersonalDataAccess,
    Rank,
    Unit,
    UnitKind,
)

MAX_ROWS = 5000
DATA_SHEET_TITLE = gettext_lazy("Agent roster")
MASK_CHAR = "*"


def RosterColumn(key, header, required, help, example):  # noqa: N802 - reads as a declaration
    return Column(
        key,
        header,
        required,
        help=help,
        example=example,
        width=20 if key == "id_number" else 13,
        as_text=key in {"code", "id_number", "mobile", "recruiter"},
    )


ROSTER_COLUMNS: list[Column] = [
    RosterColumn(
        "code",
        gettext_lazy("Agent code"),
        True,
        gettext_lazy("Unique agent code. An existing code updates that agent."),
        "A10001",
    ),
    RosterColumn(
        "name", gettext_lazy("Name"), True, gettext_lazy("Full name."), gettext_lazy("Zhang San")
    ),
    RosterColumn(
        "gender", gettext_lazy("Gender"), True, gettext_lazy("Male or Female."), Gender.MALE.label
    ),
    RosterColumn(
        "id_number",
        gettext_lazy("National ID number"),
        True,
        gettext_lazy(
            "18-character national ID number, typed as text. A masked value "
            "from an export (with *) keeps the stored number."
        ),
        "110101199001011237",
    ),
    RosterColumn(
        "mobile",
        gettext_lazy("Mobile"),
        True,
        gettext_lazy(
            "11-digit mobile number. A masked value from an export (with *) "
            "keeps the stored number."
        ),
        "13812345678",
    ),
    RosterColumn(
        "education",
        gettext_lazy("Education"),
        True,
        gettext_lazy(
            "One of: Junior high school or below, High school / technical school, "
            "College (3-year), Bachelor, Master or above."
        ),
        Education.BACHELOR.label,
    ),
    RosterColumn(
        "hire_date",
        gettext_lazy("Hire date"),
        True,
        gettext_lazy("An Excel date or text as YYYY-MM-DD."),
        "2024-03-01",
    ),
    RosterColumn(
        "department",
        gettext_lazy("Sales department"),
        True,
        gettext_lazy("Sales department name or code."),
        gettext_lazy("First sales department"),
    ),
    RosterColumn(
        "group",
        gettext_lazy("Sales group"),
        True,
        gettext_lazy(
            "Sales group name or code; it must be under that department and "
            "among the units you may edit."
        ),
        gettext_lazy("Group 1"),
    ),
    RosterColumn(
        "rank",
        gettext_lazy("Rank"),
        True,
        gettext_lazy(
            "Rank name or code from the branch's rank ladder. A change takes effect today."
        ),
        gettext_lazy("Probationary agent"),
    ),
    RosterColumn(
        "status",
        gettext_lazy("Status"),
        True,
        gettext_lazy("One of: Candidate, Probation, Formal, Resigned."),
        AgentStatus.PROBATION.label,
    ),
    RosterColumn(
        "recruiter",
        gettext_lazy("Recruiter code"),
        False,
        gettext_lazy(
            "Agent code of the recruiter: an existing agent or another row of "
            "this sheet. Leave empty if none."
        ),
        "",
    ),
    RosterColumn(
        "resigned_on",
        gettext_lazy("Resignation date"),
        False,
        gettext_lazy(
            "Needed when the status is Resigned, empty otherwise. This column may be left out."
        ),
        "",
    ),
]
COLUMNS_BY_KEY = {column.key: column for column in ROSTER_COLUMNS}
OPTIONAL_COLUMNS = {"resigned_on"}

# The sheet's labels (lazy: written in the user's language, read in either).
GENDER_SHEET_LABELS = dict(Gender.choices)
EDUCATION_SHEET_LABELS = dict(Education.choices)
STATUS_SHEET_LABELS = dict(AgentStatus.choices)

# Which sheet column (its key) a service's field error belongs to.
FIELD_COLUMNS = {
    "code": "code",
    "name": "name",
    "gender": "gender",
    "id_number": "id_number",
    "mobile": "mobile",
    "education": "education",
    "hire_date": "hire_date",
    "group": "group",
    "to_group": "group",
    "rank": "rank",
    "to_rank": "rank",
    "status": "status",
    "recruiter": "recruiter",
    "resigned_on": "resigned_on",
}


def _header(key) -> str:
    return COLUMNS_BY_KEY[key].header


AGENT_FIELDS = [
    "name",
    "gender",
    "id_number",
    "mobile",
    "education",
    "hire_date",
    "status",
    "resigned_on",
]


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


RosterImportResult = ImportResult  # created / updated / unchanged / errors


# -- template ----------------------------------------------------------------------------------


def roster_template() -> bytes:
    """An empty roster with the header row, list validations, and a "说明" sheet."""
    return RosterImport(None).template()


def _column_index(key: str) -> int:
    return next(i for i, column in enumerate(ROSTER_COLUMNS, start=1) if column.key == key)


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


class _Lookups:
    """Units, ranks and existing agents the rows refer to, loaded in a few queries."""

    def __init__(self, acting_user, codes: set[str]):
        self.acting_user = acting_user
        units = list(
            Unit.objects.visible_to(acting_user)
            .filter(kind__in=[UnitKind.DEPARTMENT, UnitKind.GROUP])
            .only("id", "kind", "name", "code", "parent_id", "path", "closed_on")
        )
        # A user who sees only a group still names it by its department.
        unit_ids = {unit.pk for unit in units}
        parent_ids = {unit.parent_id for unit in units if unit.kind == UnitKind.GROUP} - unit_ids
        if parent_ids:
            units += list(
                Unit.objects.filter(pk__in=parent_ids).only(
                    "id", "kind", "name", "code", "parent_id", "path", "closed_on"
                )
            )
        self.departments_by_key: dict[str, list[Unit]] = {}
        self.groups_by_department: dict[int, list[Unit]] = {}
        for unit in units:
            if unit.kind == UnitKind.DEPARTMENT:
                for key in {unit.code.casefold(), unit.name.strip().casefold()}:
                    self.departments_by_key.setdefault(key, []).append(unit)
            else:
                self.groups_by_department.setdefault(unit.parent_id, []).append(unit)
        branch_ids = {unit.ancestor_ids[0] for unit in units if unit.ancestor_ids}
        self.ranks: dict[tuple[int, str], Rank] = {}
        for rank in Rank.objects.filter(branch_id__in=branch_ids):
            self.ranks.setdefault((rank.branch_id, rank.name.strip().casefold()), rank)
            self.ranks[(rank.branch_id, rank.code.casefold())] = rank
        self.agents: dict[str, Agent] = (
            {
                agent.code: agent
                for agent in Agent.objects.filter(code__in=codes).select_related("group")
            }
            if codes
            else {}
        )

    def department_candidates(self, text: str) -> list[Unit]:
        key = text.casefold()
        by_code = [
            unit for unit in self.departments_by_key.get(key, []) if unit.code.casefold() == key
        ]
        return by_code or self.departments_by_key.get(key, [])

    def groups(self, departments: list[Unit], text: str) -> list[Unit]:
        key = text.casefold()
        children = [
            group
            for department in departments
            for group in self.groups_by_department.get(department.pk, [])
        ]
        by_code = [group for group in children if group.code.casefold() == key]
        return by_code or [group for group in children if group.name.strip().casefold() == key]

    def rank(self, group: Unit, text: str) -> Rank | None:
        return self.ranks.get((group.ancestor_ids[0], text.casefold()))


class RosterImport(Importer):
    """The roster import on the shared framework: the rows' rules are below."""

    columns = ROSTER_COLUMNS
    sheet_title = DATA_SHEET_TITLE
    template_filename = gettext_lazy("agent-roster-import-template.xlsx")
    file_label = gettext_lazy("Roster file (.xlsx)")
    no_rows_message = gettext_lazy("The sheet has no agent rows under the header row.")
    max_rows = MAX_ROWS
    max_columns = 60

    def check_permission(self):
        if not access.holds(self.user, Cap.EDIT_AGENTS):
            raise PermissionDenied(_("You may not import agents."))

    def check_layout(self, positions, extras):
        missing = [
            column.header
            for column in ROSTER_COLUMNS
            if column.key not in positions and column.key not in OPTIONAL_COLUMNS
        ]
        if missing:
            raise CellError(
                _(
                    "The first row must hold the column headers of the roster template. "
                    "Missing: %(missing)s. Download the template and copy your data into it."
                )
                % {"missing": "、".join(missing)}
            )

    def validate(self, rows):
        records = [(row.number, row.raw) for row in rows]
        codes = {_text(record.get("code")) for _number, record in records}
        codes |= {_text(record.get("recruiter")) for _number, record in records}
        codes.discard("")
        lookups = _Lookups(self.user, codes)
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

    def write(self, plans) -> Counts:
        return _apply(plans, self.user)

    def preview_changes(self, plans) -> list[dict]:
        return [change for plan in plans if (change := _changes(plan))]

    def success_message(self, result):
        return _(
            "Roster imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged."
        ) % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}

    def help_sheet(self, sheet):
        """The columns with an example row on top, then how to fill each in."""
        sheet.append([column.header for column in ROSTER_COLUMNS])
        sheet.append([str(column.example) for column in ROSTER_COLUMNS])
        for index in range(1, len(ROSTER_COLUMNS) + 1):
            _header_style(sheet.cell(row=1, column=index))
        sheet.append([])
        super().help_sheet(sheet)

    def customize_template(self, workbook):
        sheet = workbook.worksheets[0]
        for key, labels in (
            ("gender", GENDER_SHEET_LABELS),
            ("education", EDUCATION_SHEET_LABELS),
            ("status", STATUS_SHEET_LABELS),
        ):
            letter = get_column_letter(_column_index(key))
            options = ",".join(str(label) for label in labels.values())
            validation = DataValidation(type="list", formula1=f'"{options}"', allow_blank=True)
            validation.add(f"{letter}2:{letter}1001")
            sheet.add_data_validation(validation)


def roster_parse_and_validate(file, acting_user) -> tuple[list[RowPlan], list[dict]]:
    """Read the first sheet and check every row. Returns (plan, errors); writes nothing."""
    plan, errors, _rows = RosterImport(acting_user).check(file)
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
        ("id_number", _id_number_text, services.validate_id_number, mask_id_number),
        ("mobile", _mobile_text, services.validate_mobile, mask_mobile),
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
        elif hire_date and hire_date > services.today():
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


# -- import -------------------------------------------------------------------------------------


def roster_import(file, acting_user, *, dry_run=False) -> ImportResult:
    """Check every row, then import in one transaction: all rows or nothing. Idempotent by
    agent code."""
    return RosterImport(acting_user).run(file, dry_run=dry_run)


def _write_order(plan: list[RowPlan]) -> list[RowPlan]:
    """Recruiters that are new rows are created before the rows that name them."""
    new_rows = {p.code: p for p in plan if p.agent is None}
    ordered, done = [], set()
    for row_plan in plan:
        chain = []  # this row and its not-yet-written new recruiters, nearest first
        current = row_plan
        while current is not None and current.code not in done and current not in chain:
            chain.append(current)
            current = new_rows.get(current.recruiter_code)
        for pending in reversed(chain):
            done.add(pending.code)
            ordered.append(pending)
    return ordered


def _apply(plan: list[RowPlan], acting_user) -> Counts:
    result = Counts()
    by_code: dict[str, Agent] = {p.code: p.agent for p in plan if p.agent is not None}
    recruiter_codes = {p.recruiter_code for p in plan if p.recruiter_code} - set(by_code)
    by_code.update({agent.code: agent for agent in Agent.objects.filter(code__in=recruiter_codes)})
    reason = _("Roster import")
    for row_plan in _write_order(plan):
        recruiter = by_code.get(row_plan.recruiter_code) if row_plan.recruiter_code else None
        try:
            if row_plan.agent is None:
                by_code[row_plan.code] = services.agent_create(
                    acting_user=acting_user,
                    group=row_plan.group,
                    rank=row_plan.rank,
                    code=row_plan.code,
                    recruiter=recruiter,
                    **row_plan.fields,
                )
                result.created += 1
            elif _update_existing(row_plan, recruiter, acting_user, reason):
                result.updated += 1
            else:
                result.unchanged += 1
        except ValidationError as exc:
            raise RowErrors(_service_errors(row_plan, exc)) from exc
        except PermissionDenied as exc:
            raise RowErrors(
                [
                    _error(
                        row_plan.row,
                        _header("group"),
                        row_plan.values.get(_header("group")),
                        str(exc) or _("Permission denied."),
                    )
                ]
            ) from exc
    return result


def _changes(row_plan: RowPlan) -> dict | None:
    """What re-importing this row changes on the stored agent (before → after), for the
    preview; None for a new or unchanged agent."""
    agent = row_plan.agent
    if agent is None:
        return None
    changes = [
        {
            "column": _header(FIELD_COLUMNS[name]),
            "before": _shown(name, getattr(agent, name)),
            "after": _shown(name, value),
        }
        for name, value in row_plan.fields.items()
        if getattr(agent, name) != value
    ]
    if agent.group_id != row_plan.group.pk:
        changes.append(
            {"column": _header("group"), "before": str(agent.group), "after": str(row_plan.group)}
        )
    if agent.rank_id != row_plan.rank.pk:
        changes.append(
            {"column": _header("rank"), "before": str(agent.rank), "after": str(row_plan.rank)}
        )
    recruiter = agent.recruiter.code if agent.recruiter_id else ""
    if recruiter != row_plan.recruiter_code:
        changes.append(
            {"column": _header("recruiter"), "before": recruiter, "after": row_plan.recruiter_code}
        )
    if not changes:
        return None
    return {"row": row_plan.row, "label": f"{row_plan.code} {agent.name}", "changes": changes}


def _shown(name, value) -> str:
    """A value as the sheet writes it; personal numbers masked."""
    if value is None:
        return ""
    if name in {"id_number", "mobile"}:
        return (mask_id_number if name == "id_number" else mask_mobile)(value)
    labels = {
        "gender": GENDER_SHEET_LABELS,
        "education": EDUCATION_SHEET_LABELS,
        "status": STATUS_SHEET_LABELS,
    }.get(name)
    if labels:
        return str(labels.get(value, value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _update_existing(row_plan: RowPlan, recruiter: Agent | None, acting_user, reason) -> bool:
    agent = row_plan.agent
    changes = {
        name: value for name, value in row_plan.fields.items() if getattr(agent, name) != value
    }
    if (recruiter.pk if recruiter else None) != agent.recruiter_id:
        changes["recruiter"] = recruiter
    moves = agent.group_id != row_plan.group.pk
    promotes = agent.rank_id != row_plan.rank.pk
    if not (changes or moves or promotes):
        return False
    reinstates_first = agent.status == AgentStatus.RESIGNED
    if changes and reinstates_first:
        services.agent_update(acting_user=acting_user, agent=agent, **changes)
    if moves:
        services.agent_transfer(
            acting_user=acting_user,
            agent=agent,
            to_group=row_plan.group,
            effective_date=services.today(),
            reason=reason,
        )
    if promotes:
        services.agent_change_rank(
            acting_user=acting_user,
            agent=agent,
            to_rank=row_plan.rank,
            effective_date=services.today(),
            reason=reason,
        )
    if changes and not reinstates_first:
        services.agent_update(acting_user=acting_user, agent=agent, **changes)
    return True


def _service_errors(row_plan: RowPlan, exc: ValidationError) -> list[dict]:
    if not hasattr(exc, "error_dict"):
        return [_error(row_plan.row, _header("code"), row_plan.code, " ".join(exc.messages))]
    errors = []
    for name, messages in exc.message_dict.items():
        column = _header(FIELD_COLUMNS.get(name, "code"))
        errors.append(_error(row_plan.row, column, row_plan.values.get(column), " ".join(messages)))
    return errors


# -- export -------------------------------------------------------------------------------------


def agents_export(
    queryset, acting_user, full_personal_data: bool = False, filter_description: str = ""
) -> bytes:
    """The agents as a roster sheet that can be edited and imported again.

    ID numbers and mobiles are masked unless `full_personal_data`, which needs Cap.VIEW_PII over
    every exported agent and is logged once (PersonalDataAccess, purpose EXPORT).
    """
    if full_personal_data:
        allowed = Agent.objects.with_cap(acting_user, Cap.VIEW_PII).values("pk")
        if not access.holds(acting_user, Cap.VIEW_PII) or queryset.exclude(pk__in=allowed).exists():
            raise PermissionDenied(_("You may not export full personal data of these agents."))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(DATA_SHEET_TITLE))
    for index, column in enumerate(ROSTER_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = (
            20 if column.key == "id_number" else 13
        )
    sheet.freeze_panes = "A2"
    header = []
    for column in ROSTER_COLUMNS:
        cell = WriteOnlyCell(sheet, value=column.header)
        header.append(_header_style(cell))
    sheet.append(header)

    count = 0
    agents = queryset.select_related("group__parent", "rank", "recruiter")
    for agent in agents.iterator(chunk_size=1000):
        values = {
            "code": agent.code,
            "name": agent.name,
            "gender": str(GENDER_SHEET_LABELS.get(agent.gender, agent.gender)),
            "id_number": agent.id_number if full_personal_data else agent.id_number_masked,
            "mobile": agent.mobile if full_personal_data else agent.mobile_masked,
            "education": str(EDUCATION_SHEET_LABELS.get(agent.education, agent.education)),
            "hire_date": agent.hire_date,
            "department": agent.group.parent.name if agent.group.parent_id else "",
            "group": agent.group.name,
            "rank": agent.rank.name,
            "status": str(STATUS_SHEET_LABELS.get(agent.status, agent.status)),
            "recruiter": agent.recruiter.code if agent.recruiter_id else "",
            "resigned_on": agent.resigned_on,
        }
        row = []
        for column in ROSTER_COLUMNS:
            cell = WriteOnlyCell(sheet, value=values[column.key])
            if isinstance(values[column.key], date):
                cell.number_format = "yyyy-mm-dd"
            row.append(cell)
        sheet.append(row)
        count += 1

    content = _save(workbook)
    if full_personal_data:
        detail = _("%(count)s rows; filter: %(filter)s") % {
            "count": count,
            "filter": filter_description or _("none"),
        }
        PersonalDataAccess.objects.create(
            user=acting_user,
            agent=None,
            purpose=PersonalDataAccess.Purpose.EXPORT,
            detail=detail[:200],
        )
    return content
