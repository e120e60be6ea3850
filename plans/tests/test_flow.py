"""The flow draft → submitted → approved / returned → published, per role and unit (§9)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from approvals.models import ApprovalState
from approvals.services import request_for
from approvals.tests.helpers import step_of
from core.exceptions import ConflictError
from notifications.models import Notification, NotificationKind
from plans import services
from plans.models import Document, VersionState
from plans.tests.conftest import (
    department_plan,
    district_plan,
    district_regulation,
    published_district_plan,
    refresh,
)

pytestmark = pytest.mark.django_db


def test_assistant_creates_a_department_plan_as_a_draft_for_the_month(pw):
    document, version = department_plan(pw, day=date(2026, 3, 17))
    assert document.period_start == date(2026, 3, 1)
    assert document.period_label == "2026-03"
    assert document.title == "东一部 2026-03 营业部活动量管理计划"
    assert (version.number, version.state) == (1, VersionState.DRAFT)


def test_the_same_kind_unit_and_period_exists_once(pw):
    department_plan(pw)
    with pytest.raises(ValidationError) as exc:
        department_plan(pw, day=date(2026, 3, 31))
    assert "period_start" in exc.value.message_dict


@pytest.mark.parametrize("who", ["supervisor", "district_manager", "agent_user", "outsider"])
def test_others_cannot_create_department_documents(pw, who):
    with pytest.raises(PermissionDenied):
        department_plan(pw, user=getattr(pw, who))


def test_a_kind_belongs_to_its_kind_of_unit(pw):
    with pytest.raises(ValidationError) as exc:
        services.document_create(
            acting_user=pw.admin,
            kind=pw.kinds.department_activity_plan,
            unit=pw.district_a,
            period_start=date(2026, 3, 1),
        )
    assert "unit" in exc.value.message_dict


def test_department_plan_goes_through_two_levels(pw):
    _document, version = department_plan(pw)
    request = services.version_submit(acting_user=pw.assistant, version=version)
    assert refresh(version).state == VersionState.SUBMITTED
    assert (request.step, request.total_steps, request.current_role) == (1, 2, "dept_manager")

    # the district manager is the second step, not the first
    with pytest.raises(PermissionDenied):
        services.version_approve(
            acting_user=pw.district_manager, version=version, expected_step=step_of(version)
        )
    services.version_approve(
        acting_user=pw.dept_manager, version=version, comment="同意", expected_step=step_of(version)
    )
    request.refresh_from_db()
    assert (request.step, request.current_role) == (2, "district_manager")
    assert refresh(version).state == VersionState.SUBMITTED

    services.version_approve(
        acting_user=pw.district_manager, version=version, expected_step=step_of(version)
    )
    request.refresh_from_db()
    assert request.state == ApprovalState.APPROVED
    assert refresh(version).state == VersionState.APPROVED
    trail = [(a.action, a.actor.username, a.role) for a in request.actions.all()]
    assert trail == [
        ("submit", "assistant", ""),
        ("approve", "dept_manager", "dept_manager"),
        ("approve", "district_manager", "district_manager"),
    ]


@pytest.mark.parametrize("who", ["assistant", "supervisor", "trainer", "marketing", "outsider"])
def test_only_the_current_approver_approves_step_one(pw, who):
    _document, version = department_plan(pw)
    services.version_submit(acting_user=pw.assistant, version=version)
    with pytest.raises(PermissionDenied):
        services.version_approve(
            acting_user=getattr(pw, who), version=version, expected_step=step_of(version)
        )
    assert refresh(version).state == VersionState.SUBMITTED


def test_marketing_approves_a_district_regulation(pw):
    _document, version = district_regulation(pw)
    services.version_submit(acting_user=pw.district_admin, version=version)
    services.version_approve(
        acting_user=pw.marketing, version=version, expected_step=step_of(version)
    )
    assert refresh(version).state == VersionState.APPROVED


def test_a_district_manager_cannot_approve_their_own_districts_regulation(pw):
    _document, version = district_regulation(pw)
    services.version_submit(acting_user=pw.district_admin, version=version)
    with pytest.raises(PermissionDenied):
        services.version_approve(
            acting_user=pw.district_manager, version=version, expected_step=step_of(version)
        )


def test_return_requires_a_comment(pw):
    _document, version = district_regulation(pw)
    services.version_submit(acting_user=pw.district_admin, version=version)
    with pytest.raises(ValidationError):
        services.version_return(
            acting_user=pw.marketing, version=version, comment="  ", expected_step=step_of(version)
        )
    assert refresh(version).state == VersionState.SUBMITTED


def test_returned_version_is_edited_resubmitted_and_approved(pw):
    _document, version = department_plan(pw)
    services.version_submit(acting_user=pw.assistant, version=version)
    services.version_return(
        acting_user=pw.dept_manager,
        version=version,
        comment="拜访量太低",
        expected_step=step_of(version),
    )
    assert refresh(version).state == VersionState.RETURNED

    services.version_update(acting_user=pw.assistant, version=version, body="<p>每天拜访5户</p>")
    request = services.version_submit(acting_user=pw.assistant, version=refresh(version))
    assert (request.state, request.step) == (ApprovalState.SUBMITTED, 1)
    services.version_approve(
        acting_user=pw.dept_manager, version=version, expected_step=step_of(version)
    )
    services.version_approve(
        acting_user=pw.district_manager, version=version, expected_step=step_of(version)
    )
    version = refresh(version)
    assert version.state == VersionState.APPROVED
    assert version.body == "<p>每天拜访5户</p>"
    actions = [(a.action, a.comment) for a in request_for(version).actions.all()]
    assert actions[:3] == [("submit", ""), ("return", "拜访量太低"), ("submit", "")]


@pytest.mark.parametrize(
    "state", [VersionState.SUBMITTED, VersionState.APPROVED, VersionState.PUBLISHED]
)
def test_only_drafts_and_returned_versions_can_be_edited(pw, state):
    _document, version = district_plan(pw)
    services.version_submit(acting_user=pw.district_manager, version=version)
    if state != VersionState.SUBMITTED:
        services.version_approve(
            acting_user=pw.marketing, version=version, expected_step=step_of(version)
        )
    if state == VersionState.PUBLISHED:
        services.version_publish(acting_user=pw.district_manager, version=refresh(version))
    with pytest.raises(ConflictError) as exc:
        services.version_update(acting_user=pw.district_manager, version=version, body="<p>x</p>")
    if state == VersionState.PUBLISHED:
        assert "start a new version" in exc.value.message
    assert refresh(version).body == "<p>早会八点半开始</p>"


def test_cannot_submit_twice_or_publish_before_approval(pw):
    _document, version = district_plan(pw)
    with pytest.raises(ConflictError):
        services.version_publish(acting_user=pw.district_manager, version=version)
    services.version_submit(acting_user=pw.district_manager, version=version)
    with pytest.raises(ConflictError) as exc:
        services.version_submit(acting_user=pw.district_manager, version=version)
    assert "already submitted" in exc.value.message


def test_an_empty_version_cannot_be_submitted(pw):
    _document, version = district_plan(pw, body="")
    with pytest.raises(ValidationError):
        services.version_submit(acting_user=pw.district_manager, version=version)


def test_approving_after_a_decision_names_who_decided(pw):
    _document, version = district_regulation(pw)
    services.version_submit(acting_user=pw.district_admin, version=version)
    services.version_return(
        acting_user=pw.marketing, version=version, comment="请补充", expected_step=step_of(version)
    )
    with pytest.raises(ConflictError) as exc:
        services.version_approve(
            acting_user=pw.marketing, version=version, expected_step=step_of(version)
        )
    assert "marketing" in exc.value.message


def test_publish_is_for_authors_and_supersedes_the_previous_version(pw):
    document, v1 = published_district_plan(pw)
    assert (v1.state, v1.published_by) == (VersionState.PUBLISHED, pw.district_manager)
    v2 = services.version_new(acting_user=pw.trainer, document=document)
    assert (v2.number, v2.state, v2.body) == (2, VersionState.DRAFT, v1.body)
    assert refresh(v1).state == VersionState.PUBLISHED  # stays in force meanwhile

    with pytest.raises(ConflictError):  # one open version at a time
        services.version_new(acting_user=pw.trainer, document=document)
    services.version_update(acting_user=pw.trainer, version=v2, body="<p>早会八点开始</p>")
    services.version_submit(acting_user=pw.trainer, version=v2)
    services.version_approve(acting_user=pw.marketing, version=v2, expected_step=step_of(v2))
    with pytest.raises(PermissionDenied):  # marketing approves, the district publishes
        services.version_publish(acting_user=pw.marketing, version=refresh(v2))
    services.version_publish(acting_user=pw.district_admin, version=refresh(v2))
    assert refresh(v1).state == VersionState.SUPERSEDED
    assert refresh(v2).state == VersionState.PUBLISHED
    assert refresh(v1).body == "<p>早会八点半开始</p>"  # the old one stays readable
    assert list(request_for(v2).actions.values_list("action", flat=True)) == [
        "submit",
        "approve",
        "publish",
    ]


def test_no_new_version_before_publication(pw):
    document, _version = district_plan(pw)
    with pytest.raises(ConflictError):
        services.version_new(acting_user=pw.district_manager, document=document)


def test_body_is_sanitized(pw):
    _document, version = district_plan(
        pw,
        body='<div>第一段</div><script>alert(1)</script><p onclick="x()"><b>重点</b>'
        '<a href="javascript:alert(1)">坏链接</a><a href="https://example.com">好链接</a></p>',
    )
    assert "<script" not in version.body and "onclick" not in version.body
    assert "javascript" not in version.body
    assert "<p>第一段</p>" in version.body
    assert "<strong>重点</strong>" in version.body
    assert 'href="https://example.com"' in version.body


def test_notifications_approval_waiting_goes_to_the_current_step_only(pw):
    _document, version = department_plan(pw)
    services.version_submit(acting_user=pw.assistant, version=version)
    waiting = Notification.objects.filter(kind=NotificationKind.APPROVAL_WAITING)
    assert set(waiting.values_list("recipient__username", flat=True)) == {"dept_manager"}
    services.version_approve(
        acting_user=pw.dept_manager, version=version, expected_step=step_of(version)
    )
    assert set(waiting.values_list("recipient__username", flat=True)) == {
        "dept_manager",
        "district_manager",
    }
    assert not waiting.filter(recipient=pw.outsider).exists()


def test_publication_notifies_the_managers_of_the_units_below_only(pw):
    published_district_plan(pw)
    published = Notification.objects.filter(kind=NotificationKind.PUBLISHED)
    assert set(published.values_list("recipient__username", flat=True)) == {
        "dept_manager",
        "dept_manager_a2",
    }
    assert published.first().url.startswith("/plans/versions/")


def test_a_department_document_is_published_to_its_groups(pw):
    _document, version = department_plan(pw)
    services.version_submit(acting_user=pw.assistant, version=version)
    services.version_approve(
        acting_user=pw.dept_manager, version=version, expected_step=step_of(version)
    )
    services.version_approve(
        acting_user=pw.district_manager, version=version, expected_step=step_of(version)
    )
    services.version_publish(acting_user=pw.dept_manager, version=refresh(version))
    targets = set(version.acknowledgements.values_list("unit__code", flat=True))
    assert targets == {"DA-1-1", "DA-1-2"}
    assert set(
        Notification.objects.filter(kind=NotificationKind.PUBLISHED).values_list(
            "recipient__username", flat=True
        )
    ) == {"supervisor"}


def test_history_records_who_changed_the_version(pw):
    _document, version = district_plan(pw)
    services.version_update(acting_user=pw.trainer, version=version, title="新标题")
    services.version_submit(acting_user=pw.district_manager, version=version)
    users = list(
        version.history.order_by("history_id").values_list("history_user__username", flat=True)
    )
    assert users == ["district_manager", "trainer", "district_manager"]
    assert Document.objects.get().history.first().history_user == pw.district_manager
