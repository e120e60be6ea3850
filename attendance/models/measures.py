"""Improvement measures (改善举措) agreed with a department and followed up (spec §5.5)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.versioning import version_field
from org import access
from org.access import Cap, ScopedQuerySet


class ImprovementMeasureQuerySet(ScopedQuerySet):
    scope_unit = "department"

    def visible_to(self, user):
        """Measures of the departments in view scope, and of the department a staff member
        works in (a supervisor reads their department's measures)."""
        condition = self.scope_filter(user, Cap.VIEW_ORG)
        if access.held_roles(user):
            condition |= Q(department_id__in=access.member_unit_ids(user))
        return self.filter(condition)


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
    version = version_field()
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
