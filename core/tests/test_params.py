"""No 500 on any input (issue 20): bad ids in paths answer 404; bad or huge integers and far
dates in queries and bodies answer 400 naming the field (core.params); a decision by a user who
approves no level of the request is refused (403) before its body or state are looked at."""

import pytest

from approvals.services import request_for
from attendance.tests.helpers import freeze, moment
from attendance.tests.test_decide import LEAVE_API, _two_level_leave_chain
from attendance.tests.test_leave import MONDAY, WEDNESDAY, request_leave

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/activity/scorecards/abc/",
        "/api/v1/meetings/template-versions/abc/",
        "/api/v1/meetings/template-versions/abc/content/",
        f"/api/v1/agents/{HUGE}/",
        f"/api/v1/activity/scorecards/{HUGE}/",
        f"/api/v1/meetings/calendars/settings/{HUGE}/",
    ],
)
def test_a_bad_id_in_a_path_answers_404(api_client, world, path):
    api_client.force_authenticate(world.admin)
    assert api_client.get(path).status_code == 404


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/activity/tool-stock/?district=abc", "district"),
        (f"/api/v1/activity/tool-stock/?district={HUGE}", "district"),
        ("/api/v1/activity/tools/?district=abc", "district"),
        (f"/api/v1/documents/?unit={HUGE}", "unit"),
        ("/api/v1/activity/figures/?unit=abc", "unit"),
        ("/api/v1/activity/figures/?unit={district}&start=9999-12-31", "start"),
        ("/api/v1/meetings/inspections/report/?district=null", "district"),
        ("/api/v1/meetings/inspections/report/?start=9999-12-31", "start"),
    ],
)
def test_a_bad_query_parameter_answers_400_naming_it(api_client, world, path, field):
    api_client.force_authenticate(world.admin)
    # A real unit id: ids are not 1-based on PostgreSQL, whose sequences are not reset.
    response = api_client.get(path.format(district=world.district_a.pk))
    assert response.status_code == 400, response.content
    assert field in response.json()


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/approvals/bulk/", {"ids": [int(HUGE)], "steps": [1], "action": "approve"}, "ids"),
        ("/api/v1/notifications/mark-read/", {"ids": [int(HUGE)]}, "ids"),
    ],
)
def test_a_huge_integer_in_a_body_answers_400_naming_it(api_client, world, path, body, field):
    api_client.force_authenticate(world.admin)
    response = api_client.post(path, body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_a_leave_dated_far_out_answers_400_naming_the_date(api_client, world):
    api_client.force_authenticate(world.agent_user)
    response = api_client.post(
        "/api/v1/attendance/leave-requests/",
        {"start_date": "9999-12-31", "reason": "病假"},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "start_date" in response.json()


def test_date_range_is_a_setting(api_client, world, settings):
    settings.DATE_YEAR_RANGE = (2000, 2030)
    api_client.force_authenticate(world.agent_user)
    response = api_client.post(
        "/api/v1/attendance/leave-requests/",
        {"start_date": "2031-01-05", "reason": "病假"},
        format="json",
    )
    assert response.status_code == 400 and "start_date" in response.json()


@pytest.mark.parametrize("action", ["approve", "return"])
def test_a_user_who_approves_no_level_is_refused_before_the_body(
    api_client, world, monkeypatch, action
):
    freeze(monkeypatch, moment(MONDAY, 9))
    _two_level_leave_chain(world)
    leave = request_leave(world, WEDNESDAY)
    url = LEAVE_API.format(pk=leave.pk)
    api_client.force_authenticate(world.district_admin)
    assert api_client.get(f"{url}/").status_code == 200  # in scope: may read it
    for body in ({}, {"step": 7, "comment": "x"}):  # no step (was 400); stale step (was 409)
        response = api_client.post(f"{url}/{action}/", body, format="json")
        assert response.status_code in (403, 404), response.content
    assert request_for(leave).step == 1
