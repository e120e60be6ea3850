"""附件5 weekly activity check of department 东一部, week of Mon 2025-03-03 (hand-worked).

Wed 03-05 is a holiday: 4 workdays (Mon, Tue, Thu, Fri).
Agents: 张三, 李四 (group 1); 王五, 孙新 hired Thu 03-06, 周离 resigned Tue 03-04 (group 2).
Agent-days: 4 + 4 + 4 + 2 + 2 = 16.
Logs on workdays (non-draft): 张三 4 (visits 10+2+2+3 = 17, points 80+6+6+9 = 101),
李四 Mon and Fri (service 1 each: visits 2; Tuesday's draft does not count), 孙新 Thu (no visit).
→ fill 7/16 = 0.4375, visits per agent per day 19/16 = 1.1875, activity 2 of 5 = 0.4,
attainment 1 of 5 agent-weeks (张三 101 ≥ 100) = 0.2.
Not filled: 李四 Tue, Thu; 王五 Mon, Tue, Thu, Fri; 孙新 Fri; 周离 Mon, Tue.
Accompanied visits: 张三 Tue 1 + 李四 Mon 2 = 3 (the draft's 5 do not count).
Prospect cards: 张三 holds 31 live (and 5 closed) → ≥30: 1, ≥60: 0, ≥100: 0.
"""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from activity.models import CheckState, LogState, ProspectCard, RecruitCard, WeeklyCheck, WorkLog
from activity.selectors.weekly_checks import weekly_figures
from activity.services.weekly_checks import weekly_check_comment, weekly_check_save
from activity.todo import weekly_checks_to_comment
from attendance.models import AttendanceRecord
from conftest import make_agent
from workcalendar.models import CalendarDay

MON = date(2025, 3, 3)
API = "/api/v1/activity/weekly-checks/"


def _day(n):
    return MON + timedelta(days=n)


def _url(world, suffix=""):
    return f"/activity/weekly/{world.dept_a1.pk}/{MON.isoformat()}/{suffix}"


@pytest.fixture
def week(world):
    CalendarDay.objects.create(district=world.district_a, date=_day(2), is_workday=False)
    world.sun = make_agent(world.group_a1_2, world.rank_probation, name="孙新", hire_date=_day(3))
    world.zhou = make_agent(
        world.group_a1_2, world.rank_formal, name="周离", status="resigned", resigned_on=_day(1)
    )
    submitted = LogState.SUBMITTED
    rows = [
        (world.agent, 0, {"first_visits": 10, "policies_closed": 5}, submitted),
        (world.agent, 1, {"first_visits": 2, "accompanied_visits": 1}, LogState.APPROVED),
        (world.agent, 3, {"first_visits": 2}, submitted),
        (world.agent, 4, {"first_visits": 3}, LogState.RETURNED),
        (world.colleague, 0, {"service_visits": 1, "accompanied_visits": 2}, submitted),
        (world.colleague, 1, {"first_visits": 4, "accompanied_visits": 5}, LogState.DRAFT),
        (world.colleague, 4, {"service_visits": 1}, submitted),
        (world.sun, 3, {"new_prospects": 1}, submitted),
        (world.other_dept_agent, 0, {"first_visits": 9}, submitted),  # another department
    ]
    for agent, offset, data, state in rows:
        WorkLog.objects.create(agent=agent, date=_day(offset), state=state, **data)
    ProspectCard.objects.bulk_create(
        [ProspectCard(agent=world.agent, name=f"客户{n}") for n in range(31)]
        + [ProspectCard(agent=world.agent, name=f"成交{n}", stage="closed") for n in range(5)]
    )
    RecruitCard.objects.create(agent=world.colleague, name="候选甲", last_contact_on=_day(1))
    RecruitCard.objects.create(agent=world.colleague, name="候选乙", stage="talked")
    return world


def test_figures_are_hand_worked(week):
    data = weekly_figures(week.dept_a1, MON)
    assert data["workdays"] == ["2025-03-03", "2025-03-04", "2025-03-06", "2025-03-07"]
    assert data["figures"] == {
        "active_agents": 5,
        "agent_days": 16,
        "logs": 7,
        "visits": 19,
        "fill_rate": 0.4375,
        "visits_per_agent_day": 1.1875,
        "activity_rate": 0.4,
        "attainment": 0.2,
    }
    assert [(row["name"], row["days"]) for row in data["missing"]] == [
        ("李四", ["2025-03-04", "2025-03-06"]),
        ("王五", ["2025-03-03", "2025-03-04", "2025-03-06", "2025-03-07"]),
        ("孙新", ["2025-03-07"]),
        ("周离", ["2025-03-03", "2025-03-04"]),
    ]
    assert data["accompanied_visits"] == 3
    assert data["prospect_thresholds"] == {"30": 1, "60": 0, "100": 0}
    assert data["recruit_cards"]["total"] == 2
    assert data["recruit_cards"]["by_stage"] == {"new": 1, "talked": 1}
    assert data["recruit_cards"]["contacted_in_week"] == 1
    assert [g["name"] for g in data["groups"]] == ["东一部一组", "东一部二组"]
    assert data["groups"][0]["fill_rate"] == round(6 / 8, 4)


