"""Monthly deductions, the deduction fund and the publication of its use (spec §5.4–5.5)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.versioning import version_field
from org import access
from org.access import Cap, ScopedQuerySet, scoped


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
    version = version_field()
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
