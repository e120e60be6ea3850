"""The district's function groups (功能组), their members' duties, training sessions and peer
review sessions (相互点评、分享), spec §2.1 and §2.4."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import AttachmentBase
from core.versioning import version_field
from org.access import ScopedQuerySet, scope_q, scoped


class FunctionGroupQuerySet(ScopedQuerySet):
    scope_unit = "district"

    def visible_to(self, user):
        """Staff whose scope covers the district, the leader and the current members (agents
        of the district do not read groups they are not in)."""
        if not user.is_authenticated:
            return self.none()
        member = models.Exists(
            FunctionGroupMember.objects.filter(
                function_group=models.OuterRef("pk"), user=user, left_on__isnull=True
            )
        )
        return self.filter(Q(leader=user) | Q(member) | scope_q(user, via="district"))


class FunctionGroup(models.Model):
    district = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="function_groups",
        verbose_name=_("sales district"),
    )
    name = models.CharField(_("name"), max_length=100)
    purpose = models.TextField(_("purpose"), blank=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="led_function_groups",
        verbose_name=_("leader"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    version = version_field()
    history = HistoricalRecords()

    objects = FunctionGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("function group")
        verbose_name_plural = _("function groups")
        ordering = ["district", "name"]

    def __str__(self):
        return self.name


class FunctionGroupMember(models.Model):
    function_group = models.ForeignKey(
        FunctionGroup,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("function group"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("member"),
    )
    duties = models.CharField(_("duties"), max_length=200, blank=True)  # 分工
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    version = version_field()
    history = HistoricalRecords()

    objects = scoped("function_group__district").as_manager()

    class Meta:
        verbose_name = _("function group member")
        verbose_name_plural = _("function group members")
        ordering = ["function_group", "joined_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["function_group", "user"],
                condition=Q(left_on__isnull=True),
                name="function_group_member_once",
            )
        ]

    def __str__(self):
        return f"{self.function_group} · {self.user}"


class TrainingSession(models.Model):
    """A training session for the function group's members."""

    function_group = models.ForeignKey(
        FunctionGroup,
        on_delete=models.PROTECT,
        related_name="trainings",
        verbose_name=_("function group"),
    )
    date = models.DateField(_("date"))
    content = models.TextField(_("content"))
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("trainer"),
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("attendees")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    version = version_field()
    history = HistoricalRecords(m2m_fields=[attendees])

    objects = scoped("function_group__district").as_manager()

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.function_group} · {self.date}"


class TrainingMaterialManager(
    models.Manager.from_queryset(scoped("training__function_group__district"))
):
    """Materials taken off a training stay in the database (never deleted), marked removed."""

    def get_queryset(self):
        return super().get_queryset().filter(removed_at__isnull=True)


class TrainingMaterial(AttachmentBase):
    """A file used at a training session (slides, handouts), size-limited and type-checked."""

    KIND = "training"
    OWNER_FIELD = "training"
    UPLOAD_DIR = "meetings/training"
    MAX_SIZE = 10 * 1024 * 1024
    EXTENSIONS = ("pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "jpg", "jpeg", "png", "txt")

    training = models.ForeignKey(
        TrainingSession,
        on_delete=models.PROTECT,
        related_name="materials",
        verbose_name=_("training session"),
    )
    history = HistoricalRecords()

    objects = TrainingMaterialManager()

    class Meta:
        verbose_name = _("training material")
        verbose_name_plural = _("training materials")
        ordering = ["training", "pk"]

    @classmethod
    def owners_visible_to(cls, user):
        from meetings.selectors.groups import function_groups_visible_to

        return TrainingSession.objects.filter(
            function_group__in=function_groups_visible_to(user).values("pk")
        )


class PeerReview(models.Model):
    """A peer review and sharing session of the function group (相互点评、分享)."""

    function_group = models.ForeignKey(
        FunctionGroup,
        on_delete=models.PROTECT,
        related_name="peer_reviews",
        verbose_name=_("function group"),
    )
    date = models.DateField(_("date"))
    meetings = models.ManyToManyField(
        "meetings.Meeting",
        blank=True,
        related_name="peer_reviews",
        verbose_name=_("meetings reviewed"),
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("participants")
    )
    conclusions = models.TextField(_("conclusions"))
    follow_up_actions = models.TextField(_("follow-up actions"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    version = version_field()
    history = HistoricalRecords(m2m_fields=[participants])

    objects = scoped("function_group__district").as_manager()

    class Meta:
        verbose_name = _("peer review session")
        verbose_name_plural = _("peer review sessions")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.function_group} · {self.date}"
