"""Organisation and people (spec §1): units, ranks, agents and their rank/transfer history."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import (
    ProtectedCharField,
    ProtectedFieldsMixin,
    ProtectedQuerySet,
    SearchHashField,
    normalize_compact,
    normalize_phone,
)
from core.masking import mask_id_number, mask_mobile
from core.versioning import version_field
from org.access import ScopedQuerySet, scoped


class UnitKind(models.TextChoices):
    BRANCH = "branch", _("Branch")
    MARKETING = "marketing", _("Marketing department")
    FINANCE = "finance", _("Finance department")
    CUSTOMER_SERVICE = "customer_service", _("Customer service department")
    DISTRICT = "district", _("Sales district")
    DEPARTMENT = "department", _("Sales department")
    GROUP = "group", _("Sales group")


# Which kind of unit may sit under which: the sales line is branch → district → department → group.
ALLOWED_CHILD_KINDS = {
    UnitKind.BRANCH: {
        UnitKind.DISTRICT,
        UnitKind.MARKETING,
        UnitKind.FINANCE,
        UnitKind.CUSTOMER_SERVICE,
    },
    UnitKind.DISTRICT: {UnitKind.DEPARTMENT},
    UnitKind.DEPARTMENT: {UnitKind.GROUP},
}


class UnitQuerySet(ScopedQuerySet):
    scope_unit = ""

    def open(self):
        return self.filter(closed_on__isnull=True)

    def subtree_of(self, unit):
        return self.filter(path__startswith=unit.path)


class Unit(models.Model):
    """A node of the organisation tree; `path` ("/1/4/17/") makes a subtree one indexed LIKE."""

    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=30, unique=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    district = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sales district"),
        editable=False,
    )
    path = models.CharField(max_length=255, editable=False, default="")
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    version = version_field()
    history = HistoricalRecords(excluded_fields=["path", "district"])

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisational unit")
        verbose_name_plural = _("organisational units")
        ordering = ["path"]
        indexes = [
            models.Index(fields=["kind", "path"]),
            # PostgreSQL uses an index for `LIKE 'prefix%'` only with the pattern operator class.
            models.Index(
                fields=["path"], name="unit_path_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.kind == UnitKind.DISTRICT:
            self.district_id = self.pk
        elif self.parent_id:
            self.district_id = self.parent.district_id
        super().save(*args, **kwargs)
        # path and district of a district need the row's own id, known only after insert
        path = self.child_path(self.parent.path if self.parent_id else "/", self.pk)
        updates = {}
        if self.path != path:
            self.path = updates["path"] = path
        if self.kind == UnitKind.DISTRICT and self.district_id != self.pk:
            self.district_id = updates["district_id"] = self.pk
        if updates:
            Unit.objects.filter(pk=self.pk).update(**updates)

    def get_absolute_url(self):
        return reverse("org:unit_detail", args=[self.pk])

    @staticmethod
    def child_path(parent_path: str, pk: int) -> str:
        # Zero-padded so that ordering by path is tree order (6 before 10).
        return f"{parent_path}{pk:08d}/"

    @property
    def is_open(self):
        return self.closed_on is None

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]

    @property
    def department(self):
        if self.kind == UnitKind.DEPARTMENT:
            return self
        if self.kind == UnitKind.GROUP:
            return self.parent
        return None


class Rank(models.Model):
    """A step of the branch's rank ladder (职级序列), configurable per branch."""

    branch = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="ranks",
        verbose_name=_("branch"),
        limit_choices_to={"kind": UnitKind.BRANCH},
    )
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=50)
    level = models.PositiveSmallIntegerField(_("level"), help_text=_("Higher is more senior."))
    is_manager_rank = models.BooleanField(_("leads a team"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rank")
        verbose_name_plural = _("ranks")
        ordering = ["branch", "level"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "code"], name="rank_code_unique_in_branch"),
        ]

    def __str__(self):
        return self.name


class AgentStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    PROBATION = "probation", _("Probation")
    FORMAL = "formal", _("Formal")
    RESIGNED = "resigned", _("Resigned")


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Education(models.TextChoices):
    JUNIOR_HIGH = "junior_high", _("Junior high school or below")
    HIGH_SCHOOL = "high_school", _("High school / technical school")
    COLLEGE = "college", _("College (3-year)")
    BACHELOR = "bachelor", _("Bachelor")
    MASTER = "master", _("Master or above")


