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

from org import access
from org.access import Cap, ScopedQuerySet, scoped

FULL_DAY = Decimal("1.0")
HALF_DAY = Decimal("0.5")


class DeductionMonthQuerySet(ScopedQuerySet):
    scope_unit = "district"

    def visible_to(self, user):
        """District months where the user sees the district, or any agent in it."""
        return self.filter(
            self.scope_filter(user, Cap.VIEW_ORG) | Q(district_id__in=access.member_unit_ids(user))
        )


class DeductionLineQuerySet(ScopedQuerySet):
    scope_unit = "agent__group"
    scope_agent = "agent_id"

    def visible_to(self, user):
        """Lines of the agents the user sees; an agent sees their own only once the month is
        closed (an open month's figures may still change)."""
        lines = super().visible_to(user)
        if not access.holds(user, Cap.VIEW_ORG):
            lines = lines.filter(deduction_month__state=DeductionMonthState.CLOSED)
        return lines


class PublicationQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """Staff whose view scope covers the unit; everyone who belongs to the unit or below
        (agents included). Whether it is published yet is the page's question."""
        return self.filter(
            self.scope_filter(user, Cap.VIEW_ORG) | Q(unit_id__in=access.member_unit_ids(user))
        )


class ImprovementMeasureQuerySet(ScopedQuerySet):
    scope_unit = "department"

    def visible_to(self, user):
        """Measures of the departments in view scope, and of the department a staff member
        works in (a supervisor reads their department's measures)."""
        condition = self.scope_filter(user, Cap.VIEW_ORG)
        if access.held_roles(user):
            condition |= Q(department_id__in=access.member_unit_ids(user))
        return self.filter(condition)


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
    history = HistoricalRecords()

    objects = scoped("district").as_manager()

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


# -- monthly deductions, the deduction fund, publication, improvement measures (spec §5.4–5.5) ---

MONEY = {"max_digits": 12, "decimal_places": 2}


