"""No lost updates on attendance records (issue 20): the regulation's rule values, check records
(附件7), and the correction of a returned leave request or fund usage carry the version the edit
was based on. Two saves from the same version: the second is refused (page: the conflict and
what the other person changed, nothing of it saved; API: 409 with the current version), and a
normal save moves the version on."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from attendance.models import AttendanceRules, CheckRecord, FundEntry, LeaveRequest
from attendance.services import deductions as deduction_services
from attendance.services import fund as fund_services
from attendance.services import leave as leave_services
from attendance.tests import test_fund_publication
from attendance.tests.deduction_helpers import regulation
from attendance.tests.helpers import freeze, moment
from attendance.tests.test_checks import attendance, create  # noqa: F401 - fixture
from attendance.tests.test_fund_publication import usage
from attendance.tests.test_leave import MONDAY, WEDNESDAY, request_leave

closed = test_fund_publication.closed  # the fixture: May 2026 closed in district A, ¥75 credited


def _opened(user, url):
    """A browser that opened the page: its client and the version its form carries."""
    browser = Client()
    browser.force_login(user)
    page = browser.get(url)
    assert page.status_code == 200
    return browser, page.context["form"]["version"].value()


def _refused(response, *fields):
    """The stale page: the user's input kept, the other person's changes listed by field."""
    assert response.status_code == 200
    form = response.context["form"]
    assert form.is_stale and form.non_field_errors()
    assert {str(change["field"]) for change in form.stale_changes} == {str(f) for f in fields}
    return form


def _label(model, name):
    return model._meta.get_field(name).verbose_name


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# -- the regulation's rule values -----------------------------------------------------------------

RULES = {
    "on_time_until": "08:30",
    "late_until": "09:30",
    "late_deduction": "5",
    "unreported_leave_deduction": "10",
    "absence_deduction": "20",
    "free_reported_leave_days": "2",
    "reported_leave_deduction": "5",
}


def test_second_save_of_rule_values_on_the_same_version_is_refused(world):
    version = regulation(world, date(2026, 1, 1), publish=False)
    url = reverse("attendance:regulation_rules", args=[version.pk])
    first, base = _opened(world.district_admin, url)
    second, _same = _opened(world.district_admin, url)

    assert first.post(url, {**RULES, "late_deduction": "6", "version": base}).status_code == 302
    refused = second.post(url, {**RULES, "absence_deduction": "30", "version": base})

    form = _refused(refused, _label(AttendanceRules, "late_deduction"))
    assert form["absence_deduction"].value() == "30"
    rules = deduction_services.regulation_rules(version)
    assert (rules.late_deduction, rules.absence_deduction) == (Decimal("6"), Decimal("20"))
    assert rules.version == base + 1


# -- check records (附件7) ------------------------------------------------------------------------


def test_second_save_of_a_check_record_on_the_same_version_is_refused(attendance):  # noqa: F811
    record = create(attendance)
    absent = record.lines.get(kind="absent")
    url = reverse("attendance:check_detail", args=[record.pk])
    pages = []
    for user in (attendance.assistant, attendance.dept_manager):
        browser = Client()
        browser.force_login(user)
        pages.append((browser, browser.get(url).context["edit_form"]["version"].value()))
    (first, base), (second, _same) = pages
    assert base == 1

    saved = first.post(url, {"handling_measures": "谈话提醒", "version": base})
    assert saved.status_code == 302
    refused = second.post(
        url, {"handling_measures": "扣款", f"result-{absent.pk}": "已扣款", "version": base},
        follow=True,
    )  # fmt: skip

    shown = _messages(refused)
    assert any("谈话提醒" in line and str(attendance.assistant) in line for line in shown), shown
    record.refresh_from_db()
    absent.refresh_from_db()
    assert (record.handling_measures, record.version) == ("谈话提醒", 2)
    assert absent.handling_result == ""  # nothing of the second save


def test_stale_check_record_patch_answers_409(api_client, attendance):  # noqa: F811
    record = create(attendance)
    api_client.force_authenticate(attendance.assistant)
    url = f"/api/v1/attendance/check-records/{record.pk}/"
    etag = api_client.get(url)["ETag"]
    ok = api_client.patch(url, {"handling_measures": "谈话"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = api_client.patch(url, {"handling_measures": "扣款"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 409
    assert stale.json()["current"]["handling_measures"] == "谈话"
    assert CheckRecord.objects.get(pk=record.pk).handling_measures == "谈话"


def test_refresh_and_verify_move_the_check_record_version_on(api_client, attendance):  # noqa: F811
    record = create(attendance)
    api_client.force_authenticate(attendance.assistant)
    url = f"/api/v1/attendance/check-records/{record.pk}/"
    assert api_client.post(f"{url}refresh/").json()["version"] == 2
    api_client.force_authenticate(attendance.dept_manager)
    assert api_client.post(f"{url}verify/", {}).json()["version"] == 3


# -- leave requests -------------------------------------------------------------------------------


@pytest.fixture
def returned_leave(world, monkeypatch):
    freeze(monkeypatch, moment(MONDAY, 9))
    leave = request_leave(world, WEDNESDAY)
    leave_services.leave_decide(
        acting_user=world.supervisor, leave=leave, decision="return", expected_step=1,
        comment="写明事由",
    )  # fmt: skip
    leave.refresh_from_db()
    assert leave.state == "returned"
    return leave


def test_second_leave_resubmit_on_the_same_version_is_refused(world, returned_leave):
    leave = returned_leave
    url = reverse("attendance:leave_resubmit", args=[leave.pk])
    agent, base = _opened(world.agent_user, url)
    assistant, _same = _opened(world.assistant, url)
    post = {"agent": world.agent.pk, "start_date": WEDNESDAY.isoformat(), "version": base}

    assert agent.post(url, {**post, "reason": "事假：家中有事"}).status_code == 302
    refused = assistant.post(url, {**post, "reason": "病假", "half_day": "on"})

    _refused(
        refused,
        _label(LeaveRequest, "reason"),
        _label(LeaveRequest, "state"),
        _label(LeaveRequest, "decided_at"),
    )
    assert "事假：家中有事" in refused.content.decode()
    leave.refresh_from_db()
    assert (leave.reason, leave.half_day, leave.state) == ("事假：家中有事", False, "submitted")
    assert leave.version == base + 1


def test_stale_leave_resubmit_in_the_api_answers_409(api_client, world, returned_leave):
    url = f"/api/v1/attendance/leave-requests/{returned_leave.pk}/"
    api_client.force_authenticate(world.agent_user)
    etag = api_client.get(url)["ETag"]
    body = {"start_date": WEDNESDAY.isoformat(), "reason": "事假：家中有事"}
    ok = api_client.post(f"{url}resubmit/", body, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200, ok.content
    assert ok.json()["version"] == 3  # submitted 1, returned 2 (a decision moves it), resubmitted 3
    api_client.force_authenticate(world.assistant)
    stale = api_client.post(f"{url}resubmit/", {**body, "reason": "病假", "version": 2})
    assert stale.status_code == 409
    assert stale.json()["version"] == 3
    assert stale.json()["current"]["reason"] == "事假：家中有事"


# -- fund usage -----------------------------------------------------------------------------------


@pytest.fixture
def returned_entry(closed):
    entry = usage(closed, "30")
    fund_services.fund_usage_decide(
        acting_user=closed.district_manager, entry=entry, decision="return", expected_step=1,
        comment="金额写错了",
    )  # fmt: skip
    entry.refresh_from_db()
    return entry


def test_second_fund_resubmit_on_the_same_version_is_refused(closed, returned_entry):
    entry = returned_entry
    url = reverse("attendance:fund_entry_resubmit", args=[entry.pk])
    first, base = _opened(closed.district_admin, url)
    second, _same = _opened(closed.district_manager, url)
    post = {"day": "2026-05-20", "purpose": "早会奖品", "version": base}

    assert first.post(url, {**post, "amount": "25"}).status_code == 302
    refused = second.post(url, {**post, "amount": "28"})

    _refused(
        refused,
        _label(FundEntry, "amount"),
        _label(FundEntry, "state"),
        _label(FundEntry, "decided_at"),
    )
    entry.refresh_from_db()
    assert (entry.amount, entry.state, entry.version) == (Decimal("25"), "submitted", base + 1)


def test_stale_fund_resubmit_in_the_api_answers_409(api_client, closed, returned_entry):
    url = f"/api/v1/attendance/fund-entries/{returned_entry.pk}/"
    api_client.force_authenticate(closed.district_admin)
    etag = api_client.get(url)["ETag"]
    body = {"date": "2026-05-20", "amount": "25", "purpose": "早会奖品"}
    ok = api_client.post(f"{url}resubmit/", body, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200, ok.content
    stale = api_client.post(
        f"{url}resubmit/", {**body, "amount": "28"}, format="json", HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 409
    assert stale.json()["current"]["amount"] == "25.00"
    assert FundEntry.objects.get(pk=returned_entry.pk).amount == Decimal("25")


# -- a decision is a new version ------------------------------------------------------------------


def test_a_leave_decision_moves_the_version_so_an_edit_from_before_it_is_refused(
    api_client, world, monkeypatch
):
    """The agent read the request (version 1) while it waited; the supervisor returned it; a
    resubmission based on version 1 has not seen the return and its reason: 409."""
    freeze(monkeypatch, moment(MONDAY, 9))
    leave = request_leave(world, WEDNESDAY)
    url = f"/api/v1/attendance/leave-requests/{leave.pk}/"
    api_client.force_authenticate(world.agent_user)
    before = api_client.get(url)["ETag"]
    leave_services.leave_decide(
        acting_user=world.supervisor, leave=leave, decision="return", expected_step=1,
        comment="写明事由",
    )  # fmt: skip
    body = {"start_date": WEDNESDAY.isoformat(), "reason": "病假"}
    stale = api_client.post(f"{url}resubmit/", body, format="json", HTTP_IF_MATCH=before)
    assert stale.status_code == 409, stale.content
    assert stale.json()["current"]["state"] == "returned"
    assert stale["ETag"] == f'"{stale.json()["version"]}"' != before
    leave.refresh_from_db()
    assert (leave.state, leave.reason) == ("returned", "事假")
    ok = api_client.post(f"{url}resubmit/", body, format="json", HTTP_IF_MATCH=stale["ETag"])
    assert ok.status_code == 200, ok.content


def test_leave_approval_moves_the_version_and_names_the_approver(world, monkeypatch):
    freeze(monkeypatch, moment(MONDAY, 9))
    leave = request_leave(world, WEDNESDAY)
    leave_services.leave_decide(
        acting_user=world.supervisor, leave=leave, decision="approve", expected_step=1
    )
    leave.refresh_from_db()
    assert (leave.state, leave.version) == ("approved", 2)
    record = leave.history.latest()
    assert (record.version, record.history_user) == (2, world.supervisor)


def test_a_fund_decision_moves_the_version_so_an_edit_from_before_it_is_refused(api_client, closed):
    entry = usage(closed, "30")
    url = f"/api/v1/attendance/fund-entries/{entry.pk}/"
    api_client.force_authenticate(closed.district_admin)
    before = api_client.get(url)["ETag"]
    fund_services.fund_usage_decide(
        acting_user=closed.district_manager, entry=entry, decision="return", expected_step=1,
        comment="金额写错了",
    )  # fmt: skip
    body = {"date": "2026-05-20", "amount": "25", "purpose": "早会奖品"}
    stale = api_client.post(f"{url}resubmit/", body, format="json", HTTP_IF_MATCH=before)
    assert stale.status_code == 409, stale.content
    assert stale.json()["current"]["state"] == "returned"
    entry.refresh_from_db()
    assert (entry.amount, entry.state) == (Decimal("30"), "returned")
    record = entry.history.latest()
    assert (record.version, record.history_user) == (entry.version, closed.district_manager)
    assert entry.version == 2


def test_fund_approval_moves_the_version(closed):
    entry = usage(closed, "30")
    fund_services.fund_usage_decide(
        acting_user=closed.district_manager, entry=entry, decision="approve", expected_step=1
    )
    entry.refresh_from_db()
    assert (entry.state, entry.version) == ("approved", 2)
