"""Apply scheduled transfers and rank changes whose date has come (run daily by cron)."""

from django.core.management.base import BaseCommand

from org.services.placements import apply_due


class Command(BaseCommand):
    help = (
        "Make each agent's current group and rank follow their placement valid today, so "
        "scheduled transfers and rank changes take effect on their date. Idempotent."
    )

    def handle(self, *args, **options):
        applied = apply_due()
        self.stdout.write(f"{len(applied)} agent(s) updated.")
