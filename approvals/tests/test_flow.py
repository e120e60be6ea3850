"""The reusable approval flow, on a stand-in record (a unit) of a test kind."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from accounts.models import Role
from approvals import registry
from approvals.models import ApprovalChain, ApprovalLevel, ApprovalState
from approvals.selectors import waiting_for
from approvals.services import approval_bulk, approval_submit, decide
from conftest import make_user
from core.exceptions import ConflictError
from notifications.models import Notification

APPROVED = []


@pytest.fixture(autouse=True)
def test_kind():
    registry.register(
        registry.ApprovalKind(
            code="test",
            label="测试",
            default_levels=[(Role.DEPT_MANAGER, "department"), (Role.DISTRICT_MANAGER, "district")],
            on_approved=lambda subject, user: APPROVED.append(subject.pk),
        )
    )
    APPROVED.clear()


def submit(world, subject=None, **kwargs):
    subject = subject or world.group_a1_1
    return approval_submit(
        acting_user=world.assistant,
        subject=subject,
        kind="test",
        unit=subject,
        title=f"计划 {subject.name}",
        url="/x/",
        **kwargs,
    )


def approval_approve(*, acting_user, request, comment="", expected_step=None):
    """An approver who has just read `request` approves the step they saw."""
    return decide(
        acting_user=acting_user,
        request=request,
        decision="approve",
        expected_step=request.step if expected_step is None else expected_step,
        comment=comment,
    )


def approval_return(*, acting_user, request, comment, expected_step=None):
    return decide(
        acting_user=acting_user,
        request=request,
        decision="return",
        expected_step=request.step if expected_step is None else expected_step,
        comment=comment,
    )


def test_two_level_chain_goes_department_then_district(world):
    request = submit(world)
    assert request.state == ApprovalState.SUBMITTED
    assert list(waiting_for(world.dept_manager)) == [request]
    assert not waiting_for(world.district_manager).exists()

    approval_approve(acting_user=world.dept_manager, request=request, comment="同意")
    request.refresh_from_db()
    assert (request.state, request.step) == (ApprovalState.SUBMITTED, 2)
    assert list(waiting_for(world.district_manager)) == [request]
    assert not waiting_for(world.dept_manager).exists()

    approval_approve(acting_user=world.district_manager, request=request)
    request.refresh_from_db()
    assert request.state == ApprovalState.APPROVED
    assert APPROVED == [world.group_a1_1.pk]
    trail = [(a.action, a.actor.username, a.role) for a in request.actions.all()]
    assert trail == [
        ("submit", "assistant", ""),
        ("approve", "dept_manager", "dept_manager"),
        ("approve", "district_manager", "district_manager"),
    ]


def test_only_the_current_steps_approver_may_act(world):
    request = submit(world)
    for user in (world.district_manager, world.supervisor, world.outsider, world.assistant):
        with pytest.raises(PermissionDenied):
            approval_approve(acting_user=user, request=request)
    request.refresh_from_db()
    assert request.step == 1


def test_second_approver_of_the_same_step_gets_a_conflict_naming_the_first(world):
    second_manager = make_user("dept_manager_2", Role.DEPT_MANAGER, world.dept_a1)
    request = submit(world)
    stale = type(request).objects.get(pk=request.pk)
    approval_approve(acting_user=world.dept_manager, request=request)
    with pytest.raises(ConflictError, match="dept_manager"):
        approval_approve(acting_user=second_manager, request=stale)
    with pytest.raises(ConflictError):
        approval_return(acting_user=second_manager, request=stale, comment="不行")
    assert request.actions.filter(action="approve").count() == 1


def test_return_needs_a_reason_and_allows_resubmission(world):
    request = submit(world)
    with pytest.raises(ValidationError):
        approval_return(acting_user=world.dept_manager, request=request, comment="  ")
    approval_return(acting_user=world.dept_manager, request=request, comment="补充预算")
    request.refresh_from_db()
    assert request.state == ApprovalState.RETURNED
    returned = Notification.objects.get(recipient=world.assistant, kind="approval_decided")
    assert returned.body == "补充预算"

    again = submit(world)
    assert again.pk == request.pk
    assert (again.state, again.step) == (ApprovalState.SUBMITTED, 1)
    assert [a.action for a in again.actions.all()] == ["submit", "return", "submit"]


def test_cannot_submit_twice_or_after_approval(world):
    request = submit(world)
    with pytest.raises(ConflictError):
        submit(world)
    request = approval_approve(acting_user=world.dept_manager, request=request)
    approval_approve(acting_user=world.district_manager, request=request)
    with pytest.raises(ConflictError):
        submit(world)


def test_waiting_notification_goes_to_the_current_approver_only(world):
    submit(world)
    waiting = Notification.objects.filter(kind="approval_waiting")
    assert set(waiting.values_list("recipient__username", flat=True)) == {"dept_manager"}


def test_unit_specific_chain_overrides_the_default(world):
    chain = ApprovalChain.objects.create(kind="test", unit=world.district_a)
    ApprovalLevel.objects.create(chain=chain, order=1, role=Role.MARKETING, unit_kind="branch")
    request = submit(world)
    assert request.levels == [[Role.MARKETING, world.branch.pk]]
    assert list(waiting_for(world.marketing)) == [request]


def test_bulk_approves_each_item_on_its_own(world):
    mine = [submit(world, subject) for subject in (world.group_a1_1, world.group_a1_2)]
    other = approval_submit(
        acting_user=world.district_manager,
        subject=world.group_a2_1,
        kind="test",
        unit=world.group_a2_1,
        title="二部",
        url="/y/",
    )
    results = approval_bulk(
        acting_user=world.dept_manager,
        items=[(r.pk, 1) for r in [*mine, other]],
        decision="approve",
    )
    assert [ok for _r, ok, _m in results] == [True, True, False]
    for request in mine:
        request.refresh_from_db()
        assert request.step == 2
    other.refresh_from_db()
    assert other.step == 1


def test_decide_requires_the_step_and_refuses_one_that_does_not_match(world):
    request = submit(world)
    with pytest.raises(ValidationError) as missing:
        decide(
            acting_user=world.dept_manager, request=request, decision="approve", expected_step=None
        )
    assert "step" in missing.value.message_dict
    with translation.override("en"), pytest.raises(ConflictError, match="changed since you saw"):
        decide(acting_user=world.dept_manager, request=request, decision="approve", expected_step=2)
    with pytest.raises(ValidationError):
        decide(acting_user=world.dept_manager, request=request, decision="publish", expected_step=1)
    decide(acting_user=world.dept_manager, request=request, decision="approve", expected_step=1)
    with pytest.raises(ConflictError) as stale:
        decide(acting_user=world.dept_manager, request=request, decision="approve", expected_step=1)
    assert stale.value.data == {"state": ApprovalState.SUBMITTED, "step": 2}
    request.refresh_from_db()
    assert request.step == 2 and request.actions.filter(action="approve").count() == 1
