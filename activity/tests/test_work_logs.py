"""Daily work logs: points from the scorecard, the agent's week, approval at 二早 (spec §4)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activity.models import LogState, Scorecard, WorkLog
from activity.selectors.logs import week_points
from activity.services.logs import worklog_approve, worklog_return, worklog_save
from conftest import make_agent
from notifications.models import Notification

MONDAY = date(2025, 3, 3)
# 3 new prospects (3), 2 first visits (6), 1 follow-up (2), 1 closing (5), 1 service (1),
# 1 recruiting talk (3), 1 policy (10) = 30 points with the default scorecard.
WORKED = {
    "new_prospects": 3,
    "first_visits": 2,
    "follow_up_visits": 1,
    "closing_visits": 1,
    "service_visits": 1,
    "recruiting_talks": 1,
    "accompanied_visits": 2,
    "policies_closed": 1,
    "meeting_notes": "早会：产品说明",
}


def _log(world, agent=None, day=MONDAY, submit=True, **data):
    return worklog_save(
        acting_user=world.agent_user if agent is None else world.assistant,
        agent=agent or world.agent,
        day=day,
        data={**WORKED, **data},
        submit=submit,
    )


def test_points_follow_the_default_scorecard(world):
    log = _log(world)
    assert log.points == 30
    assert log.visits == 6
    assert log.state == LogState.SUBMITTED


def test_points_follow_the_districts_own_scorecard(world):
    Scorecard.objects.create(district=world.district_a, first_visit=5, policy_closed=20)
    assert _log(world).points == 30 + 2 * 2 + 10


def test_agent_sees_week_points_against_target(world):
    _log(world)  # 30
    _log(world, day=MONDAY + timedelta(days=2), first_visits=0)  # 24
    _log(world, day=MONDAY + timedelta(days=7))  # next week: not counted
    week = week_points(world.agent, MONDAY + timedelta(days=4))
    assert (week["points"], week["target"], week["reached"]) == (54, 100, False)
    assert week["percent"] == 54


def test_future_day_cannot_be_filled(world):
    with pytest.raises(ValidationError):
        _log(world, day=timezone.localdate() + timedelta(days=1))


def test_agent_cannot_fill_a_colleagues_log(world):
    with pytest.raises(PermissionDenied):
        worklog_save(acting_user=world.agent_user, agent=world.colleague, day=MONDAY, data=WORKED)


def test_agent_fills_todays_log_on_the_phone_page(client, world):
    client.force_login(world.agent_user)
    page = client.get(reverse("activity:mine"))
    assert page.status_code == 200
    assert b'data-step="1"' in page.content
    response = client.post(reverse("activity:mine"), {**WORKED, "submit": "1", "tomorrow_plan": ""})
    assert response.status_code == 302
    log = WorkLog.objects.get(agent=world.agent, date=timezone.localdate())
    assert (log.state, log.points) == (LogState.SUBMITTED, 30)


def test_supervisor_approves_all_and_agent_is_locked_out(client, world):
    _log(world)
    _log(world, agent=world.colleague)
    client.force_login(world.supervisor)
    url = reverse("activity:review") + f"?group={world.group_a1_1.pk}&date={MONDAY}"
    page = client.get(url)
    assert page.status_code == 200
    assert "张三" in page.content.decode()
    client.post(reverse("activity:approve_all"), {"group": world.group_a1_1.pk, "date": MONDAY})
    logs = WorkLog.objects.filter(date=MONDAY)
    assert {log.state for log in logs} == {LogState.APPROVED}
    assert {log.reviewed_by for log in logs} == {world.supervisor}

    client.force_login(world.agent_user)
    response = client.post(reverse("activity:mine") + f"?date={MONDAY}", {**WORKED, "submit": "1"})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        _log(world, first_visits=9)


def test_assistant_corrects_an_approved_log_with_history(client, world):
    log = _log(world)
    worklog_approve(acting_user=world.supervisor, logs=[log])
    client.force_login(world.assistant)
    url = reverse("activity:log_edit", args=[world.agent.pk, MONDAY.isoformat()])
    log.refresh_from_db()
    response = client.post(url, {**WORKED, "first_visits": 0, "save": "1", "version": log.version})
    assert response.status_code == 302
    log.refresh_from_db()
    assert (log.state, log.first_visits, log.points) == (LogState.APPROVED, 0, 24)
    assert log.history.count() == 3
    assert log.history.first().history_user == world.assistant
    assert client.get(url).status_code == 200


def test_return_correct_and_resubmit(client, world, django_capture_on_commit_callbacks):
    log = _log(world)
    client.force_login(world.supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("activity:return_log", args=[log.pk]),
            {"group": world.group_a1_1.pk, "comment": "请写明拜访对象"},
        )
    log.refresh_from_db()
    assert (log.state, log.return_comment) == (LogState.RETURNED, "请写明拜访对象")
    assert Notification.objects.filter(recipient=world.agent_user).count() == 1

    log = _log(world, first_visits=3)  # the agent corrects and submits again
    assert (log.state, log.points) == (LogState.SUBMITTED, 33)
    worklog_approve(acting_user=world.supervisor, logs=[log])
    log.refresh_from_db()
    assert log.state == LogState.APPROVED
    assert log.return_comment == ""


def test_return_needs_a_comment(world):
    log = _log(world)
    with pytest.raises(ValidationError):
        worklog_return(acting_user=world.supervisor, log=log, comment=" ")


def test_supervisor_cannot_review_another_group(client, world):
    log = _log(world, agent=world.other_group_agent)
    with pytest.raises(PermissionDenied):
        worklog_approve(acting_user=world.supervisor, logs=[log])
    client.force_login(world.supervisor)
    response = client.get(reverse("activity:review") + f"?group={world.group_a1_2.pk}")
    assert response.status_code == 404


def test_assistant_and_agent_cannot_approve(world):
    log = _log(world)
    for user in (world.assistant, world.agent_user):
        with pytest.raises(PermissionDenied):
            worklog_approve(acting_user=user, logs=[log])


def test_outsider_cannot_open_another_districts_group(client, world):
    client.force_login(world.outsider)
    url = reverse("activity:review") + f"?group={world.group_a1_1.pk}"
    assert client.get(url).status_code == 404
    client.force_login(world.dept_manager)
    assert client.get(url).status_code == 200
    client.force_login(world.agent_user)
    assert client.get(reverse("activity:review")).status_code == 403


def test_supervisor_sees_the_groups_waiting_logs_in_tasks(world):
    from core.todo import tasks_for

    _log(world)
    titles = [task.title for task in tasks_for(world.supervisor)]
    assert any("东一部一组" in title for title in titles)


def test_review_page_query_count_does_not_grow_with_agents(client, world):
    def count(agents):
        for _ in range(agents):
            agent = make_agent(world.group_a1_1, world.rank_formal)
            WorkLog.objects.create(agent=agent, date=MONDAY, state=LogState.SUBMITTED)
        client.force_login(world.supervisor)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(
                reverse("activity:review") + f"?group={world.group_a1_1.pk}&date={MONDAY}"
            )
        assert response.status_code == 200
        return len(queries)

    assert count(10) == count(30)


def test_district_staff_edit_the_scorecard_and_new_logs_follow(client, world):
    client.force_login(world.supervisor)
    assert client.get(reverse("activity:scorecard")).status_code == 403
    client.force_login(world.district_admin)
    values = {
        "new_prospect": 1,
        "first_visit": 4,
        "follow_up_visit": 2,
        "closing_visit": 5,
        "service_visit": 1,
        "recruiting_talk": 3,
        "policy_closed": 10,
        "weekly_target": 120,
    }
    assert client.post(reverse("activity:scorecard"), values).status_code == 302
    assert Scorecard.objects.get(district=world.district_a).weekly_target == 120
    assert _log(world).points == 32
