"""Daily work logs (业务员工作日志, 附件6) and the district's scorecard (百分卡), spec §4."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import ProtectedCharField
from core.versioning import version_field
from org.access import Cap, ScopedQuerySet, scope_q, scoped

# (log field, scorecard field) pairs: each kind of activity earns the scorecard's points.
POINT_FIELDS = [
    ("new_prospects", "new_prospect"),
    ("first_visits", "first_visit"),
    ("follow_up_visits", "follow_up_visit"),
    ("closing_visits", "closing_visit"),
    ("service_visits", "service_visit"),
    ("recruiting_talks", "recruiting_talk"),
    ("policies_closed", "policy_closed"),
]
# The kinds that count as visits (拜访量) in the figures.
VISIT_FIELDS = [
    "first_visits",
    "follow_up_visits",
    "closing_visits",
    "service_visits",
    "recruiting_talks",
]
COUNT_FIELDS = [
    "new_prospects",
    *VISIT_FIELDS,
    "accompanied_visits",
    "policies_closed",
]


class ToolMovementQuerySet(ScopedQuerySet):
    scope_unit = "district"

    def visible_to(self, user):
        """All of the districts the user manages; for a department (manager, assistant), what
        was issued to it (they hold the capability over the department only)."""
        return self.filter(
            scope_q(user, Cap.RECORD_WORK_LOGS, via="district")
            | (
                Q(direction=ToolDirection.ISSUED)
                & scope_q(user, Cap.RECORD_WORK_LOGS, via="department")
            )
        )


class Scorecard(models.Model):
    """Points per kind of activity and the weekly target (计划100), one per district."""

    district = models.OneToOneField(
        "org.Unit",
        on_delete=models.CASCADE,
        related_name="activity_scorecard",
        verbose_name=_("sales district"),
    )
    new_prospect = models.PositiveSmallIntegerField(_("new prospect"), default=1)
    first_visit = models.PositiveSmallIntegerField(_("first visit"), default=3)
    follow_up_visit = models.PositiveSmallIntegerField(_("follow-up visit"), default=2)
    closing_visit = models.PositiveSmallIntegerField(_("closing visit"), default=5)
    service_visit = models.PositiveSmallIntegerField(_("service visit"), default=1)
    recruiting_talk = models.PositiveSmallIntegerField(_("recruiting talk"), default=3)
    policy_closed = models.PositiveSmallIntegerField(_("policy closed"), default=10)
    weekly_target = models.PositiveSmallIntegerField(_("weekly target"), default=100)
    version = version_field()
    history = HistoricalRecords()

    objects = scoped("district").as_manager()

    class Meta:
        verbose_name = _("activity scorecard")
        verbose_name_plural = _("activity scorecards")

    def __str__(self):
        return str(self.district)

    @classmethod
    def for_district(cls, district_id) -> "Scorecard":
        """The district's scorecard, or the defaults (unsaved) when none was configured."""
        return cls.objects.filter(district_id=district_id).first() or cls(district_id=district_id)

    def points_for(self, log) -> int:
        return sum(getattr(log, kind) * getattr(self, rate) for kind, rate in POINT_FIELDS)


