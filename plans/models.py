"""Plans and regulations (spec §9): documents of a unit and period, their versions, attachments
and the read acknowledgements of the units they are published to."""

import re
from datetime import date
from html import unescape

import nh3
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import AttachmentBase
from core.versioning import version_field
from org.access import ScopedQuerySet, scope_q, scoped
from org.models import UnitKind


class PeriodType(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


def period_start_of(period_type: str, day: date) -> date:
    """The first day of the month, quarter or year that contains `day`."""
    if period_type == PeriodType.MONTH:
        return day.replace(day=1)
    if period_type == PeriodType.QUARTER:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, 1, 1)


def period_label(period_type: str, start: date) -> str:
    if period_type == PeriodType.MONTH:
        return f"{start:%Y-%m}"
    if period_type == PeriodType.QUARTER:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return str(start.year)


def periods_containing(day: date) -> Q:
    """Documents whose period (month, quarter or year) contains `day`."""
    return (
        Q(period_type=PeriodType.MONTH, period_start=period_start_of(PeriodType.MONTH, day))
        | Q(period_type=PeriodType.QUARTER, period_start=period_start_of(PeriodType.QUARTER, day))
        | Q(period_type=PeriodType.YEAR, period_start=period_start_of(PeriodType.YEAR, day))
    )


# -- rich text ----------------------------------------------------------------------------------

