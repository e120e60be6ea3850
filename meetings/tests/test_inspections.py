"""The district's supervision of department meetings (§7): the weighted acceptance checklist
(附件4), visits, issues, scoping and the report for the district meeting."""

import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.exceptions import ConflictError
from meetings.models import (
    AcceptanceForm,
    Calendar,
    CalendarEntry,
    CalendarState,
    ChecklistItem,
    Feedback,
    FormScore,
    Issue,
    Meeting,
    MeetingLevel,
    Visit,
    VisitState,
)
from meetings.selectors import inspections as sel
from meetings.services import inspections as svc
from notifications.models import Notification

DAY = date(2026, 3, 10)


@pytest.fixture
def three_items(world):
    """The district's checklist reduced to three items weighted 10 / 20 / 70."""
    svc.checklist_ensure_default(district=world.district_a)
    rows = [
        {"id": item.pk, "title": item.title, "weight": item.weight, "active": False}
        for item in ChecklistItem.objects.filter(district=world.district_a)
    ]
    rows += [
        {"title": "准时开始", "weight": 10},
        {"title": "主题质量", "weight": 20},
        {"title": "氛围与参与", "weight": 70},
    ]
    svc.checklist_save(acting_user=world.district_manager, district=world.district_a, items=rows)
    return list(sel.checklist(world.district_a, active_only=True))


def plan(world, unit=None, day=DAY, inspector=None, user=None):
    return svc.visit_plan(
        acting_user=user or world.district_manager,
        inspector=inspector or world.district_manager,
        unit=unit or world.dept_a1,
        date=day,
    )


def fill(world, visit, items, ratings, issues=None, user=None):
    return svc.form_fill(
        acting_user=user or world.district_manager,
        visit=visit,
        ratings=dict(zip([i.pk for i in items], ratings, strict=True)),
        issues=issues or [],
    )


# -- scoring -----------------------------------------------------------------------------------
def test_default_checklist_sums_to_100_and_is_created_once(world):
    items = svc.checklist_ensure_default(district=world.district_a)
    again = svc.checklist_ensure_default(district=world.district_a)
    assert [i.weight for i in items] == [10, 10, 10, 15, 20, 15, 10, 10]
    assert sum(i.weight for i in items) == 100
    assert [i.pk for i in items] == [i.pk for i in again]


def test_total_is_weight_times_rating_over_5_summed(world, three_items):
    # 10×5/5 + 20×3/5 + 70×4/5 = 10 + 12 + 56 = 78
    form = fill(world, plan(world), three_items, [5, 3, 4])
    assert form.total == Decimal("78.0")
    assert [s.points for s in form.scores.all()] == [Decimal(10), Decimal(12), Decimal(56)]
    assert Visit.objects.get(pk=form.visit_id).state == VisitState.DONE
    # 10×1/5 + 20×2/5 + 70×3/5 = 2 + 8 + 42 = 52
    other = fill(world, plan(world, day=date(2026, 3, 11)), three_items, [1, 2, 3])
    assert other.total == Decimal("52.0")


def test_every_item_must_be_rated_0_to_5(world, three_items):
    visit = plan(world)
    with pytest.raises(ValidationError) as error:
        fill(world, visit, three_items, [5, 6, None])
    assert len(error.value.messages) == 2
    assert not AcceptanceForm.objects.exists()
    visit.refresh_from_db()
    assert visit.state == VisitState.PLANNED


def test_weights_must_sum_to_100(world, three_items):
    rows = [
        {"id": i.pk, "title": i.title, "weight": w}
        for i, w in zip(three_items, [10, 15, 70], strict=True)
    ]
    with pytest.raises(ValidationError) as error:
        svc.checklist_save(
            acting_user=world.district_manager, district=world.district_a, items=rows
        )
    assert "权重合计须为100；当前合计为95" in error.value.messages[0]
    assert [i.weight for i in sel.checklist(world.district_a, active_only=True)] == [10, 20, 70]


def test_items_are_deactivated_never_deleted(world, three_items):
    first, second, third = three_items
    svc.checklist_save(
        acting_user=world.trainer,
        district=world.district_a,
        items=[
            {"id": first.pk, "title": first.title, "weight": 10, "active": False},
            {"id": second.pk, "title": second.title, "weight": 30},
        ],
    )
    assert ChecklistItem.objects.filter(pk=first.pk, active=False).exists()
    assert [i.weight for i in sel.checklist(world.district_a, active_only=True)] == [30, 70]