def test_no_attendance_data_is_said_never_a_number(week, client):
    data = weekly_figures(week.dept_a1, MON)
    assert data["attendance"] == {"has_data": False, "rate": None, "required": 16, "attended": "0"}
    client.force_login(week.dept_manager)
    page = client.get(_url(week)).content.decode()
    assert "无出勤数据" in page


def test_attendance_rate_comes_from_the_attendance_module(week):
    AttendanceRecord.objects.create(agent=week.agent, date=MON, status="present", source="import")
    AttendanceRecord.objects.create(agent=week.colleague, date=MON, status="late", source="import")
    attendance = weekly_figures(week.dept_a1, MON)["attendance"]
    assert (attendance["has_data"], attendance["rate"]) == (True, "12.5")  # 2 of 16


def test_department_fills_and_submits_district_comments(week, client):
    client.force_login(week.assistant)
    response = client.post(
        _url(week),
        {
            "action": "save",
            "morning_meeting": "早会按流程进行",
            "second_meeting": "各组二早正常",
            "work_element_table": "已填写",
            "evening_meeting": "周五夕会",
            "measures": "王五每日跟进",
        },
    )
    assert response.status_code == 302
    check = WeeklyCheck.objects.get(department=week.dept_a1, week_start=MON)
    assert (check.state, check.snapshot, check.filled_by) == ("draft", None, week.assistant)
    assert (
        client.post(
            _url(week), {"action": "submit", "measures": "王五每日跟进", "version": check.version}
        ).status_code
        == 302
    )
    check.refresh_from_db()
    assert check.state == CheckState.SUBMITTED
    assert check.snapshot["figures"]["logs"] == 7
    assert check.morning_meeting == ""  # the form sent an empty status: it is what was written
    # The district gets a task; the department's own staff do not.
    assert len(weekly_checks_to_comment(week.district_manager)) == 1
    assert weekly_checks_to_comment(week.dept_manager) == []
    # A late log does not move the submitted record.
    WorkLog.objects.create(agent=week.other_group_agent, date=MON, state=LogState.SUBMITTED)
    client.force_login(week.district_manager)
    page = client.get(_url(week)).content.decode()
    assert "数据为提交时" in page
    assert "王五" in page and "03-03" in page
    assert weekly_figures(week.dept_a1, MON)["figures"]["logs"] == 8
    # The department cannot change it any more, nor comment.
    client.force_login(week.dept_manager)
    assert "weekly-form" not in client.get(_url(week)).content.decode()
    response = client.post(_url(week), {"action": "comment", "comment": "好"})
    assert response.status_code == 403
    # The district checks it.
    client.force_login(week.district_manager)
    response = client.post(_url(week), {"action": "comment", "comment": "王五需改进"})
    assert response.status_code == 302
    check.refresh_from_db()
    assert (check.state, check.checked_by, check.comment) == (
        "checked",
        week.district_manager,
        "王五需改进",
    )
    assert check.checked_at is not None
    assert weekly_checks_to_comment(week.district_manager) == []
    assert [h.history_change_reason for h in check.history.order_by("history_id")] == [
        None,
        "save",
        "submit",
        "check",
    ]


def test_list_shows_missing_submitted_and_checked(week, client):
    weekly_check_save(
        acting_user=week.dept_manager, department=week.dept_a1, week_start=MON, data={}, submit=True
    )
    client.force_login(week.district_admin)
    page = client.get(f"/activity/weekly/?week={MON.isoformat()}").content.decode()
    assert "东一部" in page and "东二部" in page and "西一部" not in page
    assert ">未提交</span>" in page and ">已提交</span>" in page


def test_access_is_refused_outside_the_scope(week, client, api_client):
    check = weekly_check_save(
        acting_user=week.dept_manager, department=week.dept_a1, week_start=MON, data={}, submit=True
    )
    for user in (week.outsider, week.agent_user, week.supervisor):
        client.force_login(user)
        assert client.get(_url(week)).status_code == 404
        api_client.force_authenticate(user)
        assert api_client.get(f"{API}{check.pk}/").status_code == 404
        assert api_client.post(f"{API}{check.pk}/comment/", {"comment": "x"}).status_code == 404
    with pytest.raises(PermissionDenied):
        weekly_check_comment(acting_user=week.outsider, check=check, comment="x")
    client.force_login(week.outsider)
    assert "东一部" not in client.get(f"/activity/weekly/?week={MON.isoformat()}").content.decode()


