"""The meetings hub offers each person what their role allows."""

from django.urls import reverse


def _links(client, user):
    client.force_login(user)
    response = client.get(reverse("meetings:index"))
    return response.status_code, response.content.decode()


def test_agent_sees_feedback_and_calendars_only(client, world):
    status, html = _links(client, world.agent_user)
    assert status == 200
    assert reverse("meetings:feedback_mine") in html
    assert reverse("meetings:calendar_list") in html
    assert reverse("meetings:inspection_list") not in html
    assert reverse("meetings:archive") not in html


def test_district_manager_sees_supervision(client, world):
    status, html = _links(client, world.district_manager)
    assert status == 200
    for name in ("inspection_list", "inspection_report", "calendar_submission_board", "archive"):
        assert reverse(f"meetings:{name}") in html


def test_supervisor_records_but_does_not_inspect(client, world):
    status, html = _links(client, world.supervisor)
    assert status == 200
    assert reverse("meetings:meeting_create") in html
    assert reverse("meetings:inspection_report") not in html


def test_a_user_without_role_or_agent_record_is_refused(client, world):
    assert _links(client, world.service)[0] == 403
