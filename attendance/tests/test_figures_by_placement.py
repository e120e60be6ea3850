"""Issue 11 §4: figures follow the unit the agent belonged to ON THAT DAY.

Hand-worked: 调动者 is in group A1-1 (department A1) in October 2025 and moves to group A2-1
(department A2) on Saturday 1 November 2025; the move is recorded on 20 October (so it is
scheduled first) and applied by `apply_scheduled_changes`. Default calendar (Monday–Friday):
October 2025 has 23 workdays, November 20.
- October: present every workday except late on Tuesday 14 October → required 23, attended 23.
- November: present every workday except absent on Tuesday 4 November → required 20, attended 19.
October's figures of A1 include them and A2's do not; November the other way round.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command

from activity.models import LogState, WorkLog
from activity.selectors.figures import figures
from activity.selectors.weekly_checks import weekly_figures
from attendance.selectors import deductions as deduction_selectors
from attendance.selectors import figures as figure_selectors
from attendance.selectors import month as month_selectors
from attendance.tests.helpers import freeze, mark, moment
from conftest import make_agent
from org.models import Agent
from org.services import agents as agent_services

OCT = [date(2025, 10, d) for d in range(1, 32) if date(2025, 10, d).weekday() < 5]
NOV = [date(2025, 11, d) for d in range(1, 31) if date(2025, 11, d).weekday() < 5]


@pytest.fixture
def moved(world, monkeypatch):
    w = world
    w.mover = make_agent(w.group_a1_1, w.rank_formal, name="调动者")
    freeze(monkeypatch, moment(date(2025, 10, 20), 12))
    transfer = agent_services.agent_transfer(
        acting_user=w.district_admin,
        agent=w.mover,
        to_group=w.group_a2_1,
        effective_date=date(2025, 11, 1),
    )
    assert transfer.is_scheduled
    w.mover.refresh_from_db()
    assert w.mover.group == w.group_a1_1  # scheduled, not yet applied
    freeze(monkeypatch, moment(date(2025, 12, 10), 12))
    call_command("apply_scheduled_changes")
    call_command("apply_scheduled_changes")  # idempotent
    w.mover.refresh_from_db()
    assert w.mover.group == w.group_a2_1
    for day in OCT:
        mark(w.mover, day, "late" if day.day == 14 else "present")
    for day in NOV:
        mark(w.mover, day, "absent" if day.day == 4 else "present")
    WorkLog.objects.create(
        agent=w.mover, date=date(2025, 10, 14), state=LogState.SUBMITTED, first_visits=2
    )
    WorkLog.objects.create(
        agent=w.mover, date=date(2025, 11, 4), state=LogState.SUBMITTED, first_visits=3
    )
    return w


def _row(result, agent):
    return next((row for row in result.agents if row.agent.pk == agent.pk), None)


def test_hand_worked_calendar():
    assert (len(OCT), len(NOV)) == (23, 20)


def test_unit_summaries_follow_the_placement_of_each_day(moved):
    w, everyone = moved, Agent.objects.all()
    oct_a1 = _row(
        figure_selectors.summary(everyone, w.dept_a1, OCT[0], date(2025, 10, 31)), w.mover
    )
    assert (oct_a1.figures.required, oct_a1.figures.attended, oct_a1.figures.late) == (
        23,
        Decimal("23"),
        1,
    )
    assert oct_a1.unit == w.group_a1_1
    assert (
        _row(figure_selectors.summary(everyone, w.dept_a2, OCT[0], date(2025, 10, 31)), w.mover)
        is None
    )
    nov_a2 = _row(
        figure_selectors.summary(everyone, w.dept_a2, NOV[0], date(2025, 11, 30)), w.mover
    )
    assert (nov_a2.figures.required, nov_a2.figures.attended, nov_a2.figures.absent) == (
        20,
        Decimal("19"),
        Decimal("1"),
    )
    assert (
        _row(figure_selectors.summary(everyone, w.dept_a1, NOV[0], date(2025, 11, 30)), w.mover)
        is None
    )
    # the district's departments: the late day stays with A1, the absence with A2
    october = figure_selectors.summary(
        everyone, w.district_a, date(2025, 10, 1), date(2025, 10, 31)
    )
    children = {row.unit: row.figures for row in october.children}
    assert (children[w.dept_a1].late, children.get(w.dept_a2) and children[w.dept_a2].late) in (
        (1, 0),
        (1, None),
    )
    november = figure_selectors.summary(
        everyone, w.district_a, date(2025, 11, 1), date(2025, 11, 30)
    )
    children = {row.unit: row.figures for row in november.children}
    assert children[w.dept_a2].absent == Decimal("1")
    assert children[w.dept_a1].absent == Decimal("0")
    # across both months in the district: one agent, 43 days required
    both = _row(
        figure_selectors.summary(everyone, w.district_a, OCT[0], date(2025, 11, 30)), w.mover
    )
    assert (both.figures.required, both.figures.attended) == (43, Decimal("42"))


def test_month_grid_lists_the_agent_where_they_were(moved):
    w, everyone = moved, Agent.objects.all()
    grid = month_selectors.month_grid(everyone, w.dept_a1, 2025, 10)
    row = next(r for r in grid.rows if r.agent.pk == w.mover.pk)
    assert row.figures.required == 23 and row.figures.late == 1
    assert w.mover.pk not in [
        r.agent.pk for r in month_selectors.month_grid(everyone, w.dept_a2, 2025, 10).rows
    ]
    november = month_selectors.month_grid(everyone, w.dept_a2, 2025, 11)
    row = next(r for r in november.rows if r.agent.pk == w.mover.pk)
    assert row.figures.required == 20 and row.figures.absent == Decimal("1")
    assert w.mover.pk not in [
        r.agent.pk for r in month_selectors.month_grid(everyone, w.dept_a1, 2025, 11).rows
    ]


def test_month_grid_of_the_old_unit_keeps_the_cells(moved):
    """After the transfer, the old department's October grid still shows the late day."""
    w = moved
    grid = month_selectors.month_grid(Agent.objects.all(), w.dept_a1, 2025, 10)
    columns = [c.day for c in grid.columns]
    row = next(r for r in grid.rows if r.agent.pk == w.mover.pk)
    assert row.cells[columns.index(date(2025, 10, 14))].css == "late"