class AgentQuerySet(ProtectedQuerySet, ScopedQuerySet):
    scope_unit = "group"
    scope_agent = "pk"

    def active_on(self, day):
        """Hired on or before `day` and not resigned before it (spec §4 definition)."""
        return self.filter(active_q(day))

    def active_during(self, start, end):
        """Active on at least one day of [start, end]."""
        return self.filter(active_q(start, end))

    def in_unit(self, unit):
        """In `unit` now (the current group): what scoping uses."""
        return self.filter(group__path__startswith=unit.path)

    def in_unit_on(self, unit, day):
        """Active on `day` and placed in `unit` (or a unit below it) on that day."""
        return self.active_on(day).filter(
            pk__in=AgentPlacement.objects.in_unit(unit).valid_on(day).values("agent_id")
        )

    def in_unit_during(self, unit, start, end):
        """Active during [start, end] and placed in `unit` on at least one day of it."""
        return self.active_during(start, end).filter(
            pk__in=AgentPlacement.objects.in_unit(unit).overlapping(start, end).values("agent_id")
        )


def active_q(start, end=None, *, prefix: str = "") -> Q:
    """The one rule "an agent is active": hired on or before the last day and not resigned
    before the first, as a Q over the agent reached through `prefix` ("agent__" from a record).
    `start`/`end` may be dates or expressions (F("date") for "on the record's day")."""
    end = start if end is None else end
    return Q(**{f"{prefix}hire_date__lte": end}) & (
        Q(**{f"{prefix}resigned_on__isnull": True}) | Q(**{f"{prefix}resigned_on__gte": start})
    )


def placed_q(unit, day, *, prefix: str = "agent__") -> Q:
    """The agent (through `prefix`) was placed in `unit` or below on `day` (a date or an
    expression such as F("date")). Use it inside ONE filter() call together with any other
    condition on the same placement, so that they share one join; the placement's fields can
    then be read as `<prefix>placements__group_id` in values()."""
    p = f"{prefix}placements__"
    condition = Q(**{f"{p}valid_from__lte": day}) & (
        Q(**{f"{p}valid_to__isnull": True}) | Q(**{f"{p}valid_to__gt": day})
    )
    if unit is not None:
        condition &= Q(**{f"{p}group__path__startswith": unit.path})
    return condition


