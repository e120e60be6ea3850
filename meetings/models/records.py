"""Meetings held (早会档案), the items of the template held, materials, and the attendees'
evaluation feedback (附件3), spec §2.3–§2.4."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import AttachmentBase
from core.versioning import version_field
from meetings.models.calendars import CalendarEntry
from meetings.models.levels import MeetingLevel
from meetings.models.templates import FlowItem, FlowTemplateVersion
from org.access import Cap, ScopedQuerySet, scoped


class FeedbackQuerySet(ScopedQuerySet):
    scope_unit = "meeting__unit"

    def visible_to(self, user):
        """Staff over the meeting's unit read every form; anyone else only their own."""
        return self.filter(self.scope_filter(user, Cap.VIEW_ORG) | models.Q(respondent=user))


class Meeting(models.Model):
    """A meeting actually held, as recorded afterwards."""

    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="meetings", verbose_name=_("unit")
    )
    level = models.CharField(_("meeting level"), max_length=20, choices=MeetingLevel.choices)
    date = models.DateField(_("date"))
    calendar_entry = models.ForeignKey(
        CalendarEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("calendar entry"),
    )
    topic = models.CharField(_("topic"), max_length=200)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("speaker / host"),
    )
    host_name = models.CharField(_("speaker / host name"), max_length=50, blank=True)
    template_version = models.ForeignKey(
        FlowTemplateVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("template"),
    )
    started_at = models.TimeField(_("started at"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), null=True, blank=True
    )
    present_count = models.PositiveIntegerField(_("head count present"), null=True, blank=True)
    # True when the head count was taken from that day's attendance roll call (§5).
    present_from_roll_call = models.BooleanField(_("head count from roll call"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = version_field()
    history = HistoricalRecords()

    objects = scoped("unit", own_units=True).as_manager()

    class Meta:
        verbose_name = _("meeting record")
        verbose_name_plural = _("meeting records")
        ordering = ["-date", "unit"]
        indexes = [
            models.Index(fields=["date", "unit"]),
            models.Index(fields=["unit", "level", "date"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["unit", "level", "date"], name="meeting_once_per_day")
        ]

    def __str__(self):
        return f"{self.unit} · {self.date} · {self.topic}"

    @property
    def speaker(self) -> str:
        return self.host_name or (str(self.host) if self.host_id else "")


class MeetingItemHeld(models.Model):
    """One template item of a meeting: held or not, and the actual minutes."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="items_held", verbose_name=_("meeting")
    )
    item = models.ForeignKey(
        FlowItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("template item")
    )
    held = models.BooleanField(_("held"), default=True)
    actual_minutes = models.PositiveSmallIntegerField(_("actual minutes"), null=True, blank=True)
    history = HistoricalRecords()

    objects = scoped("meeting__unit", own_units=True).as_manager()

    class Meta:
        verbose_name = _("item held")
        verbose_name_plural = _("items held")
        ordering = ["meeting", "item__section__order", "item__order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "item"], name="meeting_item_once")
        ]

    def __str__(self):
        return f"{self.meeting} · {self.item_id}"


class MeetingMaterial(AttachmentBase):
    """A file used at a meeting (slides, handouts). Removed files are kept, marked removed; the
    meeting's writers still see (and download) them."""

    KIND = "meeting"
    OWNER_FIELD = "meeting"
    UPLOAD_DIR = "meetings"
    MAX_SIZE = 20 * 1024 * 1024
    EXTENSIONS = (
        "pdf",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "ppt",
        "pptx",
        "jpg",
        "jpeg",
        "png",
        "mp3",
        "mp4",
        "txt",
    )

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="materials", verbose_name=_("meeting")
    )

    objects = scoped("meeting__unit", own_units=True).as_manager()

    class Meta:
        verbose_name = _("meeting material")
        verbose_name_plural = _("meeting materials")
        ordering = ["meeting", "uploaded_at"]

    @classmethod
    def owners_visible_to(cls, user):
        from meetings import access

        return access.readable(Meeting.objects.all(), user)

    def removed_visible_to(self, user) -> bool:
        from meetings import access

        return access.can_write_unit(user, self.meeting.unit)


# -- evaluation feedback (附件3) ---------------------------------------------------------------
FEEDBACK_TRAITS = ["well_prepared", "motivating", "substantive", "fluent"]


class Feedback(models.Model):
    """One attendee's evaluation of one meeting; one form per person per meeting."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="feedback", verbose_name=_("meeting")
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("respondent"),
    )
    well_prepared = models.BooleanField(_("well prepared"), default=False)  # 早会准备充分
    motivating = models.BooleanField(_("motivating"), default=False)  # 具有激励性
    substantive = models.BooleanField(_("substantive"), default=False)  # 早会内容充实
    fluent = models.BooleanField(_("fluent"), default=False)  # 语言流畅
    suggestions = models.TextField(_("improvement suggestions"), blank=True)  # 您认为…的改进之处
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    version = version_field()
    history = HistoricalRecords()

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation feedback")
        verbose_name_plural = _("evaluation feedback")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "respondent"], name="feedback_once_per_person"
            )
        ]

    def __str__(self):
        return f"{self.meeting} · {self.respondent}"
