"""Daily attendance (spec §5): one status per agent per workday, and leave requests."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.versioning import version_field
from org.access import scoped

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

    objects = scoped("agent__group", agent="agent_id").as_manager()

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
    version = version_field()
    history = HistoricalRecords()

    objects = scoped("agent__group", agent="agent_id").as_manager()

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
