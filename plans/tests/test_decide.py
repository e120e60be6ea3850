"""Plan decisions go through approvals.services.decide: the API requires the step the client saw
(400 without it), a step that has moved on is refused (web: 409 page with a warning; API: 409
with the current state and step), and one intent moves a plan on one level at most."""

import pytest
from django.urls import reverse

from accounts.models import Role, RoleAssignment
from approvals.services import request_for
from plans import services
from plans.models import VersionState
from plans.tests.conftest import department_plan, refresh

pytestmark = pytest.mark.django_db


def _submitted_plan(pw):
    _document, version = department_plan(pw)
    services.version_submit(acting_user=pw.assistant, version=version)
    return version


def test_api_approve_and_return_require_the_step(api_client, pw):
    version = _submitted_plan(pw)
    url = f"/api/v1/versions/{version.pk}"
    api_client.force_authenticate(pw.dept_manager)
    for action, body in (("approve", {"comment": "好"}), ("return", {"comment": "重写"})):
        response = api_client.post(f"{url}/{action}/", body, format="json")
        assert response.status_code == 400
        assert "step" in response.json()
    assert request_for(version).step == 1
    assert refresh(version).state == VersionState.SUBMITTED


def test_api_stale_step_answers_409_with_the_current_step(api_client, pw):
    version = _submitted_plan(pw)
    url = f"/api/v1/versions/{version.pk}"
    api_client.force_authenticate(pw.dept_manager)
    assert api_client.post(f"{url}/approve/", {"step": 1}, format="json").status_code == 200
    api_client.force_authenticate(pw.district_manager)
    stale = api_client.post(f"{url}/return/", {"step": 1, "comment": "重写"}, format="json")
    assert stale.status_code == 409
    body = stale.json()
    assert (body["state"], body["step"]) == ("submitted", 2)
    assert "dept_manager" in body["detail"]
    assert refresh(version).state == VersionState.SUBMITTED


def test_the_same_approve_sent_twice_by_a_two_level_approver_passes_one_level(api_client, pw):
    """The reported case: a user who approves at both levels sent the same approve twice and
    the plan passed both levels on one intent."""
    RoleAssignment.objects.create(
        user=pw.dept_manager, role=Role.DISTRICT_MANAGER, unit=pw.district_a
    )
    version = _submitted_plan(pw)
    url = f"/api/v1/versions/{version.pk}"
    api_client.force_authenticate(pw.dept_manager)
    first = api_client.post(f"{url}/approve/", {"step": 1}, format="json")
    second = api_client.post(f"{url}/approve/", {"step": 1}, format="json")
    assert (first.status_code, second.status_code) == (200, 409)
    assert second.json()["step"] == 2
    request = request_for(version)
    assert (request.state, request.step) == ("submitted", 2)
    assert request.actions.filter(action="approve").count() == 1
    assert refresh(version).state == VersionState.SUBMITTED
    # deciding the second level is a second, explicit intent
    third = api_client.post(f"{url}/approve/", {"step": 2}, format="json")
    assert third.json()["state"] == "approved"


def test_web_decision_on_a_step_that_moved_on_is_refused(client, pw):
    version = _submitted_plan(pw)
    services.version_approve(acting_user=pw.dept_manager, version=version, expected_step=1)
    client.force_login(pw.district_manager)
    # a page opened before the department manager approved said step 1
    response = client.post(
        reverse("plans:version_return", args=[version.pk]), {"comment": "重写", "step": 1}
    )
    assert response.status_code == 409
    messages = [str(m) for m in response.context["messages"]]
    assert any("dept_manager" in m for m in messages), messages
    assert refresh(version).state == VersionState.SUBMITTED
    response = client.post(reverse("plans:version_approve", args=[version.pk]), {"comment": ""})
    assert response.status_code == 400  # no step at all
    assert refresh(version).state == VersionState.SUBMITTED
    response = client.post(reverse("plans:version_approve", args=[version.pk]), {"step": 2})
    assert response.status_code == 302
    assert refresh(version).state == VersionState.APPROVED
