"""The deduction fund, the monthly publication, improvement measures, the API's scope, pages."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from approvals.services import request_for
from attendance.models import DeductionMonth, FundEntry, ImprovementMeasure
from attendance.services import deductions as ds
from attendance.services import fund as fund_services
from attendance.services import publication as publication_services
from attendance.tests.deduction_helpers import regulation
from attendance.tests.helpers import MAY, freeze, mark, may_calendar, moment
from attendance.tests.test_deductions import worked_month
from core.exceptions import ConflictError
from core.versioning import etag

JUNE = date(2026, 6, 2)


@pytest.fixture
def closed(world, monkeypatch):
    """May 2026 run and closed in district A: the agent owes ¥55, A2's agent ¥20."""
    may_calendar(world.district_a)
    freeze(monkeypatch, moment(JUNE, 10))
    regulation(world, date(2026, 1, 1))
    worked_month(world.agent)
    mark(world.other_dept_agent, date(2026, 5, 6), "absent")
    ds.deduction_run(acting_user=world.district_admin, district=world.district_a, month=MAY)
    world.month = DeductionMonth.objects.get()
    ds.deduction_close(acting_user=world.district_manager, deduction_month=world.month)
    return world


def usage(w, amount, user=None, **extra):
    return fund_services.fund_usage_submit(
        acting_user=user or w.district_admin,
        district=w.district_a,
        day=date(2026, 5, 20),
        amount=Decimal(amount),
        purpose="早会奖品",
        **extra,
    )


def test_usage_goes_through_the_approval_flow(closed):
    assert FundEntry.objects.balance() == Decimal("75.00")
    entry = usage(closed, "30")
    assert entry.state == "submitted" and request_for(entry).kind == "fund_usage"
    assert FundEntry.objects.balance() == Decimal("75.00")  # not before approval
    with pytest.raises(PermissionDenied):
        fund_services.fund_usage_decide(
            acting_user=closed.district_admin, entry=entry, decision="approve", expected_step=1
        )
    fund_services.fund_usage_decide(
        acting_user=closed.district_manager, entry=entry, decision="approve", expected_step=1
    )
    entry.refresh_from_db()
    assert (entry.state, entry.approved_by) == ("approved", closed.district_manager)
    assert FundEntry.objects.balance() == Decimal("45.00")


def test_the_balance_cannot_go_negative_without_the_managers_override(closed):
    usage(closed, "50")
    with pytest.raises(ValidationError):
        usage(closed, "30")  # 75 − 50 pending − 30 < 0
    with pytest.raises(PermissionDenied):
        usage(closed, "30", override=True, override_reason="年终活动")  # the admin may not
    with pytest.raises(ValidationError):
        usage(closed, "30", user=closed.district_manager, override=True)  # no reason
    entry = usage(closed, "30", user=closed.district_manager, override=True,
                  override_reason="年终活动")  # fmt: skip
    for pending in FundEntry.objects.filter(state="submitted").order_by("pk"):
        fund_services.fund_usage_decide(
            acting_user=closed.district_manager, entry=pending, decision="approve", expected_step=1
        )
    entry.refresh_from_db()
    assert entry.override and FundEntry.objects.balance() == Decimal("-5.00")


def test_approval_checks_the_balance_again(closed):
    first = usage(closed, "70")
    fund_services.fund_usage_decide(
        acting_user=closed.district_manager, entry=first, decision="approve", expected_step=1
    )
    FundEntry.objects.filter(pk=first.pk).update(amount=Decimal("10"))
    second = usage(closed, "60")
    FundEntry.objects.filter(pk=first.pk).update(amount=Decimal("70"))
    with pytest.raises(ValidationError):
        fund_services.fund_usage_decide(
            acting_user=closed.district_manager, entry=second, decision="approve", expected_step=1
        )


def test_department_staff_enter_usage_only_for_their_department(closed):
    with pytest.raises(PermissionDenied):
        usage(closed, "5", user=closed.dept_manager)
    entry = usage(closed, "5", user=closed.dept_manager, department=closed.dept_a1)
    assert entry.department == closed.dept_a1
    with pytest.raises(PermissionDenied):
        usage(closed, "5", user=closed.dept_manager, department=closed.dept_a2)


