"""Shared bookkeeping tables with no business meaning (see core.usercache)."""

from django.conf import settings
from django.db import models


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
