"""Execution flow templates (附件1): versioned agendas of sections and items. A calendar entry
and a meeting keep the version they used, so editing a template never rewrites the archive."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.versioning import version_field
from meetings.models.levels import MeetingLevel
from org.access import scoped


class FlowTemplate(models.Model):
    """An agenda template owned by a unit (the district's default, or a department's or group's
    adaptation). Its content lives in numbered versions; only the latest published one is used for
    new calendar entries and meetings."""

    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="flow_templates", verbose_name=_("unit")
    )
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("meeting level"), max_length=20, choices=MeetingLevel.choices)
    copied_from = models.ForeignKey(
        "meetings.FlowTemplateVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("copied from"),
    )
    is_default = models.BooleanField(_("default for the unit"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = scoped("unit", own_units=True).as_manager()

    class Meta:
        verbose_name = _("execution flow template")
        verbose_name_plural = _("execution flow templates")
        ordering = ["unit", "name"]

    def __str__(self):
        return self.name


class FlowTemplateVersion(models.Model):
    template = models.ForeignKey(
        FlowTemplate, on_delete=models.PROTECT, related_name="versions", verbose_name=_("template")
    )
    number = models.PositiveIntegerField(_("version"))
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # A version is editable while a draft; once published it never changes (meetings point at it).
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    version = version_field()
    history = HistoricalRecords()

    objects = scoped("template__unit", own_units=True).as_manager()

    class Meta:
        verbose_name = _("template version")
        verbose_name_plural = _("template versions")
        ordering = ["template", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "number"], name="flow_template_version_once"
            )
        ]

    def __str__(self):
        return f"{self.template} v{self.number}"


class FlowSection(models.Model):
    version = models.ForeignKey(
        FlowTemplateVersion,
        on_delete=models.PROTECT,
        related_name="sections",
        verbose_name=_("version"),
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=100)

    objects = scoped("version__template__unit", own_units=True).as_manager()

    class Meta:
        verbose_name = _("template section")
        verbose_name_plural = _("template sections")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="flow_section_order")
        ]

    def __str__(self):
        return f"{self.order} {self.title}"


class FlowItem(models.Model):
    section = models.ForeignKey(
        FlowSection, on_delete=models.PROTECT, related_name="items", verbose_name=_("section")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200)
    required = models.BooleanField(_("required"), default=True)
    planned_minutes = models.PositiveSmallIntegerField(_("planned minutes"), default=0)

    objects = scoped("section__version__template__unit", own_units=True).as_manager()

    class Meta:
        verbose_name = _("template item")
        verbose_name_plural = _("template items")
        ordering = ["section", "order"]
        constraints = [models.UniqueConstraint(fields=["section", "order"], name="flow_item_order")]

    def __str__(self):
        return f"{self.section.order}.{self.order} {self.title}"
