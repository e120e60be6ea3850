"""Leave and fund-usage decisions go through approvals.services.decide: the step the decider saw
is required (the API answers 400 without it), a step that has moved on is refused (web: a
message, nothing changes; API: 409 with the current state and step), and a returned usage entry
is corrected and resubmitted by its author, its history kept."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from accounts.models import Role, RoleAssignment
from approvals.models import ApprovalChain, ApprovalLevel, ApprovalState
from approvals.services import request_for
from attendance.models import FundEntry, LeaveState
from attendance.services import fund as ds
from attendance.tests import test_fund_publication
from attendance.tests.helpers import freeze, moment
from attendance.tests.test_fund_publication import usage
from attendance.tests.test_leave import MONDAY, WEDNESDAY, request_leave

closed = test_fund_publication.closed  # the fixture: May 2026 closed in district A, ¥75 credited

LEAVE_API = "/api/v1/attendance/leave-requests/{pk}"
FUND_API = "/api/v1/attendance/fund-entries/{pk}"


def _two_level_leave_chain(world):
    """Leave of group A1-1 goes to its supervisor, then to the department manager."""
    chain = ApprovalChain.objects.create(kind="leave", unit=world.dept_a1)
    ApprovalLevel.objects.create(chain=chain, order=1, role=Role.SUPERVISOR, unit_kind="group")
    ApprovalLevel.objects.create(
        chain=chain, order=2, role=Role.DEPT_MANAGER, unit_kind="department"
    )


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# -- leave ---------------------------------------------------------------------------------------


def test_leave_web_decision_on_a_step_that_moved_on_is_refused(client, world, monkeypatch):
    freeze(monkeypatch, moment(MONDAY, 9))
    _two_level_leave_chain(world)
    leave = request_leave(world, WEDNESDAY)
    url = reverse("attendance:leave_decide", args=[leave.pk])
    client.force_login(world.supervisor)
    assert client.get(leave.get_absolute_url()).context["decision_form"]["step"].value() == 1
    client.post(url, {"action": "approve", "step": 1})
    assert request_for(leave).step == 2

    client.force_login(world.dept_manager)
    # the page the manager opened before the supervisor decided still said step 1
    response = client.post(url, {"action": "return", "comment": "不同意", "step": 1}, follow=True)
    assert any("supervisor" in m for m in _messages(response)), _messages(response)
    request = request_for(leave)
    assert (request.state, request.step) == (ApprovalState.SUBMITTED, 2)
    # without a step the decision is refused too
    response = client.post(url, {"action": "approve"}, follow=True)
    assert request_for(leave).state == ApprovalState.SUBMITTED
    assert _messages(response)
    client.post(url, {"action": "approve", "step": 2})
    leave.refresh_from_db()
    assert leave.state == LeaveState.APPROVED


def test_leave_api_requires_the_step_and_refuses_a_stale_one(api_client, world, monkeypatch):
    freeze(monkeypatch, moment(MONDAY, 9))
    _two_level_leave_chain(world)
    leave = request_leave(world, WEDNESDAY)
    url = LEAVE_API.format(pk=leave.pk)
    api_client.force_authenticate(world.supervisor)
    for action, body in (("approve", {}), ("return", {"comment": "补充"})):
        response = api_client.post(f"{url}/{action}/", body, format="json")
        assert response.status_code == 400
        assert "step" in response.json()
    assert request_for(leave).step == 1
    assert api_client.post(f"{url}/approve/", {"step": 1}, format="json").status_code == 200

    api_client.force_authenticate(world.dept_manager)
    stale = api_client.post(f"{url}/return/", {"step": 1, "comment": "不行"}, format="json")
    assert stale.status_code == 409
    assert (stale.json()["state"], stale.json()["step"]) == ("submitted", 2)
    assert "supervisor" in stale.json()["detail"]
    assert api_client.post(f"{url}/approve/", {"step": 2}, format="json").status_code == 200
    leave.refresh_from_db()
    assert leave.state == LeaveState.APPROVED


def test_the_same_approve_sent_twice_passes_one_level_only(api_client, world, monkeypatch):
    """A user who approves at both levels (supervisor of the group and manager of its department)
    sends the same approve twice: the first moves the leave to step 2, the second is refused."""
    freeze(monkeypatch, moment(MONDAY, 9))
    _two_level_leave_chain(world)
    RoleAssignment.objects.create(user=world.supervisor, role=Role.DEPT_MANAGER, unit=world.dept_a1)
    leave = request_leave(world, WEDNESDAY)
    url = LEAVE_API.format(pk=leave.pk)
    api_client.force_authenticate(world.supervisor)
    first = api_client.post(f"{url}/approve/", {"step": 1}, format="json")
    second = api_client.post(f"{url}/approve/", {"step": 1}, format="json")
    assert (first.status_code, second.status_code) == (200, 409)
    assert second.json()["step"] == 2
    request = request_for(leave)
    assert (request.state, request.step) == (ApprovalState.SUBMITTED, 2)
    assert request.actions.filter(action="approve").count() == 1


# -- fund usage ----------------------------------------------------------------------------------


def test_fund_web_decision_on_a_step_that_moved_on_is_refused(client, closed):
    entry = usage(closed, "30")
    url = reverse("attendance:fund_entry_decide", args=[entry.pk])
    client.force_login(closed.district_manager)
    page = client.get(entry.get_absolute_url())
    assert page.context["decision_form"]["step"].value() == 1
    client.post(url, {"action": "approve", "step": 1})
    entry.refresh_from_db()
    assert entry.state == "approved"
    response = client.post(url, {"action": "return", "comment": "重看", "step": 1}, follow=True)
    assert any("district_manager" in m for m in _messages(response)), _messages(response)
    entry.refresh_from_db()
    assert entry.state == "approved"
    assert request_for(entry).actions.filter(action="return").count() == 0


def test_fund_api_requires_the_step_and_refuses_a_stale_one(api_client, closed):
    entry = usage(closed, "30")
    url = FUND_API.format(pk=entry.pk)
    api_client.force_authenticate(closed.district_manager)
    response = api_client.post(f"{url}/approve/", {"comment": "好"}, format="json")
    assert response.status_code == 400 and "step" in response.json()
    assert api_client.post(f"{url}/approve/", {"step": 1}, format="json").status_code == 200
    again = api_client.post(f"{url}/approve/", {"step": 1}, format="json")
    assert again.status_code == 409
    assert again.json()["state"] == "approved"
    assert FundEntry.objects.get(pk=entry.pk).state == "approved"


def test_returned_fund_usage_is_corrected_resubmitted_and_approved(client, api_client, closed):
    entry = usage(closed, "30")
    ds.fund_usage_decide(
        acting_user=closed.district_manager,
        entry=entry,
        decision="return",
        expected_step=1,
        comment="金额写错了",
    )
    entry.refresh_from_db()
    assert entry.state == "returned"

    # the author corrects it on the web
    client.force_login(closed.district_admin)
    assert client.get(entry.get_absolute_url()).context["can_resubmit"]
    response = client.post(
        reverse("attendance:fund_entry_resubmit", args=[entry.pk]),
        {
            "day": "2026-05-21",
            "amount": "25",
            "purpose": "早会奖品（更正）",
            "version": entry.version,
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.state, entry.amount, entry.date) == (
        "submitted",
        Decimal("25"),
        date(2026, 5, 21),
    )
    request = request_for(entry)
    assert (request.state, request.step) == (ApprovalState.SUBMITTED, 1)
    assert "25" in request.title

    # the manager returns it once more through the API; the author resubmits through the API
    api_client.force_authenticate(closed.district_manager)
    url = FUND_API.format(pk=entry.pk)
    returned = api_client.post(f"{url}/return/", {"step": 1, "comment": "再核对"}, format="json")
    assert returned.status_code == 200 and returned.json()["state"] == "returned"
    api_client.force_authenticate(closed.district_admin)
    body = {"date": "2026-05-21", "amount": "20", "purpose": "早会奖品（再更正）"}
    body["version"] = api_client.get(f"{url}/").json()["version"]
    again = api_client.post(f"{url}/resubmit/", body, format="json")
    assert again.status_code == 200, again.content
    assert again.json()["state"] == "submitted"
    # a submitted entry cannot be resubmitted
    assert api_client.post(f"{url}/resubmit/", body, format="json").status_code == 409

    api_client.force_authenticate(closed.district_manager)
    approved = api_client.post(f"{url}/approve/", {"step": 1}, format="json")
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    entry.refresh_from_db()
    assert (entry.amount, entry.approved_by) == (Decimal("20"), closed.district_manager)
    # history kept: the trail and the entry's own history hold every round
    actions = list(request_for(entry).actions.values_list("action", flat=True))
    assert actions == ["submit", "return", "submit", "return", "submit", "approve"]
    amounts = [h.amount for h in entry.history.order_by("history_date", "history_id")]
    assert [Decimal("30"), Decimal("25"), Decimal("20")] == sorted(set(amounts), reverse=True)
    assert FundEntry.objects.balance() == Decimal("55.00")  # 75 credited less 20 used


def test_only_a_returned_entry_may_be_resubmitted_and_only_by_who_may_enter_it(client, closed):
    entry = usage(closed, "30")
    url = reverse("attendance:fund_entry_resubmit", args=[entry.pk])
    client.force_login(closed.district_admin)
    assert client.get(url).status_code == 403  # still waiting for approval
    ds.fund_usage_decide(
        acting_user=closed.district_manager,
        entry=entry,
        decision="return",
        expected_step=1,
        comment="补充",
    )
    assert client.get(url).status_code == 200
    client.force_login(closed.agent_user)
    assert client.get(url).status_code in {403, 404}


def test_returned_leave_is_corrected_and_resubmitted_through_the_api(
    api_client, world, monkeypatch
):
    freeze(monkeypatch, moment(MONDAY, 9))
    leave = request_leave(world, WEDNESDAY)
    url = LEAVE_API.format(pk=leave.pk)
    api_client.force_authenticate(world.supervisor)
    returned = api_client.post(f"{url}/return/", {"step": 1, "comment": "写明事由"}, format="json")
    assert returned.json()["state"] == "returned"
    api_client.force_authenticate(world.agent_user)
    body = {"start_date": "2026-03-12", "reason": "事假：家中有事"}
    body["version"] = api_client.get(f"{url}/").json()["version"]
    again = api_client.post(f"{url}/resubmit/", body, format="json")
    assert again.status_code == 200, again.content
    assert (again.json()["state"], again.json()["start_date"]) == ("submitted", "2026-03-12")
    assert api_client.post(f"{url}/resubmit/", body, format="json").status_code == 409
    api_client.force_authenticate(world.supervisor)
    approved = api_client.post(f"{url}/approve/", {"step": 1}, format="json")
    assert approved.json()["state"] == "approved"
    actions = list(request_for(leave).actions.values_list("action", flat=True))
    assert actions == ["submit", "return", "submit", "approve"]