class DeductionMonthState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class DeductionMonth(models.Model):
    """A district's deduction run for one month (差勤扣款): open (may be re-run) or closed (the
    lines are frozen and the total credited to the fund)."""

    district = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="deduction_months",
        verbose_name=_("sales district"),
        limit_choices_to={"kind": "district"},
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=DeductionMonthState.choices,
        default=DeductionMonthState.OPEN,
    )
    total = models.DecimalField(_("total"), default=Decimal("0"), **MONEY)
    # The rules applied: [{"from", "to", "rules_id", "version_id", "label"}], one per segment.
    segments = models.JSONField(_("rules applied"), default=list)
    run_at = models.DateTimeField(_("run at"))
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("run by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    history = HistoricalRecords()

    objects = DeductionMonthQuerySet.as_manager()

    class Meta:
        verbose_name = _("deduction month")
        verbose_name_plural = _("deduction months")
        ordering = ["-month", "district"]
        constraints = [
            models.UniqueConstraint(fields=["district", "month"], name="one_deduction_month"),
        ]

    def __str__(self):
        return f"{self.district} {self.month:%Y-%m}"

    def get_absolute_url(self):
        return reverse("attendance:deduction_month", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.state == DeductionMonthState.CLOSED


class DeductionLine(models.Model):
    """One agent's deduction in a deduction month, with the counts it was computed from."""

    deduction_month = models.ForeignKey(
        DeductionMonth, on_delete=models.CASCADE, related_name="lines", verbose_name=_("month")
    )
    agent = models.ForeignKey(
        "org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("agent")
    )
    # Where the agent was when the month was run (a later transfer doesn't move the line).
    department = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("sales department")
    )
    late = models.PositiveIntegerField(_("late"), default=0)
    leave_reported = models.DecimalField(
        _("reported leave days"), max_digits=5, decimal_places=1, default=Decimal("0")
    )
    leave_reported_charged = models.DecimalField(
        _("reported leave days beyond the free days"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("0"),
    )
    leave_unreported = models.DecimalField(
        _("unreported leave days"), max_digits=5, decimal_places=1, default=Decimal("0")
    )
    absent = models.DecimalField(
        _("absent days"), max_digits=5, decimal_places=1, default=Decimal("0")
    )
    amount = models.DecimalField(_("deduction"), default=Decimal("0"), **MONEY)
    rules = models.JSONField(_("rules applied"), default=list)

    objects = DeductionLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("deduction line")
        verbose_name_plural = _("deduction lines")
        ordering = ["deduction_month", "department", "agent"]
        constraints = [
            models.UniqueConstraint(
                fields=["deduction_month", "agent"], name="one_deduction_line_per_agent"
            ),
        ]
        indexes = [
            models.Index(fields=["deduction_month", "department"], name="deduction_line_dept"),
            models.Index(fields=["agent", "deduction_month"], name="deduction_line_agent"),
        ]

    def __str__(self):
        return f"{self.agent_id} {self.amount}"


class DeductionAuditAction(models.TextChoices):
    RUN = "run", _("Run")
    CLOSE = "close", _("Closed")
    REOPEN = "reopen", _("Reopened")


class DeductionAudit(models.Model):
    """Each run, close and reopen of a deduction month; a re-run keeps what changed per agent."""

    deduction_month = models.ForeignKey(
        DeductionMonth, on_delete=models.CASCADE, related_name="audits", verbose_name=_("month")
    )
    action = models.CharField(_("action"), max_length=10, choices=DeductionAuditAction.choices)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    total_before = models.DecimalField(_("total before"), null=True, blank=True, **MONEY)
    total_after = models.DecimalField(_("total after"), null=True, blank=True, **MONEY)
    # [{"agent_id", "code", "name", "old", "new"}] for the agents whose amount changed.
    changes = models.JSONField(_("changes"), default=list)

    objects = scoped("deduction_month__district").as_manager()

    class Meta:
        verbose_name = _("deduction audit entry")
        verbose_name_plural = _("deduction audit entries")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.deduction_month} {self.action} {self.at:%Y-%m-%d %H:%M}"


class FundEntryKind(models.TextChoices):
    CREDIT = "credit", _("Deductions credited")
    DEBIT = "debit", _("Usage")


class FundEntryState(models.TextChoices):
    """Mirrors the approval request of a usage entry; a credit is approved when written."""

    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class FundEntryQuerySet(ScopedQuerySet):
    scope_unit = "district"

    def visible_to(self, user):
        """District staff all of the district's entries; department staff their department's."""
        return self.filter(
            self.scope_filter(user, Cap.VIEW_ORG) | access.scope_q(user, via="department")
        )

    def approved(self):
        return self.filter(state=FundEntryState.APPROVED)

    def balance(self) -> Decimal:
        """Approved credits minus approved usage, summed by the database."""
        total = self.approved().aggregate(
            total=models.Sum(
                models.Case(
                    models.When(kind=FundEntryKind.DEBIT, then=-models.F("amount")),
                    default=models.F("amount"),
                )
            )
        )["total"]
        return total or Decimal("0")


class FundEntry(models.Model):
    """扣款基金: a closed deduction month credits it; a usage entry (what for, amount, date)
    debits it once approved through the approval flow."""

    district = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="fund_entries",
        verbose_name=_("sales district"),
        limit_choices_to={"kind": "district"},
    )
    department = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sales department"),
        help_text=_("Leave empty for the district's own usage."),
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=FundEntryKind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    purpose = models.CharField(_("purpose"), max_length=200)
    state = models.CharField(
        _("state"), max_length=10, choices=FundEntryState.choices, default=FundEntryState.SUBMITTED
    )
    deduction_month = models.OneToOneField(
        DeductionMonth,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_credit",
        verbose_name=_("deduction month"),
    )
    # The balance may go negative only with the district manager's explicit override.
    override = models.BooleanField(_("balance override"), default=False)
    override_reason = models.CharField(_("override reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approver"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = FundEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("deduction fund entry")
        verbose_name_plural = _("deduction fund entries")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["district", "state", "date"], name="fund_district_date")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fund_amount_positive"),
            models.CheckConstraint(
                condition=Q(override=False) | ~Q(override_reason=""),
                name="fund_override_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(kind="debit", deduction_month__isnull=True)
                | Q(kind="credit", deduction_month__isnull=False),
                name="fund_credit_from_a_deduction_month",
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.amount}"

    def get_absolute_url(self):
        return reverse("attendance:fund_entry", args=[self.pk])

    @property
    def title(self) -> str:
        return _("Deduction fund usage: %(purpose)s (¥%(amount)s)") % {
            "purpose": self.purpose,
            "amount": self.amount,
        }


class Publication(models.Model):
    """公布扣款使用明细: a district's or department's page for a month, published explicitly; the
    row exists once published and makes the page readable by the unit's people."""

    district = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("sales district")
    )
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="deduction_publications",
        verbose_name=_("unit"),
    )
    month = models.DateField(_("month"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("published by"),
    )

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("deduction publication")
        verbose_name_plural = _("deduction publications")
        ordering = ["-month", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="one_publication_per_month"),
        ]

    def __str__(self):
        return f"{self.unit} {self.month:%Y-%m}"


class MeasureStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class ImprovementMeasure(models.Model):
    """改善举措 agreed between the district and a department for a month, and followed up."""

    district = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("sales district")
    )
    department = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="improvement_measures",
        verbose_name=_("sales department"),
        limit_choices_to={"kind": "department"},
    )
    month = models.DateField(_("month"))
    measure = models.TextField(_("measure"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.OPEN
    )
    follow_up = models.TextField(_("follow-up"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ImprovementMeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("improvement measure")
        verbose_name_plural = _("improvement measures")
        ordering = ["-month", "department", "id"]
        indexes = [models.Index(fields=["department", "month"], name="measure_dept_month")]

    def __str__(self):
        return f"{self.department} {self.month:%Y-%m}"

    def get_absolute_url(self):
        return reverse("attendance:measure_edit", args=[self.pk])