ALLOWED_TAGS = {"p", "br", "strong", "em", "u", "ul", "ol", "li", "h3", "h4", "blockquote", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
# What browsers' editors write instead of the allowed tags.
_RENAMES = {"b": "strong", "i": "em", "div": "p", "h1": "h3", "h2": "h3", "h5": "h4", "h6": "h4"}
_RENAME_PATTERN = re.compile(r"<(/?)(b|i|div|h1|h2|h5|h6)(?=[\s>/])", re.IGNORECASE)
_BLOCK_END = re.compile(r"<br\s*/?>|</(p|li|h3|h4|blockquote)>|<(ul|ol)>", re.IGNORECASE)


def sanitize_html(value: str) -> str:
    """The body as safe HTML: a small allowlist of tags, links only to http(s) and mail."""
    value = _RENAME_PATTERN.sub(lambda m: f"<{m.group(1)}{_RENAMES[m.group(2).lower()]}", value)
    return nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()


def html_to_lines(value: str) -> list[str]:
    """The body's text, one paragraph (or list item, heading) per line: for comparing versions."""
    text = _BLOCK_END.sub("\n", re.sub(r"<li[^>]*>", "<li>• ", value or "", flags=re.I))
    text = unescape(nh3.clean(text, tags=set()))
    return [line.strip() for line in text.splitlines() if line.strip()]


# -- models -------------------------------------------------------------------------------------


class DocumentKind(models.Model):
    """A kind of document (营业区日常管理计划, 差勤管理规定, …); administrators add more."""

    class OwnerKind(models.TextChoices):
        DISTRICT = UnitKind.DISTRICT.value, UnitKind.DISTRICT.label
        DEPARTMENT = UnitKind.DEPARTMENT.value, UnitKind.DEPARTMENT.label

    # The approval kind is "document.<code>" (at most 50 characters).
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    unit_kind = models.CharField(
        _("belongs to"),
        max_length=20,
        choices=OwnerKind.choices,
        help_text=_("The kind of unit whose documents these are."),
    )
    default_period_type = models.CharField(
        _("default period"), max_length=10, choices=PeriodType.choices, default=PeriodType.MONTH
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("document kind")
        verbose_name_plural = _("document kinds")
        ordering = ["unit_kind", "name"]

    def __str__(self):
        return self.name

    @property
    def approval_kind(self) -> str:
        return f"document.{self.code}"


class DocumentQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """Documents of units in the user's view scope, and those published to a unit in it."""
        published_to = Acknowledgement.objects.visible_to(user).values("version__document_id")
        return self.filter(scope_q(user) | Q(pk__in=published_to))


class Document(models.Model):
    """A unit's document of one kind for one period; its content lives in its versions."""

    kind = models.ForeignKey(
        DocumentKind, on_delete=models.PROTECT, related_name="documents", verbose_name=_("kind")
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="documents", verbose_name=_("unit")
    )
    period_type = models.CharField(_("period"), max_length=10, choices=PeriodType.choices)
    period_start = models.DateField(_("period start"))
    title = models.CharField(_("title"), max_length=200)
    due_date = models.DateField(
        _("due date"),
        null=True,
        blank=True,
        help_text=_("Submit for approval by this date; reminders are sent before and after."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-period_start", "kind", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "unit", "period_start"], name="one_document_per_kind_unit_period"
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "period_start"]),
            models.Index(fields=["due_date"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:document_detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        return period_label(self.period_type, self.period_start)


class VersionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")


EDITABLE_STATES = {VersionState.DRAFT, VersionState.RETURNED}
# A version in one of these states blocks starting another.
OPEN_STATES = {
    VersionState.DRAFT,
    VersionState.SUBMITTED,
    VersionState.RETURNED,
    VersionState.APPROVED,
}


class DocumentVersionQuerySet(ScopedQuerySet):
    scope_unit = "document__unit"

    def visible_to(self, user):
        """Versions of documents of units in view scope; elsewhere only the versions that were
        published to a unit in view scope (not the drafts of the next one)."""
        published_to = Acknowledgement.objects.visible_to(user).values("version_id")
        return self.filter(scope_q(user, via="document__unit") | Q(pk__in=published_to))


class DocumentVersion(models.Model):
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="versions", verbose_name=_("document")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=VersionState.choices, default=VersionState.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    version = version_field()
    history = HistoricalRecords()

    objects = DocumentVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="one_version_number"),
        ]
        indexes = [models.Index(fields=["state", "document"])]

    def __str__(self):
        return f"{self.title} v{self.number}"

    def get_absolute_url(self):
        return reverse("plans:version_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def body_html(self):
        # Sanitized on save; cleaned again here so that nothing else can slip markup in.
        return mark_safe(sanitize_html(self.body))  # noqa: S308 - sanitized just above


class AttachmentQuerySet(ScopedQuerySet):
    scope_unit = "version__document__unit"

    def visible_to(self, user):
        """Attachments of the versions the user reads."""
        return self.filter(version__in=DocumentVersion.objects.visible_to(user).values("pk"))


class AttachmentManager(models.Manager.from_queryset(AttachmentQuerySet)):
    """Attachments taken off a draft stay in the database (records are never deleted) but are
    no longer part of the version."""

    def get_queryset(self):
        return super().get_queryset().filter(removed_at__isnull=True)


class Attachment(AttachmentBase):
    KIND = "plans"
    OWNER_FIELD = "version"
    UPLOAD_DIR = "plans"
    MAX_SIZE = 10 * 1024 * 1024
    EXTENSIONS = ("pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "jpg", "png", "txt")

    version = models.ForeignKey(
        DocumentVersion,
        on_delete=models.PROTECT,
        related_name="attachments",
        verbose_name=_("version"),
    )

    objects = AttachmentManager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["version", "id"]

    def get_absolute_url(self):
        return reverse("plans:attachment_download", args=[self.pk])


class Acknowledgement(models.Model):
    """A unit a version was published to; acknowledged (已阅) once its manager has read it.

    The rows are written at publication, so the set of target units is fixed then; `user` and
    `at` stay empty until the acknowledgement."""

    version = models.ForeignKey(
        DocumentVersion,
        on_delete=models.PROTECT,
        related_name="acknowledgements",
        verbose_name=_("version"),
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    objects = scoped("unit").as_manager()

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        ordering = ["version", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "unit"], name="one_acknowledgement_per_unit"
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=True, at__isnull=True)
                | Q(user__isnull=False, at__isnull=False),
                name="acknowledgement_has_user_and_time",
            ),
        ]
        indexes = [models.Index(fields=["unit", "at"])]

    def __str__(self):
        return f"{self.version} → {self.unit}"

    @property
    def is_done(self) -> bool:
        return self.at is not None