class Agent(ProtectedFieldsMixin, models.Model):
    """业务员档案: the agent record. ID number and mobile are stored encrypted (core/fields.py);
    find an agent by them with Agent.objects.matching(mobile=...)."""

    code = models.CharField(_("agent code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=50, db_index=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    id_number = ProtectedCharField(_("national ID number"), max_length=18)
    id_number_hash = SearchHashField("id_number", normalize=normalize_compact)
    mobile = ProtectedCharField(_("mobile"), max_length=11)
    mobile_hash = SearchHashField("mobile", normalize=normalize_phone)
    education = models.CharField(_("education"), max_length=20, choices=Education.choices)
    hire_date = models.DateField(_("hire date"), db_index=True)
    group = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="agents",
        verbose_name=_("group"),
        limit_choices_to={"kind": UnitKind.GROUP},
    )
    rank = models.ForeignKey(
        Rank, on_delete=models.PROTECT, related_name="agents", verbose_name=_("rank")
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AgentStatus.choices,
        default=AgentStatus.PROBATION,
        db_index=True,
    )
    resigned_on = models.DateField(_("resignation date"), null=True, blank=True)
    recruiter = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recruits",
        verbose_name=_("recruiter"),
    )
    practice_certificate_no = models.CharField(
        _("practice certificate number"), max_length=40, blank=True
    )
    practice_certificate_valid_until = models.DateField(
        _("practice certificate valid until"), null=True, blank=True
    )
    qualification_certificate_no = models.CharField(
        _("qualification certificate number"), max_length=40, blank=True
    )
    deposit_paid = models.DecimalField(
        _("work deposit paid"), max_digits=10, decimal_places=2, default=0
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agent",
        verbose_name=_("login user"),
    )
    version = version_field()
    history = HistoricalRecords()

    objects = AgentQuerySet.as_manager()

    class Meta:
        verbose_name = _("agent")
        verbose_name_plural = _("agents")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["group", "status"]),
            models.Index(fields=["rank", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="resigned", resigned_on__isnull=False)
                | (~Q(status="resigned") & Q(resigned_on__isnull=True)),
                name="agent_resigned_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.code}）"

    def get_absolute_url(self):
        return reverse("org:agent_detail", args=[self.pk])

    @property
    def id_number_masked(self):
        return mask_id_number(self.id_number)

    @property
    def mobile_masked(self):
        return mask_mobile(self.mobile)

    @property
    def department(self):
        return self.group.parent

    def is_active_on(self, day) -> bool:
        """The rule of AgentQuerySet.active_on for one loaded agent."""
        return self.hire_date <= day and (self.resigned_on is None or self.resigned_on >= day)


class AgentChange(models.Model):
    """A change to an agent effective from a date, with who recorded it and why."""

    effective_date = models.DateField(_("effective date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )

    class Meta:
        abstract = True
        ordering = ["-effective_date", "-id"]

    def __str__(self):
        return f"{self.agent} {self.effective_date}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_scheduled(self) -> bool:
        """Recorded for a day still to come (and not cancelled)."""
        return self.cancelled_at is None and self.effective_date > timezone.localdate()


class AgentRankChange(AgentChange):
    """A rank change (转正/晋升/降级 or a correction) effective from a date."""

    agent = models.ForeignKey(
        Agent, on_delete=models.PROTECT, related_name="rank_changes", verbose_name=_("agent")
    )
    from_rank = models.ForeignKey(
        Rank, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("from rank")
    )
    to_rank = models.ForeignKey(
        Rank, on_delete=models.PROTECT, related_name="+", verbose_name=_("to rank")
    )

    objects = scoped("agent__group", agent="agent_id").as_manager()

    class Meta(AgentChange.Meta):
        verbose_name = _("rank change")
        verbose_name_plural = _("rank changes")
        indexes = [models.Index(fields=["agent", "effective_date"])]


class AgentTransfer(AgentChange):
    """A move of an agent from one group to another, effective from a date."""

    agent = models.ForeignKey(
        Agent, on_delete=models.PROTECT, related_name="transfers", verbose_name=_("agent")
    )
    from_group = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("from group")
    )
    to_group = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("to group")
    )

    objects = scoped("agent__group", agent="agent_id").as_manager()

    class Meta(AgentChange.Meta):
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        indexes = [models.Index(fields=["agent", "effective_date"])]


class PlacementQuerySet(models.QuerySet):
    def valid_on(self, day):
        return self.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=day)
        )

    def overlapping(self, start, end):
        """Rows valid on at least one day of [start, end]."""
        return self.filter(valid_from__lte=end).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=start)
        )

    def in_unit(self, unit):
        return self.filter(group__path__startswith=unit.path)


class AgentPlacement(models.Model):
    """Where an agent was: their group and rank from `valid_from` until the day before
    `valid_to` (open-ended when null). Rows of one agent never overlap and leave no gap from
    the hire date on. Derived from the transfers and rank changes (org.services.placements.rebuild);
    rows in the future are the scheduled changes. `Agent.group`/`Agent.rank` stay the current
    placement, applied by `apply_scheduled_changes` when a scheduled change comes due."""

    agent = models.ForeignKey(
        Agent, on_delete=models.CASCADE, related_name="placements", verbose_name=_("agent")
    )
    group = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="placements", verbose_name=_("group")
    )
    rank = models.ForeignKey(
        Rank, on_delete=models.PROTECT, related_name="placements", verbose_name=_("rank")
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until (exclusive)"), null=True, blank=True)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["agent", "valid_from"]
        indexes = [
            models.Index(fields=["agent", "valid_from"]),
            models.Index(fields=["group", "valid_from"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["agent", "valid_from"], name="placement_one_start_per_day"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")),
                name="placement_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.agent_id} {self.group_id} {self.valid_from}–{self.valid_to or ''}"


class PersonalDataAccess(models.Model):
    """Log of every full (unmasked) view of an agent's national ID number or mobile."""

    class Purpose(models.TextChoices):
        VIEW = "view", _("Viewed on screen / API")
        EXPORT = "export", _("Exported")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    agent = models.ForeignKey(
        Agent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agent"),
    )
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    objects = scoped("agent__group").as_manager()

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} → {self.agent} {self.at:%Y-%m-%d %H:%M}"
