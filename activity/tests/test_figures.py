"""Hand-worked §4 figures: a week with a holiday, a new hire mid-week and a resigned agent.

Group A1-2, week of Mon 2025-03-03; Wed 03-05 is a holiday, so 4 workdays.
王五 active 4 days, 孙新 hired Thu (2 days), 周离 resigned Tue (2 days): 8 agent-days.
Logs on workdays: 王五 4 (visits 3+2+0+3), 孙新 1 (visits 1; Friday's draft does not count),
周离 1 (no visits) → fill 6/8, visits 9/8, activity 2/3 agents.
Week points: 王五 18+10+15 (holiday log)+50+9 = 102 ≥ 100, others below → attainment 1/3.
"""

from datetime import date, timedelta

from django.urls import reverse

from activity.models import LogState, WorkLog
from activity.selectors.figures import daily_series, figures, unit_figures
from conftest import make_agent
from workcalendar.models import CalendarDay

MON = date(2025, 3, 3)


def _day(n):
    return MON + timedelta(days=n)


def _week(world):
    CalendarDay.objects.create(district=world.district_a, date=_day(2), is_workday=False)
    wang = world.other_group_agent
    sun = make_agent(world.group_a1_2, world.rank_probation, name="孙新", hire_date=_day(3))
    zhou = make_agent(
        world.group_a1_2, world.rank_formal, name="周离", status="resigned", resigned_on=_day(1)
    )
    rows = [
        (wang, 0, {"first_visits": 2, "follow_up_visits": 1, "policies_closed": 1}),
        (wang, 1, {"closing_visits": 2}),
        (wang, 2, {"first_visits": 5}),
        (wang, 3, {"policies_closed": 5}),
        (wang, 4, {"first_visits": 3}),
        (sun, 3, {"first_visits": 1}),
        (zhou, 0, {"new_prospects": 2}),
    ]
    for agent, offset, data in rows:
        WorkLog.objects.create(agent=agent, date=_day(offset), state=LogState.SUBMITTED, **data)
    WorkLog.objects.create(agent=sun, date=_day(4), first_visits=4)  # a draft
    return wang, sun, zhou


def test_group_week_figures_by_hand(world):
    wang, _sun, _zhou = _week(world)
    assert WorkLog.objects.get(agent=wang, date=MON).points == 18
    f = unit_figures(world.group_a1_2, MON, _day(6))
    assert (f.agent_days, f.logs, f.visits) == (8, 6, 9)
    assert f.fill_rate == 0.75
    assert f.visits_per_agent_day == 9 / 8
    assert f.activity_rate == 2 / 3
    assert f.attainment == 1 / 3


def test_figures_per_agent_and_per_group(world):
    wang, sun, zhou = _week(world)
    per_agent = figures(world.group_a1_2, MON, _day(6), by="pk")
    assert per_agent[wang.pk].fill_rate == 1
    assert per_agent[sun.pk].fill_rate == 0.5
    assert per_agent[zhou.pk].activity_rate == 0
    per_group = figures(world.dept_a1, MON, _day(6), by="group_id")
    assert per_group[world.group_a1_2.pk].logs == 6
    assert per_group[world.group_a1_1.pk].agent_days == 8  # 张三 and 李四, no logs
    assert per_group[world.group_a1_1.pk].fill_rate == 0
    district = unit_figures(world.district_a, MON, _day(6))
    assert district.logs == 6
    assert district.agent_days == 8 + 8 + 4


def test_daily_series_skips_the_holiday(world):
    _week(world)
    series = daily_series(world.group_a1_2, MON, _day(4))
    assert [row["date"] for row in series] == [str(_day(n)) for n in (0, 1, 3, 4)]
    assert series[0]["fill_rate"] == 1.0  # 王五 and 周离 of 2 active
    assert series[2]["fill_rate"] == 1.0  # 王五 and 孙新 of 2 active (周离 gone)
    assert series[3]["fill_rate"] == 0.5  # 孙新's draft does not count


def test_dashboard_shows_figures_and_ranking(client, world):
    from django.urls import reverse

    _week(world)
    client.force_login(world.dept_manager)
    url = reverse("activity:dashboard") + f"?unit={world.dept_a1.pk}&start={MON}&end={_day(6)}"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "activity-series" in html and "group-ranking" in html
    assert "75.0%" in html  # group A1-2's fill rate
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404


def test_dashboard_query_count_does_not_grow_with_agents(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    def count(agents):
        for n in range(agents):
            agent = make_agent(
                world.group_a1_1, world.rank_formal, hire_date=date(2024, 1, 1 + n % 28)
            )
            WorkLog.objects.create(agent=agent, date=MON, state=LogState.SUBMITTED, first_visits=1)
        client.force_login(world.district_manager)
        url = (
            reverse("activity:dashboard") + f"?unit={world.district_a.pk}&start={MON}&end={_day(6)}"
        )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert count(10) == count(30)


def test_figures_api_per_group_and_scope(api_client, world):
    _week(world)
    url = f"/api/v1/activity/figures/?unit={world.dept_a1.pk}&start={MON}&end={_day(6)}&by=group"
    api_client.force_authenticate(world.dept_manager)
    rows = {row["key"]: row for row in api_client.get(url).data}
    assert rows[world.group_a1_2.pk]["fill_rate"] == 0.75
    api_client.force_authenticate(world.supervisor)  # group A1-1 only: A1-2's unit is hidden
    url = f"/api/v1/activity/figures/?unit={world.group_a1_2.pk}&start={MON}&end={_day(6)}"
    assert api_client.get(url).status_code == 404
    api_client.force_authenticate(world.outsider)
    assert api_client.get(url).status_code == 404


def test_unit_figures_are_the_sum_of_its_groups(world):
    """The dashboard adds the groups' figures up instead of a second pass over the logs."""
    from activity.selectors.figures import Figures

    _week(world)
    WorkLog.objects.create(agent=world.agent, date=MON, first_visits=1, state=LogState.SUBMITTED)
    total = Figures()
    for item in figures(world.dept_a1, MON, _day(6), by="group_id").values():
        total.add(item)
    assert total == unit_figures(world.dept_a1, MON, _day(6))


def test_a_draft_log_adds_no_points_on_the_agent_page_nor_the_dashboard(world, client):
    """One definition of the week's points (activity.selectors.logs.counted_logs): drafts do not
    count, on the agent's own page and in the dashboard's scorecard attainment alike."""
    agent = world.agent
    WorkLog.objects.create(agent=agent, date=MON, state=LogState.SUBMITTED, first_visits=10)
    draft = WorkLog.objects.create(agent=agent, date=_day(1), policies_closed=10)  # a draft
    assert draft.state == LogState.DRAFT and draft.points >= 100

    client.force_login(world.agent_user)
    page = client.get(reverse("activity:mine") + f"?date={_day(2).isoformat()}")
    assert page.status_code == 200
    assert page.context["week"]["points"] == 30
    assert page.context["week"]["reached"] is False

    client.force_login(world.dept_manager)
    query = f"?unit={world.group_a1_1.pk}&start={MON.isoformat()}&end={_day(6).isoformat()}"
    page = client.get(reverse("activity:dashboard") + query)
    assert page.status_code == 200
    assert page.context["total"].weeks_on_target == 0
    assert not page.context["total"].attainment

    draft.state = LogState.SUBMITTED
    draft.save()
    page = client.get(reverse("activity:dashboard") + query)
    assert page.context["total"].weeks_on_target == 1