def test_deductions_go_to_the_department_of_the_month(moved):
    w = moved
    _segments, october = deduction_selectors.district_deductions(
        w.district_a, date(2025, 10, 1), date(2025, 10, 31)
    )
    _segments, november = deduction_selectors.district_deductions(
        w.district_a, date(2025, 11, 1), date(2025, 11, 30)
    )
    line = {x.agent_id: x for x in october}[w.mover.pk]
    assert (line.department_id, line.late) == (w.dept_a1.pk, 1)
    line = {x.agent_id: x for x in november}[w.mover.pk]
    assert (line.department_id, line.absent) == (w.dept_a2.pk, Decimal("1"))


def test_activity_figures_follow_the_placement_of_each_day(moved):
    w = moved
    oct_a1 = figures(w.dept_a1, date(2025, 10, 1), date(2025, 10, 31), by="pk")[w.mover.pk]
    assert (oct_a1.logs, oct_a1.visits, oct_a1.agent_days) == (1, 2, 23)
    assert w.mover.pk not in figures(w.dept_a2, date(2025, 10, 1), date(2025, 10, 31), by="pk")
    nov_a2 = figures(w.dept_a2, date(2025, 11, 1), date(2025, 11, 30), by="pk")[w.mover.pk]
    assert (nov_a2.logs, nov_a2.visits, nov_a2.agent_days) == (1, 3, 20)
    assert w.mover.pk not in figures(w.dept_a1, date(2025, 11, 1), date(2025, 11, 30), by="pk")
    by_group = figures(w.district_a, date(2025, 10, 1), date(2025, 11, 30), by="group_id")
    assert (by_group[w.group_a1_1.pk].visits, by_group[w.group_a2_1.pk].visits) == (2, 3)
    total = figures(w.district_a, date(2025, 10, 1), date(2025, 11, 30))[None]
    assert total.visits == 5


def test_weekly_check_lists_missing_logs_in_the_department_of_that_week(moved):
    w = moved
    monday = date(2025, 10, 13)
    missing = {row["agent"] for row in weekly_figures(w.dept_a1, monday)["missing"]}
    assert w.mover.pk in missing
    assert w.mover.pk not in {row["agent"] for row in weekly_figures(w.dept_a2, monday)["missing"]}
    later = monday + timedelta(days=21)  # 3 November: in A2
    assert w.mover.pk in {row["agent"] for row in weekly_figures(w.dept_a2, later)["missing"]}


def test_active_in_unit_on_a_day(moved):
    w = moved
    assert Agent.objects.in_unit_on(w.dept_a1, date(2025, 10, 31)).filter(pk=w.mover.pk).exists()
    assert not Agent.objects.in_unit_on(w.dept_a1, date(2025, 11, 3)).filter(pk=w.mover.pk).exists()
    assert Agent.objects.in_unit_during(w.dept_a2, OCT[0], NOV[0]).filter(pk=w.mover.pk).exists()
    assert (
        not Agent.objects.in_unit_during(w.dept_a2, OCT[0], OCT[-1]).filter(pk=w.mover.pk).exists()
    )
