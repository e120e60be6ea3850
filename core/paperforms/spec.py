"""The description of a paper form (附件N): what the print page, the PDF and the Excel file are
made of. Plain dataclasses, no Django: a form's builder fills them from its records."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal

KINDS = ("text", "int", "decimal", "number", "date", "percent", "value")
PORTRAIT, LANDSCAPE = "portrait", "landscape"


@dataclass(frozen=True)
class Column:
    """One column of a table. `kind` is one of KINDS: text; int; decimal (two places, money);
    number (no trailing zeros: days 2.5, 1); date; percent (the value is the percentage,
    37.5 → "37.5%", stored 0.375 in Excel); value (a label/value list's mixed column: a number
    stays a number in Excel, text stays text).
    `width` is relative (the share of the table width) and, in Excel, the column width in
    characters. A column with `keep=True` belongs to the form itself (the item names of a
    checklist, their weights): the blank form keeps its values; others are emptied."""

    label: str
    kind: str = "text"
    width: int = 10
    keep: bool = False

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")

    def display(self, value) -> str:
        """The value as the page and the PDF print it."""
        if value is None or value == "":
            return ""
        if self.kind == "int":
            return str(int(value))
        if self.kind == "decimal":
            return f"{Decimal(str(value)):.2f}"
        if self.kind == "number":
            return _plain(value)
        if self.kind == "percent":
            return f"{float(value):.1f}%"
        if self.kind == "date" and isinstance(value, date | datetime):
            return value.strftime("%Y-%m-%d")
        return str(value)

    @property
    def numeric(self) -> bool:
        return self.kind in ("int", "decimal", "number", "percent")


def _plain(value) -> str:
    """A number without trailing zeros: 2.50 → "2.5", 1.0 → "1"."""
    return f"{Decimal(str(value)).normalize():f}"


@dataclass
class Table:
    """A table: columns and rows (one value per column). `title` is printed above it; `totals`
    is an optional last row (printed bold, in the table footer); `blank_rows` is how many empty
    rows the blank form gets when no column is kept."""

    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    title: str = ""
    totals: list | None = None
    blank_rows: int = 12

    @property
    def widths(self) -> list[float]:
        """Each column's share of the table width, in percent."""
        total = sum(col.width for col in self.columns) or 1
        return [round(100 * col.width / total, 1) for col in self.columns]

    def cells(self, row) -> list[tuple[Column, object, str]]:
        pairs = zip(self.columns, row, strict=True)
        return [(col, value, col.display(value)) for col, value in pairs]

    def printed_rows(self):
        return [self.cells(row) for row in self.rows]

    def printed_totals(self):
        return self.cells(self.totals) if self.totals is not None else None

    def blank(self) -> Table:
        kept = [i for i, col in enumerate(self.columns) if col.keep]
        if kept and self.rows:
            rows = [[row[i] if i in kept else None for i in range(len(row))] for row in self.rows]
        else:
            rows = [[None] * len(self.columns) for _ in range(self.blank_rows)]
        totals = [None] * len(self.columns) if self.totals is not None else None
        return replace(self, rows=rows, totals=totals)


@dataclass
class HeaderField:
    """A label and its value above the tables (单位、月份、版本、审批人…)."""

    label: str
    value: object = ""
    keep: bool = False  # printed on the blank form too (the unit, the month)

    @property
    def text(self) -> str:
        if isinstance(self.value, date | datetime):
            return self.value.strftime("%Y-%m-%d")
        return "" if self.value is None else str(self.value)


@dataclass
class Section:
    """Free text under a label (亮点、存在问题、改进建议…); `lines` is the height kept for it on
    the blank form. `checks` are tick boxes (label, ticked) printed before the text."""

    label: str
    text: str = ""
    lines: int = 3
    checks: list[tuple[str, bool]] = field(default_factory=list)

    def blank(self) -> Section:
        return replace(self, text="", checks=[(label, False) for label, _ticked in self.checks])


@dataclass
class Signature:
    """A signature and date line at the foot (验收人签字 ____ 日期 ____); `name` and `date` fill it
    when known."""

    label: str
    name: str = ""
    date: date | None = None


@dataclass
class Form:
    """One paper form. `number` is N of 附件N (0 for a form without a number), `name` its title;
    `unit` and `period` are printed in the header and in the PDF's running header; `fields` are
    further header fields. `orientation` is PORTRAIT or LANDSCAPE (a wide table).
    `filename` (without extension) names the PDF and the Excel file."""

    number: int = 0
    name: str = ""
    unit: str = ""
    period: str = ""
    unit_label: str = ""  # printed before the unit; "Unit" (单位) when empty
    period_label: str = ""  # printed before the period; "Period" (期间) when empty
    fields: list[HeaderField] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    orientation: str = PORTRAIT
    filename: str = "form"
    is_blank: bool = False

    @property
    def title(self) -> str:
        return self.name

    @property
    def landscape(self) -> bool:
        return self.orientation == LANDSCAPE

    def blank(self) -> Form:
        """The same form with nothing filled in: the rows to fill by hand, empty sections and
        signature lines; the unit, the period and the fields marked `keep` stay."""
        return replace(
            self,
            fields=[f if f.keep else replace(f, value="") for f in self.fields],
            tables=[table.blank() for table in self.tables],
            sections=[section.blank() for section in self.sections],
            signatures=[Signature(label=s.label) for s in self.signatures],
            notes=[],
            filename=f"{self.filename}-blank",
            is_blank=True,
        )
