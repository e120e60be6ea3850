"""The import framework: an app declares its columns and writes two hooks, the framework does
the rest (reading the file safely, the header row, parsing cells, reporting every error by row
and column, the preview, and one short write transaction at the end).

    class WorkLogImport(Importer):
        columns = [
            Column("code", pgettext_lazy("sheet column", "Agent code"), required=True),
            Column("date", pgettext_lazy("sheet column", "Date"), required=True, parse=date),
            Column("first_visits", pgettext_lazy("sheet column", "First visits"),
                   parse=integer(0, 999)),
        ]
        max_rows = 20000

        def check_permission(self): ...          # raise PermissionDenied
        def prepare(self, rows): ...             # bulk lookups (a few queries, not one per row)
        def validate_row(self, row): ...         # row.error(key, message); return the plan item
        def write(self, plans) -> Counts: ...    # called in one transaction, all or nothing

Validation never runs inside a transaction; `write` does, and nothing else does.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.imports.reading import ImportFileError, Limits, read_rows
from core.xlsx import CellError, append, cell_error, cell_text, header_style, workbook_bytes

SHEET_LANGUAGES = ("zh-hans", "en")  # a sheet's headers are read in any of these languages
HELP_SHEET_TITLE = pgettext_lazy("spreadsheet", "Notes")


@dataclass(frozen=True)
class Column:
    """One column of the sheet, matched by its header text."""

    key: str
    label: object  # the header: a lazy translatable string, written in the user's language
    required: bool = False
    parse: Callable | None = None  # value → Python value, raises CellError; None keeps the cell
    help: object = ""
    example: object = ""
    width: int = 13
    as_text: bool = False  # formatted as text in the template (codes, long numbers)
    options: Sequence[str] = ()  # a drop-down list in the template
    empty_ok: bool = False  # required in the header row, but a cell may be empty

    @property
    def header(self) -> str:
        """The header as the user's language writes it (templates, error messages)."""
        return str(self.label)

    @property
    def spellings(self) -> set[str]:
        """The header in every sheet language: a file made in either imports for anyone."""
        return {self.header} | spellings(self.label)


def spellings(text) -> set[str]:
    """A lazy translatable text in every sheet language (and as the user's language has it)."""
    found = {str(text)}
    for language in SHEET_LANGUAGES:
        with translation.override(language):
            found.add(str(text))
    return found


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)  # preview: {row, label, changes}
    dry_run: bool = False
    error_rows: dict = field(default_factory=dict, repr=False)  # row → cells, for the error file

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def saved(self) -> int:
        return self.created + self.updated

    def summary(self) -> dict:
        data = {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}
        if self.dry_run:
            data |= {"dry_run": True, "changes": self.changes}
        return data


class RowErrors(Exception):
    """Raised by `write` when a service refuses a row: the whole import is undone."""

    def __init__(self, errors: list[dict]):
        super().__init__(errors)
        self.errors = errors


class Row:
    """One data row: `raw[key]` as read, `values[key]` as parsed (absent when the cell is
    empty or wrong), `error(key, message)` to report a problem in one of its cells."""

    def __init__(self, importer, number: int, raw: dict):
        self.importer = importer
        self.number = number
        self.raw = raw
        self.values: dict = {}
        self.errors: list[dict] = []

    def text(self, key) -> str:
        return cell_text(self.raw.get(key))

    def get(self, key, default=None):
        return self.values.get(key, default)

    def __getitem__(self, key):
        return self.values[key]

    def error(self, key, message, value=None, column=None):
        column = column or self.importer.header_of(key)
        value = self.raw.get(key) if value is None else value
        self.errors.append(cell_error(self.number, column, value, message))

    @property
    def ok(self) -> bool:
        return not self.errors


def file_error(message) -> dict:
    return cell_error(None, "", "", message)


