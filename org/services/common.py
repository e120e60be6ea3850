"""What every org service shares: today's date, the audit stamp, the permission check."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from org import access
from org.access import Cap


def today() -> date:
    return timezone.localdate()


def _stamp(instance, acting_user, reason: str = ""):
    """Tell django-simple-history who made the change and why."""
    instance._history_user = acting_user
    if reason:
        instance._change_reason = reason


def _require(acting_user, cap: Cap, unit) -> None:
    if unit is None or not access.holds(acting_user, cap, unit):
        raise PermissionDenied(_("You may not change records of %(unit)s.") % {"unit": unit})
