import pytest
from django.urls import reverse

from accounts.models import Role, RoleAssignment
from approvals import registry
from approvals.models import ApprovalChain, ApprovalLevel, ApprovalState
from approvals.services import approval_submit


@pytest.fixture(autouse=True)
def test_kind():
    registry.register(
        registry.ApprovalKind(
            code="test",
            label="测试",
            default_levels=[(Role.DEPT_MANAGER, "department")],
        )
    )


def submit(world, unit, title):
    return approval_submit(
        acting_user=world.assistant,
        subject=unit,
        kind="test",
        unit=unit,
        title=title,
        url=f"/x/{unit.pk}/",
    )


def test_my_tasks_lists_what_waits_for_me_with_a_count(client, world):
    submit(world, world.group_a1_1, "一组计划")
    client.force_login(world.dept_manager)
    page = client.get(reverse("home:tasks")).content.decode()
    assert "一组计划" in page
    assert 'id="nav-tasks"' in page
    client.force_login(world.district_manager)
    assert "一组计划" not in client.get(reverse("home:tasks")).content.decode()


def test_bulk_return_needs_a_comment_and_records_each(client, world):
    first = submit(world, world.group_a1_1, "一组计划")
    second = submit(world, world.group_a1_2, "二组计划")
    client.force_login(world.dept_manager)
    response = client.post(
        reverse("home:tasks_bulk"),
        {"approval": [f"{first.pk}:1", f"{second.pk}:1"], "action": "return"},
        follow=True,
    )
    assert response.status_code == 200
    first.refresh_from_db()
    assert first.state == ApprovalState.SUBMITTED  # refused: no reason given
    client.post(
        reverse("home:tasks_bulk"),
        {
            "approval": [f"{first.pk}:1", f"{second.pk}:1"],
            "action": "return",
            "comment": "请补充",
        },
    )
    for request in (first, second):
        request.refresh_from_db()
        assert request.state == ApprovalState.RETURNED
        assert request.actions.get(action="return").comment == "请补充"


def test_tasks_api_lists_the_same_items(api_client, world):
    request = submit(world, world.group_a1_1, "一组计划")
    api_client.force_authenticate(world.dept_manager)
    rows = api_client.get("/api/v1/tasks/").json()
    assert [(r["title"], r["approval_id"]) for r in rows] == [("一组计划", request.pk)]


def test_bulk_decision_on_a_step_that_moved_on_is_refused(client, world):
    """The tasks page sends each ticked item with the step it showed; one that moved on since
    (here: the same bulk approve sent twice) is refused, not approved at the next level."""
    chain = ApprovalChain.objects.create(kind="test")
    ApprovalLevel.objects.create(
        chain=chain, order=1, role=Role.DEPT_MANAGER, unit_kind="department"
    )
    ApprovalLevel.objects.create(
        chain=chain, order=2, role=Role.DISTRICT_MANAGER, unit_kind="district"
    )
    RoleAssignment.objects.create(
        user=world.dept_manager, role=Role.DISTRICT_MANAGER, unit=world.district_a
    )
    request = submit(world, world.group_a1_1, "一组计划")
    client.force_login(world.dept_manager)
    page = client.get(reverse("home:tasks"))
    assert f'value="{request.pk}:1"' in page.content.decode()
    for _twice in range(2):
        client.post(
            reverse("home:tasks_bulk"), {"approval": [f"{request.pk}:1"], "action": "approve"}
        )
    request.refresh_from_db()
    assert (request.state, request.step) == (ApprovalState.SUBMITTED, 2)
    assert request.actions.filter(action="approve").count() == 1
