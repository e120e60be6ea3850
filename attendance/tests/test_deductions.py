"""Monthly deductions (差勤扣款): the regulation's values, the run, re-runs and closing."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attendance.models import (
    AttendanceRules,
    DeductionAudit,
    DeductionLine,
    DeductionMonth,
    FundEntry,
)
from attendance.selectors.rules import rules_for
from attendance.services import deductions as ds
from attendance.tests.deduction_helpers import WORKED_RULES, next_version, regulation
from attendance.tests.helpers import MAY, freeze, mark, may_calendar, moment
from conftest import make_agent
from core.exceptions import ConflictError

JUNE = date(2026, 6, 2)


@pytest.fixture
def may(world, monkeypatch):
    may_calendar(world.district_a)
    freeze(monkeypatch, moment(JUNE, 10))
    return world


def worked_month(agent):
    """2 lates, 3 reported leave days, 1 unreported leave day and 1.5 absent days in May."""
    mark(agent, date(2026, 5, 6), "late")
    mark(agent, date(2026, 5, 7), "late")
    for day in (11, 12, 13):
        mark(agent, date(2026, 5, day), "leave", reported=True)
    mark(agent, date(2026, 5, 14), "leave")
    mark(agent, date(2026, 5, 15), "absent")
    mark(agent, date(2026, 5, 18), "absent", fraction="0.5")
    mark(agent, date(2026, 5, 19), "present")


def line_of(agent, month=MAY):
    return DeductionLine.objects.get(agent=agent, deduction_month__month=month)


def test_the_worked_example_owes_55(may):
    regulation(may, date(2026, 1, 1))
    worked_month(may.agent)
    ds.deduction_run(acting_user=may.district_admin, district=may.district_a, month=MAY)
    line = line_of(may.agent)
    assert line.amount == Decimal("55.00")  # 2×5 + 1×5 + 1×10 + 1.5×20
    assert (line.late, line.leave_reported, line.leave_reported_charged) == (2, 3, 1)
    assert (line.leave_unreported, line.absent) == (1, Decimal("1.5"))
    assert line.department == may.dept_a1
    assert DeductionMonth.objects.get().total == Decimal("55.00")


def test_a_draft_regulations_values_do_not_apply(may):
    regulation(may, date(2026, 1, 1), publish=False)
    worked_month(may.agent)
    ds.deduction_run(acting_user=may.district_admin, district=may.district_a, month=MAY)
    assert not DeductionLine.objects.filter(amount__gt=0).exists()
    assert rules_for(may.district_a, date(2026, 5, 6)).pk is None


def test_values_are_locked_once_submitted(may):
    version = regulation(may, date(2026, 1, 1), publish=False)
    from plans import services as plans

    plans.version_submit(acting_user=may.district_admin, version=version)
    version.refresh_from_db()
    with pytest.raises(ConflictError):
        ds.regulation_rules_save(
            acting_user=may.district_admin, version=version, values=WORKED_RULES
        )
    with pytest.raises(PermissionDenied):
        ds.regulation_rules_save(acting_user=may.assistant, version=version, values=WORKED_RULES)


def test_a_mid_month_change_applies_each_version_to_its_own_days(may):
    first = regulation(may, date(2026, 1, 1))
    dearer = dict(WORKED_RULES, late_deduction=Decimal("8"), free_reported_leave_days=Decimal("3"))
    next_version(may, first, date(2026, 5, 15), dearer)
    mark(may.agent, date(2026, 5, 6), "late")  # ¥5
    mark(may.agent, date(2026, 5, 18), "late")  # ¥8
    for day in (7, 8):
        mark(may.agent, date(2026, 5, day), "leave", reported=True)  # free (2 of 2)
    for day in (19, 20):
        # The new version allows 3 free days a month: the 3rd is free, the 4th costs ¥5.
        mark(may.agent, date(2026, 5, day), "leave", reported=True)
    ds.deduction_run(acting_user=may.district_admin, district=may.district_a, month=MAY)
    line = line_of(may.agent)
    assert line.amount == Decimal("18.00")
    assert line.leave_reported_charged == 1
    segments = DeductionMonth.objects.get().segments
    assert [(s["from"], s["to"], s["late"]) for s in segments] == [
        ("2026-05-01", "2026-05-14", "5.00"),
        ("2026-05-15", "2026-05-31", "8.00"),
    ]
    assert len(line.rules) == 2


def test_a_superseded_version_keeps_its_days(may):
    first = regulation(may, date(2026, 1, 1))
    next_version(may, first, date(2026, 5, 15), dict(WORKED_RULES, late_deduction=Decimal("8")))
    first.refresh_from_db()
    assert first.state == "superseded"
    assert rules_for(may.district_a, date(2026, 5, 14)).source_version == first
    assert rules_for(may.district_a, date(2026, 5, 15)).late_deduction == Decimal("8")


def test_builtin_rules_only_until_a_regulation_applies(may):
    AttendanceRules.objects.create(
        district=may.district_a, effective_from=date(2026, 1, 1), on_time_until=time(9, 0)
    )
    assert rules_for(may.district_a, date(2026, 5, 6)).on_time_until == time(9, 0)
    version = regulation(may, date(2026, 5, 1))
    assert rules_for(may.district_a, date(2026, 5, 6)).source_version == version
    assert rules_for(may.district_a, date(2026, 4, 30)).on_time_until == time(9, 0)


def test_the_run_is_idempotent_and_a_rerun_shows_the_difference(may):
    regulation(may, date(2026, 1, 1))
    worked_month(may.agent)
    mark(may.colleague, date(2026, 5, 6), "late")
    first = ds.deduction_run(acting_user=may.district_admin, district=may.district_a, month=MAY)
    again = ds.deduction_run(acting_user=may.district_admin, district=may.district_a, month=MAY)
    assert (first.total_after, again.total_after, again.changes) == (
        Decimal("60"),
        Decimal("60"),
        [],
    )
    assert DeductionLine.objects.count() == 2
    # A correction: the absence on the 15th was in fact approved reported leave.
    record = may.agent.attendance_records.get(date=date(2026, 5, 15))
    record.status, record.reported = "leave", True
    record.save()
    fixed = ds.deduction_run(acting_user=may.district_admin, district=may.district_a, month=MAY)
    assert fixed.total_before == Decimal("60.00") and fixed.total_after == Decimal("45.00")
    assert fixed.changes == [
        {"agent_id": may.agent.pk, "code": may.agent.code, "name": "张三", "old": "55.00",
         "new": "40.00"}
    ]  # fmt: skip
    assert DeductionAudit.objects.filter(action="run").count() == 3


def test_only_district_staff_run_deductions(may):
    for user in (may.dept_manager, may.assistant, may.outsider, may.agent_user):
        with pytest.raises(PermissionDenied):
            ds.deduction_run(acting_user=user, district=may.district_a, month=MAY)


def test_closing_credits_the_fund_once_and_freezes_the_month(may):
    regulation(may, date(2026, 1, 1))
    worked_month(may.agent)
    ds.deduction_run(acting_user=may.district_admin, district=may.district_a, month=MAY)
    month = DeductionMonth.objects.get()
    ds.deduction_close(acting_user=may.district_manager, deduction_month=month)
    with pytest.raises(ConflictError):
        ds.deduction_close(acting_user=may.district_manager, deduction_month=month)
    with pytest.raises(ConflictError):
        ds.deduction_run(acting_user=may.district_admin, district=may.district_a, month=MAY)
    credit = FundEntry.objects.get()
    assert (credit.kind, credit.amount, credit.date) == (
        "credit",
        Decimal("55.00"),
        date(2026, 5, 31),
    )
    # Correcting requires reopening (audited); closing again updates the same credit.
    with pytest.raises(ValidationError):
        ds.deduction_reopen(acting_user=may.district_manager, deduction_month=month, reason=" ")
    ds.deduction_reopen(acting_user=may.district_manager, deduction_month=month, reason="更正")
    mark(may.colleague, date(2026, 5, 6), "late")
    ds.deduction_run(acting_user=may.district_admin, district=may.district_a, month=MAY)
    ds.deduction_close(acting_user=may.district_manager, deduction_month=month)
    assert list(FundEntry.objects.values_list("amount", flat=True)) == [Decimal("60.00")]
    assert FundEntry.objects.balance() == Decimal("60.00")
    assert DeductionAudit.objects.filter(action="reopen", reason="更正").exists()


def test_management_command(may, capsys):
    regulation(may, date(2026, 1, 1))
    worked_month(may.agent)
    call_command("run_deductions", district="DA", month="2026-05", user="district_admin")
    assert line_of(may.agent).amount == Decimal("55.00")


def _run_queries(world):
    with CaptureQueriesContext(connection) as queries:
        ds.deduction_run(acting_user=world.district_admin, district=world.district_a, month=MAY)
    return len(queries)


def test_the_runs_query_count_does_not_grow_with_the_agents(may):
    first = regulation(may, date(2026, 1, 1))
    next_version(may, first, date(2026, 5, 15), dict(WORKED_RULES, late_deduction=Decimal("8")))

    def add_agents(count):
        for _ in range(count):
            agent = make_agent(may.group_a1_2, may.rank_formal)
            mark(agent, date(2026, 5, 6), "late")
            mark(agent, date(2026, 5, 18), "absent")

    add_agents(10)
    small = _run_queries(may)
    rerun_small = _run_queries(may)
    add_agents(30)
    DeductionMonth.objects.all().delete()
    large = _run_queries(may)
    rerun_large = _run_queries(may)
    assert DeductionLine.objects.count() == 40
    assert (small, rerun_small) == (large, rerun_large)
