"""Users and their roles over organisational units (spec §1, §10)."""

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=[("zh-hans", "简体中文"), ("en", "English")],
        default="zh-hans",
    )
    history = HistoricalRecords(excluded_fields=["last_login", "password"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.username


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    MARKETING = "marketing", _("Marketing department")
    FINANCE = "finance", _("Finance department")
    CUSTOMER_SERVICE = "customer_service", _("Customer service callback post")
    DISTRICT_MANAGER = "district_manager", _("District manager")
    TRAINER = "trainer", _("District trainer")
    DISTRICT_ADMIN = "district_admin", _("District administrator")
    COACH = "coach", _("District coaching specialist")
    DEPT_MANAGER = "dept_manager", _("Department manager")
    ASSISTANT = "assistant", _("Department manager assistant")
    SUPERVISOR = "supervisor", _("Group supervisor")


# A role is held over a unit of the matching kind.
ROLE_UNIT_KINDS = {
    Role.SYSTEM_ADMIN: {"branch"},
    Role.MARKETING: {"branch"},
    Role.FINANCE: {"branch"},
    Role.CUSTOMER_SERVICE: {"branch"},
    Role.DISTRICT_MANAGER: {"district"},
    Role.TRAINER: {"district"},
    Role.DISTRICT_ADMIN: {"district"},
    Role.COACH: {"district"},
    Role.DEPT_MANAGER: {"department"},
    Role.ASSISTANT: {"department"},
    Role.SUPERVISOR: {"group"},
}


class RoleAssignmentQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_on__isnull=True)


class RoleAssignment(models.Model):
    """A role held by a user over a unit: a district manager over district X, etc."""

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="role_assignments", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="role_assignments",
        verbose_name=_("unit"),
    )
    started_on = models.DateField(_("started on"), auto_now_add=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    history = HistoricalRecords()

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                condition=models.Q(ended_on__isnull=True),
                name="one_current_assignment_per_user_role_unit",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.unit}"


class ApiTokenQuerySet(models.QuerySet):
    def live(self, now=None):
        """Tokens that still work."""
        now = now or timezone.now()
        return self.filter(
            created__gt=now - settings.API_TOKEN_MAX_AGE,
            last_used__gt=now - settings.API_TOKEN_IDLE_TIMEOUT,
        )

    def expired(self, now=None):
        """Tokens past their idle timeout or their maximum age (settings.API_TOKEN_*)."""
        now = now or timezone.now()
        return self.filter(
            models.Q(created__lte=now - settings.API_TOKEN_MAX_AGE)
            | models.Q(last_used__lte=now - settings.API_TOKEN_IDLE_TIMEOUT)
        )


class ApiToken(models.Model):
    """One API login of a user (a device or script). The key is shown once, at login; only its
    SHA-256 digest is stored. It stops working after settings.API_TOKEN_IDLE_TIMEOUT without use
    or settings.API_TOKEN_MAX_AGE after login, whichever comes first."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    label = models.CharField(_("label"), max_length=200, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    last_used = models.DateTimeField(_("last used"), default=timezone.now, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-last_used", "-pk"]

    def __str__(self):
        return f"{self.user} · {self.label or self.pk}"

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def expires(self):
        return min(
            self.created + settings.API_TOKEN_MAX_AGE,
            self.last_used + settings.API_TOKEN_IDLE_TIMEOUT,
        )

    def is_expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.expires
