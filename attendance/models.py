"""Attendance (差勤, spec §5): one status per agent per workday, leave requests, the district's
check-in window and deduction rates, and the department check records (附件7).

No AttendanceRecord row for an active agent on a workday means "unmarked": not attended, and
counted separately so that the attendance rate stays honest (see selectors.figures).
"""

from datetime import time
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

FULL_DAY = Decimal("1.0")
HALF_DAY = Decimal("0.5")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    LEAVE = "leave", _("Leave")
    ABSENT = "absent", _("Absent")


# Statuses that may be recorded for half a day; the other half counts as attended.
HALF_DAY_STATUSES = (AttendanceStatus.LEAVE, AttendanceStatus.ABSENT)
ATTENDED_STATUSES = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


class AttendanceSource(models.TextChoices):
    ROLL_CALL = "roll_call", _("Roll call")
    CHECK_IN = "check_in", _("Phone check-in")
    IMPORT = "import", _("Excel import")
    LEAVE = "leave", _("Approved leave request")


class AttendanceRecord(models.Model):
    """An agent's attendance on one workday."""

    agent = models.ForeignKey(
        "org.Agent",
        on_delete=models.PROTECT,
        related_name="attendance_records",
        verbose_name=_("agent"),
    )
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=10, choices=AttendanceStatus.choices)
    # 1.0, or 0.5 for half a day of leave or absence (the other half counts as attended).
    fraction = models.DecimalField(_("days"), max_digits=2, decimal_places=1, default=FULL_DAY)
    # Leave only: reported in advance (已报备).
    reported = models.BooleanField(_("reported in advance"), default=False)
    leave_request = models.ForeignKey(
        "attendance.LeaveRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="records",
        verbose_name=_("leave request"),
    )
    source = models.CharField(_("source"), max_length=20, choices=AttendanceSource.choices)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        ordering = ["date", "agent"]
        constraints = [
            # Also the (agent, date) index every per-agent range read uses.
            models.UniqueConstraint(fields=["agent", "date"], name="one_attendance_per_agent_day"),
            models.CheckConstraint(
                condition=Q(fraction=FULL_DAY)
                | Q(fraction=HALF_DAY, status__in=[s.value for s in HALF_DAY_STATUSES]),
                name="attendance_half_day_only_for_leave_or_absence",
            ),
            models.CheckConstraint(
                condition=Q(reported=False) | Q(status=AttendanceStatus.LEAVE),
                name="attendance_reported_only_for_leave",
            ),
        ]
        indexes = [models.Index(fields=["date"], name="attendance_date")]

    def __str__(self):
        return f"{self.agent_id} {self.date} {self.get_status_display()}"

    @property
    def attended(self) -> Decimal:
        if self.status in ATTENDED_STATUSES:
            return FULL_DAY
        return FULL_DAY - self.fraction


class LeaveState(models.TextChoices):
    """Mirrors the approval request's state (approvals.models.ApprovalState)."""

    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class LeaveRequest(models.Model):
    """请假申请: submitted by the agent or entered for them, approved through the approval flow."""

    agent = models.ForeignKey(
        "org.Agent",
        on_delete=models.PROTECT,
        related_name="leave_requests",
        verbose_name=_("agent"),
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    half_day = models.BooleanField(_("half day"), default=False)
    reason = models.CharField(_("reason"), max_length=200)
    state = models.CharField(
        _("state"), max_length=20, choices=LeaveState.choices, default=LeaveState.SUBMITTED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["agent", "start_date"], name="leave_agent_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="leave_dates_in_order"
            ),
            models.CheckConstraint(
                condition=Q(half_day=False) | Q(end_date=models.F("start_date")),
                name="leave_half_day_is_one_day",
            ),
        ]

    def __str__(self):
        if self.start_date == self.end_date:
            return f"{self.agent.name} {self.start_date}"
        return f"{self.agent.name} {self.start_date}–{self.end_date}"

    def get_absolute_url(self):
        return reverse("attendance:leave_detail", args=[self.pk])

    @property
    def title(self) -> str:
        return _("Leave request: %(request)s") % {"request": self}


DEFAULT_ON_TIME_UNTIL = time(8, 30)
DEFAULT_LATE_UNTIL = time(9, 30)


class AttendanceRules(models.Model):
    """The district's attendance regulation values, effective from a date (the latest row with
    effective_from ≤ the day applies). Phase 1 uses the check-in window; the deductions are for
    the monthly deduction run."""

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
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance rules")
        verbose_name_plural = _("attendance rules")
        ordering = ["district", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "effective_from"], name="one_attendance_rules_per_day"
            ),
            models.CheckConstraint(
                condition=Q(late_until__gte=models.F("on_time_until")),
                name="attendance_late_after_on_time",
            ),
        ]

    def __str__(self):
        return f"{self.district} {self.effective_from}"


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
    history = HistoricalRecords()

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
