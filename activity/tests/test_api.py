"""The work log API: same rules and scope as the pages."""

from datetime import date

from activity.models import LogState, WorkLog

MONDAY = date(2025, 3, 3)
URL = "/api/v1/activity/logs/"


def test_agent_creates_own_log_and_sees_only_own(api_client, world):
    WorkLog.objects.create(agent=world.colleague, date=MONDAY)
    api_client.force_authenticate(world.agent_user)
    response = api_client.post(
        URL, {"date": MONDAY, "first_visits": 2, "submit": True}, format="json"
    )
    assert response.status_code == 200, response.content
    assert (response.data["points"], response.data["state"]) == (6, "submitted")
    listed = api_client.get(URL).data["results"]
    assert [row["agent"] for row in listed] == [world.agent.pk]


def test_agent_cannot_write_a_colleagues_log(api_client, world):
    api_client.force_authenticate(world.agent_user)
    response = api_client.post(URL, {"agent": world.colleague.pk, "date": MONDAY}, format="json")
    assert response.status_code == 404


def test_supervisor_returns_and_approves_by_api(api_client, world):
    log = WorkLog.objects.create(agent=world.agent, date=MONDAY, state=LogState.SUBMITTED)
    api_client.force_authenticate(world.agent_user)
    assert api_client.post(f"{URL}{log.pk}/approve/").status_code == 403
    api_client.force_authenticate(world.supervisor)
    response = api_client.post(f"{URL}{log.pk}/return/", {"comment": "补充"}, format="json")
    assert response.data["state"] == "returned"
    api_client.force_authenticate(world.agent_user)
    etag = api_client.get(f"{URL}{log.pk}/")["ETag"]
    response = api_client.patch(
        f"{URL}{log.pk}/", {"submit": True}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.data["state"] == "submitted"
    api_client.force_authenticate(world.supervisor)
    assert api_client.post(f"{URL}{log.pk}/approve/").data["state"] == "approved"


def test_outsider_does_not_see_the_log(api_client, world):
    log = WorkLog.objects.create(agent=world.agent, date=MONDAY, state=LogState.SUBMITTED)
    api_client.force_authenticate(world.outsider)
    assert api_client.get(f"{URL}{log.pk}/").status_code == 404


def test_scorecard_is_edited_by_district_staff_only(api_client, world):
    url = f"/api/v1/activity/scorecards/{world.district_a.pk}/"
    api_client.force_authenticate(world.supervisor)
    read = api_client.get(url)
    assert read.data["weekly_target"] == 100
    etag = read["ETag"]
    assert (
        api_client.patch(url, {"weekly_target": 120}, format="json", HTTP_IF_MATCH=etag).status_code
        == 403
    )
    api_client.force_authenticate(world.district_admin)
    assert (
        api_client.patch(url, {"weekly_target": 120}, format="json", HTTP_IF_MATCH=etag).status_code
        == 200
    )
    api_client.force_authenticate(world.outsider)
    assert api_client.get(url).status_code == 404


def test_posting_a_days_log_that_someone_created_meanwhile_needs_its_version(api_client, world):
    """The create-or-edit POST without a version means "I saw no log": it never overwrites one."""
    api_client.force_authenticate(world.agent_user)
    first = api_client.post(URL, {"date": MONDAY, "first_visits": 2}, format="json")
    assert first.status_code == 200, first.content
    blind = api_client.post(URL, {"date": MONDAY, "first_visits": 5}, format="json")
    assert blind.status_code == 409
    assert WorkLog.objects.get(agent=world.agent, date=MONDAY).first_visits == 2
    seen = {"date": MONDAY, "first_visits": 5, "version": first.data["version"]}
    assert api_client.post(URL, seen, format="json").status_code == 200
    assert WorkLog.objects.get(agent=world.agent, date=MONDAY).first_visits == 5