class LogState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class WorkLog(models.Model):
    agent = models.ForeignKey(
        "org.Agent", on_delete=models.PROTECT, related_name="work_logs", verbose_name=_("agent")
    )
    date = models.DateField(_("date"))
    new_prospects = models.PositiveSmallIntegerField(_("new prospects"), default=0)
    first_visits = models.PositiveSmallIntegerField(_("first visits"), default=0)
    follow_up_visits = models.PositiveSmallIntegerField(_("follow-up visits"), default=0)
    closing_visits = models.PositiveSmallIntegerField(_("closing visits"), default=0)
    service_visits = models.PositiveSmallIntegerField(_("service visits"), default=0)
    recruiting_talks = models.PositiveSmallIntegerField(_("recruiting talks"), default=0)
    accompanied_visits = models.PositiveSmallIntegerField(
        _("visits accompanied by the supervisor"), default=0
    )
    policies_closed = models.PositiveSmallIntegerField(_("policies closed"), default=0)
    meeting_notes = models.TextField(_("morning meeting notes"), blank=True)
    tomorrow_plan = models.TextField(_("tomorrow's plan"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=LogState.choices, default=LogState.DRAFT
    )
    return_comment = models.CharField(_("return comment"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    points = models.PositiveIntegerField(_("points"), default=0, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = version_field()
    history = HistoricalRecords()

    objects = scoped("agent__group", agent="agent_id").as_manager()

    class Meta:
        verbose_name = _("work log")
        verbose_name_plural = _("work logs")
        constraints = [
            models.UniqueConstraint(fields=["agent", "date"], name="activity_worklog_agent_date")
        ]
        indexes = [models.Index(fields=["date", "state"], name="activity_worklog_date_state")]

    def __str__(self):
        return f"{self.agent} {self.date}"

    def save(self, *args, **kwargs):
        # The points follow the district's scorecard at the time of saving.
        district_id = self.agent.group.district_id if self.agent.group_id else None
        self.points = Scorecard.for_district(district_id).points_for(self)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("activity:log_edit", args=[self.agent_id, self.date.isoformat()])

    @property
    def visits(self) -> int:
        return sum(getattr(self, kind) for kind in VISIT_FIELDS)

    @property
    def is_locked(self) -> bool:
        """Approved logs can no longer be changed by the agent (staff may still correct)."""
        return self.state == LogState.APPROVED


class CardSource(models.TextChoices):
    RELATIVES = "relatives", _("Relatives and friends")  # 缘故
    REFERRAL = "referral", _("Referral")  # 转介绍
    COLD = "cold", _("Cold contact")  # 陌生
    OTHER = "other", _("Other")


class ProspectStage(models.TextChoices):
    NEW = "new", _("New")
    CONTACTED = "contacted", _("Contacted")
    NEEDS = "needs", _("Needs analysed")
    PROPOSAL = "proposal", _("Proposal made")
    CLOSED = "closed", _("Closed")
    DROPPED = "dropped", _("Dropped")


class RecruitStage(models.TextChoices):
    NEW = "new", _("New")
    TALKED = "talked", _("Talked")
    BRIEFING = "briefing", _("Attended a career briefing")
    EXAM = "exam", _("Preparing for the exam")
    JOINED = "joined", _("Joined")
    DROPPED = "dropped", _("Dropped")


class CardQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.owned_by(user)

    def owned_by(self, user):
        """Details of cards are for their agent only (spec §4): no role sees other cards."""
        from org.access import own_agent_id

        agent_id = own_agent_id(user)
        return self.filter(agent_id=agent_id) if agent_id else self.none()

    def live(self):
        return self.exclude(stage__in=["closed", "joined", "dropped"])


class Card(models.Model):
    agent = models.ForeignKey("org.Agent", on_delete=models.PROTECT, verbose_name=_("agent"))
    name = models.CharField(_("name"), max_length=50)
    # Customers' and candidates' personal data: stored encrypted (core/fields.py).
    contact = ProtectedCharField(_("contact"), max_length=100, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=CardSource.choices, default=CardSource.RELATIVES
    )
    next_contact_on = models.DateField(_("next contact date"), null=True, blank=True)
    last_contact_on = models.DateField(_("last contact date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # §6.4: kept when the agent resigns and handed over to a colleague; the first owner stays.
    handed_over_from = models.ForeignKey(
        "org.Agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handed over from"),
    )
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    version = version_field()
    # Who changed what (a stale edit shows the other change); the contact stays protected.
    history = HistoricalRecords(inherit=True)

    objects = CardQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return self.name


class ProspectCard(Card):
    """准主顾卡."""

    stage = models.CharField(
        _("stage"), max_length=10, choices=ProspectStage.choices, default=ProspectStage.NEW
    )

    class Meta:
        verbose_name = _("prospect card")
        verbose_name_plural = _("prospect cards")
        indexes = [models.Index(fields=["agent", "stage"], name="activity_prospect_agent_stage")]


class RecruitCard(Card):
    """增员卡."""

    stage = models.CharField(
        _("stage"), max_length=10, choices=RecruitStage.choices, default=RecruitStage.NEW
    )

    class Meta:
        verbose_name = _("recruitment card")
        verbose_name_plural = _("recruitment cards")
        indexes = [models.Index(fields=["agent", "stage"], name="activity_recruit_agent_stage")]


# -- §6.4: cards handed over when their agent resigns ---------------------------------------------


class CardHandover(models.Model):
    """One handover of a resigned agent's cards to an active agent of the same department. The
    record holds counts only: whoever hands over never sees the cards' details."""

    from_agent = models.ForeignKey(
        "org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("from agent")
    )
    to_agent = models.ForeignKey(
        "org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("to agent")
    )
    prospect_cards = models.PositiveIntegerField(_("prospect cards"), default=0)
    recruit_cards = models.PositiveIntegerField(_("recruitment cards"), default=0)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("handed over by"),
    )
    handed_over_at = models.DateTimeField(_("handed over at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = scoped("from_agent__group").as_manager()

    class Meta:
        verbose_name = _("card handover")
        verbose_name_plural = _("card handovers")
        ordering = ["-handed_over_at"]

    def __str__(self):
        return f"{self.from_agent} → {self.to_agent}"


# -- 活动量工具: tools the district receives and issues to departments (spec §4.2) -------------

# The default kinds; their names are translated. Districts may add kinds (in the admin).
DEFAULT_TOOL_KINDS = {
    "log_book": _("work log book"),  # 工作日志本
    "prospect_card": _("prospect card"),  # 准主顾卡
    "recruit_card": _("recruitment card"),  # 增员卡
    "work_element_table": _("work element table"),  # 工作要素统计表
}


class ToolKind(models.Model):
    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("activity tool kind")
        verbose_name_plural = _("activity tool kinds")
        ordering = ["order", "pk"]

    def __str__(self):
        return str(DEFAULT_TOOL_KINDS.get(self.key, self.name))


class ToolDirection(models.TextChoices):
    RECEIVED = "in", _("Received")
    ISSUED = "out", _("Issued")


class ToolMovement(models.Model):
    """Tools received by the district (stock in) or issued to one of its departments."""

    district = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("sales district")
    )
    kind = models.ForeignKey(ToolKind, on_delete=models.PROTECT, verbose_name=_("tool"))
    direction = models.CharField(_("direction"), max_length=3, choices=ToolDirection.choices)
    quantity = models.PositiveIntegerField(_("quantity"))
    department = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ToolMovementQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity tool movement")
        verbose_name_plural = _("activity tool movements")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["district", "kind"], name="activity_tool_district_kind")]

    def __str__(self):
        return f"{self.kind} {self.get_direction_display()} {self.quantity}"


# -- 附件5 活动量管理检查记录表: the weekly activity check of a department ---------------------


class CheckState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHECKED = "checked", _("Checked")


class WeeklyCheck(models.Model):
    """Per department per week (Monday–Sunday). The figures are computed from the data while the
    department fills the record and frozen into `snapshot` when it submits, so the record the
    district comments on no longer moves."""

    department = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    week_start = models.DateField(_("week starting"))
    state = models.CharField(
        _("state"), max_length=10, choices=CheckState.choices, default=CheckState.DRAFT
    )
    morning_meeting = models.TextField(_("department morning meeting status"), blank=True)
    second_meeting = models.TextField(_("group second morning meeting status"), blank=True)  # 二早
    work_element_table = models.TextField(_("work element table filled"), blank=True)
    evening_meeting = models.TextField(_("evening meeting status"), blank=True)  # 夕会
    measures = models.TextField(_("improvement measures"), blank=True)
    snapshot = models.JSONField(_("figures at submission"), null=True, blank=True, editable=False)
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("filled by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    comment = models.TextField(_("district comment"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = version_field()
    history = HistoricalRecords()

    objects = scoped("department").as_manager()

    class Meta:
        verbose_name = _("weekly activity check")
        verbose_name_plural = _("weekly activity checks")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "week_start"], name="activity_weeklycheck_dept_week"
            )
        ]

    def __str__(self):
        return f"{self.department} {self.week_start}"

    def get_absolute_url(self):
        return reverse(
            "activity:weekly_check", args=[self.department_id, self.week_start.isoformat()]
        )

    @property
    def week_end(self):
        from datetime import timedelta

        return self.week_start + timedelta(days=6)

    @property
    def is_editable(self) -> bool:
        return self.state == CheckState.DRAFT
