"""待办 from the supervision of meetings: the inspector's visits whose day has come, and the open
issues of one's own department."""

from datetime import timedelta

from django.utils import timezone

from core.todo import tasks_for
from meetings.services import inspections as svc
from meetings.tests.test_inspections import fill, plan, three_items  # noqa: F401 - fixture


def _titles(user, what):
    return [task.title for task in tasks_for(user) if task.what == what]


def test_inspector_sees_planned_visits_from_their_day_on(world, three_items):  # noqa: F811
    today = timezone.localdate()
    due = plan(world, day=today)
    plan(world, day=today + timedelta(days=3))  # not yet
    assert _titles(world.district_manager, "待填写") == [
        f"验收表：{world.dept_a1.name}，{today.isoformat()}"
    ]
    assert _titles(world.district_admin, "待填写") == []  # not their visit
    assert _titles(world.outsider, "待填写") == []
    fill(world, due, three_items, [5, 5, 5])
    assert _titles(world.district_manager, "待填写") == []


def test_department_sees_its_open_issues_until_resolved(world, three_items):  # noqa: F811
    form = fill(
        world,
        plan(world),
        three_items,
        [1, 3, 4],
        issues=[{"description": "推迟十分钟开始", "item": three_items[0].pk}],
    )
    issue = form.issues.get()
    assert len(_titles(world.dept_manager, "待解决")) == 1
    assert len(_titles(world.assistant, "待解决")) == 1
    # Not another department, not the district (it follows issues on its own page), not agents.
    for user in (world.outsider, world.district_manager, world.agent_user):
        assert _titles(user, "待解决") == []
    svc.issue_resolve(acting_user=world.dept_manager, issue=issue, resolution="提前到场")
    assert _titles(world.dept_manager, "待解决") == []