def test_changing_weights_later_keeps_old_forms_total(world, three_items):
    old = fill(world, plan(world), three_items, [5, 3, 4])
    first, second, third = three_items
    svc.checklist_save(
        acting_user=world.district_manager,
        district=world.district_a,
        items=[
            {"id": first.pk, "title": first.title, "weight": 40},
            {"id": second.pk, "title": "主题质量与准备", "weight": 30},
            {"id": third.pk, "title": third.title, "weight": 30},
        ],
    )
    old.refresh_from_db()
    assert old.total == Decimal("78.0")
    assert [(s.title, s.weight) for s in old.scores.all()] == [
        ("准时开始", 10),
        ("主题质量", 20),
        ("氛围与参与", 70),
    ]
    # The same ratings under the new weights: 40 + 18 + 24 = 82
    new = fill(world, plan(world, day=date(2026, 3, 12)), three_items, [5, 3, 4])
    assert new.total == Decimal("82.0")


def test_form_is_filled_once_and_links_the_meeting_record(world, three_items):
    meeting = Meeting.objects.create(
        unit=world.dept_a1,
        level=MeetingLevel.DEPARTMENT,
        date=DAY,
        topic="业绩通报",
        recorded_by=world.dept_manager,
    )
    visit = plan(world)
    form = fill(world, visit, three_items, [5, 5, 5])
    assert form.meeting == meeting and form.total == 100
    # The department's manager and assistant hear of it; the group supervisor does not.
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"dept_manager", "assistant"}
    with pytest.raises(ConflictError):
        fill(world, visit, three_items, [1, 1, 1])


# -- visits and issues ---------------------------------------------------------------------------
def test_visit_from_a_calendar_entry_and_cancel(world):
    calendar = Calendar.objects.create(
        unit=world.group_a1_1,
        level=MeetingLevel.GROUP,
        month=date(2026, 3, 1),
        created_by=world.supervisor,
    )
    entry = CalendarEntry.objects.create(calendar=calendar, date=DAY, topic="话术演练")
    visit = svc.visit_plan(
        acting_user=world.district_manager, inspector=world.trainer, calendar_entry=entry
    )
    assert (visit.unit, visit.department, visit.district, visit.date) == (
        world.group_a1_1,
        world.dept_a1,
        world.district_a,
        DAY,
    )
    assert [e.visits_planned for e in sel.planning_entries(world.district_a, DAY)] == [[visit]]
    svc.visit_cancel(acting_user=world.district_admin, visit=visit, reason="改期")
    visit.refresh_from_db()
    assert visit.state == VisitState.CANCELLED and Visit.objects.count() == 1
    with pytest.raises(ConflictError):
        svc.visit_cancel(acting_user=world.district_manager, visit=visit)


def test_form_cannot_be_filled_before_the_visit(world, three_items):
    visit = plan(world, day=timezone.localdate() + timedelta(days=1))
    with pytest.raises(ValidationError):
        fill(world, visit, three_items, [5, 5, 5])


def test_inspector_must_inspect_the_district(world):
    with pytest.raises(ValidationError):
        plan(world, inspector=world.dept_manager)
    with pytest.raises(ValidationError):
        plan(world, inspector=world.outsider)
    assert set(sel.inspectors_for(world.district_a)) >= {
        world.district_manager,
        world.district_admin,
        world.trainer,
    }
    assert world.dept_manager not in sel.inspectors_for(world.district_a)
    assert world.admin not in sel.inspectors_for(world.district_a)


def test_issue_open_until_resolved_by_the_department(world, three_items):
    form = fill(
        world,
        plan(world),
        three_items,
        [1, 3, 4],
        issues=[{"description": "推迟十分钟开始", "item": three_items[0].pk}],
    )
    issue = form.issues.get()
    assert issue.is_open and issue.unit == world.dept_a1
    assert list(sel.issues_for(world.dept_manager)) == [issue]
    for refused in (world.agent_user, world.outsider, world.supervisor):
        with pytest.raises(PermissionDenied):
            svc.issue_resolve(acting_user=refused, issue=issue, resolution="x")
    with pytest.raises(ValidationError):
        svc.issue_resolve(acting_user=world.dept_manager, issue=issue, resolution=" ")
    svc.issue_resolve(acting_user=world.dept_manager, issue=issue, resolution="早会提前十分钟到场")
    issue.refresh_from_db()
    assert not issue.is_open and issue.resolved_by == world.dept_manager
    assert list(sel.issues_for(world.dept_manager)) == []
    with pytest.raises(ConflictError):
        svc.issue_resolve(acting_user=world.district_manager, issue=issue, resolution="again")
    assert issue.history.count() == 2


