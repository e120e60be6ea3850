"""Run (or re-run) a district's monthly deductions: idempotent, like the page's button."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from attendance.services import deductions as deduction_services
from org.models import Unit, UnitKind


class Command(BaseCommand):
    help = "Compute a district's attendance deductions for a month (re-running updates them)."

    def add_arguments(self, parser):
        parser.add_argument("--district", required=True, help="The district's unit code.")
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument(
            "--user", default="", help="Run as this user (default: the first superuser)."
        )

    def handle(self, *args, district, month, user, **options):
        try:
            first = date.fromisoformat(f"{month}-01")
        except ValueError:
            raise CommandError("--month must be YYYY-MM") from None
        unit = Unit.objects.filter(kind=UnitKind.DISTRICT, code=district).first()
        if unit is None:
            raise CommandError(f"No district {district!r}")
        users = (
            User.objects.filter(username=user) if user else User.objects.filter(is_superuser=True)
        )
        acting_user = users.order_by("pk").first()
        if acting_user is None:
            raise CommandError("No user to run as")
        audit = deduction_services.deduction_run(
            acting_user=acting_user, district=unit, month=first
        )
        month_row = audit.deduction_month
        self.stdout.write(
            f"{unit.code} {first:%Y-%m}: {month_row.lines.count()} lines, total {audit.total_after}"
            + (
                f" (was {audit.total_before}, {len(audit.changes)} changed)"
                if audit.total_before is not None
                else ""
            )
        )
