"""Shared models: the attachment base, and bookkeeping tables with no business meaning
(see core.usercache)."""

from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.uploads import check_upload


def attachment_upload_to(instance, filename: str) -> str:
    """<the model's UPLOAD_DIR>/<year>/<month>/<file name> (the storage makes names unique)."""
    return f"{instance.UPLOAD_DIR}/{timezone.now():%Y/%m}/{filename}"


class AttachmentBase(models.Model):
    """A file attached to a record (a plan version, a meeting, a training session).

    One definition of what an attachment keeps: the file, its original name, size and content
    type (decided by core.uploads.check_upload from the content), who uploaded it and when, and
    who removed it and when. Attachments are never deleted: removing one marks it removed.
    A concrete model names its owner (OWNER_FIELD, a foreign key), its upload folder, its limits,
    and its short KIND for the one download view (core.attachments).
    """

    KIND = ""  # the download view's kind: "plans", "meeting", "training"
    OWNER_FIELD = ""  # the foreign key to the record the file belongs to
    UPLOAD_DIR = "attachments"
    MAX_SIZE = 10 * 1024 * 1024
    EXTENSIONS: tuple[str, ...] = ("pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "jpg", "png")

    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("removed by"),
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name

    @classmethod
    def check_upload(cls, upload) -> str:
        """Refuse a file of another type (by its content) or too big; return its content type."""
        return check_upload(upload, extensions=cls.EXTENSIONS, max_size=cls.MAX_SIZE)

    @classmethod
    def from_upload(cls, upload, *, uploaded_by, **owner):
        """A new (unsaved) attachment of `upload`, checked; `owner` is e.g. version=…"""
        content_type = cls.check_upload(upload)
        return cls(
            file=upload,
            original_name=PurePath(upload.name or "").name[:200],
            size=upload.size,
            content_type=content_type,
            uploaded_by=uploaded_by,
            **owner,
        )

    @property
    def owner(self):
        return getattr(self, self.OWNER_FIELD)

    def mark_removed(self, acting_user) -> bool:
        """Mark the attachment removed (the row and the file stay); False if it already was."""
        if self.removed_at is not None:
            return False
        self.removed_at = timezone.now()
        self.removed_by = acting_user
        self.save(update_fields=["removed_at", "removed_by"])
        return True

    @classmethod
    def owners_visible_to(cls, user):
        """The owners whose attachments `user` may download, when the owner's queryset has no
        visible_to(user) of its own (see core.attachments.visible_owners)."""
        raise NotImplementedError(f"{cls.__name__} must say whose owners a user sees.")

    def removed_visible_to(self, user) -> bool:
        """Whether `user` may still download the file once removed (by default nobody)."""
        return False


class ChangeStamp(models.Model):
    """One row: moves whenever a business record is written (core.usercache)."""

    value = models.BigIntegerField(default=0)

    def __str__(self):
        return str(self.value)


class UserFigures(models.Model):
    """Per-user figures of the navigation (待办 and unread counts), valid while the change
    stamp they were computed at is current."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    stamp = models.BigIntegerField()
    figures = models.TextField()  # JSON
    computed_at = models.DateTimeField()

    def __str__(self):
        return f"{self.user_id}: {self.figures}"