def test_api_fill_submit_comment(week, api_client):
    api_client.force_authenticate(week.assistant)
    response = api_client.post(
        API,
        {"department": week.dept_a1.pk, "week_start": MON, "measures": "加强陪访"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert (response.data["state"], response.data["frozen"]) == ("draft", False)
    assert response.data["figures"]["figures"]["fill_rate"] == 0.4375
    pk = response.data["id"]
    seen = {"version": response.data["version"]}
    assert api_client.post(f"{API}{pk}/submit/").status_code == 428  # the version seen is required
    response = api_client.post(f"{API}{pk}/submit/", seen, format="json")
    assert (response.data["state"], response.data["frozen"]) == ("submitted", True)
    again = {"version": response.data["version"]}
    assert api_client.post(f"{API}{pk}/submit/", again, format="json").status_code == 409
    assert api_client.post(f"{API}{pk}/comment/", {"comment": "好"}).status_code == 403
    api_client.force_authenticate(week.district_admin)
    assert api_client.post(f"{API}{pk}/comment/", {"comment": ""}).status_code == 400
    response = api_client.post(f"{API}{pk}/comment/", {"comment": "已检查"})
    assert response.data["state"] == "checked"
    listed = api_client.get(API, {"week": MON.isoformat()}).data["results"]
    assert [row["id"] for row in listed] == [pk]
    api_client.force_authenticate(week.outsider)
    assert api_client.get(API).data["results"] == []


def test_a_week_must_start_on_monday_and_not_be_in_the_future(week, api_client):
    api_client.force_authenticate(week.dept_manager)
    response = api_client.post(
        API, {"department": week.dept_a1.pk, "week_start": _day(1)}, format="json"
    )
    assert response.status_code == 400
    response = api_client.post(
        API, {"department": week.dept_a1.pk, "week_start": date(2099, 1, 5)}, format="json"
    )
    assert response.status_code == 400


def test_print_and_excel(week, client):
    weekly_check_save(
        acting_user=week.dept_manager,
        department=week.dept_a1,
        week_start=MON,
        data={"measures": "每日跟进"},
        submit=True,
    )
    client.force_login(week.district_manager)
    page = client.get(_url(week, "print/")).content.decode()
    assert "活动量管理检查记录表" in page and "每日跟进" in page and "王五" in page
    response = client.get(_url(week, "xlsx/"))
    sheet = load_workbook(__import__("io").BytesIO(response.content)).active
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=3, values_only=True)}
    # 日志填写率 is a column of the figures table (附件5 on core.paperforms): the department's
    # total row holds it as a number shown as a percentage.
    assert [c.value for c in sheet[find_row_number(sheet, "营业组")]][2] == "日志填写率"
    total = sheet[find_row_number(sheet, "合计")]
    assert (total[2].value, total[2].number_format) == (0.4375, "0.0%")  # shown 43.8%
    assert values["主管陪访"] == 3
    assert "王五" in values["未填写工作日志人员"]
    assert values["改进措施"] == "每日跟进"


def find_row_number(sheet, first):
    return next(row[0].row for row in sheet.iter_rows() if row[0].value == first)


def test_page_queries_do_not_grow_with_agents_or_logs(week, client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(week.district_manager)
    with CaptureQueriesContext(connection) as first:
        assert client.get(_url(week)).status_code == 200
    for n in range(10):
        agent = make_agent(week.group_a1_2, week.rank_formal)
        for offset in (0, 1, 3):
            WorkLog.objects.create(agent=agent, date=_day(offset), state=LogState.SUBMITTED)
        ProspectCard.objects.create(agent=agent, name=f"x{n}")
    with django_assert_max_num_queries(len(first)):
        client.get(_url(week))
    assert len(first) <= 40


def test_whoever_filled_the_record_cannot_check_it(week):
    check = weekly_check_save(
        acting_user=week.district_manager,
        department=week.dept_a1,
        week_start=MON,
        data={},
        submit=True,
    )
    with pytest.raises(ValidationError) as refused:
        weekly_check_comment(acting_user=week.district_manager, check=check, comment="好")
    assert "须由营业区其他人员核查" in str(refused.value)
    check = weekly_check_comment(acting_user=week.district_admin, check=check, comment="好")
    assert (check.state, check.checked_by) == (CheckState.CHECKED, week.district_admin)


def test_weekly_checks_link_only_for_whole_departments_and_above(week, client):
    link = 'href="/activity/weekly/"'
    for user, shown in (
        (week.district_manager, True),
        (week.dept_manager, True),
        (week.supervisor, False),  # a group only: the list would refuse them
    ):
        client.force_login(user)
        assert (link in client.get("/activity/dashboard/").content.decode()) is shown, user
    client.force_login(week.supervisor)
    assert client.get("/activity/weekly/").status_code == 403
