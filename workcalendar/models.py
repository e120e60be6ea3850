"""Work calendar per district (spec §1): Mon–Fri by default, with holidays and make-up workdays."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.versioning import version_field
from org.access import ScopedQuerySet


class CalendarDayQuerySet(ScopedQuerySet):
    scope_unit = "district"


class CalendarDay(models.Model):
    """An exception to the Mon–Fri default: a holiday on a weekday, or a make-up workday (调休)."""

    district = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="calendar_days",
        verbose_name=_("sales district"),
        limit_choices_to={"kind": "district"},
    )
    date = models.DateField(_("date"))
    is_workday = models.BooleanField(_("workday"))
    note = models.CharField(_("note"), max_length=100, blank=True)
    version = version_field()  # a change carries the version it was based on (no lost updates)

    objects = CalendarDayQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["district", "date"], name="one_calendar_day_per_date"),
        ]

    def __str__(self):
        return f"{self.date} {self.note}"

    @property
    def kind_label(self):
        default_workday = self.date.weekday() < 5
        if self.is_workday == default_workday:
            return _("As usual")
        return _("Make-up workday") if self.is_workday else _("Holiday")