def test_publishing_needs_a_closed_month(world, monkeypatch):
    freeze(monkeypatch, moment(JUNE, 10))
    ds.deduction_run(acting_user=world.district_admin, district=world.district_a, month=MAY)
    with pytest.raises(ConflictError):
        publication_services.publication_publish(
            acting_user=world.district_admin, unit=world.dept_a1, month=MAY
        )


def test_agents_read_their_units_published_page_only(client, closed):
    entry = usage(closed, "30", department=closed.dept_a1)
    fund_services.fund_usage_decide(
        acting_user=closed.district_manager, entry=entry, decision="approve", expected_step=1
    )
    a1 = reverse("attendance:publication", args=[closed.dept_a1.pk, "2026-05"])
    a2 = reverse("attendance:publication", args=[closed.dept_a2.pk, "2026-05"])
    district = reverse("attendance:publication", args=[closed.district_a.pk, "2026-05"])
    client.force_login(closed.agent_user)
    assert client.get(a1).status_code == 404  # not published yet
    for unit in (closed.dept_a1, closed.dept_a2, closed.district_a):
        publication_services.publication_publish(
            acting_user=closed.district_admin, unit=unit, month=MAY
        )
    page = client.get(a1)
    assert page.status_code == 200
    content = page.content.decode()
    assert "张三" in content and "赵六" not in content and "¥55.00" in content
    assert page.context["page"].usage_total == Decimal("30.00")
    assert page.context["page"].balance == Decimal("45.00")
    assert client.get(a2).status_code == 404
    assert client.get(district).status_code == 200
    client.force_login(closed.outsider)
    assert client.get(a1).status_code == 404
    client.force_login(closed.district_admin)
    preview = reverse("attendance:publication", args=[closed.dept_a1.pk, "2026-04"])
    assert client.get(preview).status_code == 200


def test_staff_see_the_unpublished_page_and_publish_it(client, closed):
    client.force_login(closed.district_admin)
    url = reverse("attendance:publication", args=[closed.dept_a1.pk, "2026-05"])
    assert 'id="publish"' in client.get(url).content.decode()
    client.post(reverse("attendance:publication_publish", args=[closed.dept_a1.pk, "2026-05"]))
    assert 'id="published-badge"' in client.get(url).content.decode()


def test_deduction_pages_and_export(client, closed):
    client.force_login(closed.district_manager)
    page = client.get(reverse("attendance:deductions"), {"month": "2026-05"})
    assert page.status_code == 200 and page.context["deduction_month"] == closed.month
    assert len(page.context["lines"]) == 2
    export = client.get(reverse("attendance:deduction_export", args=[closed.month.pk]))
    assert export.status_code == 200 and export.content[:2] == b"PK"
    client.force_login(closed.dept_manager)
    page = client.get(reverse("attendance:deductions"), {"month": "2026-05"})
    assert [line.agent for line in page.context["lines"]] == [closed.agent]
    assert (
        client.post(reverse("attendance:deduction_close", args=[closed.month.pk])).status_code
        == 302
    )
    closed.month.refresh_from_db()
    assert closed.month.audits.filter(action="reopen").count() == 0
    client.force_login(closed.agent_user)
    assert client.get(reverse("attendance:fund")).status_code == 200
    client.force_login(closed.district_manager)
    assert client.get(reverse("attendance:fund")).context["balance"] == Decimal("75.00")


def test_deduction_page_runs_and_shows_changes(client, world, monkeypatch):
    may_calendar(world.district_a)
    freeze(monkeypatch, moment(JUNE, 10))
    regulation(world, date(2026, 1, 1))
    worked_month(world.agent)
    client.force_login(world.district_admin)
    run = reverse("attendance:deduction_run")
    client.post(run, {"district": world.district_a.pk, "month": "2026-05"})
    mark(world.colleague, date(2026, 5, 6), "late")
    client.post(run, {"district": world.district_a.pk, "month": "2026-05"})
    page = client.get(reverse("attendance:deductions"), {"month": "2026-05"})
    assert 'id="rerun-changes"' in page.content.decode()
    client.force_login(world.assistant)
    assert (
        client.post(run, {"district": world.district_a.pk, "month": "2026-05"}).status_code == 403
    )


