"""One approval flow for every module (spec §9): chains of approvers configured per kind and
unit, requests attached to any record, and the trail of who did what, when, and why."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from org.access import scoped
from org.models import UnitKind


class ApprovalChain(models.Model):
    """The approvers of one kind of record, for one unit (and its subtree) or for all units."""

    kind = models.CharField(_("kind"), max_length=50)
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
        help_text=_("Leave empty for the default chain of this kind."),
    )

    objects = scoped("unit").as_manager()

    class Meta:
        verbose_name = _("approval chain")
        verbose_name_plural = _("approval chains")
        constraints = [
            models.UniqueConstraint(fields=["kind", "unit"], name="one_chain_per_kind_and_unit"),
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(unit__isnull=True),
                name="one_default_chain_per_kind",
            ),
        ]

    def __str__(self):
        from approvals.registry import kind_label

        default = _("default")
        return f"{kind_label(self.kind)} · {self.unit or default}"


class ApprovalLevel(models.Model):
    """One step: the holder of `role` over the record's ancestor unit of kind `unit_kind`."""

    chain = models.ForeignKey(
        ApprovalChain,
        on_delete=models.CASCADE,
        related_name="levels",
        verbose_name=_("approval chain"),
    )
    order = models.PositiveSmallIntegerField(_("order"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    unit_kind = models.CharField(_("held over"), max_length=20, choices=UnitKind.choices)

    class Meta:
        verbose_name = _("approval level")
        verbose_name_plural = _("approval levels")
        ordering = ["chain", "order"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "order"], name="one_level_per_order"),
        ]

    def __str__(self):
        return f"{self.order}. {self.get_role_display()}"


class ApprovalState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class Decision(models.TextChoices):
    """What an approver decides on a step (approvals.services.decide)."""

    APPROVE = "approve", _("Approve")
    RETURN = "return", _("Return")


class ApprovalRequest(models.Model):
    """The approval of one record. Resubmitting after a return reuses it; the trail keeps all."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("kind"), max_length=50)
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    title = models.CharField(_("title"), max_length=200)
    url = models.CharField(_("link"), max_length=300, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=ApprovalState.choices, default=ApprovalState.DRAFT
    )
    # The approvers resolved at submission: [[role, unit_id], ...]; step is 1-based.
    levels = models.JSONField(default=list)
    step = models.PositiveSmallIntegerField(default=0)
    current_role = models.CharField(max_length=30, blank=True)
    current_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = scoped("unit").as_manager()

    class Meta:
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="one_approval_per_record"
            ),
        ]
        indexes = [models.Index(fields=["state", "current_role", "current_unit"])]

    def __str__(self):
        return self.title

    @property
    def total_steps(self) -> int:
        return len(self.levels)


class ApprovalAction(models.Model):
    """One entry of the trail: submit, approve, return, and module actions such as publish."""

    request = models.ForeignKey(
        ApprovalRequest,
        on_delete=models.PROTECT,
        related_name="actions",
        verbose_name=_("approval request"),
    )
    action = models.CharField(_("action"), max_length=30)
    step = models.PositiveSmallIntegerField(_("step"), default=0)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    role = models.CharField(_("as"), max_length=30, blank=True, choices=Role.choices)
    comment = models.TextField(_("comment"), blank=True)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    objects = scoped("request__unit").as_manager()

    class Meta:
        verbose_name = _("approval action")
        verbose_name_plural = _("approval actions")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.action} {self.actor} {self.at:%Y-%m-%d %H:%M}"