# -- scoping -------------------------------------------------------------------------------------
def test_department_cannot_inspect(world, three_items):
    with pytest.raises(PermissionDenied):
        plan(world, user=world.dept_manager)
    visit = plan(world)
    with pytest.raises(PermissionDenied):
        fill(world, visit, three_items, [5, 5, 5], user=world.dept_manager)
    with pytest.raises(PermissionDenied):
        svc.checklist_save(acting_user=world.dept_manager, district=world.district_a, items=[])


def test_who_reads_inspections(world, client):
    own = plan(world)
    other_dept = plan(world, unit=world.dept_a2)
    visits = Visit.objects.all()
    assert set(sel.readable(visits, world.district_manager)) == {own, other_dept}
    assert set(sel.readable(visits, world.dept_manager)) == {own}
    assert set(sel.readable(visits, world.outsider)) == set()
    assert set(sel.readable(visits, world.agent_user)) == set()

    client.force_login(world.dept_manager)
    assert client.get(reverse("meetings:inspection_visit", args=[own.pk])).status_code == 200
    response = client.get(reverse("meetings:inspection_visit", args=[other_dept.pk]))
    assert response.status_code == 404
    assert client.get(reverse("meetings:inspection_plan")).status_code == 403
    assert client.get(reverse("meetings:inspection_report")).status_code == 403
    client.force_login(world.outsider)
    assert client.get(reverse("meetings:inspection_visit", args=[own.pk])).status_code == 404
    response = client.get(reverse("meetings:inspection_list"))
    assert response.status_code == 200 and own not in response.context["page"]
    client.force_login(world.agent_user)
    assert client.get(reverse("meetings:inspection_list")).status_code == 403
    assert client.get(reverse("meetings:inspection_issues")).status_code == 403
    assert client.get(reverse("meetings:inspection_visit", args=[own.pk])).status_code == 404