def test_api_scoping(api_client, closed):
    for unit in (closed.dept_a1, closed.dept_a2):
        publication_services.publication_publish(
            acting_user=closed.district_admin, unit=unit, month=MAY
        )
    api_client.force_authenticate(closed.agent_user)
    lines = api_client.get("/api/v1/attendance/deduction-lines/").json()
    rows = lines["results"] if isinstance(lines, dict) else lines
    assert [row["agent"] for row in rows] == [closed.agent.pk]
    assert rows[0]["amount"] == "55.00"
    pubs = api_client.get("/api/v1/attendance/publications/").json()
    pubs = pubs["results"] if isinstance(pubs, dict) else pubs
    assert [p["unit"] for p in pubs] == [closed.dept_a1.pk]
    detail = api_client.get(f"/api/v1/attendance/publications/{pubs[0]['id']}/").json()
    assert detail["total"] == "55.00"
    assert api_client.get("/api/v1/attendance/fund-entries/").json()["count"] == 0
    rules = api_client.get("/api/v1/attendance/rules/").json()
    assert rules["results"][0]["late_deduction"] == "5.00"
    run = {"district": closed.district_a.pk, "month": "2026-05"}
    assert api_client.post("/api/v1/attendance/deduction-months/run/", run).status_code == 403

    api_client.force_authenticate(closed.supervisor)
    rows = api_client.get("/api/v1/attendance/deduction-lines/").json()["results"]
    assert {row["agent"] for row in rows} == {closed.agent.pk}
    api_client.force_authenticate(closed.assistant)
    rows = api_client.get("/api/v1/attendance/deduction-lines/").json()["results"]
    assert {row["agent"] for row in rows} == {closed.agent.pk}
    api_client.force_authenticate(closed.outsider)
    assert api_client.get("/api/v1/attendance/deduction-lines/").json()["count"] == 0
    assert api_client.get(f"/api/v1/attendance/publications/{pubs[0]['id']}/").status_code == 404

    api_client.force_authenticate(closed.district_manager)
    assert api_client.get("/api/v1/attendance/fund-entries/").json()["count"] == 1
    reopened = api_client.post(
        f"/api/v1/attendance/deduction-months/{closed.month.pk}/reopen/", {"reason": "更正"}
    )
    assert reopened.json()["state"] == "open"
    result = api_client.post("/api/v1/attendance/deduction-months/run/", run).json()
    assert result["total_after"] == "75.00" and result["changes"] == []
    created = api_client.post(
        "/api/v1/attendance/fund-entries/",
        {"district": closed.district_a.pk, "date": "2026-05-20", "amount": "500", "purpose": "x"},
    )
    assert created.status_code == 400


def test_improvement_measures_are_scoped(client, api_client, world):
    api_client.force_authenticate(world.assistant)
    created = api_client.post(
        "/api/v1/attendance/improvement-measures/",
        {"department": world.dept_a1.pk, "month": "2026-05", "measure": "每周两次晨会点名复盘",
         "owner": world.assistant.pk, "due_date": "2026-06-30"},
    )  # fmt: skip
    assert created.status_code == 201, created.content
    measure = ImprovementMeasure.objects.get()
    assert (measure.district, measure.month, measure.status) == (world.district_a, MAY, "open")
    other = api_client.post(
        "/api/v1/attendance/improvement-measures/",
        {"department": world.dept_a2.pk, "month": "2026-05", "measure": "x",
         "owner": world.assistant.pk},
    )  # fmt: skip
    assert other.status_code == 403
    updated = api_client.patch(
        f"/api/v1/attendance/improvement-measures/{measure.pk}/",
        {"status": "in_progress", "follow_up": "已执行两周"},
        HTTP_IF_MATCH=etag(measure.version),
    )
    assert updated.json()["status"] == "in_progress"
    api_client.force_authenticate(world.supervisor)
    assert api_client.get("/api/v1/attendance/improvement-measures/").json()["count"] == 1
    assert (
        api_client.patch(
            f"/api/v1/attendance/improvement-measures/{measure.pk}/", {"status": "done"}
        ).status_code
        == 403
    )
    api_client.force_authenticate(world.outsider)
    assert (
        api_client.get(f"/api/v1/attendance/improvement-measures/{measure.pk}/").status_code == 404
    )

    client.force_login(world.dept_manager)
    assert client.get(reverse("attendance:measures")).status_code == 200
    response = client.post(
        reverse("attendance:measure_edit", args=[measure.pk]),
        {"department": world.dept_a1.pk, "month": "2026-05", "measure": "改",
         "owner": world.assistant.pk, "status": "done", "follow_up": "完成",
         "version": ImprovementMeasure.objects.get(pk=measure.pk).version},
    )  # fmt: skip
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.status == "done"
    client.force_login(world.agent_user)
    assert client.get(reverse("attendance:measure_create")).status_code == 403


