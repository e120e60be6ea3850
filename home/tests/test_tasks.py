import pytest
from django.urls import reverse

from accounts.models import Role
from approvals import registry
from approvals.models import ApprovalState
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
        {"approval": [first.pk, second.pk], "action": "return"},
        follow=True,
    )
    assert response.status_code == 200
    first.refresh_from_db()
    assert first.state == ApprovalState.SUBMITTED  # refused: no reason given
    client.post(
        reverse("home:tasks_bulk"),
        {"approval": [first.pk, second.pk], "action": "return", "comment": "请补充"},
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
