"""Reminders through the notification centre, sent once per person and thing."""

from datetime import date
from io import StringIO

from django.core.management import call_command

from accounts.models import Role
from attendance.reminders import check_records_not_verified, roll_call_not_taken
from attendance.services import checks as services
from attendance.tests.helpers import freeze, mark, moment
from conftest import make_user
from notifications.models import Notification

TUESDAY = date(2026, 3, 10)


def recipients(messages):
    return sorted((m.recipient_id, m.dedupe_key.split(":")[1]) for m in messages)


def test_roll_call_not_taken_by_ten_reminds_supervisor_and_assistant(world, monkeypatch):
    freeze(monkeypatch, moment(TUESDAY, 9, 59))
    assert roll_call_not_taken(TUESDAY) == []  # not yet 10:00
    freeze(monkeypatch, moment(TUESDAY, 10, 5))
    mark(world.other_dept_agent, TUESDAY)  # dept A2's group has its roll call
    messages = roll_call_not_taken(TUESDAY)
    assert recipients(messages) == sorted(
        [
            (world.supervisor.pk, str(world.group_a1_1.pk)),
            (world.assistant.pk, str(world.group_a1_1.pk)),
            (world.assistant.pk, str(world.group_a1_2.pk)),
        ]
        # district B's group has no supervisor or assistant to remind
    )
    assert all("/attendance/roll-call/" in m.url for m in messages)


def test_roll_call_reminder_is_sent_once_however_often_it_runs(world, monkeypatch):
    freeze(monkeypatch, moment(TUESDAY, 13, 0))
    out = StringIO()
    call_command("send_reminders", date="2026-03-10", stdout=out)
    sent = Notification.objects.filter(
        recipient=world.assistant, dedupe_key__startswith="attendance-roll-call:"
    )
    assert sent.count() == 2
    call_command("send_reminders", date="2026-03-10", stdout=out)
    assert sent.count() == 2


def test_no_roll_call_reminder_on_days_off_or_once_taken(world, monkeypatch):
    freeze(monkeypatch, moment(date(2026, 3, 14), 11))
    assert roll_call_not_taken(date(2026, 3, 14)) == []  # Saturday
    freeze(monkeypatch, moment(TUESDAY, 11))
    for agent in (
        world.agent,
        world.other_group_agent,
        world.other_dept_agent,
        world.outside_agent,
    ):
        mark(agent, TUESDAY)
    assert roll_call_not_taken(TUESDAY) == []


def test_unverified_check_record_after_three_days(world, monkeypatch):
    district_admin_b = make_user("district_admin_b", Role.DISTRICT_ADMIN, world.district_b)
    freeze(monkeypatch, moment(TUESDAY, 9))
    record = services.check_record_create(
        acting_user=world.assistant,
        department=world.dept_a1,
        check_date=TUESDAY,
        period_start=date(2026, 3, 1),
        period_end=TUESDAY,
    )
    assert check_records_not_verified(date(2026, 3, 12)) == []
    messages = check_records_not_verified(date(2026, 3, 13))
    assert sorted(m.recipient_id for m in messages) == sorted(
        [world.dept_manager.pk, world.district_admin.pk]
    )
    assert district_admin_b.pk not in {m.recipient_id for m in messages}
    assert {m.url for m in messages} == {record.get_absolute_url()}
    freeze(monkeypatch, moment(date(2026, 3, 13), 9))
    services.check_record_verify(acting_user=world.dept_manager, record=record)
    assert check_records_not_verified(date(2026, 3, 16)) == []


def test_author_is_not_reminded_to_verify_their_own_record(world, monkeypatch):
    freeze(monkeypatch, moment(TUESDAY, 9))
    services.check_record_create(
        acting_user=world.dept_manager,
        department=world.dept_a1,
        check_date=TUESDAY,
        period_start=date(2026, 3, 1),
        period_end=TUESDAY,
    )
    messages = check_records_not_verified(date(2026, 3, 20))
    assert [m.recipient_id for m in messages] == [world.district_admin.pk]