def test_rule_values_page_from_the_regulation(client, world):
    version = regulation(world, date(2026, 1, 1), publish=False)
    client.force_login(world.district_admin)
    detail = client.get(version.get_absolute_url()).content.decode()
    assert 'id="regulation-rules-link"' in detail
    url = reverse("attendance:regulation_rules", args=[version.pk])
    response = client.post(
        url,
        {"on_time_until": "08:45", "late_until": "09:30", "late_deduction": "6",
         "unreported_leave_deduction": "10", "absence_deduction": "20",
         "free_reported_leave_days": "2", "reported_leave_deduction": "5",
         "version": ds.regulation_rules(version).version},
    )  # fmt: skip
    assert response.status_code == 302
    assert ds.regulation_rules(version).late_deduction == Decimal("6")
    client.force_login(world.assistant)
    assert (
        client.get(url).status_code in (403, 404)
        or 'id="rules-form"' not in client.get(url).content.decode()
    )


def test_measure_owner_must_be_staff_of_the_department_or_district(api_client, world):
    api_client.force_authenticate(world.assistant)
    response = api_client.post(
        "/api/v1/attendance/improvement-measures/",
        {"department": world.dept_a1.pk, "month": "2026-05", "measure": "复盘",
         "owner": world.outsider.pk},
    )  # fmt: skip
    assert response.status_code == 400
    assert "owner" in response.json()
    assert not ImprovementMeasure.objects.exists()


def test_a_correction_cannot_leave_the_fund_in_debt(closed):
    entry = usage(closed, "70")
    fund_services.fund_usage_decide(
        acting_user=closed.district_manager, entry=entry, decision="approve", expected_step=1
    )
    assert FundEntry.objects.balance() == Decimal("5.00")
    ds.deduction_reopen(acting_user=closed.district_manager, deduction_month=closed.month,
                        reason="旷工记录有误")  # fmt: skip
    # The absence of A2's agent (¥20) was a mistake: the credit would drop from 75 to 55.
    closed.other_dept_agent.attendance_records.update(status="present")
    ds.deduction_run(acting_user=closed.district_admin, district=closed.district_a, month=MAY)
    with pytest.raises(ValidationError):
        ds.deduction_close(acting_user=closed.district_manager, deduction_month=closed.month)
    closed.month.refresh_from_db()
    assert not closed.month.is_closed
    assert FundEntry.objects.balance() == Decimal("5.00")


def test_agent_sees_their_deduction_only_once_the_month_is_closed(api_client, closed):
    ds.deduction_reopen(acting_user=closed.district_manager, deduction_month=closed.month,
                        reason="核对")  # fmt: skip
    api_client.force_authenticate(closed.agent_user)
    assert api_client.get("/api/v1/attendance/deduction-lines/").json()["count"] == 0
    api_client.force_authenticate(closed.supervisor)
    assert api_client.get("/api/v1/attendance/deduction-lines/").json()["count"] == 1
    ds.deduction_close(acting_user=closed.district_manager, deduction_month=closed.month)
    api_client.force_authenticate(closed.agent_user)
    assert api_client.get("/api/v1/attendance/deduction-lines/").json()["count"] == 1
