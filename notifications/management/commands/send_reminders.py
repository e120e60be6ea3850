from django.core.management.base import BaseCommand
from django.utils import timezone

from core import reminders
from notifications.services import notify_many


class Command(BaseCommand):
    help = "Send deadline reminders (idempotent: each person is reminded of each thing once)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Pretend today is this date (YYYY-MM-DD).")

    def handle(self, *args, **options):
        today = (
            timezone.datetime.fromisoformat(options["date"]).date()
            if options.get("date")
            else timezone.localdate()
        )
        total = 0
        for name, source in sorted(reminders.sources().items()):
            sent = notify_many(list(source(today)))
            total += len(sent)
            for notification in sent:
                self.stdout.write(f"[{name}] → {notification.recipient_id}: {notification.title}")
        self.stdout.write(self.style.SUCCESS(f"{total} reminder(s) sent for {today}."))
