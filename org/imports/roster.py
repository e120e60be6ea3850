"""The roster import (业务员名单) on the shared framework (core.imports): an Excel sheet of
agents in, idempotent by agent code. The sheet layout is org.exports'; the rows' rules are
org.imports.roster_rows'.

Import validates every row before anything is written and writes nothing when a row is wrong.
Writes go through org.services, so the rules and the audit trail are the services' own;
the checks here exist to report every bad row at once.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.imports import CellError, Counts, Importer, ImportResult, RowErrors
from core.masking import mask_id_number, mask_mobile
from core.xlsx import cell_error as _error
from core.xlsx import header_style as _header_style
from org import access
from org.access import Cap
from org.exports import (
    COLUMNS_BY_KEY,
    DATA_SHEET_TITLE,
    EDUCATION_SHEET_LABELS,
    GENDER_SHEET_LABELS,
    ROSTER_COLUMNS,
    STATUS_SHEET_LABELS,
)
from org.imports.roster_rows import RowPlan, validate_rows
from org.models import Agent
from org.services import agents as agent_services
from org.services.roster import roster_row_update

MAX_ROWS = 5000
OPTIONAL_COLUMNS = {"resigned_on"}

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


RosterImportResult = ImportResult  # created / updated / unchanged / errors


# -- template ----------------------------------------------------------------------------------


def roster_template() -> bytes:
    """An empty roster with the header row, list validations, and a "说明" sheet."""
    return RosterImport(None).template()


def _column_index(key: str) -> int:
    return next(i for i, column in enumerate(ROSTER_COLUMNS, start=1) if column.key == key)


# -- parse and validate -------------------------------------------------------------------------


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
        return validate_rows(rows, self.user)

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
                by_code[row_plan.code] = agent_services.agent_create(
                    acting_user=acting_user,
                    group=row_plan.group,
                    rank=row_plan.rank,
                    code=row_plan.code,
                    recruiter=recruiter,
                    **row_plan.fields,
                )
                result.created += 1
            elif roster_row_update(row_plan, recruiter, acting_user, reason):
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


def _service_errors(row_plan: RowPlan, exc: ValidationError) -> list[dict]:
    if not hasattr(exc, "error_dict"):
        return [_error(row_plan.row, _header("code"), row_plan.code, " ".join(exc.messages))]
    errors = []
    for name, messages in exc.message_dict.items():
        column = _header(FIELD_COLUMNS.get(name, "code"))
        errors.append(_error(row_plan.row, column, row_plan.values.get(column), " ".join(messages)))
    return errors
