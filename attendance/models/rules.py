"""The district's attendance regulation values: check-in window and deduction rates."""

from datetime import time
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.versioning import version_field
from org.access import scoped

DEFAULT_ON_TIME_UNTIL = time(8, 30)
DEFAULT_LATE_UNTIL = time(9, 30)


class AttendanceRules(models.Model):
    """The district's attendance regulation values (check-in window, deduction rates).

    A row linked to a regulation version (差勤管理规定, plans) is edited with the version while it
    is a draft or returned, and applies only once the version is published (and, superseded,
    until the next one), from the version's effective date (selectors.rules_for). Rows without a
    version are built-in values for districts that have no published regulation yet."""

    district = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="attendance_rules",
        verbose_name=_("sales district"),
        limit_choices_to={"kind": "district"},
    )
    effective_from = models.DateField(_("effective from"))
    on_time_until = models.TimeField(
        _("on time until"),
        default=DEFAULT_ON_TIME_UNTIL,
        help_text=_("A check-in before this time is present."),
    )
    late_until = models.TimeField(
        _("late until"),
        default=DEFAULT_LATE_UNTIL,
        help_text=_("A check-in until this minute is late; later check-ins are refused."),
    )
    late_deduction = models.DecimalField(
        _("deduction per late arrival"), max_digits=8, decimal_places=2, default=Decimal("0")
    )
    unreported_leave_deduction = models.DecimalField(
        _("deduction per day of unreported leave"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
    )
    absence_deduction = models.DecimalField(
        _("deduction per day of absence"), max_digits=8, decimal_places=2, default=Decimal("0")
    )
    free_reported_leave_days = models.DecimalField(
        _("free reported leave days per month"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("0"),
    )
    reported_leave_deduction = models.DecimalField(
        _("deduction per reported leave day beyond the free days"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
    )
    # The approved attendance regulation (差勤管理规定) these values come from.
    source_version = models.ForeignKey(
        "plans.DocumentVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("regulation version"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    version = version_field()
    history = HistoricalRecords()

    objects = scoped("district").as_manager()

    # The regulation's values, as edited with a regulation version (form, service and API).
    VALUE_FIELDS = (
        "on_time_until",
        "late_until",
        "late_deduction",
        "unreported_leave_deduction",
        "absence_deduction",
        "free_reported_leave_days",
        "reported_leave_deduction",
    )

    class Meta:
        verbose_name = _("attendance rules")
        verbose_name_plural = _("attendance rules")
        ordering = ["district", "-effective_from"]
        constraints = [
            # Built-in rows (no regulation) are one per day; regulation rows one per version
            # (a new version may keep its predecessor's effective date).
            models.UniqueConstraint(
                fields=["district", "effective_from"],
                condition=Q(source_version__isnull=True),
                name="one_attendance_rules_per_day",
            ),
            models.UniqueConstraint(
                fields=["source_version"],
                condition=Q(source_version__isnull=False),
                name="one_attendance_rules_per_version",
            ),
            models.CheckConstraint(
                condition=Q(late_until__gte=models.F("on_time_until")),
                name="attendance_late_after_on_time",
            ),
        ]

    def __str__(self):
        return f"{self.district} {self.effective_from}"
