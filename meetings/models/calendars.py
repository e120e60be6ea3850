"""Monthly meeting calendars (行事例, 附件2) at three levels, their submission to the district by
a deadline and the departments' acknowledgement of the district calendar, spec §2.2 and §7.1."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.versioning import version_field
from meetings.models.levels import MeetingLevel
from meetings.models.templates import FlowTemplateVersion
from org.access import scoped


class CalendarSettings(models.Model):
    """The district's submission deadline for department and group calendars."""

    district = models.OneToOneField(
        "org.Unit",
        on_delete=models.CASCADE,
        related_name="meeting_calendar_settings",
        verbose_name=_("sales district"),
    )
    # Calendars for month M are due on this day of month M-1 (default the 25th).
    deadline_day = models.PositiveSmallIntegerField(
        _("deadline day of the month before"), default=25
    )
    remind_days_before = models.PositiveSmallIntegerField(
        _("remind days before the deadline"), default=3
    )
    version = version_field()
    history = HistoricalRecords()

    objects = scoped("district").as_manager()

    class Meta:
        verbose_name = _("calendar settings")
        verbose_name_plural = _("calendar settings")

    def __str__(self):
        return str(self.district)


class CalendarState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")  # department/group calendars, to the district
    DISTRIBUTED = "distributed", _("Distributed")  # the district calendar, to the departments


class Calendar(models.Model):
    """A unit's plan of meetings of one level for one month."""

    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="meeting_calendars",
        verbose_name=_("unit"),
    )
    level = models.CharField(_("meeting level"), max_length=20, choices=MeetingLevel.choices)
    month = models.DateField(_("month"))  # always the first day of the month
    state = models.CharField(
        _("state"), max_length=20, choices=CalendarState.choices, default=CalendarState.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("copied from"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = version_field()
    history = HistoricalRecords()

    objects = scoped("unit", own_units=True).as_manager()

    class Meta:
        verbose_name = _("meeting calendar")
        verbose_name_plural = _("meeting calendars")
        ordering = ["-month", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "level", "month"], name="meeting_calendar_once"
            ),
            models.CheckConstraint(
                condition=Q(month__day=1), name="meeting_calendar_first_of_month"
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.month:%Y-%m} · {self.get_level_display()}"


class CalendarEntry(models.Model):
    calendar = models.ForeignKey(
        Calendar, on_delete=models.PROTECT, related_name="entries", verbose_name=_("calendar")
    )
    date = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("speaker / host"),
    )
    # For speakers without a user account (an agent, a guest from the branch).
    host_name = models.CharField(_("speaker / host name"), max_length=50, blank=True)
    content = models.TextField(_("content"), blank=True)
    template_version = models.ForeignKey(
        FlowTemplateVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("template"),
    )
    # Entries taken off a calendar are kept, marked cancelled (records are never deleted).
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = scoped("calendar__unit", own_units=True).as_manager()

    class Meta:
        verbose_name = _("calendar entry")
        verbose_name_plural = _("calendar entries")
        ordering = ["calendar", "date", "pk"]
        indexes = [models.Index(fields=["date"])]

    def __str__(self):
        return f"{self.date} {self.topic}"

    @property
    def speaker(self) -> str:
        return self.host_name or (str(self.host) if self.host_id else "")


class CalendarAcknowledgement(models.Model):
    """A department's acknowledgement of the district calendar distributed to it."""

    calendar = models.ForeignKey(
        Calendar,
        on_delete=models.PROTECT,
        related_name="acknowledgements",
        verbose_name=_("calendar"),
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("acknowledged at"), auto_now_add=True)

    objects = scoped("unit").as_manager()

    class Meta:
        verbose_name = _("calendar acknowledgement")
        verbose_name_plural = _("calendar acknowledgements")
        constraints = [
            models.UniqueConstraint(fields=["calendar", "unit"], name="calendar_ack_once_per_unit")
        ]

    def __str__(self):
        return f"{self.calendar} · {self.unit}"
