"""The month grid (with its fixed notation) and the roll call sheet."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property

from django.utils import timezone
from django.utils.html import escape

from attendance.models import (
    FULL_DAY,
    AttendanceRecord,
    AttendanceStatus,
)
from attendance.selectors.figures import (
    ZERO,
    Figures,
    _as_decimal,
    _counted_records,
    _figure_annotations,
    _in_tree_order,
    employment_bounds,
    stay_figures,
    unit_agents,
    unit_stays,
)
from org.models import Agent, Unit
from workcalendar.selectors import month_calendar

# -- the month grid ------------------------------------------------------------------------------

# A fixed notation, the same in every language: the month page's legend explains it and the
# importer reads an exported grid back by these symbols. Not translated.
SYMBOLS = {
    AttendanceStatus.PRESENT: "√",
    AttendanceStatus.LATE: "迟",
    AttendanceStatus.LEAVE: "假",
    AttendanceStatus.ABSENT: "旷",
}
UNREPORTED_MARK = "*"
HALF_MARK = "½"


def symbol(status: str, fraction: Decimal, reported: bool) -> str:
    """The grid's symbol: √ 迟 假 (假* unreported) 旷, with ½ for half a day."""
    text = SYMBOLS[status]
    if status == AttendanceStatus.LEAVE and not reported:
        text += UNREPORTED_MARK
    if fraction != FULL_DAY:
        text = HALF_MARK + text
    return text


@dataclass(frozen=True)
class GridCell:
    """One day of one agent. Cells are shared: one object per kind of day and per status."""

    css: str  # off (not a workday), out (not employed), future, unmarked, or the status
    text: str = ""

    @cached_property
    def html(self) -> str:
        return f'<td class="{escape(self.css)}">{escape(self.text)}</td>'


OFF, OUT, FUTURE, UNMARKED = (
    GridCell("off"),
    GridCell("out"),
    GridCell("future"),
    GridCell("unmarked"),
)


@dataclass
class GridRow:
    agent: Agent
    cells: list[GridCell]
    figures: Figures


@dataclass
class GridColumn:
    day: date
    is_workday: bool
    expected: int = 0  # agents required that day
    marked: int = 0
    attended: Decimal = ZERO

    @property
    def unmarked(self) -> int:
        return max(self.expected - self.marked, 0)


@dataclass
class MonthGrid:
    unit: Unit
    first: date
    last: date
    columns: list[GridColumn]
    rows: list[GridRow]
    total: Figures
    today: date


def month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, following - timedelta(days=1)


def month_grid(visible_agents, unit: Unit, year: int, month: int) -> MonthGrid:
    """Agents × days of a month for a group or department, with totals per row and column.

    Queries: the calendar (1), the agents (1), the cells (1), the per-agent figures (1), the
    per-day totals (1) — the same number for 5 agents or 500."""
    today = timezone.localdate()
    first, last = month_bounds(year, month)
    calendar = month_calendar(unit, year, month)
    days = [d["date"] for d in calendar if d["is_workday"]]
    queryset = unit_agents(visible_agents, unit, first, last)
    stays = unit_stays(queryset, unit, first, last)
    agents = _in_tree_order(list(queryset), stays)
    through = min(last, today)
    required_days = [d for d in days if d <= through]
    per_agent = {agent.pk: Figures(agents=1) for agent in agents}
    for (agent_id, _group), part in stay_figures(
        queryset,
        agents,
        unit,
        first,
        last,
        today=today,
        days_by_district={unit.district_id: required_days},
        stays=stays,
    ).items():
        per_agent[agent_id].add(part)
        per_agent[agent_id].agents = 1
    cells = defaultdict(dict)
    records = AttendanceRecord.objects.filter(
        agent__in=queryset.values("pk"), date__range=(first, last)
    ).values_list("agent_id", "date", "status", "fraction", "reported")
    for agent_id, day, status, fraction, reported in records:
        cells[agent_id][day] = (status, _as_decimal(fraction), reported)

    columns = [GridColumn(day=d["date"], is_workday=d["is_workday"]) for d in calendar]
    by_day = {column.day: column for column in columns}
    day_rows = (
        _counted_records(queryset, first, through, {unit.district_id: required_days}, unit=unit)
        .values("date")
        .annotate(**_figure_annotations())
        .order_by()
    )
    for row in day_rows:
        column = by_day[row["date"]]
        column.marked = row["marked"]
        column.attended = _as_decimal(row["attended"])

    # The cell loop runs agents × days times (9,000 for 300 agents): shared cells, no queries.
    flags = [(column.day, column.is_workday) for column in columns]
    expected = [0] * len(columns)
    shared: dict[tuple, GridCell] = {}
    rows = []
    total = Figures()
    for agent in agents:
        own = cells.get(agent.pk, {})
        first_day, last_day = employment_bounds(agent, first, last)
        spans = [(stay.first, stay.last) for stay in stays.get(agent.pk, ())]
        row_cells = []
        append = row_cells.append
        for index, (day, is_workday) in enumerate(flags):
            if not is_workday:
                append(OFF)
            elif (
                day < first_day
                or day > last_day
                or not any(since <= day <= until for since, until in spans)
            ):
                append(OUT)  # not employed, or in another unit that day
            else:
                if day <= through:
                    expected[index] += 1
                key = own.get(day)
                if key is None:
                    append(FUTURE if day > through else UNMARKED)
                else:
                    cell = shared.get(key)
                    if cell is None:
                        cell = shared[key] = GridCell(key[0], symbol(*key))
                    append(cell)
        figures = per_agent[agent.pk]
        total.add(figures)
        rows.append(GridRow(agent=agent, cells=row_cells, figures=figures))
    for column, count in zip(columns, expected, strict=True):
        column.expected = count
    return MonthGrid(
        unit=unit, first=first, last=last, columns=columns, rows=rows, total=total, today=today
    )


# -- the roll call sheet ---------------------------------------------------------------------------


@dataclass
class SheetRow:
    agent: Agent
    record: AttendanceRecord | None

    @property
    def status(self) -> str:
        return self.record.status if self.record else AttendanceStatus.PRESENT

    @property
    def half(self) -> bool:
        return bool(self.record and self.record.fraction != FULL_DAY)

    @property
    def reported(self) -> bool:
        return bool(self.record and self.record.reported)


def roll_call_sheet(visible_agents, unit: Unit, day: date) -> list[SheetRow]:
    """Agents active on `day` in `unit` (tree order) with their record if any: two queries."""
    agents = list(
        visible_agents.in_unit(unit)
        .active_on(day)
        .select_related("group")
        .order_by("group__path", "code")
    )
    records = {
        record.agent_id: record
        for record in AttendanceRecord.objects.filter(
            date=day, agent__in=[a.pk for a in agents]
        ).select_related("leave_request")
    }
    return [SheetRow(agent=agent, record=records.get(agent.pk)) for agent in agents]
