"""Hand-worked figures (spec §5): required days from the work calendar and employment, attended
with half days, the rate and its rounding, and the month grid's cells and totals.

May 2026 in district A: holidays 1, 4, 5 May; make-up workday Saturday 9 May → 19 workdays
(6, 7, 8, 9, 11–15, 18–22, 25–29)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attendance.selectors import figures as figure_selectors
from attendance.selectors import month as month_selectors
from attendance.selectors.figures import rate
from attendance.tests.helpers import MAY, freeze, mark, may_calendar, moment
from conftest import make_agent
from org.models import Agent, AgentStatus

WORKDAYS = [6, 7, 8, 9, 11, 12, 13, 14, 15, 18, 19, 20, 21, 22, 25, 26, 27, 28, 29]


def may(day: int) -> date:
    return MAY.replace(day=day)


@pytest.fixture
def month(world, monkeypatch):
    """The agent's full May, a mid-May hire and a mid-May resignation, seen on 10 June."""
    may_calendar(world.district_a)
    freeze(monkeypatch, moment(date(2026, 6, 10), 12))
    w = world
    # 张三: 15 present, late 6 and 7 May, half a day of reported leave on the 8th, absent the 11th.
    for day in WORKDAYS:
        status, fraction, reported = "present", "1.0", False
        if day in (6, 7):
            status = "late"
        elif day == 8:
            status, fraction, reported = "leave", "0.5", True
        elif day == 11:
            status = "absent"
        mark(w.agent, may(day), status, fraction, reported)
    # Records on days that do not count: a holiday and a weekend (calendar changed afterwards).
    mark(w.agent, may(4))
    mark(w.agent, may(2))
    # Hired Monday 18 May: 10 workdays required, 8 present, 2 unmarked; a record before hire.
    w.new_hire = make_agent(w.group_a1_2, w.rank_probation, name="新人", hire_date=may(18))
    for day in [18, 19, 20, 21, 22, 25, 26, 27]:
        mark(w.new_hire, may(day))
    mark(w.new_hire, may(15))
    # Resigned Tuesday 12 May: 6 workdays (6–9, 11, 12); 5 present, unreported leave on the 12th;
    # a record after resignation does not count.
    w.leaver = make_agent(
        w.group_a1_2,
        w.rank_formal,
        name="离职者",
        status=AgentStatus.RESIGNED,
        resigned_on=may(12),
    )
    for day in [6, 7, 8, 9, 11]:
        mark(w.leaver, may(day))
    mark(w.leaver, may(12), "leave")
    mark(w.leaver, may(13))
    return w


def figures_of(world, unit, start=MAY, end=date(2026, 5, 31)):
    visible = Agent.objects.visible_to(world.admin)
    return figure_selectors.summary(visible, unit, start, end)


def agent_row(summary, agent):
    return next(row.figures for row in summary.agents if row.agent.pk == agent.pk)


def test_full_month_with_late_half_day_leave_and_absence(month):
    figures = agent_row(figures_of(month, month.dept_a1), month.agent)
    assert figures.required == 19
    assert figures.attended == Decimal("17.5")  # 15 present + 2 late + the other half of the 8th
    assert figures.late == 2
    assert figures.leave_reported == Decimal("0.5")
    assert figures.leave_unreported == 0
    assert figures.absent == 1
    assert figures.unmarked == 0
    assert figures.rate == Decimal("92.1")  # 17.5 / 19 = 92.105…


def test_hire_mid_month_counts_from_the_hire_date(month):
    figures = agent_row(figures_of(month, month.dept_a1), month.new_hire)
    assert (figures.required, figures.attended, figures.unmarked) == (10, 8, 2)
    assert figures.rate == Decimal("80.0")


def test_resignation_mid_month_counts_up_to_the_resignation_day(month):
    figures = agent_row(figures_of(month, month.dept_a1), month.leaver)
    assert (figures.required, figures.attended) == (6, 5)
    assert figures.leave_unreported == 1
    assert figures.rate == Decimal("83.3")


def test_unmarked_days_are_not_attended_and_counted(month):
    figures = agent_row(figures_of(month, month.dept_a1), month.colleague)
    assert (figures.required, figures.attended, figures.unmarked) == (19, 0, 19)
    assert figures.rate == Decimal("0.0")


def test_department_and_group_totals_add_up(month):
    summary = figures_of(month, month.dept_a1)
    # 张三 19/17.5, 李四 19/0, 王五 19/0, 新人 10/8, 离职者 6/5
    assert summary.total.required == 73
    assert summary.total.attended == Decimal("30.5")
    assert summary.total.unmarked == 19 + 19 + 2
    assert summary.total.rate == Decimal("41.8")
    by_group = {row.unit.pk: row.figures for row in summary.children}
    assert by_group[month.group_a1_1.pk].required == 38
    assert by_group[month.group_a1_2.pk].required == 35
    assert by_group[month.group_a1_2.pk].attended == 13


