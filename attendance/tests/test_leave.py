"""Leave requests through the approval flow: approved before the day → reported (已报备); approved
on or after the day → not reported; half days; who may enter and approve."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Role
from approvals.models import ApprovalChain, ApprovalLevel, ApprovalState
from approvals.selectors import waiting_for
from approvals.services import request_for
from approvals.tests.helpers import step_of
from attendance.models import AttendanceRecord, LeaveRequest, LeaveState
from attendance.selectors import figures as selectors
from attendance.services import leave as services
from attendance.tests.helpers import freeze, mark, moment
from core.exceptions import ConflictError
from org.models import Agent

MONDAY = date(2026, 3, 9)
WEDNESDAY = date(2026, 3, 11)
THURSDAY = date(2026, 3, 12)
FRIDAY = date(2026, 3, 13)
NEXT_MONDAY = date(2026, 3, 16)


def request_leave(world, start, end=None, half_day=False, user=None, agent=None):
    return services.leave_request_create(
        acting_user=user or world.agent_user,
        agent=agent or world.agent,
        start_date=start,
        end_date=end or start,
        half_day=half_day,
        reason="事假",
    )


def approve(world, leave, user=None):
    return services.leave_decide(
        acting_user=user or world.supervisor,
        leave=leave,
        decision="approve",
        expected_step=step_of(leave),
    )


def records(agent):
    return {r.date: r for r in AttendanceRecord.objects.filter(agent=agent)}


def test_leave_approved_before_the_days_is_reported(world, monkeypatch):
    freeze(monkeypatch, moment(MONDAY, 15))
    leave = request_leave(world, THURSDAY, NEXT_MONDAY)
    assert leave.state == LeaveState.SUBMITTED
    assert list(waiting_for(world.supervisor)) == [request_for(leave)]
    approve(world, leave)
    leave.refresh_from_db()
    assert leave.state == LeaveState.APPROVED and leave.decided_at is not None
    days = records(world.agent)
    assert sorted(days) == [THURSDAY, FRIDAY, NEXT_MONDAY]  # not the weekend
    assert all(r.status == "leave" and r.reported and r.fraction == 1 for r in days.values())
    assert all(r.leave_request == leave and r.source == "leave" for r in days.values())


def test_days_on_or_before_the_approval_are_not_reported(world, monkeypatch):
    freeze(monkeypatch, moment(WEDNESDAY, 8))
    leave = request_leave(world, MONDAY, THURSDAY)
    freeze(monkeypatch, moment(WEDNESDAY, 10))
    approve(world, leave)
    reported = {day: r.reported for day, r in records(world.agent).items()}
    assert reported == {
        MONDAY: False,
        date(2026, 3, 10): False,
        WEDNESDAY: False,  # approved on the day itself
        THURSDAY: True,
    }


def test_approved_leave_replaces_an_absence_recorded_earlier(world, monkeypatch):
    mark(world.agent, MONDAY, "absent")
    freeze(monkeypatch, moment(WEDNESDAY, 10))
    approve(world, request_leave(world, MONDAY))
    record = AttendanceRecord.objects.get(agent=world.agent, date=MONDAY)
    assert (record.status, record.reported) == ("leave", False)
    assert record.history.count() == 2  # created as absent, changed to leave


def test_half_day_leave_counts_half_leave_and_half_attended(world, monkeypatch):
    freeze(monkeypatch, moment(MONDAY, 9))
    approve(world, request_leave(world, WEDNESDAY, half_day=True))
    assert records(world.agent)[WEDNESDAY].fraction == Decimal("0.5")
    freeze(monkeypatch, moment(WEDNESDAY, 18))
    agents = Agent.objects.filter(pk=world.agent.pk)
    figures = selectors.agent_figures(
        agents, list(agents.select_related("group")), WEDNESDAY, WEDNESDAY
    )[world.agent.pk]
    assert (figures.required, figures.attended, figures.leave_reported) == (
        1,
        Decimal("0.5"),
        Decimal("0.5"),
    )


def test_half_day_is_for_one_day_only_and_overlaps_are_refused(world, monkeypatch):
    freeze(monkeypatch, moment(MONDAY, 9))
    with pytest.raises(ValidationError):
        request_leave(world, WEDNESDAY, THURSDAY, half_day=True)
    request_leave(world, WEDNESDAY, THURSDAY)
    with pytest.raises(ValidationError):
        request_leave(world, THURSDAY, FRIDAY)
    with pytest.raises(ValidationError):
        request_leave(world, date(2026, 3, 14), date(2026, 3, 15))  # a weekend only


def test_assistant_enters_leave_for_an_agent_but_an_agent_not_for_a_colleague(world, monkeypatch):
    freeze(monkeypatch, moment(MONDAY, 9))
    leave = request_leave(world, WEDNESDAY, user=world.assistant, agent=world.colleague)
    assert leave.created_by == world.assistant
    with pytest.raises(PermissionDenied):
        request_leave(world, THURSDAY, user=world.agent_user, agent=world.colleague)
    with pytest.raises(PermissionDenied):
        request_leave(world, THURSDAY, user=world.supervisor, agent=world.other_group_agent)


def test_only_the_groups_supervisor_approves_by_default(world, monkeypatch):
    freeze(monkeypatch, moment(MONDAY, 9))
    leave = request_leave(world, WEDNESDAY)
    for user in (world.dept_manager, world.assistant, world.outsider):
        with pytest.raises(PermissionDenied):
            approve(world, leave, user)
    approve(world, leave)
    with pytest.raises(ConflictError):
        approve(world, leave)


def test_a_chain_in_the_admin_sends_leave_to_the_department_manager(world, monkeypatch):
    chain = ApprovalChain.objects.create(kind="leave", unit=world.dept_a1)
    ApprovalLevel.objects.create(
        chain=chain, order=1, role=Role.DEPT_MANAGER, unit_kind="department"
    )
    freeze(monkeypatch, moment(MONDAY, 9))
    leave = request_leave(world, WEDNESDAY)
    with pytest.raises(PermissionDenied):
        approve(world, leave, world.supervisor)
    approve(world, leave, world.dept_manager)
    assert records(world.agent)[WEDNESDAY].reported


def test_returned_leave_writes_nothing_and_can_be_resubmitted(world, monkeypatch):
    freeze(monkeypatch, moment(MONDAY, 9))
    leave = request_leave(world, WEDNESDAY)
    services.leave_decide(
        acting_user=world.supervisor,
        leave=leave,
        decision="return",
        expected_step=step_of(leave),
        comment="补充",
    )
    leave.refresh_from_db()
    assert leave.state == LeaveState.RETURNED
    assert not AttendanceRecord.objects.exists()
    services.leave_request_resubmit(
        acting_user=world.agent_user,
        leave=leave,
        start_date=THURSDAY,
        end_date=THURSDAY,
        reason="事假：家中有事",
    )
    leave.refresh_from_db()
    assert leave.state == LeaveState.SUBMITTED
    assert request_for(leave).state == ApprovalState.SUBMITTED
    approve(world, leave)
    assert list(records(world.agent)) == [THURSDAY]


def test_leave_pages(client, world, monkeypatch):
    freeze(monkeypatch, moment(MONDAY, 9))
    client.force_login(world.agent_user)
    response = client.post(
        reverse("attendance:leave_create"),
        {"agent": world.agent.pk, "start_date": "2026-03-11", "reason": "病假"},
    )
    leave = LeaveRequest.objects.get()
    assert response.status_code == 302 and (leave.start_date, leave.end_date) == (WEDNESDAY,) * 2
    client.force_login(world.supervisor)
    page = client.get(leave.get_absolute_url())
    assert page.context["can_decide"]
    client.post(
        reverse("attendance:leave_decide", args=[leave.pk]), {"action": "approve", "step": 1}
    )
    leave.refresh_from_db()
    assert leave.state == LeaveState.APPROVED
    client.force_login(world.outsider)
    assert client.get(leave.get_absolute_url()).status_code == 404


def test_leave_api(api_client, world, monkeypatch):
    freeze(monkeypatch, moment(MONDAY, 9))
    api_client.force_authenticate(world.agent_user)
    created = api_client.post(
        "/api/v1/attendance/leave-requests/",
        {"start_date": "2026-03-11", "half_day": True, "reason": "病假"},
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["agent"] == world.agent.pk
    url = f"/api/v1/attendance/leave-requests/{pk}"
    assert api_client.post(f"{url}/approve/", {"step": 1}).status_code == 403
    api_client.force_authenticate(world.supervisor)
    approved = api_client.post(f"{url}/approve/", {"step": 1})
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    again = api_client.post(f"{url}/return/", {"comment": "x", "step": 1})
    assert again.status_code == 409
    api_client.force_authenticate(world.outsider)
    assert api_client.get(f"/api/v1/attendance/leave-requests/{pk}/").status_code == 404
    assert api_client.get("/api/v1/attendance/leave-requests/").json()["count"] == 0