# -- pages ---------------------------------------------------------------------------------------
def test_district_plans_fills_prints_and_exports_through_pages(world, client, three_items):
    client.force_login(world.district_manager)
    url = reverse("meetings:inspection_plan") + "?month=2026-03"
    response = client.post(
        url,
        {"unit": world.dept_a1.pk, "date": "2026-03-10", "inspector": world.trainer.pk},
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.inspector == world.trainer
    fill_url = reverse("meetings:inspection_fill", args=[visit.pk])
    assert client.get(fill_url).status_code == 200
    data = {f"rating-{i.pk}": r for i, r in zip(three_items, [5, 3, 4], strict=True)}
    data.update(
        {
            "issue-0": "主题准备不足",
            "issue-item-0": three_items[1].pk,
            "suggestions": "多演练",
            "version": visit.version,
        }
    )
    response = client.post(fill_url, data)
    assert response.status_code == 302
    form = AcceptanceForm.objects.get()
    assert form.total == 78 and form.filled_by == world.district_manager
    page = client.get(reverse("meetings:inspection_visit", args=[visit.pk]))
    assert "78.0" in page.content.decode()
    printed = client.get(reverse("meetings:inspection_print", args=[visit.pk])).content.decode()
    assert "营业部早会验收表" in printed and "主题准备不足" in printed
    excel = client.get(reverse("meetings:inspection_list_xlsx"))
    assert excel["Content-Type"].startswith("application/vnd.openxmlformats")
    report = client.get(reverse("meetings:inspection_report_xlsx") + "?start=2026-03-01")
    sheet = load_workbook(io.BytesIO(report.content))["各部得分"]
    assert [c.value for c in sheet[2]] == ["东一部", 1, 1, 78.0, 78.0, 78.0]
    issue = form.issues.get()
    resolve = reverse("meetings:inspection_issue_resolve", args=[issue.pk])
    client.force_login(world.assistant)
    assert (
        client.post(resolve, {"resolution": "已补充演练", "version": issue.version}).status_code
        == 302
    )
    assert not Issue.objects.get().is_open


def test_checklist_page_refuses_weights_not_summing_to_100(world, client):
    client.force_login(world.trainer)
    url = reverse("meetings:inspection_checklist")
    page = client.get(url)
    items = page.context["items"]
    data = {}
    for item in items:
        data.update({f"title-{item.pk}": item.title, f"weight-{item.pk}": item.weight})
        data[f"version-{item.pk}"] = item.version
        data[f"active-{item.pk}"] = "on"
    data.update({"title-new0": "新人介绍", "weight-new0": "5"})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "当前合计为105" in response.content.decode()
    data[f"weight-{items[0].pk}"] = 5  # 准时开始 10 → 5 makes room for the new item
    assert client.post(url, data).status_code == 302
    assert ChecklistItem.objects.filter(district=world.district_a, active=True).count() == 9


# -- report --------------------------------------------------------------------------------------
def test_report_figures_hand_worked(world, three_items):
    a, b, c = three_items
    first = fill(
        world,
        plan(world, day=date(2026, 3, 3)),
        three_items,
        [5, 3, 4],  # 78
        issues=[
            {"description": "推迟开始", "item": a.pk},
            {"description": "气氛沉闷", "item": c.pk},
        ],
    )
    fill(
        world,
        plan(world, day=date(2026, 3, 17)),
        three_items,
        [1, 2, 3],  # 2 + 8 + 42 = 52
        issues=[{"description": "又推迟开始", "item": a.pk}],
    )
    svc.issue_resolve(
        acting_user=world.dept_manager, issue=first.issues.get(item=a), resolution="提前到场"
    )
    svc.visit_cancel(acting_user=world.district_manager, visit=plan(world, day=date(2026, 3, 20)))
    plan(world, unit=world.dept_a2, day=date(2026, 3, 25))
    plan(world, day=date(2026, 4, 2))  # outside the month
    plan(world, unit=world.dept_b1, user=world.outsider, inspector=world.outsider)  # district B

    # Calendars of March, due 2026-02-25: A1's department calendar on time, A1-1's group one late.
    for unit, level, submitted in (
        (world.dept_a1, MeetingLevel.DEPARTMENT, datetime(2026, 2, 24, 10, 0)),
        (world.group_a1_1, MeetingLevel.GROUP, datetime(2026, 2, 27, 10, 0)),
    ):
        Calendar.objects.create(
            unit=unit,
            level=level,
            month=date(2026, 3, 1),
            state=CalendarState.SUBMITTED,
            submitted_at=timezone.make_aware(submitted),
            created_by=world.dept_manager,
        )
    meeting = Meeting.objects.create(
        unit=world.dept_a1,
        level=MeetingLevel.DEPARTMENT,
        date=date(2026, 3, 3),
        topic="业绩通报",
        recorded_by=world.dept_manager,
    )
    Feedback.objects.create(meeting=meeting, respondent=world.agent_user, well_prepared=True)
    Feedback.objects.create(meeting=meeting, respondent=world.supervisor, motivating=True)

    data = sel.report(world.district_a, date(2026, 3, 1), date(2026, 3, 31), today=DAY)
    visits = data["visits"]
    assert (visits["total"], visits["done"], visits["planned"], visits["cancelled"]) == (4, 2, 1, 1)
    assert visits["completion"] == 66.7  # 2 done of 3 not cancelled
    assert visits["average"] == 65  # (78 + 52) / 2
    rows = {row["department"]: row for row in data["departments"]}
    assert (rows[world.dept_a1]["visits"], rows[world.dept_a1]["done"]) == (2, 2)  # not cancelled
    assert (rows[world.dept_a1]["lowest"], rows[world.dept_a1]["highest"]) == (52, 78)
    assert rows[world.dept_a2]["visits"] == 1 and rows[world.dept_a2]["average"] is None
    items = {row["title"]: row for row in data["items"]}
    assert data["items"][0]["title"] == "准时开始"  # the most issues first
    assert (
        items["准时开始"]["issues"],
        items["准时开始"]["open"],
        items["准时开始"]["resolved"],
    ) == (
        2,
        1,
        1,
    )
    assert items["准时开始"]["average_rating"] == 3.0 and items["准时开始"]["low"] == 1
    assert items["主题质量"]["low"] == 1 and items["主题质量"]["issues"] == 0
    calendars = data["calendars"]
    assert calendars["deadline"] == date(2026, 2, 25)
    states = {row["department"]: row for row in calendars["rows"]}
    assert states[world.dept_a1]["state"] == "submitted"
    assert states[world.dept_a1]["groups"] == {
        "submitted": 0,
        "late": 1,
        "missing": 1,
        "pending": 0,
    }
    assert states[world.dept_a2]["state"] == "missing"
    assert data["feedback"]["forms"] == 2
    assert data["feedback"]["shares"]["well_prepared"] == 50.0


# -- query counts --------------------------------------------------------------------------------
def _many(world, items, n):
    start = Visit.objects.count()
    for k in range(start, start + n):
        visit = plan(
            world, unit=world.dept_a1 if k % 2 else world.dept_a2, day=date(2026, 3, 2 + k)
        )
        fill(world, visit, items, [k % 6, 3, 4], issues=[{"description": f"问题{k}", "item": None}])


PAGES = [
    ("meetings:inspection_list", "?month=2026-03"),
    ("meetings:inspection_report", "?start=2026-03-05"),
    ("meetings:inspection_issues", ""),
    ("meetings:inspection_plan", "?month=2026-03"),
]


def _page_queries(client) -> list[int]:
    counts = []
    for name, query in PAGES:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name) + query).status_code == 200
        counts.append(len(captured.captured_queries))
    return counts