def test_district_summary_rolls_up_by_department(month):
    summary = figures_of(month, month.district_a)
    departments = {row.unit.pk: row.figures for row in summary.children}
    assert departments[month.dept_a1.pk].attended == Decimal("30.5")
    assert departments[month.dept_a2.pk].required == 19  # 赵六, nothing recorded
    assert summary.total.required == 73 + 19


def test_figures_count_only_up_to_today(month, monkeypatch):
    freeze(monkeypatch, moment(may(13), 12))
    figures = agent_row(figures_of(month, month.dept_a1), month.agent)
    assert figures.required == 7  # 6, 7, 8, 9, 11, 12, 13
    # 6 and 7 late, half of the 8th, 9 present, 11 absent, 12 and 13 present: 2 + 0.5 + 1 + 0 + 2
    assert figures.attended == Decimal("5.5")
    assert figures.attended + figures.leave + figures.absent == 7 - figures.unmarked


@pytest.mark.parametrize(
    ("attended", "required", "expected"),
    [
        ("17.5", 19, "92.1"),
        ("0.5", 8, "6.3"),  # 6.25 rounds half up, not to even
        ("21.5", 40, "53.8"),
        ("1", 6, "16.7"),
        ("2", 3, "66.7"),
        ("19", 19, "100.0"),
        ("0", 19, "0.0"),
    ],
)
def test_rate_is_per_cent_to_one_decimal_half_up(attended, required, expected):
    assert rate(Decimal(attended), required) == Decimal(expected)


def test_rate_without_required_days_is_none():
    assert rate(Decimal("0"), 0) is None


def test_month_grid_cells_symbols_and_totals(month):
    grid = month_selectors.month_grid(Agent.objects.visible_to(month.admin), month.dept_a1, 2026, 5)
    rows = {row.agent.pk: row for row in grid.rows}
    cells = {day: cell for day, cell in zip(range(1, 32), rows[month.agent.pk].cells, strict=True)}
    assert cells[1].css == "off" and cells[4].css == "off"  # holidays, even with a record
    assert cells[2].css == "off"
    assert (cells[6].css, cells[6].text) == ("late", "迟")
    assert cells[8].text == "½假"
    assert (cells[9].css, cells[9].text) == ("present", "√")  # make-up Saturday
    assert (cells[11].css, cells[11].text) == ("absent", "旷")
    hire = {
        day: cell for day, cell in zip(range(1, 32), rows[month.new_hire.pk].cells, strict=True)
    }
    assert hire[15].css == "out" and hire[28].css == "unmarked"
    leaver = {
        day: cell for day, cell in zip(range(1, 32), rows[month.leaver.pk].cells, strict=True)
    }
    assert leaver[12].text == "假*" and leaver[13].css == "out"
    assert rows[month.agent.pk].figures.rate == Decimal("92.1")
    columns = {column.day.day: column for column in grid.columns}
    # 6 May: 张三 late, 离职者 present; 李四 and 王五 unmarked; 新人 not yet hired.
    assert (columns[6].expected, columns[6].attended, columns[6].unmarked) == (4, 2, 2)
    assert columns[8].attended == Decimal("1.5")
    assert grid.total.required == 73


def test_grid_query_count_does_not_grow_with_agents(month):
    def queries(n):
        for _ in range(n):
            mark(make_agent(month.group_a2_1, month.rank_formal), may(6), "late")
        visible = Agent.objects.visible_to(month.district_manager)
        with CaptureQueriesContext(connection) as ctx:
            grid = month_selectors.month_grid(visible, month.dept_a2, 2026, 5)
        return len(ctx.captured_queries), len(grid.rows)

    few, rows_few = queries(10)
    many, rows_many = queries(30)
    assert rows_many == rows_few + 30 == 41
    assert few == many


def test_each_agent_counts_against_their_own_districts_calendar(month):
    # 6 May is a holiday in district B only: 钱七's record that day does not count.
    from workcalendar.models import CalendarDay

    CalendarDay.objects.create(district=month.district_b, date=may(6), is_workday=False)
    mark(month.outside_agent, may(6))
    mark(month.outside_agent, may(7))
    both = Agent.objects.filter(pk__in=[month.agent.pk, month.outside_agent.pk])
    figures = figure_selectors.agent_figures(
        both, list(both.select_related("group")), may(6), may(8)
    )
    assert (figures[month.agent.pk].required, figures[month.agent.pk].marked) == (3, 3)
    outside = figures[month.outside_agent.pk]
    # District B keeps 4 and 5 May as workdays but they are outside the period; 6 May is off.
    assert (outside.required, outside.marked, outside.attended) == (2, 1, 1)
