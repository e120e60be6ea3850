"""Sending notifications: in-app always, e-mail for those who asked for it."""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from notifications.models import EmailPreference, Notification


@dataclass(frozen=True)
class Message:
    recipient_id: int
    kind: str
    title: str
    url: str = ""
    body: str = ""
    dedupe_key: str | None = None


def notify(
    *,
    recipients,
    kind: str,
    title: str,
    url: str = "",
    body: str = "",
    dedupe_key: str | None = None,
) -> list[Notification]:
    """Notify each recipient (users or ids). With a dedupe_key, nobody gets the same thing twice."""
    messages = [
        Message(getattr(r, "pk", r), kind, title[:200], url, body, dedupe_key) for r in recipients
    ]
    return notify_many(messages)


@transaction.atomic
def notify_many(messages: list[Message]) -> list[Notification]:
    """Create the notifications not sent before (by recipient and dedupe key); returns the new
    ones. Bounded queries whatever the number of messages."""
    unique = {(m.recipient_id, m.dedupe_key or f"\0{i}"): m for i, m in enumerate(messages)}
    keys = {m.dedupe_key for m in unique.values() if m.dedupe_key}
    already = set()
    if keys:
        already = set(
            Notification.objects.filter(dedupe_key__in=keys).values_list(
                "recipient_id", "dedupe_key"
            )
        )
    new = [
        Notification(
            recipient_id=m.recipient_id,
            kind=m.kind,
            title=m.title,
            url=m.url,
            body=m.body,
            dedupe_key=m.dedupe_key,
        )
        for m in unique.values()
        if not (m.dedupe_key and (m.recipient_id, m.dedupe_key) in already)
    ]
    Notification.objects.bulk_create(new)
    if new:
        ids = [n.pk for n in new] if all(n.pk for n in new) else None
        transaction.on_commit(lambda: _send_emails(ids, new))
    return new


def _send_emails(ids, notifications) -> None:
    if ids is not None:
        notifications = list(Notification.objects.filter(pk__in=ids).select_related("recipient"))
    wanted = set(
        EmailPreference.objects.filter(
            email=True, user_id__in={n.recipient_id for n in notifications}
        ).values_list("user_id", "kind")
    )
    sent = []
    for notification in notifications:
        recipient = notification.recipient
        if (recipient.pk, notification.kind) not in wanted or not recipient.email:
            continue
        link = f"\n\n{settings.SITE_URL.rstrip('/')}{notification.url}" if notification.url else ""
        send_mail(
            notification.title,
            f"{notification.body}{link}".strip() or notification.title,
            None,
            [recipient.email],
            fail_silently=True,
        )
        sent.append(notification.pk)
    if sent:
        Notification.objects.filter(pk__in=sent).update(emailed_at=timezone.now())


def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    """Mark the user's notifications read (the given ones, or all); returns how many changed."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def email_preferences_set(*, user, kinds_by_email: dict[str, bool]) -> None:
    for kind, email in kinds_by_email.items():
        EmailPreference.objects.update_or_create(user=user, kind=kind, defaults={"email": email})
