"""The access layer (org.access): one visible_to, one get_object_for_user, holders by capability."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from attendance.models import AttendanceRecord, AttendanceStatus
from org import access
from org.access import Cap

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(world):
    w = world
    day = w.agent.hire_date
    return {
        name: AttendanceRecord.objects.create(
            agent=agent, date=day, status=AttendanceStatus.PRESENT
        )
        for name, agent in {
            "own": w.agent,
            "colleague": w.colleague,
            "other_dept": w.other_dept_agent,
            "outside": w.outside_agent,
        }.items()
    }


def _names(queryset, records):
    pks = set(queryset.values_list("pk", flat=True))
    return {name for name, record in records.items() if record.pk in pks}


def test_visible_to_follows_the_tree_and_the_agents_own_rows(world, records):
    w = world
    assert _names(AttendanceRecord.objects.visible_to(w.admin), records) == set(records)
    assert _names(AttendanceRecord.objects.visible_to(w.district_manager), records) == {
        "own",
        "colleague",
        "other_dept",
    }
    assert _names(AttendanceRecord.objects.visible_to(w.supervisor), records) == {
        "own",
        "colleague",
    }
    assert _names(AttendanceRecord.objects.visible_to(w.agent_user), records) == {"own"}
    assert _names(AttendanceRecord.objects.visible_to(w.service), records) == set()


def test_get_object_for_user_is_404_outside_scope_and_403_without_the_capability(world, records):
    w = world
    own = records["own"]
    assert access.get_object_for_user(AttendanceRecord, w.supervisor, own.pk) == own
    with pytest.raises(Http404):
        access.get_object_for_user(AttendanceRecord, w.outsider, own.pk)
    with pytest.raises(PermissionDenied):
        access.get_object_for_user(AttendanceRecord, w.supervisor, own.pk, Cap.RECORD_ATTENDANCE)
    assert access.get_object_for_user(AttendanceRecord, w.assistant, own.pk, Cap.RECORD_ATTENDANCE)


def test_capabilities_held_on_the_unit_itself(world):
    w = world
    assert access.holds_on(w.dept_manager, Cap.AUTHOR_PLANS, w.dept_a1)
    assert not access.holds_on(w.district_manager, Cap.AUTHOR_PLANS, w.dept_a1)
    assert access.holds(w.district_manager, Cap.PLAN_MEETINGS, w.dept_a1)
    assert access.holds_on(w.admin, Cap.AUTHOR_PLANS, w.dept_a1)


def test_holders_name_people_by_capability_not_role(world):
    w = world
    assert set(access.holders(Cap.INSPECT_MEETINGS, w.dept_a1)) == {
        w.district_manager,
        w.district_admin,
        w.trainer,
    }
    assert set(access.holders(Cap.LEAD_FUNCTION_GROUPS, w.district_a, exact=True)) == {
        w.district_manager,
        w.trainer,
    }
    found = access.holder_map({w.dept_a1.pk, w.group_a1_1.pk}, Cap.LEAD_UNIT, Cap.PLAN_MEETINGS)
    assert found[(Cap.LEAD_UNIT, w.dept_a1.pk)] == [w.dept_manager.pk]
    assert found[(Cap.LEAD_UNIT, w.group_a1_1.pk)] == [w.supervisor.pk]
    assert sorted(found[(Cap.PLAN_MEETINGS, w.dept_a1.pk)]) == sorted(
        [w.dept_manager.pk, w.assistant.pk]
    )


def test_whole_tree_filter_survives_an_or(world, records):
    """Q() would vanish inside an OR; the layer's filters keep their meaning."""
    w = world
    condition = access.scope_q(w.admin, via="agent__group") | access.NOTHING
    assert AttendanceRecord.objects.filter(condition).count() == len(records)