def test_pages_query_counts_do_not_grow_with_visits(world, client, three_items):
    client.force_login(world.district_manager)
    _many(world, three_items, 2)
    few = _page_queries(client)
    _many(world, three_items, 8)
    assert _page_queries(client) == few
    assert max(few) <= 22  # ~8 of them are the base page's (session, scope, menu badges)


def test_report_is_a_fixed_number_of_queries(world, three_items, django_assert_num_queries):
    _many(world, three_items, 5)
    with django_assert_num_queries(9):
        sel.report(world.district_a, date(2026, 3, 1), date(2026, 3, 31), today=DAY)
    assert FormScore.objects.count() == 15


# -- demo ----------------------------------------------------------------------------------------
def test_demo_seeds_visits_forms_and_issues_once(world):
    from meetings.demo_parts import inspections as demo

    demo.seed(seed=1, log=lambda message: None)
    visits = Visit.objects.filter(district=world.district_a)
    # about two per department per month, over three months and the coming fortnight
    assert 10 <= visits.count() <= 16
    assert visits.filter(state=VisitState.DONE).count() >= 6
    assert Visit.objects.filter(district=world.district_b).exists()
    totals = list(AcceptanceForm.objects.values_list("total", flat=True))
    assert all(0 <= total <= 100 for total in totals) and len(set(totals)) > 1
    for form in AcceptanceForm.objects.all()[:3]:
        assert form.total == sum(s.points for s in form.scores.all())
    count = Visit.objects.count()
    demo.seed(seed=1, log=lambda message: None)
    assert Visit.objects.count() == count


def test_report_periods_are_weeks_and_months():
    assert sel.period_bounds("week", date(2026, 3, 11)) == (date(2026, 3, 9), date(2026, 3, 15))
    assert sel.period_bounds("month", date(2026, 2, 11)) == (date(2026, 2, 1), date(2026, 2, 28))


def test_group_meeting_visit_is_read_and_resolved_by_its_supervisor(world, three_items):
    visit = plan(world, unit=world.group_a1_1)
    assert visit.department == world.dept_a1
    form = fill(world, visit, three_items, [2, 2, 2], issues=[{"description": "二早无人主持"}])
    issue = form.issues.get()
    assert list(sel.readable(Visit.objects.all(), world.supervisor)) == [visit]
    assert list(sel.issues_for(world.dept_manager)) == [issue]
    svc.issue_resolve(acting_user=world.supervisor, issue=issue, resolution="主任轮值主持")
    assert not Issue.objects.get().is_open


@pytest.mark.parametrize(
    "bad",
    [
        {"present_count": "99999999999999999999"},
        {"issue-0": "主题准备不足", "issue-item-0": "abc"},
        {"version": "99999999999999999999"},
    ],
)
def test_filling_with_unreadable_numbers_is_refused_without_a_server_error(
    world, client, three_items, bad
):
    client.force_login(world.district_manager)
    visit = plan(world)
    data = {f"rating-{i.pk}": 4 for i in three_items} | {"version": visit.version} | bad
    response = client.post(reverse("meetings:inspection_fill", args=[visit.pk]), data)
    assert response.status_code in (200, 400)
    assert not AcceptanceForm.objects.exists()
