"""The district's supervision of department meetings (§7): visits, the acceptance form (附件4)
with its configurable scored checklist, and the issues found.

Scoring: each checklist item carries a weight (the active items of a district sum to 100) and the
inspector rates every item on a 0–5 scale; the item earns weight × rating / 5 points, the form's
total is the sum (out of 100). A form keeps each item's title and weight as they were when it was
filled (FormScore), so reweighting the checklist later never changes an old form's total.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.versioning import version_field
from org.access import scoped

MAX_RATING = 5
# The default 营业部早会验收表 checklist of a district: (title, weight), summing to 100.
# Seeded data, not UI strings: checklist_ensure_default copies it into the district's own
# ChecklistItem rows, which the district then edits; so the titles stay Chinese (no gettext).
DEFAULT_CHECKLIST = [
    ("准时开始", 10),  # started on time
    ("晨会仪式", 10),  # ceremony
    ("考勤通报", 10),  # attendance report
    ("业绩通报", 15),  # performance report
    ("主题质量与准备", 20),  # theme quality and preparation
    ("氛围与参与", 15),  # energy and participation
    ("时间控制", 10),  # timing
    ("物料与设备", 10),  # materials and equipment
]


class ChecklistItem(models.Model):
    """One scored line of a district's acceptance form. Never deleted: deactivated."""

    district = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="inspection_checklist",
        verbose_name=_("sales district"),
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=100)
    guidance = models.CharField(_("what to look for"), max_length=300, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"))
    active = models.BooleanField(_("active"), default=True)
    version = version_field()
    history = HistoricalRecords()

    objects = scoped("district").as_manager()

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["district", "-active", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__lte=100), name="inspection_item_weight_at_most_100"
            )
        ]

    def __str__(self):
        return self.title


class VisitState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")  # the acceptance form is filled
    CANCELLED = "cancelled", _("Cancelled")


class Visit(models.Model):
    """The district attends a department's morning meeting or observes a group's 二早."""

    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="meeting_visits",
        verbose_name=_("unit visited"),
    )
    # The department (the unit itself, or the group's department): reports group by it.
    department = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    district = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("sales district")
    )
    date = models.DateField(_("date"))
    calendar_entry = models.ForeignKey(
        "meetings.CalendarEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("calendar entry"),
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="meeting_visits",
        verbose_name=_("inspector"),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=VisitState.choices, default=VisitState.PLANNED
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("planned by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    version = version_field()
    history = HistoricalRecords()

    objects = scoped("unit").as_manager()

    class Meta:
        verbose_name = _("meeting visit")
        verbose_name_plural = _("meeting visits")
        ordering = ["-date", "unit"]
        indexes = [
            models.Index(fields=["district", "date"]),
            models.Index(fields=["department", "date"]),
        ]

    def __str__(self):
        return f"{self.unit} · {self.date}"


class AcceptanceForm(models.Model):
    """营业部早会验收表 (附件4): the inspector's scored checklist for one visit."""

    visit = models.OneToOneField(
        Visit, on_delete=models.PROTECT, related_name="form", verbose_name=_("visit")
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="acceptance_forms",
        verbose_name=_("meeting record"),
    )
    total = models.DecimalField(_("total score"), max_digits=4, decimal_places=1)
    present_count = models.PositiveIntegerField(_("head count present"), null=True, blank=True)
    highlights = models.TextField(_("strengths observed"), blank=True)  # 亮点
    suggestions = models.TextField(_("suggestions"), blank=True)  # 改进建议
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("filled by"),
    )
    filled_at = models.DateTimeField(_("filled at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = scoped("visit__unit").as_manager()

    class Meta:
        verbose_name = _("acceptance form")
        verbose_name_plural = _("acceptance forms")
        ordering = ["-visit__date"]

    def __str__(self):
        return f"{self.visit} · {self.total}"


class FormScore(models.Model):
    """One item's rating on a form, with the item's title and weight as they were then."""

    form = models.ForeignKey(
        AcceptanceForm, on_delete=models.PROTECT, related_name="scores", verbose_name=_("form")
    )
    item = models.ForeignKey(
        ChecklistItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=100)
    weight = models.PositiveSmallIntegerField(_("weight"))
    rating = models.PositiveSmallIntegerField(_("rating (0–5)"))
    points = models.DecimalField(_("points"), max_digits=4, decimal_places=1)
    comment = models.CharField(_("comment"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = scoped("form__visit__unit").as_manager()

    class Meta:
        verbose_name = _("item score")
        verbose_name_plural = _("item scores")
        ordering = ["form", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["form", "item"], name="inspection_score_once"),
            models.CheckConstraint(
                condition=Q(rating__lte=MAX_RATING), name="inspection_rating_at_most_5"
            ),
        ]

    def __str__(self):
        return f"{self.title}: {self.points}/{self.weight}"

    @staticmethod
    def points_for(weight: int, rating: int) -> Decimal:
        """weight × rating / 5, exact to 0.1 (a multiple of 0.2)."""
        return (Decimal(weight) * rating / MAX_RATING).quantize(Decimal("0.1"))

    @classmethod
    def for_item(cls, item, rating: int, comment: str = "") -> "FormScore":
        """An unsaved score line of checklist `item`: the item's order, title and weight are
        copied (a later checklist change leaves filled forms as they were), points computed."""
        return cls(
            item=item,
            order=item.order,
            title=item.title,
            weight=item.weight,
            rating=rating,
            points=cls.points_for(item.weight, rating),
            comment=comment,
        )


class Issue(models.Model):
    """A problem found on a visit; open until the department or the district resolves it."""

    form = models.ForeignKey(
        AcceptanceForm, on_delete=models.PROTECT, related_name="issues", verbose_name=_("form")
    )
    # Denormalised from the visit, so that lists are scoped and grouped without joins.
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    item = models.ForeignKey(
        ChecklistItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issues",
        verbose_name=_("checklist item"),
    )
    description = models.TextField(_("description"))
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolution = models.TextField(_("how it was resolved"), blank=True)
    version = version_field()
    history = HistoricalRecords()

    objects = scoped("unit").as_manager()

    class Meta:
        verbose_name = _("inspection issue")
        verbose_name_plural = _("inspection issues")
        ordering = ["-raised_at", "-pk"]
        indexes = [models.Index(fields=["unit", "resolved_at"])]

    def __str__(self):
        return self.description[:60]

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


__all__ = [
    "DEFAULT_CHECKLIST",
    "MAX_RATING",
    "AcceptanceForm",
    "ChecklistItem",
    "FormScore",
    "Issue",
    "Visit",
    "VisitState",
]
