"""Reminders of documents due and of acknowledgements, and the My-tasks items of plans."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from accounts.models import Role
from approvals.tests.helpers import step_of
from conftest import make_user
from core import reminders
from core.todo import tasks_for
from notifications.models import Notification, NotificationKind
from notifications.services import notify_many
from plans import services
from plans.models import DocumentVersion
from plans.reminders import plan_reminders
from plans.tests.conftest import department_plan, published_district_plan, refresh
from plans.todo import plan_tasks

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def deadline_recipients():
    return sorted(
        Notification.objects.filter(kind=NotificationKind.DEADLINE).values_list(
            "recipient__username", flat=True
        )
    )


def test_plans_registers_its_reminders():
    assert reminders.sources()["plans"] is plan_reminders


def test_due_soon_reminds_the_authors_once(pw):
    department_plan(pw, due_date=date(2026, 3, 5))
    assert list(plan_reminders(date(2026, 3, 1))) == []  # four days before: not yet
    assert len(notify_many(list(plan_reminders(date(2026, 3, 2))))) == 2
    assert deadline_recipients() == ["assistant", "dept_manager"]
    assert notify_many(list(plan_reminders(date(2026, 3, 3)))) == []
    assert notify_many(list(plan_reminders(date(2026, 3, 5)))) == []  # due today: still once


def test_overdue_reminds_the_authors_and_the_first_approver_once(pw):
    department_plan(pw, due_date=date(2026, 3, 5))
    notify_many(list(plan_reminders(date(2026, 3, 6))))
    overdue = Notification.objects.filter(dedupe_key__startswith="plans:overdue:")
    # the department manager is both an author and the first approver: reminded once
    assert sorted(overdue.values_list("recipient__username", flat=True)) == [
        "assistant",
        "dept_manager",
    ]
    assert notify_many(list(plan_reminders(date(2026, 3, 7)))) == []


def test_overdue_district_document_reminds_marketing_and_nobody_outside(pw):
    from plans.tests.conftest import district_regulation

    district_regulation(pw, due_date=date(2026, 1, 10))
    notify_many(list(plan_reminders(date(2026, 1, 20))))
    assert deadline_recipients() == ["district_admin", "district_manager", "marketing", "trainer"]


def test_no_reminder_once_submitted(pw):
    _document, version = department_plan(pw, due_date=date(2026, 3, 5))
    services.version_submit(acting_user=pw.assistant, version=version)
    assert list(plan_reminders(date(2026, 3, 6))) == []


def test_returned_document_past_its_due_date_is_reminded(pw):
    _document, version = department_plan(pw, due_date=date(2026, 3, 5))
    services.version_submit(acting_user=pw.assistant, version=version)
    services.version_return(
        acting_user=pw.dept_manager, version=version, comment="重写", expected_step=step_of(version)
    )
    assert {m.recipient_id for m in plan_reminders(date(2026, 3, 6))} == {
        pw.assistant.pk,
        pw.dept_manager.pk,
    }


def test_acknowledgement_reminder_after_three_days_once(pw):
    _document, version = published_district_plan(pw)
    published = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
    DocumentVersion.objects.filter(pk=version.pk).update(published_at=published)
    services.version_acknowledge(acting_user=pw.dept_manager_a2, version=version)
    assert list(plan_reminders(date(2026, 3, 4))) == []
    sent = notify_many(list(plan_reminders(date(2026, 3, 5))))
    assert [n.recipient for n in sent] == [pw.dept_manager]  # A2 has read it already
    assert notify_many(list(plan_reminders(date(2026, 3, 9)))) == []


def test_send_reminders_command_twice_sends_once(pw):
    department_plan(pw, due_date=date(2026, 3, 30))
    call_command("send_reminders", date="2026-03-28")
    first = Notification.objects.filter(dedupe_key__startswith="plans:").count()
    assert first == 2
    call_command("send_reminders", date="2026-03-28")
    call_command("send_reminders", date="2026-03-29")
    assert Notification.objects.filter(dedupe_key__startswith="plans:").count() == first


def test_a_new_due_date_is_reminded_again(pw):
    document, _version = department_plan(pw, due_date=date(2026, 3, 5))
    notify_many(list(plan_reminders(date(2026, 3, 4))))
    document.due_date = date(2026, 3, 20)
    document.save()
    assert len(notify_many(list(plan_reminders(date(2026, 3, 19))))) == 2


# -- My tasks --------------------------------------------------------------------------------


def test_tasks_acknowledgements_pending_for_my_unit(pw):
    _document, version = published_district_plan(pw)
    tasks = plan_tasks(pw.dept_manager)
    assert [(t.url, t.approval_id) for t in tasks] == [(version.get_absolute_url(), None)]
    assert "东一部" in tasks[0].what
    services.version_acknowledge(acting_user=pw.dept_manager, version=version)
    assert plan_tasks(pw.dept_manager) == []
    assert plan_tasks(pw.dept_manager_b1) == []


def test_tasks_returned_versions_and_drafts_with_a_due_date(pw):
    _d1, returned = department_plan(pw)
    services.version_submit(acting_user=pw.assistant, version=returned)
    services.version_return(
        acting_user=pw.dept_manager,
        version=returned,
        comment="重写",
        expected_step=step_of(returned),
    )
    _d2, due = department_plan(pw, day=date(2026, 4, 1), due_date=date(2026, 4, 5))
    department_plan(pw, day=date(2026, 5, 1))  # a draft without a due date: no task
    urls = {t.url for t in plan_tasks(pw.assistant)}
    assert urls == {refresh(returned).get_absolute_url(), due.get_absolute_url()}
    assert plan_tasks(pw.supervisor) == []
    assert plan_tasks(pw.outsider) == []


def test_tasks_page_lists_plan_items_next_to_approvals(pw):
    _document, version = department_plan(pw)
    services.version_submit(acting_user=pw.assistant, version=version)
    second = make_user("dept_manager_2", Role.DEPT_MANAGER, pw.dept_a1)
    assert [t.approval_id is not None for t in tasks_for(second)] == [True]


def test_tasks_queries_are_bounded(pw, django_assert_max_num_queries):
    for month in range(1, 7):
        _document, version = department_plan(
            pw, day=date(2026, month, 1), due_date=date(2026, month, 5)
        )
    pw.assistant._scope_cache = None
    with django_assert_max_num_queries(3):
        assert len(plan_tasks(pw.assistant)) == 6
