import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from core import reminders
from notifications.models import EmailPreference, Notification, NotificationKind
from notifications.services import Message, notify, notify_many


def test_same_key_notifies_each_person_once(world):
    for _ in range(2):
        notify(
            recipients=[world.dept_manager, world.assistant],
            kind=NotificationKind.DEADLINE,
            title="计划即将到期",
            dedupe_key="plan-due:1",
        )
    assert Notification.objects.filter(dedupe_key="plan-due:1").count() == 2


def test_notifications_without_key_are_all_kept(world):
    notify(recipients=[world.dept_manager], kind=NotificationKind.PUBLISHED, title="A")
    notify(recipients=[world.dept_manager], kind=NotificationKind.PUBLISHED, title="A")
    assert Notification.objects.filter(recipient=world.dept_manager).count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_email_goes_only_to_those_who_asked_for_it(world):
    world.dept_manager.email = "dm@example.com"
    world.dept_manager.save()
    world.assistant.email = "as@example.com"
    world.assistant.save()
    EmailPreference.objects.create(
        user=world.dept_manager, kind=NotificationKind.DEADLINE, email=True
    )
    notify(
        recipients=[world.dept_manager, world.assistant],
        kind=NotificationKind.DEADLINE,
        title="计划已逾期",
        url="/plans/1/",
    )
    assert [m.to for m in mail.outbox] == [["dm@example.com"]]
    assert "/plans/1/" in mail.outbox[0].body
    assert Notification.objects.get(recipient=world.dept_manager).emailed_at is not None


def test_bell_counts_unread_and_opening_marks_read(client, world):
    notify(
        recipients=[world.supervisor],
        kind=NotificationKind.PUBLISHED,
        title="新规定",
        url="/org/units/",
    )
    notify(recipients=[world.assistant], kind=NotificationKind.PUBLISHED, title="别人的")
    client.force_login(world.supervisor)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "新规定" in page and "别人的" not in page
    bell = re.search(r'id="nav-bell".*?</a>', page, re.S).group(0)
    assert re.search(r"text-bg-danger\">\s*1\s*<", bell)
    mine = Notification.objects.get(recipient=world.supervisor)
    response = client.get(reverse("notifications:open", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == "/org/units/"
    mine.refresh_from_db()
    assert mine.is_read
    other = Notification.objects.get(recipient=world.assistant)
    assert client.get(reverse("notifications:open", args=[other.pk])).status_code == 404


def test_api_lists_own_notifications_and_marks_read(api_client, world):
    notify(recipients=[world.supervisor], kind=NotificationKind.PUBLISHED, title="一")
    notify(recipients=[world.supervisor], kind=NotificationKind.PUBLISHED, title="二")
    notify(recipients=[world.assistant], kind=NotificationKind.PUBLISHED, title="别人的")
    api_client.force_authenticate(world.supervisor)
    listed = api_client.get("/api/v1/notifications/").json()
    assert {row["title"] for row in listed["results"]} == {"一", "二"}
    assert api_client.get("/api/v1/notifications/unread-count/").json() == {"unread": 2}
    first = listed["results"][0]["id"]
    assert api_client.post(
        "/api/v1/notifications/mark-read/", {"ids": [first]}, format="json"
    ).json() == {"marked": 1}
    assert api_client.get("/api/v1/notifications/", {"unread": "1"}).json()["count"] == 1
    other = Notification.objects.get(recipient=world.assistant).pk
    assert api_client.get(f"/api/v1/notifications/{other}/").status_code == 404


def test_send_reminders_never_repeats(world, capsys):
    @reminders.register("test-deadlines")
    def due(today):
        yield Message(
            world.assistant.pk,
            NotificationKind.DEADLINE,
            f"{today} 计划到期",
            dedupe_key="test:due:1",
        )

    try:
        call_command("send_reminders", date="2026-03-28")
        first = capsys.readouterr().out
        call_command("send_reminders", date="2026-03-28")
        second = capsys.readouterr().out
    finally:
        reminders._sources.pop("test-deadlines")
    assert "2026-03-28 计划到期" in first and "1 reminder(s)" in first
    assert "0 reminder(s)" in second
    assert Notification.objects.filter(dedupe_key="test:due:1").count() == 1


def test_email_preferences_page_saves_choices(client, world):
    client.force_login(world.assistant)
    client.post(reverse("notifications:email_preferences"), {"deadline": "on"})
    assert set(
        EmailPreference.objects.filter(user=world.assistant, email=True).values_list(
            "kind", flat=True
        )
    ) == {"deadline"}


def test_notify_many_is_bounded_in_queries(world, django_assert_max_num_queries):
    messages = [
        Message(world.assistant.pk, NotificationKind.DEADLINE, f"#{i}", dedupe_key=f"k{i}")
        for i in range(50)
    ]
    with django_assert_max_num_queries(6):
        notify_many(messages)
