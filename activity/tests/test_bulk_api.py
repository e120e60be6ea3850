"""The assistant's bulk entry by API: all rows or nothing, errors per row."""

from datetime import date

from activity.models import LogState, WorkLog

DAY = date(2025, 3, 3)
URL = "/api/v1/activity/logs/bulk/"


def _payload(world, rows):
    return {"group": world.group_a1_1.pk, "date": DAY, "rows": rows}


def test_assistant_saves_a_groups_day(world, api_client, django_assert_max_num_queries):
    api_client.force_authenticate(world.assistant)
    rows = [
        {"agent": world.agent.pk, "first_visits": 2, "policies_closed": 1},
        {"agent": world.colleague.pk, "service_visits": 3},
    ]
    with django_assert_max_num_queries(20):
        response = api_client.post(URL, _payload(world, rows), format="json")
    assert response.status_code == 200, response.content
    assert response.data == {"saved": 2}
    log = WorkLog.objects.get(agent=world.agent, date=DAY)
    assert (log.points, log.state) == (16, LogState.SUBMITTED)
    assert log.history.get().history_user == world.assistant


def test_a_bad_row_writes_nothing_and_is_named(world, api_client):
    api_client.force_authenticate(world.assistant)
    rows = [
        {"agent": world.agent.pk, "first_visits": 2},
        {"agent": world.colleague.pk, "first_visits": -1},
    ]
    response = api_client.post(URL, _payload(world, rows), format="json")
    assert response.status_code == 400
    assert list(response.data["rows"]) == ["1"]
    assert "first_visits" in response.data["rows"]["1"]
    rows = [{"agent": world.agent.pk, "first_visits": 2}, {"agent": world.other_group_agent.pk}]
    response = api_client.post(URL, _payload(world, rows), format="json")
    assert response.status_code == 400 and list(response.data["rows"]) == ["1"]
    assert not WorkLog.objects.exists()


def test_only_record_work_logs_over_the_group(world, api_client):
    rows = [{"agent": world.agent.pk, "first_visits": 2}]
    for user, status in ((world.supervisor, 403), (world.agent_user, 404), (world.outsider, 404)):
        api_client.force_authenticate(user)
        assert api_client.post(URL, _payload(world, rows), format="json").status_code == status
    assert not WorkLog.objects.exists()
