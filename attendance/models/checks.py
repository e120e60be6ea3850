"""Department attendance check records (营业部差勤检查记录表, 附件7)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.versioning import version_field
from org.access import scoped


class CheckRecord(models.Model):
    """营业部差勤检查记录表 (附件7): a department's attendance check for a period. The people and
    days are a snapshot of the attendance data (refreshable until verified); the handling and
    the verification are written by people, and the verifier is not the author."""

    department = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="attendance_checks",
        verbose_name=_("sales department"),
        limit_choices_to={"kind": "department"},
    )
    check_date = models.DateField(_("check date"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    handling_measures = models.TextField(_("handling measures"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("filled in by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    refreshed_at = models.DateTimeField(_("figures taken at"), null=True, blank=True)
    verifier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verifier"),
    )
    verified_on = models.DateField(_("verification date"), null=True, blank=True)
    verification_note = models.CharField(_("verification result"), max_length=200, blank=True)
    version = version_field()
    history = HistoricalRecords()

    objects = scoped("department").as_manager()

    class Meta:
        verbose_name = _("attendance check record")
        verbose_name_plural = _("attendance check records")
        ordering = ["-check_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "check_date"], name="one_attendance_check_per_day"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="attendance_check_period_in_order",
            ),
            models.CheckConstraint(
                condition=Q(verifier__isnull=True) | ~Q(verifier=models.F("author")),
                name="attendance_check_verifier_is_not_author",
            ),
        ]
        indexes = [models.Index(fields=["verified_on", "check_date"], name="attendance_check_open")]

    def __str__(self):
        return f"{self.department} {self.check_date}"

    def get_absolute_url(self):
        return reverse("attendance:check_detail", args=[self.pk])

    @property
    def is_verified(self) -> bool:
        return self.verifier_id is not None


class CheckLineKind(models.TextChoices):
    LEAVE = "leave", _("On leave")
    ABSENT = "absent", _("Absent")


class CheckRecordLine(models.Model):
    """A person on the check record: on leave (days, reported?) or absent (days, handling)."""

    record = models.ForeignKey(
        CheckRecord, on_delete=models.CASCADE, related_name="lines", verbose_name=_("check record")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CheckLineKind.choices)
    agent = models.ForeignKey(
        "org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("agent")
    )
    days = models.DecimalField(_("days"), max_digits=5, decimal_places=1)
    reported = models.BooleanField(_("reported in advance"), default=False)
    handling_result = models.CharField(_("handling result"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = scoped("record__department").as_manager()

    class Meta:
        verbose_name = _("check record line")
        verbose_name_plural = _("check record lines")
        ordering = ["record", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "kind", "agent", "reported"], name="one_check_line_per_person"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.agent_id} {self.days}"