class Importer:
    """Subclass, declare `columns`, and implement `check_permission`, `validate_row` (or
    `validate`) and `write`. Everything else has a default."""

    columns: Sequence[Column] = ()
    sheet_title = ""
    template_filename = "import.xlsx"
    file_label = gettext_lazy("Excel file (.xlsx)")
    no_rows_message = gettext_lazy("The sheet has no rows under the header row.")
    template_notes: Sequence = ()
    max_rows = 5000
    max_columns = 100
    max_cells: int | None = None  # default: max_rows × 40
    max_cell_chars = 2000
    max_upload_bytes = 5 * 1024 * 1024
    header_rows = 1  # how many top rows are searched for the header row
    key_column = None  # the column that finds the header row when header_rows > 1

    def __init__(self, user):
        self.user = user
        self.extra_positions: dict = {}

    # -- hooks -----------------------------------------------------------------------------

    def check_permission(self) -> None:
        """Raise PermissionDenied when the user may not import."""

    def extra_column(self, value):
        """A key for a header that is not a declared column (e.g. a date), or None."""
        return None

    def check_layout(self, positions: dict, extras: dict) -> None:
        """Raise CellError when the header row lacks something. Default: required columns."""
        missing = [c.header for c in self.columns if c.required and c.key not in positions]
        if missing:
            raise CellError(
                _(
                    "The header row must have the template's columns. Missing: %(missing)s. "
                    "Download the template and copy your data into it."
                )
                % {"missing": "、".join(missing)}
            )

    def skip_row(self, values) -> bool:
        """True for a row that is not data (a totals row under a table...)."""
        return False

    def prepare(self, rows: list[Row]) -> None:
        """Load what the rows refer to, in a few queries."""

    def validate_row(self, row: Row):
        """Check one row (report with row.error); return what `write` needs for it."""
        return row.values

    def validate_plans(self, plans: list, rows: list[Row]) -> list[dict]:
        """Checks across rows; returns more errors."""
        return []

    def validate(self, rows: list[Row]) -> tuple[list, list[dict]]:
        self.prepare(rows)
        plans = []
        for row in rows:
            plan = self.validate_row(row)  # also for rows with a bad cell: report everything
            if row.ok and plan is not None:
                plans.append(plan)
        errors = [error for row in rows for error in row.errors]
        errors += self.validate_plans(plans, rows)
        return plans, errors

    def write(self, plans: list) -> Counts:
        raise NotImplementedError

    def preview_changes(self, plans: list) -> list[dict]:
        """For the preview: [{"row", "label", "changes": [{"column", "before", "after"}]}]."""
        return []

    def success_message(self, result: ImportResult) -> str:
        return _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.") % {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        }

    def example_rows(self) -> list[list]:
        return []

    def customize_template(self, workbook) -> None:
        """Add to the template workbook (e.g. a help sheet with examples)."""

    # -- the framework ---------------------------------------------------------------------

    @property
    def limits(self) -> Limits:
        return Limits(
            max_upload_bytes=self.max_upload_bytes,
            max_rows=self.max_rows,
            extra_rows=self.header_rows,
            max_columns=self.max_columns,
            max_cells=self.max_cells or self.max_rows * 40,
            max_cell_chars=self.max_cell_chars,
        )

    def header_of(self, key) -> str:
        column = self._by_key.get(key)
        if column is not None:
            return column.header
        return key.isoformat() if hasattr(key, "isoformat") else str(key)

    @property
    def _by_key(self) -> dict:
        return {column.key: column for column in self.columns}

    def check(self, file) -> tuple[list, list[dict], dict]:
        """Read and validate everything; write nothing. (plans, errors, rows by number)."""
        self.check_permission()
        try:
            sheet = read_rows(file, self.limits)
            if not sheet:
                raise CellError(_("The sheet is empty."))
            header_index, positions, extras = self._layout(sheet)
        except (ImportFileError, CellError) as exc:
            return [], [file_error(exc)], {}
        rows = []
        for number, values in enumerate(sheet[header_index + 1 :], start=header_index + 2):
            values = values or ()
            if self.skip_row(values):
                continue

            def cell(position, values=values):
                return values[position] if position < len(values) else None

            raw = {key: cell(position) for key, position in positions.items()}
            raw.update({key: cell(position) for key, position in extras.items()})
            if any(cell_text(value) for value in raw.values()):
                rows.append(self._parsed(Row(self, number, raw)))
        if not rows:
            return [], [file_error(self.no_rows_message)], {}
        self.extra_positions = extras
        plans, errors = self.validate(rows)
        errors = self._sorted(errors)
        shown = {error["row"] for error in errors}
        by_number = {row.number: row for row in rows if row.number in shown}
        return plans, errors, by_number

    def _parsed(self, row: Row) -> Row:
        for column in self.columns:
            if column.key not in row.raw:
                continue
            value = row.raw[column.key]
            if not cell_text(value):
                if column.required and not column.empty_ok:
                    row.error(column.key, _("This column is required."))
                continue
            try:
                row.values[column.key] = column.parse(value) if column.parse else value
            except CellError as exc:
                row.error(column.key, exc)
        return row

    def _layout(self, sheet) -> tuple[int, dict, dict]:
        key_column = self._by_key.get(self.key_column) if self.key_column else None
        for index, header_row in enumerate(sheet[: self.header_rows]):
            headers = [cell_text(value) for value in (header_row or ())]
            if key_column is not None and not key_column.spellings & set(headers):
                continue
            duplicates = sorted({h for h in headers if h and headers.count(h) > 1})
            if duplicates:
                raise CellError(
                    _("These column headers appear twice: %(headers)s.")
                    % {"headers": "、".join(duplicates)}
                )
            positions, extras = {}, {}
            for position, (value, text) in enumerate(zip(header_row or (), headers, strict=False)):
                column = next((c for c in self.columns if text and text in c.spellings), None)
                if column is not None:
                    positions[column.key] = position
                    continue
                extra = self.extra_column(value)
                if extra is not None:
                    extras[extra] = position
            self.check_layout(positions, extras)
            return index, positions, extras
        raise CellError(
            _(
                "No header row with %(header)s in the first rows. Download the template and "
                "copy your data into it."
            )
            % {"header": key_column.header if key_column else ""}
        )

    def _sorted(self, errors: list[dict]) -> list[dict]:
        order = {column.header: index for index, column in enumerate(self.columns)}
        seen, unique = set(), []
        for error in errors:
            key = (error["row"], error["column"], error["message"])
            if key not in seen:
                seen.add(key)
                unique.append(error)
        return sorted(
            unique,
            key=lambda e: (e["row"] or 0, order.get(e["column"], len(order)), e["column"]),
        )

    def run(self, file, *, dry_run: bool = False) -> ImportResult:
        """Validate every row (no transaction), then write all rows in one transaction or
        none. A dry run writes inside a transaction that is rolled back, for the counts."""
        plans, errors, rows = self.check(file)
        if errors:
            return ImportResult(errors=errors, error_rows=rows)
        try:
            with transaction.atomic():
                counts = self.write(plans)
                if dry_run:
                    transaction.set_rollback(True)
        except RowErrors as exc:
            errors = self._sorted(exc.errors)
            return ImportResult(errors=errors)
        except PermissionDenied:
            raise
        return ImportResult(
            created=counts.created,
            updated=counts.updated,
            unchanged=counts.unchanged,
            changes=self.preview_changes(plans) if dry_run else [],
            dry_run=dry_run,
        )

    def template(self) -> bytes:
        """The empty sheet with the header row (and example rows), plus a help sheet."""
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = str(self.sheet_title) or "Sheet1"
        append(sheet, [column.header for column in self.columns])
        for index, column in enumerate(self.columns, start=1):
            header_style(sheet.cell(row=1, column=index))
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = column.width
            if column.as_text:
                for row in range(2, 1002):
                    sheet.cell(row=row, column=index).number_format = "@"
            if column.options:
                validation = DataValidation(
                    type="list",
                    formula1='"' + ",".join(str(option) for option in column.options) + '"',
                    allow_blank=True,
                )
                validation.add(f"{letter}2:{letter}1001")
                sheet.add_data_validation(validation)
        for values in self.example_rows():
            append(sheet, values)
        sheet.freeze_panes = "A2"
        help_sheet = workbook.create_sheet(str(HELP_SHEET_TITLE))
        self.help_sheet(help_sheet)
        self.customize_template(workbook)
        return workbook_bytes(workbook)

    def help_sheet(self, sheet) -> None:
        sheet.append([_("Column"), _("Required"), _("How to fill in")])
        first = sheet.max_row
        for index in range(1, 4):
            header_style(sheet.cell(row=first, column=index))
        for column in self.columns:
            sheet.append(
                [column.header, _("Yes") if column.required else _("No"), str(column.help)]
            )
        sheet.append([])
        for note in self.template_notes:
            sheet.append([str(note)])
        sheet.append(
            [
                _(
                    "Every row is checked before anything is saved: if one row is wrong, "
                    "nothing is imported. Importing the same file again changes nothing."
                )
            ]
        )
        sheet.column_dimensions["A"].width = 14
        sheet.column_dimensions["B"].width = 10
        sheet.column_dimensions["C"].width = 90
