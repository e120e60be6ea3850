"""附件6 业务员工作日志检查表, worked by hand.

Department 东一部, week of Mon 2025-03-03 (no holiday: 5 workdays), default scorecard
(prospect 1, first visit 3, follow-up 2, closing 5, service 1, policy 10; target 100).
Agents: 张三 and 李四 (一组), 王五 (二组). Five logs:
- 张三 Mon: 2 prospects, 3 first + 1 follow-up visits, notes, approved Tue 09:00 → 13 points;
- 张三 Tue: 1 prospect, 2 closing visits, 8 policies, no notes, submitted → 91 points;
- 张三 Sat: 1 first visit, submitted → 3 points (a weekend: counts for the points only);
- 李四 Mon: 3 prospects, 2 service visits, notes, approved Wed 08:30 → 5 points;
- 李四 Wed: a draft with 4 first visits → counts for nothing.
王五 filled nothing.

张三: prospects 3, visits 6, points 107 ≥ 100 reached, notes 1/2, approved 1/2 (03-04 09:00).
李四: prospects 3, visits 2, points 5 not reached, notes 1/1, approved 1/1 (03-05 08:30).
王五: all 0, 0 logs of 5 workdays.
Totals: prospects 6, visits 8, points 112, 1 of 3 reached, notes 2/3, approved 2/3 (03-05 08:30).

The month of March 2025 (21 workdays; the weeks of Mar 3, 10, 17, 24 and 31 each have a
workday in March): 张三 on target 1 of 5 weeks, the same log figures.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from activity.models import LogState, WorkLog
from activity.selectors.log_checks import MONTH, WEEK, log_check
from conftest import make_agent

MON = date(2025, 3, 3)
TODAY = date(2025, 4, 15)
SHANGHAI = ZoneInfo("Asia/Shanghai")
API = "/api/v1/activity/log-checks/"


def _day(n):
    return MON + timedelta(days=n)


@pytest.fixture
def logs(world):
    def log(agent, offset, state=LogState.SUBMITTED, reviewed=None, **data):
        return WorkLog.objects.create(
            agent=agent,
            date=_day(offset),
            state=state,
            reviewed_by=world.supervisor if reviewed else None,
            reviewed_at=reviewed,
            **data,
        )

    approved = LogState.APPROVED
    log(world.agent, 0, approved, datetime(2025, 3, 4, 9, 0, tzinfo=SHANGHAI),
        new_prospects=2, first_visits=3, follow_up_visits=1, meeting_notes="早会要点")  # fmt: skip
    log(world.agent, 1, new_prospects=1, closing_visits=2, policies_closed=8)
    log(world.agent, 5, first_visits=1)
    log(world.colleague, 0, approved, datetime(2025, 3, 5, 8, 30, tzinfo=SHANGHAI),
        new_prospects=3, service_visits=2, meeting_notes="记录")  # fmt: skip
    log(world.colleague, 2, LogState.DRAFT, first_visits=4)
    return world


def _figures(row):
    return (
        row.name,
        row.group,
        row.workdays,
        row.logs,
        row.prospects,
        row.visits,
        row.points,
        row.weeks_on_target,
        row.weeks,
        row.reached,
        row.with_notes,
        row.approved,
        row.last_approved_at,
    )


def test_week_of_a_department_by_hand(logs):
    check = log_check(logs.dept_a1, WEEK, _day(3), today=TODAY)
    assert (check.period, check.start, check.end, check.through, check.target) == (
        WEEK, MON, _day(6), _day(6), 100,
    )  # fmt: skip
    tuesday = datetime(2025, 3, 4, 9, 0, tzinfo=SHANGHAI)
    wednesday = datetime(2025, 3, 5, 8, 30, tzinfo=SHANGHAI)
    assert [_figures(row) for row in check.rows] == [
        ("张三", "东一部一组", 5, 2, 3, 6, 107, 1, 1, True, 1, 1, tuesday),
        ("李四", "东一部一组", 5, 1, 3, 2, 5, 0, 1, False, 1, 1, wednesday),
        ("王五", "东一部二组", 5, 0, 0, 0, 0, 0, 1, False, 0, 0, None),
    ]
    total = check.total
    assert (total.workdays, total.logs, total.prospects, total.visits, total.points) == (
        15, 3, 6, 8, 112,
    )  # fmt: skip
    assert (total.weeks_on_target, total.weeks, total.with_notes, total.approved) == (1, 3, 2, 2)
    assert total.last_approved_at == wednesday


def test_month_of_a_group_counts_the_weeks_on_target(logs):
    check = log_check(logs.group_a1_1, MONTH, date(2025, 3, 20), today=TODAY)
    assert (check.start, check.end) == (date(2025, 3, 1), date(2025, 3, 31))
    zhang, li = check.rows
    assert (zhang.name, zhang.workdays, zhang.logs, zhang.prospects, zhang.visits) == (
        "张三", 21, 2, 3, 6,
    )  # fmt: skip
    assert (zhang.points, zhang.weeks_on_target, zhang.weeks, zhang.reached) == (107, 1, 5, False)
    assert (li.name, li.weeks_on_target, li.weeks) == ("李四", 0, 5)
    assert (check.total.weeks_on_target, check.total.weeks) == (1, 10)


def test_a_resigned_agent_is_a_row_for_the_days_they_were_active(logs):
    gone = make_agent(
        logs.group_a1_2, logs.rank_formal, name="周离", status="resigned", resigned_on=_day(1)
    )
    WorkLog.objects.create(agent=gone, date=_day(8), state=LogState.SUBMITTED, first_visits=9)
    rows = {row.name: row for row in log_check(logs.dept_a1, WEEK, MON, today=TODAY).rows}
    assert (rows["周离"].workdays, rows["周离"].visits) == (2, 0)
    later = log_check(logs.dept_a1, WEEK, _day(7), today=TODAY)
    assert "周离" not in {row.name for row in later.rows}


def test_the_period_ends_today(logs):
    check = log_check(logs.dept_a1, WEEK, MON, today=_day(1))
    assert check.through == _day(1)
    assert [row.workdays for row in check.rows] == [2, 2, 2]
    assert log_check(logs.dept_a1, WEEK, MON, today=_day(-1)).rows == []


def test_queries_do_not_grow_with_agents(logs, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        log_check(logs.dept_a1, MONTH, MON, today=TODAY)
    for n in range(12):
        agent = make_agent(logs.group_a1_2, logs.rank_formal)
        for offset in (0, 1, 3, 7):
            WorkLog.objects.create(
                agent=agent, date=_day(offset), state=LogState.APPROVED, first_visits=n,
                meeting_notes="x", reviewed_at=datetime(2025, 3, 12, tzinfo=SHANGHAI),
            )  # fmt: skip
    with django_assert_max_num_queries(len(first)):
        check = log_check(logs.dept_a1, MONTH, MON, today=TODAY)
    assert len(check.rows) == 15
    assert len(first) <= 12


def test_page_shows_the_table_and_is_linked(client, logs):
    client.force_login(logs.dept_manager)
    url = reverse("activity:log_check")
    page = client.get(url, {"unit": logs.dept_a1.pk, "week": "2025-03-05"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "业务员工作日志检查表" in html and "张三" in html and "准主顾数" in html
    assert [row.name for row in page.context["check"].rows] == ["张三", "李四", "王五"]
    assert 'id="log-check-total"' in html
    assert "1/3 人达标" in html and "合计（3 人）" in html and "统计至 2025-03-09" in html
    assert "2/3" in html  # 早会记录 of the totals
    assert url in client.get(reverse("activity:dashboard")).content.decode()
    month = client.get(url, {"unit": logs.group_a1_1.pk, "month": "2025-03"})
    assert month.status_code == 200 and month.context["is_month"]
    assert "1/5 周达标" in month.content.decode()
    assert client.get(url, {"unit": logs.dept_a1.pk, "week": "2025-13-01"}).status_code == 400


def test_outsiders_are_refused_on_the_page_and_the_api(client, api_client, logs):
    url = reverse("activity:log_check")
    client.force_login(logs.outsider)
    assert client.get(url, {"unit": logs.dept_a1.pk}).status_code == 404
    client.force_login(logs.agent_user)
    assert client.get(url).status_code == 403
    client.force_login(logs.supervisor)  # group 一组 only
    assert client.get(url, {"unit": logs.dept_a1.pk}).status_code == 404
    assert client.get(url, {"unit": logs.group_a1_1.pk}).status_code == 200
    api_client.force_authenticate(logs.outsider)
    assert api_client.get(API, {"unit": logs.dept_a1.pk}).status_code == 404
    api_client.force_authenticate(logs.agent_user)
    assert api_client.get(API, {"unit": logs.group_a1_1.pk}).status_code == 404


def test_api_returns_the_same_rows(api_client, logs):
    api_client.force_authenticate(logs.district_manager)
    response = api_client.get(API, {"unit": logs.dept_a1.pk, "week": "2025-03-03"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["period"], data["start"], data["end"], data["target"]) == (
        "week", "2025-03-03", "2025-03-09", 100,
    )  # fmt: skip
    zhang = data["rows"][0]
    assert (zhang["name"], zhang["group_name"], zhang["prospects"], zhang["visits"]) == (
        "张三", "东一部一组", 3, 6,
    )  # fmt: skip
    assert (zhang["points"], zhang["reached"], zhang["with_notes"], zhang["logs"]) == (
        107, True, 1, 2,
    )  # fmt: skip
    assert zhang["last_approved_at"].startswith("2025-03-04T09:00:00")
    assert (data["total"]["visits"], data["total"]["approved"]) == (8, 2)
    month = api_client.get(API, {"unit": logs.dept_a1.pk, "month": "2025-03"}).json()
    assert (month["period"], month["total"]["weeks"]) == ("month", 15)
    assert api_client.get(API, {"unit": logs.agent.pk}).status_code in (400, 404)
    assert api_client.get(API).status_code == 400


def test_api_is_in_the_schema(client, world):
    client.force_login(world.district_admin)
    assert "/api/v1/activity/log-checks/" in client.get("/api/schema/").content.decode()
